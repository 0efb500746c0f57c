/**
 * The weekly digest: one message that says what was spent, why it moved and how far to trust it.
 *
 *   1. the drivers result of the last 7 days against the 7 before, top 5 rows (`digestRequest`)
 *   2. variance summary, waterfall, top 5 contributors with drill-down buttons, unexplained
 *      severity, attribution confidence with the failing rules named
 *   3. slots: the cost-model and carbon sections, present when their sources are configured
 */
import type { DriversResult } from '../analytics/drivers/types.js';
import { describeError } from '../errors.js';
import { carbonSection } from './carbon.js';
import { loadCarbon } from './carbon-data.js';
import {
  configuredInstances,
  configuredMetrics,
  type ReportDeps,
  type ReportOutput,
  withSession,
} from './deps.js';
import { driversFootnotes } from './drivers.js';
import { loadDrivers } from './drivers-data.js';
import {
  confidenceSection,
  contributorsSection,
  periodLine,
  unexplainedSection,
  varianceKpis,
  varianceSection,
  waterfallSection,
} from './drivers-sections.js';
import { unitEconomicsSection } from './model.js';
import { loadModel } from './model-data.js';
import type { Report, ReportSection } from './report.js';
import type { SourceSpec } from './source.js';

export interface DigestExtras {
  /** Unit economics from the cost model, when business metrics are configured. */
  costModel?: ReportSection;
  /** Carbon footprint this period vs the previous, when instances are known. */
  carbon?: ReportSection;
}

export function buildDigestReport(r: DriversResult, opts: { source: string; extras?: DigestExtras }): Report {
  const contributors = contributorsSection(r, { drill: 5, chart: true });
  return {
    kind: 'digest',
    title: 'Weekly cloud spend digest',
    period: periodLine(r, opts.source),
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

const unavailable = (id: string, title: string, what: string, e: unknown): ReportSection => ({
  id,
  title,
  blocks: [{ type: 'context', text: `${what} is unavailable: ${describeError(e)}` }],
});

/**
 * The weekly digest, once: the source is opened once (a one-off file is read once into memory)
 * and every section asks that one session. A section whose own inputs fail (metrics, instances)
 * says why instead of failing the digest.
 */
export async function runDigest(
  deps: ReportDeps,
  req: { source: SourceSpec; today: string; basis: 'actual' | 'amortized' | 'net'; teamTag: string },
): Promise<ReportOutput> {
  return withSession(deps, req.source, { today: req.today, purpose: 'digest' }, async (s) => {
    const r = await loadDrivers(s.warehouse, {
      ...DIGEST_WINDOW,
      basis: req.basis,
      teamTag: req.teamTag,
      today: req.today,
      fxRates: deps.config.SPENDBRIEF_FX_RATES,
    });
    const extras: DigestExtras = {};
    const metrics = configuredMetrics(deps.config, req.source);
    if (metrics) {
      try {
        const m = await loadModel(s.warehouse, deps.metrics, {
          metrics,
          outliers: 'auto',
          excludeDates: [],
          basis: 'amortized',
          excludeServices: deps.config.SPENDBRIEF_CE_EXCLUDE_SERVICES,
          teamTag: req.teamTag,
          today: req.today,
          costsLabel: s.label,
        });
        extras.costModel = unitEconomicsSection(m.model, String(m.json.currency));
      } catch (e) {
        deps.log(`digest: cost model unavailable: ${describeError(e)}`);
        extras.costModel = unavailable('costModel', 'Unit economics', 'The cost model', e);
      }
    }
    const instances = configuredInstances(deps.config, req.source);
    if (instances) {
      try {
        const of = (offsetDays: number) =>
          loadCarbon(s.warehouse, deps.carbon, {
            instances,
            today: req.today,
            basis: 'amortized',
            days: 7,
            offsetDays,
            teamTag: req.teamTag,
          });
        extras.carbon = carbonSection(await of(0), await of(7));
      } catch (e) {
        deps.log(`digest: carbon unavailable: ${describeError(e)}`);
        extras.carbon = unavailable('carbon', 'Carbon', 'The carbon footprint', e);
      }
    }
    const report = buildDigestReport(r, { source: s.label, extras });
    report.footnotes.push(...s.notes);
    return { report, json: r };
  });
}
