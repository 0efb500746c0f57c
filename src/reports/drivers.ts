/**
 * The drivers report.
 *
 *   1. DriversResult (from drivers-data.ts) -> KPIs and the period line
 *   2. sections: variance, drivers waterfall, contributors (chart, table, drill buttons), trend,
 *      unexplained, confidence
 *   3. footnotes: noise threshold and omissions
 */
import type { DriversResult } from '../analytics/drivers/types.js';
import {
  confidenceSection,
  contributorsSection,
  periodLine,
  trendSection,
  unexplainedSection,
  varianceKpis,
  varianceSection,
  waterfallSection,
} from './drivers-sections.js';
import { formatMoney } from './format.js';
import type { Report } from './report.js';
import { describeSource, type SourceSpec } from './source.js';

export function driversFootnotes(r: DriversResult): string[] {
  return [
    `Noise threshold ${formatMoney(r.noiseThreshold, r.currency)}: ${r.omitted.byThreshold} rows below it, ${r.omitted.byRowLimit} beyond the row limit.`,
    'Waterfall steps are rounded to the cent; the rounding residual reconciles them to the net change.',
  ];
}

export function buildDriversReport(r: DriversResult, opts: { source: SourceSpec }): Report {
  return {
    kind: 'drivers',
    title: `Spend drivers by ${r.by}`,
    period: periodLine(r, describeSource(opts.source)),
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
