/**
 * Business metrics for the cost model, from where the configuration says: Prometheus, a CSV file or
 * the demo (the Prometheus client is built once, at the composition root).
 */

import type { Config } from '../../config.js';
import { badInput, CodedError, ErrorCode } from '../../errors.js';
import { demoMetrics } from '../../integrations/demo-metrics/generate.js';
import type { MetricsByDay } from '../../integrations/metrics.js';
import { readMetricsCsv } from '../../integrations/metrics-csv/read.js';
import { type PrometheusClient, prometheusQueries } from '../../integrations/prometheus/client.js';
import { DuckDb } from '../../integrations/warehouse/duckdb.js';
import type { SourceSpec } from '../source.js';

export type MetricsSpec = { kind: 'prometheus' } | { kind: 'demo' } | { kind: 'csv'; path: string };

export function parseMetricsSpec(text: string): MetricsSpec {
  if (text === 'prometheus') return { kind: 'prometheus' };
  if (text === 'demo') return { kind: 'demo' };
  if (text.toLowerCase().endsWith('.csv')) return { kind: 'csv', path: text };
  throw badInput(
    `metrics "${text}" is not one of: prometheus (PROMETHEUS_URL), demo, or a CSV file path (date + numeric columns)`,
  );
}

/** Business metrics from where the configuration says (built at the composition root). */
export class MetricsSource {
  constructor(
    private readonly o: {
      prometheus: PrometheusClient | null;
      promQueries: Record<string, string>;
      memoryLimit?: string;
    },
  ) {}

  async load(spec: MetricsSpec, start: string, end: string, features?: string[]): Promise<MetricsByDay> {
    if (spec.kind === 'demo') return demoMetrics({ start, end });
    if (spec.kind === 'csv') {
      const db = await DuckDb.open(':memory:', { memoryLimit: this.o.memoryLimit });
      try {
        return await readMetricsCsv(db, spec.path, features);
      } finally {
        db.close();
      }
    }
    if (!this.o.prometheus)
      throw new CodedError(
        ErrorCode.Config,
        '--metrics prometheus needs PROMETHEUS_URL (for example http://localhost:9090)',
      );
    const all = prometheusQueries(this.o.promQueries);
    const queries = features?.length ? Object.fromEntries(features.map((f) => [f, all[f] ?? f])) : all;
    return this.o.prometheus.metrics(queries, start, end);
  }
}

/** Business metrics for the cost model: Prometheus, a CSV, or the demo's own metrics for demo data. */
export function configuredMetrics(config: Config, source: SourceSpec): MetricsSpec | undefined {
  if (config.PROMETHEUS_URL) return { kind: 'prometheus' };
  if (config.SPENDBRIEF_METRICS_CSV) return { kind: 'csv', path: config.SPENDBRIEF_METRICS_CSV };
  return source.kind === 'demo' ? { kind: 'demo' } : undefined;
}
