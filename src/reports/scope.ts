/**
 * What every report does with its scope (the where list it was asked with, already confined to a
 * channel's scope by the surface): say it in the first context line and in the JSON, and refuse
 * one that matches no line with the values it could have named, never a report of zeros.
 */
import { addDays } from '../analytics/alerts/series.js';
import { andWhere, formatWhere, scopeJson, type Where } from '../analytics/scope.js';
import type { Basis } from '../analytics/types.js';
import { CodedError, ErrorCode, quote } from '../errors.js';
import type { CostWarehouse } from '../integrations/warehouse/port.js';

/** A request's scope: the where list it reads (null: everything) and what bounds its suggestions. */
export interface Scoped {
  /** The lines the report reads: a where list, confined to the channel's scope where there is one. */
  where?: Where;
  /**
   * The channel's (or MCP server's) own scope: a where that matches nothing is answered with the
   * values it could have named inside it only, so a refusal never shows what lies outside.
   */
  bound?: Where;
}

/** The first context line of a scoped report ("Scope: team=payments"), or null. */
export const scopeLine = (where: Where | undefined): string | null =>
  where?.length ? `Scope: ${formatWhere(where)}` : null;

export { scopeJson };

/** How far back the suggestions of a where that matches nothing look. */
const SUGGEST_DAYS = 90;

/**
 * The error for a where list that matches no line up to `today`: it names the list and, for each
 * clause, up to eight values that have spend in the last 90 days under the other clauses (and the
 * bound), so the user sees what they could have typed.
 */
export async function noLineMatches(
  w: CostWarehouse,
  s: Scoped,
  o: { today: string; basis: Basis; teamTag: string },
): Promise<CodedError> {
  const where = s.where ?? [];
  const hints: string[] = [];
  for (const c of where) {
    const others = andWhere(
      s.bound ?? [],
      where.filter((x) => x !== c),
    );
    const values = await w.dimensionValues({
      dimension: c.dimension,
      range: { start: addDays(o.today, -SUGGEST_DAYS), end: o.today },
      basis: o.basis,
      teamTag: o.teamTag,
      where: others,
      limit: 8,
    });
    const named = values.filter((v) => v.value !== '').map((v) => quote(v.value, 40));
    if (named.length) hints.push(`${c.dimension} has ${named.join(', ')}`);
  }
  return new CodedError(
    ErrorCode.NoData,
    `no line matches ${formatWhere(where)} up to ${o.today}${hints.length ? ` (in the last ${SUGGEST_DAYS} days, ${hints.join('; ')})` : ''}`,
  );
}
