/**
 * `spendbrief showback` and `/spend showback`: each owner's cost, direct and its share of shared
 * cost, adding up to the window's bill.
 *
 *   1. the window from the source's days (as drivers resolves it), the report currency
 *   2. one query: the window's cost per owner and per first shared rule matched (showback-sql.ts)
 *   3. the split (analytics/showback/split.ts, pure), then the reconciliation against the days
 *   4. a scope on the showback's own dimension (a team's channel) lists that owner only, with the
 *      shared amounts that reached it: the other owners enter the split as two aggregates, never
 *      by name; a where on another dimension reads only its lines
 */

import type { WindowSpec } from '../../analytics/periods/types.js';
import { availableDays, chooseReportCurrency, resolveWindows } from '../../analytics/periods/windows.js';
import type { Where } from '../../analytics/scope.js';
import {
  centsThatAddUp,
  type ShowbackDimension,
  type ShowbackResult,
  type ShowbackRules,
  showback,
} from '../../analytics/showback/split.js';
import type { Basis, DateRange } from '../../analytics/types.js';
import { buildShowbackChart } from '../../charts/showback.js';
import { CodedError, ErrorCode } from '../../errors.js';
import type { CostWarehouse } from '../../integrations/warehouse/port.js';
import { type ReportDeps, type ReportOutput, withSession } from '../deps.js';
import { formatMoney, formatPercent, formatRange } from '../format.js';
import type { Report, ReportBlock, ReportSection } from '../report.js';
import { noLineMatches, type Scoped, scopeJson, scopeLine } from '../scope.js';
import type { SourceSpec } from '../source.js';
import { NO_RULES } from './rules-file.js';

export interface ShowbackRequest extends Scoped {
  window: WindowSpec;
  by: ShowbackDimension;
  rules: ShowbackRules;
  basis: Basis;
  teamTag: string;
  today: string;
  fxRates?: Record<string, number>;
}

export interface ShowbackData extends ShowbackResult {
  window: DateRange;
  basis: Basis;
  currency: string;
  dimension: ShowbackDimension;
  /** The owners a scope on the showback's dimension confines the rows to (null: every owner). */
  confinedTo: string[] | null;
  /** The window's spend in the source (every currency converted), before any split. */
  sourceTotal: number;
}

/** An owner's name for people: the key, or "(untagged)" / "(no account)". */
export const ownerName = (key: string, by: ShowbackDimension): string =>
  key !== '' ? key : by === 'account' ? '(no account)' : '(untagged)';

export async function loadShowback(w: CostWarehouse, req: ShowbackRequest): Promise<ShowbackData> {
  const where = req.where ?? [];
  // A clause on the showback's own dimension picks the owners shown (shared cost is split over
  // every owner first); clauses on other dimensions pick the lines.
  const own = where.filter((c) => c.dimension === req.by);
  const lines: Where = where.filter((c) => c.dimension !== req.by);
  // The days of the scope itself (a team's window is its own days): only the split reads further.
  const days = await w.daySummary({ basis: req.basis, today: req.today, teamTag: req.teamTag, where });
  if (where.length && days.length === 0)
    throw await noLineMatches(w, req, { today: req.today, basis: req.basis, teamTag: req.teamTag });
  const window = resolveWindows(
    availableDays(
      days.map((d) => d.day),
      req.today,
    ),
    req.window,
    { kind: 'none' },
  ).current;
  const inWindow = days.filter((d) => d.day >= window.start && d.day <= window.end);
  const perCurrency = new Map<string, number>();
  for (const d of inWindow) perCurrency.set(d.currency, (perCurrency.get(d.currency) ?? 0) + d.spend);
  const currency = chooseReportCurrency([...perCurrency].map(([c, spend]) => ({ currency: c, spend })));
  const fx = req.fxRates ?? {};
  const costs = await w.ownerCosts({
    range: window,
    basis: req.basis,
    teamTag: req.teamTag,
    currency,
    fxRates: fx,
    owner: req.by,
    rules: req.rules.shared.map((r) => r.match),
    where: lines,
    ...(own.length ? { keep: own.flatMap((c) => c.values) } : {}),
  });
  const result = showback(costs, req.rules);
  const rate = (c: string) => (c === currency ? 1 : fx[c]);
  const sourceTotal = inWindow.reduce((s, d) => s + d.spend * (rate(d.currency) ?? 0), 0);
  const confinedTo = own.length ? own.flatMap((c) => c.values) : null;
  if (confinedTo && result.owners.length === 0)
    throw new CodedError(
      ErrorCode.NoData,
      `${confinedTo.map((k) => ownerName(k, req.by)).join(', ')} had no cost in ${formatRange(window)}`,
    );
  return {
    ...result,
    window,
    basis: req.basis,
    currency,
    dimension: req.by,
    confinedTo,
    sourceTotal: confinedTo ? result.total : sourceTotal,
  };
}

export function showbackJson(d: ShowbackData, where: Where | undefined) {
  return {
    window: d.window,
    basis: d.basis,
    currency: d.currency,
    dimension: d.dimension,
    scope: scopeJson(where),
    owners: d.owners,
    sharedRules: d.sharedRules.map((r) => ({
      name: r.name,
      match: r.match,
      split: r.split,
      amount: r.amount,
      toOwners: r.toOwners,
    })),
    untagged: { amount: d.untagged.amount, split: d.untagged.split },
    unallocated: d.unallocated,
    total: d.total,
  };
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/**
 * One row per owner for chargeback, then unallocated and the total, in cents that add up: the
 * totals apportioned by largest remainder, direct likewise, shared as their difference.
 */
export function showbackCsv(d: ShowbackData): string {
  const totals = centsThatAddUp([...d.owners.map((o) => o.total), d.unallocated], d.total);
  const directs = centsThatAddUp(
    d.owners.map((o) => o.direct),
    d.owners.reduce((s, o) => s + o.direct, 0),
  );
  const rows = d.owners.map((o, i) => [
    csvCell(ownerName(o.key, d.dimension)),
    directs[i]!.toFixed(2),
    (totals[i]! - directs[i]!).toFixed(2),
    totals[i]!.toFixed(2),
    o.percent === null ? '' : o.percent.toFixed(2),
  ]);
  return `${[
    [d.dimension, `direct_${d.currency}`, `shared_${d.currency}`, `total_${d.currency}`, 'percent'].join(','),
    ...rows.map((r) => r.join(',')),
    ['(unallocated)', '', '', totals.at(-1)!.toFixed(2), ''].join(','),
    ['total', '', '', (Math.round(d.total * 100) / 100).toFixed(2), ''].join(','),
  ].join('\n')}\n`;
}

const splitWords = (r: ShowbackData['sharedRules'][number]) =>
  r.split === 'fixed'
    ? 'by fixed percentages'
    : r.split === 'even'
      ? 'evenly'
      : "in proportion to each owner's own cost";

export function buildShowbackReport(d: ShowbackData, source: string): Report {
  const c = d.currency;
  const direct = d.owners.reduce((s, o) => s + o.direct, 0);
  const shared = d.owners.reduce((s, o) => s + o.shared, 0);
  const by = d.dimension;
  const blocks: ReportBlock[] = [
    {
      type: 'chart',
      chart: {
        id: 'showback',
        title: `Cost by ${by}`,
        altText: d.owners
          .slice(0, 12)
          .map(
            (o) => `${ownerName(o.key, by)} ${formatMoney(o.total, c)} (${formatMoney(o.shared, c)} shared)`,
          )
          .join(', '),
        spec: buildShowbackChart(
          d.owners.map((o) => ({ label: ownerName(o.key, by), direct: o.direct, shared: o.shared })),
          c,
          `${formatRange(d.window)} · ${d.basis} cost · by ${by}`,
        ),
      },
    },
    {
      type: 'table',
      columns: [
        { header: by },
        { header: 'own cost', align: 'right' },
        { header: 'shared', align: 'right' },
        { header: 'total', align: 'right' },
        { header: 'share', align: 'right' },
      ],
      rows: d.owners
        .slice(0, 30)
        .map((o) => [
          ownerName(o.key, by),
          formatMoney(o.direct, c),
          formatMoney(o.shared, c),
          formatMoney(o.total, c),
          o.percent === null ? 'n/a' : formatPercent(o.percent),
        ]),
      omitted: Math.max(0, d.owners.length - 30),
    },
  ];
  const sharedLines = [
    ...d.sharedRules
      .filter((r) => r.amount !== 0 || r.unallocated !== 0)
      .map(
        (r) =>
          `${r.name}: ${formatMoney(r.amount + r.unallocated, c)} split ${splitWords(r)}${
            r.toOwners.length
              ? ` (${r.toOwners
                  .slice(0, 6)
                  .map((t) => `${ownerName(t.key, by)} ${formatMoney(t.amount, c)}`)
                  .join(', ')}${r.toOwners.length > 6 ? ', …' : ''})`
              : ''
          }${r.unallocated ? `; ${formatMoney(r.unallocated, c)} had no owner to go to and is unallocated` : ''}.`,
      ),
    ...(d.untagged.amount !== 0
      ? [
          `Cost without a ${by}: ${formatMoney(d.untagged.amount, c)} ${
            d.untagged.split === 'unallocated'
              ? 'is left unallocated'
              : `split ${d.untagged.split === 'even' ? 'evenly' : "in proportion to each owner's own cost"}`
          }.`,
        ]
      : []),
  ];
  return {
    kind: 'showback',
    title: `Showback by ${by}`,
    period: `${formatRange(d.window)} · ${d.basis} cost · ${c} · ${source}`,
    kpis: [
      { label: 'Total', value: formatMoney(d.total, c) },
      { label: 'Own cost', value: formatMoney(direct, c) },
      { label: 'Shared, split', value: formatMoney(shared, c) },
      ...(d.confinedTo
        ? []
        : [
            {
              label: 'Unallocated',
              value: formatMoney(d.unallocated, c),
              tone: d.unallocated !== 0 ? ('warning' as const) : ('good' as const),
            },
          ]),
    ],
    sections: [
      { id: 'owners', title: `Cost by ${by}`, blocks },
      ...(sharedLines.length
        ? [
            {
              id: 'shared',
              title: 'Shared cost',
              blocks: sharedLines.map((text) => ({ type: 'text' as const, text })),
            },
          ]
        : []),
    ],
    footnotes: [
      d.confinedTo
        ? `Your own cost and the shared amounts that reached you; shared cost is split over every ${by} before this view.`
        : `Owners ${formatMoney(d.total - d.unallocated, c)} + unallocated ${formatMoney(d.unallocated, c)} = ${formatMoney(d.total, c)}, the window's spend in the source.`,
    ],
  };
}

/**
 * The digest's line: the week's shared cost by rule. In a scoped channel, its share of it; else
 * the whole, with what stayed unallocated.
 */
export function sharedCostSection(d: ShowbackData): ReportSection {
  const c = d.currency;
  const shared = d.owners.reduce((s, o) => s + o.shared, 0);
  const parts = [
    ...d.sharedRules.filter((r) => r.amount !== 0).map((r) => `${r.name} ${formatMoney(r.amount, c)}`),
    ...(d.untagged.amount !== 0 && d.untagged.split !== 'unallocated'
      ? [`untagged ${formatMoney(d.untagged.amount, c)}`]
      : []),
  ];
  const text = d.confinedTo
    ? `Your share of shared cost: ${formatMoney(shared, c)}${parts.length ? ` (${parts.join(', ')})` : ''}, on top of your own ${formatMoney(d.total - shared, c)}.`
    : `Shared cost split to ${d.dimension}s: ${formatMoney(shared, c)}${parts.length ? ` (${parts.join(', ')})` : ''}; unallocated ${formatMoney(d.unallocated, c)}.`;
  return { id: 'shared', title: 'Shared cost', blocks: [{ type: 'text', text }] };
}

/** The showback rules of this run: a rules file's, else none (untagged cost unallocated). */
export async function showbackRules(
  path: string | undefined,
): Promise<{ rules: ShowbackRules; by?: ShowbackDimension }> {
  if (!path) return { rules: NO_RULES };
  const { readShowbackRules } = await import('./rules-file.js');
  const { by, ...rules } = await readShowbackRules(path);
  return { rules, ...(by ? { by } : {}) };
}

export async function runShowback(
  deps: ReportDeps,
  req: ShowbackRequest & { source: SourceSpec },
): Promise<ReportOutput & { csv: string }> {
  return withSession(deps, req.source, { today: req.today, purpose: 'report' }, async (s) => {
    const d = await loadShowback(s.warehouse, {
      ...req,
      fxRates: req.fxRates ?? deps.config.SPENDBRIEF_FX_RATES,
    });
    const report = buildShowbackReport(d, s.label);
    report.scope = scopeLine(req.where);
    report.footnotes.push(...s.notes);
    return { report, json: showbackJson(d, req.where), csv: showbackCsv(d) };
  });
}
