/**
 * The weekly digest: one message that says what was spent, why it moved and how far to trust it.
 *
 *   1. the drivers result of the last 7 days against the 7 before, top 5 rows (`digestRequest`)
 *   2. variance summary, waterfall, top 5 contributors with drill-down buttons, unexplained
 *      severity, attribution confidence with the failing rules named
 *   3. slots: the cost-model and carbon sections, present when their sources are configured
 */
import type { DriversResult } from '../analytics/drivers/types.js';
import { driversFootnotes } from './drivers.js';
import {
  confidenceSection,
  contributorsSection,
  periodLine,
  unexplainedSection,
  varianceKpis,
  varianceSection,
  waterfallSection,
} from './drivers-sections.js';
import type { Report, ReportSection } from './report.js';
import { describeSource, type SourceSpec } from './source.js';

export interface DigestExtras {
  /** Unit economics from the cost model, when business metrics are configured. */
  costModel?: ReportSection;
  /** Carbon footprint this period vs the previous, when instances are known. */
  carbon?: ReportSection;
}

export function buildDigestReport(
  r: DriversResult,
  opts: { source: SourceSpec; extras?: DigestExtras },
): Report {
  const contributors = contributorsSection(r, { drill: 5, chart: true });
  return {
    kind: 'digest',
    title: 'Weekly cloud spend digest',
    period: periodLine(r, describeSource(opts.source)),
    kpis: varianceKpis(r),
    sections: [
      varianceSection(r),
      waterfallSection(r),
      contributors,
      unexplainedSection(r),
      confidenceSection(r),
      ...(opts.extras?.costModel ? [opts.extras.costModel] : []),
      ...(opts.extras?.carbon ? [opts.extras.carbon] : []),
    ],
    footnotes: driversFootnotes(r),
  };
}

/** The digest's question: the last 7 available days against the 7 before, top 5 services. */
export const DIGEST_WINDOW = {
  window: { kind: 'days', days: 7 },
  compare: { kind: 'previous_period' },
  by: 'service',
  limit: 5,
  minChange: 0,
} as const;
