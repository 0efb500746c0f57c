/**
 * What a showback reads (analytics/showback/split.ts `ShowbackCosts`): in the window and the
 * report currency (other currencies converted where a rate is configured), the cost of each
 * owner's own lines, of lines without an owner, and of each shared rule's pool (a line is matched
 * by its first rule, so a cost is split once). With `keep` (a scoped view), only those owners are
 * listed; the others leave the database as two aggregates, never by name or figure.
 */
import type { ShowbackCosts } from '../../analytics/showback/split.js';
import { type DuckDb, sqlString } from './duckdb.js';
import type { OwnerCostsQuery } from './port.js';
import { anyOf, dayIn, dimensionSql, type Layout, lineSums, whereSql } from './sql.js';

export function ownerCostsSql(layout: Layout, q: OwnerCostsQuery): string {
  const rates = Object.entries(q.fxRates ?? {}).filter(
    ([c, r]) => c !== q.currency && Number.isFinite(r) && r > 0,
  );
  const currencies = [q.currency, ...rates.map(([c]) => c)];
  const rate = rates.length
    ? `CASE currency ${rates.map(([c, r]) => `WHEN ${sqlString(c)} THEN ${r}`).join(' ')} ELSE 1 END`
    : '1';
  const ls = lineSums(layout, {
    basis: q.basis,
    attrs: ['service', 'account', 'region', 'sku', 'provider', 'tags', 'currency'],
    sums: ['fsum({cost}) AS cost'],
    where: dayIn(q.range.start, q.range.end),
    days: [q.range],
    lineWhere: (l) => `${anyOf(`${l}currency`, currencies)} AND ${whereSql(q.where, q.teamTag, l)}`,
  });
  const rule = q.rules.length
    ? `CASE ${q.rules.map((w, i) => `WHEN ${whereSql(w, q.teamTag)} THEN ${i}`).join(' ')} END`
    : 'NULL::INTEGER';
  const kept = q.keep ? anyOf('owner', q.keep.length ? q.keep : ['\u0000']) : 'TRUE';
  return `WITH oc AS (
  SELECT ${dimensionSql(q.owner, q.teamTag)} AS owner, ${rule} AS rule, fsum(cost * ${rate}) AS cost
  FROM (${ls}) GROUP BY ALL)
SELECT 'direct' AS part, owner, NULL::INTEGER AS rule, fsum(cost) AS cost FROM oc
  WHERE rule IS NULL AND owner <> '' AND ${kept} GROUP BY owner
UNION ALL SELECT 'untagged', NULL, NULL, fsum(cost) FROM oc WHERE rule IS NULL AND owner = ''
UNION ALL SELECT 'pool', NULL, rule, fsum(cost) FROM oc WHERE rule IS NOT NULL GROUP BY rule
UNION ALL SELECT 'others', NULL, count(*) FILTER (WHERE cost <> 0), fsum(greatest(cost, 0)) FROM (
  SELECT owner, fsum(cost) AS cost FROM oc WHERE rule IS NULL AND owner <> '' AND NOT (${kept}) GROUP BY owner)`;
}

/** The query's rows as the split reads them. */
export async function ownerCosts(db: DuckDb, layout: Layout, q: OwnerCostsQuery): Promise<ShowbackCosts> {
  const rows = await db.all<{ part: string; owner: string | null; rule: number | null; cost: number | null }>(
    ownerCostsSql(layout, q),
  );
  const pools = q.rules.map(() => 0);
  const out: ShowbackCosts = { direct: [], untagged: 0, pools, others: null };
  for (const r of rows) {
    if (r.part === 'direct') out.direct.push({ owner: r.owner ?? '', cost: r.cost ?? 0 });
    else if (r.part === 'untagged') out.untagged = r.cost ?? 0;
    else if (r.part === 'pool' && r.rule !== null) pools[r.rule] = r.cost ?? 0;
    else if (r.part === 'others' && q.keep)
      out.others = { listed: q.keep, positive: r.cost ?? 0, active: r.rule ?? 0 };
  }
  return out;
}
