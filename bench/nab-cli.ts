/**
 * NAB's 19 series as a user would run them: each written as a FOCUS CSV file (one row a day), then
 * `spendbrief anomalies --source focus:<file> --by total --days all --sensitivity medium --format
 * json` one-off, in its own process as a user's shell would start it. The detections the CLI prints
 * are scored with NAB's standard profile; the time is every run's, start-up included.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { addDays, daysBetween } from '../src/analytics/alerts/series.js';
import { BIN } from '../test/helpers/serve-process.js';
import type { LabelledSeries } from './detectors.js';
import { nabScore } from './nab-score.js';

const START = '2020-01-01';

export interface NabCliResult {
  series: number;
  score: number;
  found: number;
  windows: number;
  falsePer1000Days: number;
  /** Every run, start to exit. */
  totalMs: number;
  slowestMs: number;
}

function focusCsv(y: number[]): string {
  const rows = [
    'ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,ServiceName,SubAccountId,RegionId,ChargeCategory,BillingCurrency,ProviderName',
  ];
  y.forEach((v, i) => {
    const day = addDays(START, i);
    rows.push(
      `${day}T00:00:00Z,${addDays(day, 1)}T00:00:00Z,${v},${v},Series,000000000000,region-1,Usage,USD,NAB`,
    );
  });
  return `${rows.join('\n')}\n`;
}

export async function measureNabCli(data: LabelledSeries[]): Promise<NabCliResult> {
  const dir = mkdtempSync(join(tmpdir(), 'spendbrief-nab-'));
  const bin = BIN;
  let totalMs = 0;
  let slowestMs = 0;
  let found = 0;
  let falseAlerts = 0;
  const scored = [];
  for (const s of data) {
    const file = join(dir, `${s.name}.csv`);
    writeFileSync(file, focusCsv(s.y));
    const today = addDays(START, s.y.length);
    const t = performance.now();
    const { stdout } = await promisify(execFile)(
      'node',
      [
        bin,
        'anomalies',
        '--source',
        `focus:${file}`,
        '--by',
        'total',
        '--days',
        'all',
        '--sensitivity',
        'medium',
        '--today',
        today,
        '--format',
        'json',
      ],
      { env: { ...process.env, SPENDBRIEF_DB: join(dir, 'none.duckdb') }, maxBuffer: 1 << 26 },
    );
    const ms = performance.now() - t;
    totalMs += ms;
    slowestMs = Math.max(slowestMs, ms);
    const starts = (JSON.parse(stdout).anomalies as { day: string }[]).map((a) => daysBetween(START, a.day));
    for (const [a, b] of s.windows) if (starts.some((x) => x >= a && x <= b)) found += 1;
    falseAlerts += starts.filter((x) => !s.windows.some(([a, b]) => x >= a && x <= b)).length;
    scored.push({ length: s.y.length, windows: s.windows, detections: starts });
  }
  const days = data.reduce((n, d) => n + d.y.length, 0);
  return {
    series: data.length,
    score: nabScore(scored).score,
    found,
    windows: data.reduce((n, d) => n + d.windows.length, 0),
    falsePer1000Days: (falseAlerts / days) * 1000,
    totalMs,
    slowestMs,
  };
}
