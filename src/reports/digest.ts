/**
 * The weekly digest: one message that says what was spent, why it moved and how far to trust it.
 *
 *   1. the drivers result of the last 7 days against the 7 before, top 5 rows (`DIGEST_WINDOW`)
 *   2. headline, waterfall, top 5 contributors with drill-down buttons, what needs attention, trend
 *   3. one line each for carbon and unit cost, present when their sources are configured
 */

import type { Budget } from '../analytics/alerts/budgets.js';
import type { DriversResult } from '../analytics/drivers/types.js';
import { describeError } from '../errors.js';
import { configuredBudgets } from './alerts/budgets-file.js';
import { attentionLines, forecastSection, loadAlertsSummary } from './alerts/summary.js';
import { carbonDigestSection } from './carbon/carbon.js';
import { loadCarbonWindows } from './carbon/data.js';
import { configuredInstances } from './carbon/instances.js';
import { type ReportDeps, type ReportOutput, withSession } from './deps.js';
import { loadDrivers } from './drivers/data.js';
import { driversFootnotes } from './drivers/drivers.js';
import {
  attentionSection,
  contributorsSection,
  periodLine,
  trendSection,
  varianceKpis,
  varianceSection,
  waterfallSection,
} from './drivers/sections.js';
import { loadModel } from './model/data.js';
import { configuredMetrics } from './model/metrics-source.js';
import { unitCostSection } from './model/model.js';
import type { ChartRef, Report, ReportAction, ReportSection } from './report.js';
import { type Scoped, scopeJson, scopeLine } from './scope.js';
import { loadShowback, sharedCostSection, showbackRules } from './showback/showback.js';
import type { SourceSpec } from './source.js';

export interface DigestExtras {
  /** The week's shared cost split by the showback rules: a scoped channel's share of it. */
  shared?: ReportSection;
  /** Unit cost from the cost model, when business metrics are configured. */
  costModel?: ReportSection;
  /** Carbon footprint this week against the last, when instances are known. */
  carbon?: ReportSection;
  /** Lines for "Needs attention" (the week's anomalies, budgets at risk). */
  attention?: string[];
  /** The month-end forecast line. */
  forecast?: ReportSection;
  /** The week's most severe anomaly, drawn. */
  anomalyChart?: ChartRef | null;
}

/** Buttons for what the digest leaves out; each answers in the digest's thread. */
export function moreActions(extras: DigestExtras): ReportAction[] {
  const run = (label: string, command: string): ReportAction => ({
    id: 'run',
    label,
    payload: { run: command },
  });
  return [
    run('Last 30 days', 'drivers 30d by service'),
    run('By team', 'drivers 7d by team'),
    run('By account', 'drivers 7d by account'),
    ...(extras.forecast ? [run('Anomalies', 'anomalies'), run('Forecast', 'forecast')] : []),
    ...(extras.costModel ? [run('Cost model', 'model')] : []),
    ...(extras.carbon ? [run('Carbon', 'carbon')] : []),
  ];
}

/**
 * The digest at a glance: the headline, the KPIs, the waterfall, the top five contributors with
 * drill-downs, what needs attention, the trend, one line each for carbon and unit cost, then
 * buttons for the rest (everything else is one click away, in the thread).
 */
export function buildDigestReport(r: DriversResult, opts: { source: string; extras?: DigestExtras }): Report {
  const extras = opts.extras ?? {};
  const headline = varianceSection(r);
  return {
    kind: 'digest',
    title: 'Weekly cloud spend digest',
    period: periodLine(r, opts.source),
    kpis: varianceKpis(r),
    sections: [
      { ...headline, title: '' },
      waterfallSection(r, { facts: false }),
      contributorsSection(r, { drill: 5, chart: true }),
      withChart(attentionSection(r, extras.attention), extras.anomalyChart),
      ...(extras.shared ? [extras.shared] : []),
      ...(extras.forecast ? [extras.forecast] : []),
      trendSection(r),
      ...(extras.carbon ? [extras.carbon] : []),
      ...(extras.costModel ? [extras.costModel] : []),
      { id: 'more', title: 'More', blocks: [{ type: 'actions', actions: moreActions(extras) }] },
    ],
    footnotes: driversFootnotes(r),
  };
}

const withChart = (s: ReportSection, chart: ChartRef | null | undefined): ReportSection =>
  chart ? { ...s, blocks: [...s.blocks, { type: 'chart', chart }] } : s;

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
  req: {
    source: SourceSpec;
    today: string;
    basis: 'actual' | 'amortized' | 'net';
    teamTag: string;
    /** Budgets beyond SPENDBRIEF_BUDGETS (a channel's own, set in chat). */
    budgets?: Budget[];
    /** A showback rules file: the week's shared cost (a scoped channel's share of it) as a line. */
    showbackRules?: string;
  } & Scoped,
): Promise<ReportOutput> {
  return withSession(deps, req.source, { today: req.today, purpose: 'report' }, async (s) => {
    const r = await loadDrivers(s.warehouse, {
      ...DIGEST_WINDOW,
      basis: req.basis,
      teamTag: req.teamTag,
      today: req.today,
      fxRates: deps.config.SPENDBRIEF_FX_RATES,
      where: req.where,
      bound: req.bound,
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
          where: req.where,
        });
        extras.costModel = unitCostSection(m.model, String(m.json.currency));
      } catch (e) {
        deps.log(`digest: cost model unavailable: ${describeError(e)}`);
        extras.costModel = unavailable('costModel', 'Unit economics', 'The cost model', e);
      }
    }
    try {
      const budgets = [...(await configuredBudgets(deps.config)), ...(req.budgets ?? [])];
      const summary = await loadAlertsSummary(s.warehouse, {
        today: req.today,
        basis: req.basis,
        teamTag: req.teamTag,
        budgets,
        demo: req.source.kind === 'demo' && !req.where?.length,
        where: req.where,
        bound: req.bound,
      });
      extras.attention = attentionLines(summary);
      extras.forecast = forecastSection(summary);
      extras.anomalyChart = summary.chart;
    } catch (e) {
      deps.log(`digest: alerts unavailable: ${describeError(e)}`);
      extras.forecast = unavailable('forecast', 'Forecast', 'The forecast', e);
    }
    const instances = configuredInstances(deps.config, req.source);
    if (instances) {
      try {
        const [week, before] = await loadCarbonWindows(
          s.warehouse,
          deps.carbon,
          {
            instances,
            today: req.today,
            basis: 'amortized',
            days: 7,
            teamTag: req.teamTag,
            where: req.where,
          },
          [0, 7],
        );
        extras.carbon = carbonDigestSection(week!, before!);
      } catch (e) {
        deps.log(`digest: carbon unavailable: ${describeError(e)}`);
        extras.carbon = unavailable('carbon', 'Carbon', 'The carbon footprint', e);
      }
    }
    if (req.showbackRules) {
      try {
        const { rules, by } = await showbackRules(req.showbackRules);
        const d = await loadShowback(s.warehouse, {
          window: { kind: 'custom', range: r.window.current },
          by: by ?? 'team',
          rules,
          basis: req.basis,
          teamTag: req.teamTag,
          today: req.today,
          fxRates: deps.config.SPENDBRIEF_FX_RATES,
          where: req.where,
          bound: req.bound,
        });
        extras.shared = sharedCostSection(d);
      } catch (e) {
        deps.log(`digest: shared cost unavailable: ${describeError(e)}`);
        extras.shared = unavailable('shared', 'Shared cost', 'The shared cost split', e);
      }
    }
    const report = buildDigestReport(r, { source: s.label, extras });
    report.scope = scopeLine(req.where);
    report.footnotes.push(...s.notes);
    return { report, json: { ...r, scope: scopeJson(req.where) } };
  });
}
