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
import { join } from 'node:path';
import { detectAnomalies, MIN_HISTORY_DAYS, minImpactOf } from '../src/analytics/alerts/anomalies.js';
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
import {
  type Detector,
  type GeneratedResult,
  type NabResult,
  nabSeries,
  optimiseGaussian,
  rolling28,
  SHARED,
  scoreOnGenerated,
  scoreOnNab,
  spendbriefDetector,
  windowedGaussian,
} from './detectors.js';
import type { NabCliResult } from './nab-cli.js';

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

/**
 * A 14-day holdout of the demo's daily total and services, ending where the story's last week
 * starts: that week's new service, price change and spike are breaks no forecast can see coming.
 */
export async function demoForecastQuality(series: DailySeries[]): Promise<ForecastQuality> {
  return scoreForecasts(
    series
      .filter((s) => s.values.length >= 60 + STORY_DAYS)
      .map((s) => ({
        train: s.values.slice(0, -14 - STORY_DAYS),
        test: s.values.slice(-14 - STORY_DAYS, -STORY_DAYS),
      })),
  );
}
const STORY_DAYS = 7;

export interface DetectorRow {
  detector: string;
  nab: NabResult | null;
  /** Generated companies, seeds 1..8 (the seeds the method was built on). */
  generated: GeneratedResult;
  /** Seeds 101..120, never looked at while building it. */
  heldOut: GeneratedResult;
}

/**
 * Every detector on NAB (NAB's standard-profile score, windows, false alerts per 1,000 days) and on
 * generated companies (recall, false alerts per 1,000 service-days, delay): spendbrief at each
 * sensitivity through the product's own path, NAB's windowed Gaussian and a rolling 28-day one.
 */
export function detectionQuality(): DetectorRow[] {
  const nab = nabSeries();
  const tuned = [1, 2, 3, 4, 5, 6, 7, 8];
  const held = Array.from({ length: 20 }, (_, i) => 101 + i);
  // NAB's baseline at the threshold NAB's optimizer would give it on these series (each point a
  // detection, as NAB counts); on the generated companies one alert per run at that threshold.
  const gaussian = nab ? optimiseGaussian(nab) : null;
  const threshold = gaussian?.threshold ?? 1 - 1e-4;
  const detectors: [string, Detector, NabResult | null][] = [
    ['spendbrief high (3)', spendbriefDetector('high'), null],
    ['spendbrief medium (4), the default', spendbriefDetector('medium'), null],
    ['spendbrief low (6)', spendbriefDetector('low'), null],
    [
      `NAB's windowed Gaussian (threshold ${threshold === 1 ? '1' : `1 - ${(1 - threshold).toExponential(0)}`}, NAB-optimised)`,
      windowedGaussian(threshold),
      gaussian?.result ?? null,
    ],
    ['rolling 28 days, 3 sigma, same materiality', rolling28(3), null],
  ];
  return detectors.map(([detector, detect, nabResult]) => ({
    detector,
    nab: nabResult ?? (nab ? scoreOnNab(nab, detect) : null),
    generated: scoreOnGenerated(tuned, detect),
    heldOut: scoreOnGenerated(held, detect),
  }));
}

/** A rolling mean and standard deviation detector: 28 days, k sigma, the same materiality. */
function baselineDetector(y: number[], minImpact: (t: number) => number, k = 3): number[] {
  const starts: number[] = [];
  let inRun = false;
  for (let t = MIN_HISTORY_DAYS; t < y.length; t++) {
    const h = y.slice(Math.max(0, t - 28), t);
    const m = mean(h);
    const sd = Math.sqrt(mean(h.map((x) => (x - m) ** 2)));
    const hit =
      Math.abs(y[t]! - m) > k * Math.max(sd, 0.02 * Math.abs(m)) &&
      Math.abs(y[t]! - m) >= minImpact(t) &&
      (m === 0 || Math.abs(y[t]! - m) / Math.abs(m) >= 0.2);
    if (hit && !inRun) starts.push(t);
    inRun = hit;
  }
  return starts;
}

/**
 * Spikes and drops of known size injected one at a time into the demo's daily total (weekly
 * pattern, growth, the story's last week): found by spendbrief and by the baseline, and the false
 * alerts of each on the clean series' 113 days before the story's week (its last 120 less 7).
 */
export function injectedQuality(total: DailySeries) {
  const sizes = [-60, -40, -25, 25, 40, 60, 100, 200];
  const cases: {
    percent: number;
    afterSpike: boolean;
    day: string;
    spendbrief: boolean;
    baseline: boolean;
  }[] = [];
  const latest = addDays(total.start, total.values.length - 1);
  // Each size alone, then again 9 days after a one-day +300 % spike (a data-transfer burst): the
  // spike inflates a mean and standard deviation for four weeks, not a median and MAD.
  for (const afterSpike of [false, true])
    sizes.forEach((percent, k) => {
      // Weekdays and weekends alike, before the story's week.
      const t = total.values.length - 12 - k * 9;
      const values = [...total.values];
      if (afterSpike) values[t - 9] = values[t - 9]! * 4;
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
      const avg = (x: number) => minImpactOf(mean(values.slice(0, x)));
      cases.push({
        percent,
        afterSpike,
        day,
        spendbrief: r.anomalies.some((a) => a.day === day),
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
  const avg = (x: number) => minImpactOf(mean(total.values.slice(0, x)));
  const baseFalse = baselineDetector(total.values.slice(0, total.values.length - 7), avg).filter(
    (t) => t >= from,
  ).length;
  const found = (alone: boolean, by: 'spendbrief' | 'baseline') =>
    cases.filter((c) => c.afterSpike !== alone && c[by]).length;
  return {
    injected: sizes.length,
    spendbrief: {
      found: found(true, 'spendbrief'),
      foundAfterSpike: found(false, 'spendbrief'),
      falseAlertsIn113Days: clean.anomalies.length,
    },
    baseline: {
      found: found(true, 'baseline'),
      foundAfterSpike: found(false, 'baseline'),
      falseAlertsIn113Days: baseFalse,
    },
    cases,
  };
}

/** 200 scopes x 365 days with a weekly pattern, growth and noise (seeded), and their total. */
export function speedScopes(): { scopes: DailySeries[]; total: DailySeries } {
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
  return { scopes, total };
}

export async function alertsSpeed(): Promise<{
  anomaliesMs: number;
  forecastMs: number;
  forecastOneThreadMs: number;
  scopes: number;
  days: number;
}> {
  const model: ForecastModel = await augursModel();
  const { scopes, total } = speedScopes();
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

export interface AlertsResults {
  forecast: ForecastQuality | null;
  demoForecast: ForecastQuality;
  detection: DetectorRow[];
  /** The 19 NAB series through the CLI, one one-off process each. */
  nabCli: NabCliResult | null;
  injected: ReturnType<typeof injectedQuality>;
}

const pct = (x: number) => `${x.toFixed(1)} %`;

/** The quality figures as lines under the timing table. */
export function printAlertsQuality(r: AlertsResults): void {
  const fc = (name: string, f: ForecastQuality | null) =>
    f
      ? `${name}: ${f.series} series, MASE spendbrief ${f.mase.spendbrief.toFixed(3)} · naive ${f.mase.naive.toFixed(3)} · seasonal naive ${f.mase.seasonalNaive.toFixed(3)} (${pct(f.improvementOverNaivePercent)} better than naive), 80 % interval coverage ${pct(f.coverage80Percent)}`
      : `${name}: skipped (../shared/data/timeseries not here)`;
  console.log(`\nforecast, 14 days\n  ${fc('M4 Daily', r.forecast)}\n  ${fc('demo', r.demoForecast)}`);
  console.log('anomalies (NAB: standard-profile score, windows found, false alerts per 1,000 days;');
  console.log('  generated companies: recall, false alerts per 1,000 service-days, mean delay in days)');
  const g = (x: GeneratedResult) =>
    `${x.recall.toFixed(3)} · ${x.falsePer1000ServiceDays.toFixed(2)} · ${x.meanDelayDays.toFixed(2)} d`;
  for (const d of r.detection)
    console.log(
      `  ${d.detector.padEnd(62)} NAB ${d.nab ? `${d.nab.score.toFixed(1)} · ${d.nab.found}/${d.nab.windows} · ${d.nab.falsePer1000Days.toFixed(2)}` : 'skipped (../shared/data not here)'}  generated ${g(d.generated)}  held out ${g(d.heldOut)}`,
    );
  const c = r.nabCli;
  console.log(
    c
      ? `  NAB through the CLI (${c.series} one-off runs of anomalies --days all): ${(c.totalMs / 1000).toFixed(1)} s in all, slowest ${(c.slowestMs / 1000).toFixed(2)} s; score ${c.score.toFixed(1)}, ${c.found}/${c.windows}, ${c.falsePer1000Days.toFixed(2)} false per 1,000 days`
      : '  NAB through the CLI: skipped (../shared/data not here)',
  );
  const i = r.injected;
  console.log(
    `  demo, ${i.injected} injected (alone / 9 days after a +300 % spike): spendbrief ${i.spendbrief.found} / ${i.spendbrief.foundAfterSpike}, baseline ${i.baseline.found} / ${i.baseline.foundAfterSpike}; false alerts in 113 clean days: ${i.spendbrief.falseAlertsIn113Days} / ${i.baseline.falseAlertsIn113Days}`,
  );
}
