/**
 * The drivers report.
 *
 *   1. open the source (synced, or one-off) and load the DriversResult (data.ts)
 *   2. KPIs and the period line; sections: variance, drivers waterfall, contributors (chart,
 *      table, drill buttons), trend, unexplained, confidence
 *   3. footnotes: noise threshold, omissions, spend left out in other currencies
 */
import type { DriversResult } from '../../analytics/drivers/types.js';
import { likelyWindows, neededRange } from '../../analytics/periods/windows.js';
import type { ReportDeps, ReportOutput } from '../deps.js';
import { withSession } from '../deps.js';
import { formatMoney } from '../format.js';
import type { Report } from '../report.js';
import { scopeJson, scopeLine } from '../scope.js';
import type { SourceSpec } from '../source.js';
import { type DriversData, type DriversRequest, loadDrivers, type OtherCurrency } from './data.js';
import {
  confidenceSection,
  contributorsSection,
  periodLine,
  trendSection,
  unexplainedSection,
  varianceKpis,
  varianceSection,
  waterfallSection,
} from './sections.js';

/** Spend the report leaves out because no rate converts its currency, named with its amount. */
export function otherCurrencyNote(others: OtherCurrency[]): string[] {
  return others.map(
    (o) =>
      `${formatMoney(o.current, o.currency)} this period (${formatMoney(o.previous, o.currency)} before) in ${o.currency} is left out: no rate converts it (SPENDBRIEF_FX_RATES=${o.currency}=<rate>).`,
  );
}

/** Days the window asks for that the source does not have yet: said, never counted as zero. */
export function missingDaysNote(r: Pick<DriversResult, 'missingDays'>): string[] {
  const m = r.missingDays;
  if (!m) return [];
  const days = m.start === m.end ? m.start : `${m.start}..${m.end}`;
  return [
    `No data for ${days} yet: the source's latest day is before it, so this window is incomplete (missing, not zero spend).`,
  ];
}

export function driversFootnotes(r: DriversResult & { otherCurrencies?: OtherCurrency[] }): string[] {
  return [
    'Waterfall steps are rounded to the cent; the rounding residual reconciles them to the net change.',
    ...missingDaysNote(r),
    ...otherCurrencyNote(r.otherCurrencies ?? []),
  ];
}

export function buildDriversReport(r: DriversData | DriversResult, opts: { source: string }): Report {
  return {
    kind: 'drivers',
    title: `Spend drivers by ${r.by}`,
    period: periodLine(r, opts.source),
    kpis: varianceKpis(r),
    sections: [
      varianceSection(r),
      waterfallSection(r),
      contributorsSection(r, { drill: 5, chart: true }),
      trendSection(r),
      unexplainedSection(r),
      confidenceSection(r),
    ],
    footnotes: driversFootnotes(r),
  };
}

export type DriversUseCase = Omit<DriversRequest, 'fxRates'> & { source: SourceSpec };

/** `spendbrief drivers` and `/spend drivers`. */
export async function runDrivers(deps: ReportDeps, req: DriversUseCase): Promise<ReportOutput> {
  return withSession(
    deps,
    req.source,
    {
      today: req.today,
      purpose: 'question',
      need: neededRange(req.window, req.compare, req.today),
      windowsAt: (latest) => likelyWindows(latest, req.today, req.window, req.compare),
    },
    async (s) => {
      const r = await loadDrivers(s.warehouse, { ...req, fxRates: deps.config.SPENDBRIEF_FX_RATES });
      const report = buildDriversReport(r, { source: s.label });
      report.scope = scopeLine(req.where);
      report.footnotes.push(...s.notes);
      return { report, json: { ...r, scope: scopeJson(req.where) } };
    },
  );
}
