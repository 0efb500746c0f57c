/** The Prometheus adapter against a real Prometheus with a year of backfilled demo metrics. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_METRIC_NAMES,
  demoMetrics,
  toOpenMetrics,
} from '../../../src/integrations/demo-metrics/generate.js';
import { PrometheusClient } from '../../../src/integrations/prometheus/client.js';
import { freePort, LocalPrometheus, requirePrometheus } from '../../helpers/prometheus.js';

const run = requirePrometheus();
const range = { start: '2025-11-24', end: '2026-11-23' };
const metrics = demoMetrics(range);
let prom: LocalPrometheus;

describe.runIf(run)('PrometheusClient against a real Prometheus', () => {
  beforeAll(async () => {
    prom = await new LocalPrometheus().start(toOpenMetrics(metrics));
  }, 120_000);
  afterAll(() => prom?.stop());

  it('reads a year of daily values per feature, keyed by UTC date, equal to what was written', async () => {
    const client = new PrometheusClient({ baseUrl: prom.url });
    const got = await client.metrics(
      { transactions: DEMO_METRIC_NAMES.transactions, customers: DEMO_METRIC_NAMES.customers },
      range.start,
      range.end,
    );
    expect(got.features).toEqual(['transactions', 'customers']);
    expect(got.days.size).toBe(365);
    for (const day of ['2025-11-24', '2026-03-01', '2026-11-23'])
      expect(got.days.get(day)).toEqual(metrics.days.get(day));
  });

  it('spendbrief model --costs demo --metrics prometheus prints the fit and writes the four files', async () => {
    const out = mkdtempSync(join(tmpdir(), 'spendbrief-model-'));
    const env = {
      ...process.env,
      PROMETHEUS_URL: prom.url,
      SPENDBRIEF_QUERY_TRANSACTIONS: DEMO_METRIC_NAMES.transactions,
      SPENDBRIEF_QUERY_CUSTOMERS: DEMO_METRIC_NAMES.customers,
    };
    const bin = join(import.meta.dirname, '../../../dist/cli/main.js');
    const { stdout } = await promisify(execFile)(
      'node',
      [
        bin,
        'model',
        '--costs',
        'demo',
        '--metrics',
        'prometheus',
        '--today',
        '2026-11-24',
        '--format',
        'json',
        '--out',
        out,
      ],
      { env },
    );
    const json = JSON.parse(stdout);
    expect(json.fit.coefficients.map((c: { name: string }) => c.name)).toEqual([
      'intercept',
      'transactions',
      'customers',
    ]);
    expect(json.fit.n + json.excluded.length).toBe(150);
    expect(json.fit.rSquared).toBeGreaterThan(0.8);
    for (const f of [
      'cost_analysis.csv',
      'regression_results.txt',
      'summary_statistics.txt',
      'cost_analysis_dashboard.png',
    ])
      expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'cost_analysis.csv'), 'utf8').split('\n')[0]).toBe(
      'date,cost,transactions,customers,predicted_cost,residual,excluded_reason',
    );
  }, 60_000);

  it("a bad query gives Prometheus's own error text", async () => {
    const client = new PrometheusClient({ baseUrl: prom.url });
    await expect(client.daily('sum(rate(', range.start, range.end)).rejects.toThrow(
      /Prometheus rejected the query "sum\(rate\(": .*parse error/,
    );
  });

  it('an empty result names the query and the range', async () => {
    const client = new PrometheusClient({ baseUrl: prom.url });
    await expect(client.daily('no_such_metric', range.start, range.end)).rejects.toThrow(
      'Prometheus returned no samples for "no_such_metric" between 2025-11-24 and 2026-11-23',
    );
  });
});

describe('PrometheusClient errors without a server', () => {
  it('an unreachable server says so and names the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const client = new PrometheusClient({ baseUrl: url, retries: 1 });
    await expect(client.daily('up', range.start, range.end)).rejects.toThrow(
      `Prometheus at ${url} cannot be reached`,
    );
  });
});
