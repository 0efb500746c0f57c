/**
 * How good the alerts are, on data nobody here made (../shared/data/timeseries, read where it is,
 * never copied) and on the demo:
 *
 *   forecast   M4 Daily pool: the 14-day forecast of every series against its official test
 *              points; mean MASE (M4's daily scale) of spendbrief's forecast (the method the
 *              backtest chose), of naive and of seasonal naive; the 80 % interval's coverage
 *   anomalies  NAB's labelled series read as days (point i = day i, median scaled to 1,000 a day):
 *              every day judged on the days before it; recall of labelled windows (a window is
 *              found when an anomaly starts inside it) and false alerts per 1,000 days (anomalies
 *              starting outside every window), against a rolling mean and standard deviation
 *              detector (28 days, 3 sigma) at the same materiality
 *   demo       injected anomalies of known size on the demo's total: found, and at what score
 *   speed      anomalies over 200 scopes x 365 days; a forecast for 200 scopes
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectAnomalies, MIN_HISTORY_DAYS } from '../src/analytics/alerts/anomalies.js';
import {
  type ForecastModel,
  forecastSeries,
  m4Scale,
  naive,
  seasonalNaive,
} from '../src/analytics/alerts/forecast.js';
import { addDays, type DailySeries } from '../src/analytics/alerts/series.js';
import { mean } from '../src/analytics/alerts/stats.js';
import { forecastAll } from '../src/integrations/augurs/forecast-pool.js';
import { augursModel } from '../src/integrations/augurs/model.js';

const SHARED = [
  process.env.SPENDBRIEF_SHARED_DATA,
  join(import.meta.dirname, '../../../shared/data'),
  '/work/shared/data',
].find((p): p is string => !!p && existsSync(join(p, 'timeseries')));

const gunzip = (file: string) =>
  execFileSync('gzip', ['-dc', file], { encoding: 'utf8', maxBuffer: 1 << 28 });

export interface ForecastQuality {
  series: number;
  mase: { spendbrief: number; naive: number; seasonalNaive: number };
  improvementOverNaivePercent: number;
  coverage80Percent: number;
  chosen: Record<string, number>;
  ms: number;
}

function m4Series(): { id: string; train: number[]; test: number[] }[] {
  const out = new Map<string, { id: string; train: number[]; test: number[] }>();
  const lines = gunzip(join(SHARED!, 'timeseries/m4-daily/pool.csv.gz')).trim().split('\n').slice(1);
  for (const line of lines) {
    const [id, split, i, value] = line.split(',');
    const s = out.get(id!) ?? { id: id!, train: [], test: [] };
    (split === 'train' ? s.train : s.test)[Number(i)] = Number(value);
    out.set(id!, s);
  }
  return [...out.values()];
}

/** The 14-day forecast of each (train, test) pair against naive and seasonal naive: mean MASE, coverage. */
async function scoreForecasts(pairs: { train: number[]; test: number[] }[]): Promise<ForecastQuality> {
  const model = await augursModel();
  const t = performance.now();
  const mase = { spendbrief: [] as number[], naive: [] as number[], seasonalNaive: [] as number[] };
  let covered = 0;
  let points = 0;
  const chosen: Record<string, number> = {};
  for (const { train, test } of pairs) {
    const scale = m4Scale(train);
    if (scale === 0) continue;
    const score = (p: number[]) => mean(test.map((v, i) => Math.abs(v - p[i]!))) / scale;
    const f = forecastSeries(train, test.length, model);
    chosen[f.backtest.chosen] = (chosen[f.backtest.chosen] ?? 0) + 1;
    mase.spendbrief.push(score(f.prediction.point));
    mase.naive.push(score(naive(train, test.length).point));
    mase.seasonalNaive.push(score(seasonalNaive(train, test.length).point));
    test.forEach((v, i) => {
      points += 1;
      if (v >= f.prediction.lower80[i]! && v <= f.prediction.upper80[i]!) covered += 1;
    });
  }
  const m = {
    spendbrief: mean(mase.spendbrief),
    naive: mean(mase.naive),
    seasonalNaive: mean(mase.seasonalNaive),
  };
  return {
    series: mase.spendbrief.length,
    mase: m,
    improvementOverNaivePercent: (1 - m.spendbrief / m.naive) * 100,
    coverage80Percent: points ? (covered / points) * 100 : 0,
    chosen,
    ms: performance.now() - t,
  };
}

/** M4 Daily: every series' forecast against its official 14 test points. */
export async function forecastQuality(limit = Number.POSITIVE_INFINITY): Promise<ForecastQuality | null> {
  if (!SHARED) return null;
  return scoreForecasts(m4Series().slice(0, limit));
}

/** A 14-day holdout of the demo's daily total and services. */
export async function demoForecastQuality(series: DailySeries[]): Promise<ForecastQuality> {
  return scoreForecasts(
    series
      .filter((s) => s.values.length >= 60)
      .map((s) => ({ train: s.values.slice(0, -14), test: s.values.slice(-14) })),
  );
}

export interface DetectionQuality {
  series: number;
  days: number;
  windows: number;
  spendbrief: { found: number; recallPercent: number; falseAlerts: number; falsePer1000Days: number };
  baseline: { found: number; recallPercent: number; falseAlerts: number; falsePer1000Days: number };
}

/** A rolling mean and standard deviation detector: 28 days, 3 sigma, the same materiality. */
function baselineDetector(y: number[], minImpact: (t: number) => number): number[] {
  const starts: number[] = [];
  let inRun = false;
  for (let t = MIN_HISTORY_DAYS; t < y.length; t++) {
    const h = y.slice(Math.max(0, t - 28), t);
    const m = mean(h);
    const sd = Math.sqrt(mean(h.map((x) => (x - m) ** 2)));
    const hit =
      Math.abs(y[t]! - m) > 3 * Math.max(sd, 0.02 * Math.abs(m)) &&
      Math.abs(y[t]! - m) >= minImpact(t) &&
      (m === 0 || Math.abs(y[t]! - m) / Math.abs(m) >= 0.2);
    if (hit && !inRun) starts.push(t);
    inRun = hit;
  }
  return starts;
}

export function detectionQuality(): DetectionQuality | null {
  if (!SHARED) return null;
  const dir = join(SHARED, 'timeseries/nab');
  const windowsAll = JSON.parse(readFileSync(join(dir, 'windows.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  const result: DetectionQuality = {
    series: 0,
    days: 0,
    windows: 0,
    spendbrief: { found: 0, recallPercent: 0, falseAlerts: 0, falsePer1000Days: 0 },
    baseline: { found: 0, recallPercent: 0, falseAlerts: 0, falsePer1000Days: 0 },
  };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.csv.gz'))) {
    const rows = gunzip(join(dir, file))
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(','));
    const stamps = rows.map((r) => r[0]!);
    const raw = rows.map((r) => Number(r[1]));
    const sorted = [...raw].sort((a, b) => a - b);
    let med = sorted[Math.floor(sorted.length / 2)]!;
    if (med === 0) med = mean(raw.filter((v) => v !== 0)) || 1;
    const y = raw.map((v) => (v / med) * 1000);
    const key = Object.keys(windowsAll).find((k) =>
      k.endsWith(file.split('__')[1]!.replace('.csv.gz', '.csv')),
    )!;
    // Windows as day indices.
    const windows = (windowsAll[key] ?? []).map(([a, b]) => {
      const from = stamps.findIndex((s) => s >= a.slice(0, 19));
      let to = stamps.findIndex((s) => s > b.slice(0, 19));
      if (to < 0) to = stamps.length;
      return [from, to - 1] as [number, number];
    });
    const start = '2020-01-01';
    const series: DailySeries = { key: 'total', start, values: y };
    const last = addDays(start, y.length - 1);
    const found = detectAnomalies([series], {
      sensitivity: 'medium',
      from: addDays(start, MIN_HISTORY_DAYS),
      to: last,
      latestDataDay: last,
      total: series,
    }).anomalies.map((a) => Math.round((Date.parse(a.day) - Date.parse(start)) / 86_400_000));
    const avg = (t: number) => Math.max(10, 0.005 * Math.abs(mean(y.slice(0, t))));
    const base = baselineDetector(y, avg);
    const score = (starts: number[], into: DetectionQuality['spendbrief']) => {
      for (const [a, b] of windows) if (starts.some((s) => s >= a && s <= b)) into.found += 1;
      into.falseAlerts += starts.filter((s) => !windows.some(([a, b]) => s >= a && s <= b)).length;
    };
    score(found, result.spendbrief);
    score(base, result.baseline);
    result.series += 1;
    result.days += y.length;
    result.windows += windows.length;
  }
  for (const r of [result.spendbrief, result.baseline]) {
    r.recallPercent = (r.found / result.windows) * 100;
    r.falsePer1000Days = (r.falseAlerts / result.days) * 1000;
  }
  return result;
}

/**
 * Spikes and drops of known size injected one at a time into the demo's daily total (weekly
 * pattern, growth, the story's last week): found by spendbrief and by the baseline, and the false
 * alerts of each over the clean series' last 120 days.
 */
export function injectedQuality(total: DailySeries) {
  const sizes = [-60, -40, -25, 25, 40, 60, 100, 200];
  const cases: { percent: number; day: string; spendbrief: boolean; baseline: boolean }[] = [];
  const latest = addDays(total.start, total.values.length - 1);
  sizes.forEach((percent, k) => {
    // Weekdays and weekends alike, before the story's week.
    const t = total.values.length - 12 - k * 9;
    const values = [...total.values];
    values[t] = values[t]! * (1 + percent / 100);
    const s: DailySeries = { ...total, values };
    const day = addDays(total.start, t);
    const r = detectAnomalies([s], {
      sensitivity: 'medium',
      from: day,
      to: day,
      latestDataDay: latest,
      total: s,
    });
    const avg = (x: number) => Math.max(10, 0.005 * Math.abs(mean(values.slice(0, x))));
    cases.push({
      percent,
      day,
      spendbrief: r.anomalies.length > 0,
      baseline: baselineDetector(values.slice(0, t + 1), avg).includes(t),
    });
  });
  const from = total.values.length - 120;
  const clean = detectAnomalies([total], {
    sensitivity: 'medium',
    from: addDays(total.start, from),
    to: addDays(total.start, total.values.length - 8),
    latestDataDay: latest,
    total,
  });
  const avg = (x: number) => Math.max(10, 0.005 * Math.abs(mean(total.values.slice(0, x))));
  const baseFalse = baselineDetector(total.values.slice(0, total.values.length - 7), avg).filter(
    (t) => t >= from,
  ).length;
  return {
    injected: sizes.length,
    spendbrief: {
      found: cases.filter((c) => c.spendbrief).length,
      falseAlertsIn113Days: clean.anomalies.length,
    },
    baseline: { found: cases.filter((c) => c.baseline).length, falseAlertsIn113Days: baseFalse },
    cases,
  };
}

export async function alertsSpeed(): Promise<{
  anomaliesMs: number;
  forecastMs: number;
  forecastOneThreadMs: number;
  scopes: number;
  days: number;
}> {
  const model: ForecastModel = await augursModel();
  let seed = 7;
  const rand = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const scopes = Array.from(
    { length: 200 },
    (_, k): DailySeries => ({
      key: `scope-${k}`,
      start: '2025-11-24',
      values: Array.from(
        { length: 365 },
        (_, i) => (50 + k) * (1 + 0.001 * i) * (i % 7 >= 5 ? 0.8 : 1) * (0.9 + 0.2 * rand()),
      ),
    }),
  );
  const total: DailySeries = {
    key: 'total',
    start: '2025-11-24',
    values: scopes[0]!.values.map((_, i) => scopes.reduce((s, x) => s + x.values[i]!, 0)),
  };
  let t = performance.now();
  detectAnomalies(scopes, {
    sensitivity: 'medium',
    from: addDays('2025-11-24', 7),
    to: addDays('2025-11-24', 364),
    latestDataDay: addDays('2025-11-24', 364),
    total,
  });
  const anomaliesMs = performance.now() - t;
  t = performance.now();
  await forecastAll(
    scopes.map((s) => s.values),
    30,
  );
  const forecastMs = performance.now() - t;
  t = performance.now();
  for (const s of scopes) forecastSeries(s.values, 30, model);
  return { anomaliesMs, forecastMs, forecastOneThreadMs: performance.now() - t, scopes: 200, days: 365 };
}
