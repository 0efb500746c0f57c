/**
 * `spendbrief dimensions <dimension>` and the MCP tool `dimensions`: the values a dimension takes in
 * a window, with their spend, largest first, so that a person or an assistant can find "payments"
 * before filtering on it. Inside a scope, only the scope's values.
 */
import type { WindowSpec } from '../analytics/periods/types.js';
import { availableDays, chooseReportCurrency, resolveWindows } from '../analytics/periods/windows.js';
import type { WhereDimension } from '../analytics/scope.js';
import { type Basis, type DateRange, isDimension } from '../analytics/types.js';
import { type ReportDeps, type ReportOutput, withSession } from './deps.js';
import { displayKey, formatMoney, formatPercent, formatRange } from './format.js';
import type { Report } from './report.js';
import { noLineMatches, type Scoped, scopeJson, scopeLine } from './scope.js';
import type { SourceSpec } from './source.js';

export interface DimensionsRequest extends Scoped {
  source: SourceSpec;
  dimension: WhereDimension;
  window: WindowSpec;
  basis: Basis;
  teamTag: string;
  today: string;
  /** At most this many values (default 50). */
  limit?: number;
}

export interface DimensionsData {
  window: DateRange;
  basis: Basis;
  currency: string;
  dimension: WhereDimension;
  values: { value: string; spend: number; percent: number | null }[];
  /** Spend of every value in the window, those past the limit included. */
  total: number;
  omitted: number;
}

export async function runDimensions(deps: ReportDeps, req: DimensionsRequest): Promise<ReportOutput> {
  return withSession(deps, req.source, { today: req.today, purpose: 'report' }, async (s) => {
    const w = s.warehouse;
    const days = await w.daySummary({
      basis: req.basis,
      today: req.today,
      teamTag: req.teamTag,
      where: req.where,
    });
    if (req.where?.length && days.length === 0)
      throw await noLineMatches(w, req, { today: req.today, basis: req.basis, teamTag: req.teamTag });
    const window = resolveWindows(
      availableDays(
        days.map((d) => d.day),
        req.today,
      ),
      req.window,
      { kind: 'none' },
    ).current;
    const per = new Map<string, number>();
    for (const d of days)
      if (d.day >= window.start && d.day <= window.end)
        per.set(d.currency, (per.get(d.currency) ?? 0) + d.spend);
    const currency = chooseReportCurrency([...per].map(([c, spend]) => ({ currency: c, spend })));
    const all = await w.dimensionValues({
      dimension: req.dimension,
      range: window,
      basis: req.basis,
      teamTag: req.teamTag,
      where: req.where,
      currency,
    });
    const total = all.reduce((t, v) => t + v.spend, 0);
    const limit = req.limit ?? 50;
    const data: DimensionsData = {
      window,
      basis: req.basis,
      currency,
      dimension: req.dimension,
      values: all
        .slice(0, limit)
        .map((v) => ({ ...v, percent: total !== 0 ? (v.spend / total) * 100 : null })),
      total,
      omitted: Math.max(0, all.length - limit),
    };
    const report = buildDimensionsReport(data, s.label);
    report.scope = scopeLine(req.where);
    return { report, json: { ...data, scope: scopeJson(req.where) } };
  });
}

export function buildDimensionsReport(d: DimensionsData, source: string): Report {
  const name = (v: string) =>
    v === '' ? '(none)' : isDimension(d.dimension) ? displayKey(v, d.dimension) : v;
  return {
    kind: 'dimensions',
    title: `Values of ${d.dimension}`,
    period: `${formatRange(d.window)} · ${d.basis} cost · ${d.currency} · ${source}`,
    kpis: [
      { label: 'Values', value: String(d.values.length + d.omitted) },
      { label: 'Spend', value: formatMoney(d.total, d.currency) },
    ],
    sections: [
      {
        id: 'values',
        title: d.dimension,
        blocks: [
          {
            type: 'table',
            columns: [
              { header: d.dimension },
              { header: 'spend', align: 'right' },
              { header: 'share', align: 'right' },
            ],
            rows: d.values.map((v) => [
              name(v.value),
              formatMoney(v.spend, d.currency),
              v.percent === null ? 'n/a' : formatPercent(v.percent),
            ]),
            omitted: d.omitted,
          },
        ],
      },
    ],
    footnotes: [
      `Narrow any report to some of them: --where ${d.dimension}=<value> (in chat: where ${d.dimension} <value>).`,
      ...(d.values.length ? [] : [`No ${d.dimension} has spend in this window.`]),
    ],
  };
}
