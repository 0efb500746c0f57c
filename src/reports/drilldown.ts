/**
 * A drill-down: one contributor of a report broken down by the next dimension
 * (service -> account -> region -> sku), with its own chart and further drill buttons.
 *
 *   1. the drivers result restricted to the contributor's lines, grouped by the next dimension
 *   2. variance sentence, contributors chart, table and buttons to drill further
 */
import type { DriversResult } from '../analytics/drivers/types.js';
import type { Dimension } from '../analytics/types.js';
import { driversFootnotes } from './drivers.js';
import { contributorsSection, periodLine, varianceKpis, varianceSection } from './drivers-sections.js';
import { displayKey } from './format.js';
import type { Report } from './report.js';
import { describeSource, type SourceSpec } from './source.js';

export function buildDrilldownReport(
  r: DriversResult,
  opts: { dim: Dimension; key: string; source: SourceSpec },
): Report {
  const name = displayKey(opts.key, opts.dim);
  return {
    kind: 'drilldown',
    title: `${name} by ${r.by}`,
    period: `${opts.dim} ${name} · ${periodLine(r, describeSource(opts.source))}`,
    kpis: varianceKpis(r).filter((k) => k.label !== 'Confidence'),
    sections: [varianceSection(r), contributorsSection(r, { drill: 5, chart: true })],
    footnotes: driversFootnotes(r).slice(0, 1),
  };
}
