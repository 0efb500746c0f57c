/**
 * The cost model's inputs: daily cost from the run's warehouse session, business metrics from
 * Prometheus, a CSV or the demo (clients built once by the composition root).
 */
import { DateTime } from 'luxon';
import { chooseReportCurrency } from '../../analytics/periods/windows.js';
import type { Exclusion } from '../../analytics/regression/cost-model.js';
import type { Basis } from '../../analytics/types.js';
import type { CostWarehouse } from '../../integrations/warehouse/port.js';
import { type ReportDeps, type ReportOutput, withSession } from '../deps.js';
import { noLineMatches, type Scoped, scopeJson, scopeLine } from '../scope.js';
import type { SourceSpec } from '../source.js';
import type { MetricsSource, MetricsSpec } from './metrics-source.js';
import { buildModel, type ModelOutput } from './model.js';

export { parseExcludeDates, parseMetricsSpec } from './options.js';

export interface ModelRequest extends Scoped {
  metrics: MetricsSpec;
  features?: string[];
  outliers: 'auto' | 'none';
  excludeDates: Exclusion[];
  basis: Basis;
  excludeServices: string[];
  teamTag: string;
  today: string;
  /** Days of history (default 365). */
  days?: number;
  /** Where the costs came from, for the period line. */
  costsLabel: string;
}

export async function loadModel(
  warehouse: CostWarehouse,
  metricsSource: MetricsSource,
  req: ModelRequest,
): Promise<ModelOutput> {
  const end = DateTime.fromISO(req.today, { zone: 'utc' }).minus({ days: 1 });
  const start = end.minus({ days: (req.days ?? 365) - 1 });
  const range = { start: start.toISODate()!, end: end.toISODate()! };
  const rows = (
    await warehouse.daySummary({
      basis: req.basis,
      today: range.end,
      teamTag: req.teamTag,
      excludeServices: req.excludeServices,
      where: req.where,
    })
  ).filter((r) => r.day >= range.start && r.day <= range.end);
  if (req.where?.length && rows.length === 0)
    throw await noLineMatches(warehouse, req, { today: range.end, basis: req.basis, teamTag: req.teamTag });
  const perCurrency = new Map<string, number>();
  for (const r of rows) perCurrency.set(r.currency, (perCurrency.get(r.currency) ?? 0) + r.spend);
  const currency = chooseReportCurrency([...perCurrency].map(([c, spend]) => ({ currency: c, spend })));
  const perDay = new Map<string, number>();
  for (const r of rows) if (r.currency === currency) perDay.set(r.day, (perDay.get(r.day) ?? 0) + r.spend);
  const costs = [...perDay].map(([day, spend]) => ({ day, spend })).sort((a, b) => (a.day < b.day ? -1 : 1));
  const first = costs[0]?.day ?? range.start;
  const last = costs.at(-1)?.day ?? range.end;
  const metrics = await metricsSource.load(req.metrics, first, last, req.features);
  return buildModel({
    dailyCosts: costs,
    metrics,
    features: req.features,
    outliers: req.outliers,
    excludeDates: req.excludeDates,
    currency,
    sources: `${req.basis} cost from ${req.costsLabel}${req.excludeServices.length ? ` without ${req.excludeServices.join(', ')}` : ''}; metrics from ${req.metrics.kind === 'csv' ? req.metrics.path : req.metrics.kind}`,
  });
}

/** `spendbrief model` and `/spend model`. */
export async function runModel(
  deps: ReportDeps,
  req: Omit<ModelRequest, 'costsLabel'> & { costs: SourceSpec },
): Promise<ReportOutput> {
  return withSession(deps, req.costs, { today: req.today, purpose: 'report' }, async (s) => {
    const out = await loadModel(s.warehouse, deps.metrics, { ...req, costsLabel: s.label });
    out.report.scope = scopeLine(req.where);
    return { report: out.report, json: { ...out.json, scope: scopeJson(req.where) }, files: out.files };
  });
}
