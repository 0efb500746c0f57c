/** Where the cost model's two inputs come from: daily cost from a warehouse, metrics from a source. */
import { DateTime } from 'luxon';
import { chooseReportCurrency } from '../analytics/periods/windows.js';
import type { Exclusion } from '../analytics/regression/cost-model.js';
import type { Basis } from '../analytics/types.js';
import { badInput } from '../errors.js';
import { demoMetrics } from '../integrations/demo-metrics/generate.js';
import type { MetricsByDay } from '../integrations/metrics.js';
import { readMetricsCsv } from '../integrations/metrics-csv/read.js';
import { PrometheusClient, prometheusQueries } from '../integrations/prometheus/client.js';
import { DuckDb } from '../integrations/warehouse/duckdb.js';
import { buildModel, type ModelOutput } from './model.js';
import { type SourceContext, withWarehouse } from './open-source.js';
import { describeSource, type SourceSpec } from './source.js';

export type MetricsSpec = { kind: 'prometheus' } | { kind: 'demo' } | { kind: 'csv'; path: string };

export function parseMetricsSpec(text: string): MetricsSpec {
  if (text === 'prometheus') return { kind: 'prometheus' };
  if (text === 'demo') return { kind: 'demo' };
  if (text.toLowerCase().endsWith('.csv')) return { kind: 'csv', path: text };
  throw badInput(
    `metrics "${text}" is not one of: prometheus (PROMETHEUS_URL), demo, or a CSV file path (date + numeric columns)`,
  );
}

/** `2025-05-01` or `2025-05-01=billing correction`, comma-separated. */
export function parseExcludeDates(text: string): Exclusion[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const [date, ...reason] = item.split('=');
      if (!DateTime.fromISO(date!, { zone: 'utc' }).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(date!))
        throw badInput(`exclude date "${item}" is not YYYY-MM-DD or YYYY-MM-DD=reason`);
      return { date: date!, reason: reason.join('=') || 'excluded by configuration' };
    });
}

export interface ModelRequest {
  costs: SourceSpec;
  metrics: MetricsSpec;
  features?: string[];
  outliers: 'auto' | 'none';
  excludeDates: Exclusion[];
  basis: Basis;
  excludeServices: string[];
  today: string;
  /** Days of history (default 365). */
  days?: number;
}

async function loadMetrics(
  spec: MetricsSpec,
  env: NodeJS.ProcessEnv,
  start: string,
  end: string,
  features?: string[],
): Promise<MetricsByDay> {
  if (spec.kind === 'demo') return demoMetrics({ start, end });
  if (spec.kind === 'csv') {
    const db = await DuckDb.open();
    try {
      return await readMetricsCsv(db, spec.path, features);
    } finally {
      db.close();
    }
  }
  if (!env.PROMETHEUS_URL)
    throw badInput('--metrics prometheus needs PROMETHEUS_URL (for example http://localhost:9090)');
  const client = new PrometheusClient({
    baseUrl: env.PROMETHEUS_URL,
    bearerToken: env.PROMETHEUS_TOKEN || undefined,
  });
  const all = prometheusQueries(env);
  const queries = features?.length ? Object.fromEntries(features.map((f) => [f, all[f] ?? f])) : all;
  return client.metrics(queries, start, end);
}

export async function loadModel(
  req: ModelRequest,
  ctx: Omit<SourceContext, 'today' | 'windows'>,
): Promise<ModelOutput> {
  const end = DateTime.fromISO(req.today, { zone: 'utc' }).minus({ days: 1 });
  const start = end.minus({ days: (req.days ?? 365) - 1 });
  const range = { start: start.toISODate()!, end: end.toISODate()! };
  return withWarehouse(
    req.costs,
    { ...ctx, today: req.today, windows: { window: { kind: 'custom', range }, compare: { kind: 'none' } } },
    async (w) => {
      const rows = (
        await w.dailyCost({ basis: req.basis, excludeServices: req.excludeServices, today: req.today })
      ).filter((r) => r.day >= range.start && r.day <= range.end);
      const perCurrency = new Map<string, number>();
      for (const r of rows) perCurrency.set(r.currency, (perCurrency.get(r.currency) ?? 0) + r.spend);
      const currency = chooseReportCurrency([...perCurrency].map(([c, spend]) => ({ currency: c, spend })));
      const costs = rows.filter((r) => r.currency === currency).map((r) => ({ day: r.day, spend: r.spend }));
      const first = costs[0]?.day ?? range.start;
      const last = costs.at(-1)?.day ?? range.end;
      const metrics = await loadMetrics(req.metrics, ctx.env, first, last, req.features);
      return buildModel({
        dailyCosts: costs,
        metrics,
        features: req.features,
        outliers: req.outliers,
        excludeDates: req.excludeDates,
        currency,
        sources: `${req.basis} cost from ${describeSource(req.costs)}${req.excludeServices.length ? ` without ${req.excludeServices.join(', ')}` : ''}; metrics from ${req.metrics.kind === 'csv' ? req.metrics.path : req.metrics.kind}`,
      });
    },
  );
}
