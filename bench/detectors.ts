/**
 * The anomaly detectors the benchmark compares, and how each is judged:
 *
 *   spendbrief        the product's own path (reports/alerts/anomalies.ts `findAnomalies`): the
 *                     series as `anomalies --days all` loads them, one detection per anomaly on its
 *                     first day
 *   windowed Gaussian NAB's baseline (nab/detectors/gaussian), its threshold chosen as NAB's
 *                     optimizer does (the best corpus score)
 *   rolling 28 days   a rolling 28-day mean and standard deviation at spendbrief's materiality
 *
 *   NAB               its 19 labelled real series read as days (../shared/data/timeseries/nab, read
 *                     where it is, never copied): NAB's standard-profile score (nab-score.ts), the
 *                     windows found and the false alerts per 1,000 days
 *   generated         companies from cost-series.ts (many services with the rhythms of real bills
 *                     and labelled spikes, shifts, stops, new services and episodes): recall, false
 *                     alerts per 1,000 service-days and detection delay (cost-series.ts scoring)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import erfc from '@stdlib/math-base-special-erfc';
import { isUp, minImpactOf, type Sensitivity } from '../src/analytics/alerts/anomalies.js';
import { addDays, type DailySeries, daysBetween } from '../src/analytics/alerts/series.js';
import { mean } from '../src/analytics/alerts/stats.js';
import { findAnomalies } from '../src/reports/alerts/anomalies.js';
import type { SeriesData } from '../src/reports/alerts/series.js';
import { type Detection, type GeneratedCompany, generateCompany, scoreDetections } from './cost-series.js';
import { nabScore } from './nab-score.js';

export const SHARED = [
  process.env.SPENDBRIEF_SHARED_DATA,
  join(import.meta.dirname, '../../../shared/data'),
  join(import.meta.dirname, '../../shared/data'),
  '/work/shared/data',
].find((p): p is string => !!p && existsSync(join(p, 'timeseries')));

const gunzip = (file: string) =>
  execFileSync('gzip', ['-dc', file], { encoding: 'utf8', maxBuffer: 1 << 28 });

export interface LabelledSeries {
  name: string;
  /** Point i is day i; the median scaled to 1,000 a day (the mean of non-zero values where it is 0). */
  y: number[];
  /** Inclusive point indices. */
  windows: [number, number][];
}

/** NAB's series as days, with their labelled windows as day indices. */
export function nabSeries(): LabelledSeries[] | null {
  if (!SHARED) return null;
  const dir = join(SHARED, 'timeseries/nab');
  const windowsAll = JSON.parse(readFileSync(join(dir, 'windows.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv.gz'))
    .sort()
    .map((file) => {
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
      const name = file.split('__')[1]!.replace('.csv.gz', '.csv');
      const key = Object.keys(windowsAll).find((k) => k.endsWith(name))!;
      const windows = (windowsAll[key] ?? []).map(([a, b]) => {
        const from = stamps.findIndex((s) => s >= a.slice(0, 19));
        let to = stamps.findIndex((s) => s > b.slice(0, 19));
        if (to < 0) to = stamps.length;
        return [from, to - 1] as [number, number];
      });
      return { name, y: raw.map((v) => (v / med) * 1000), windows };
    });
}

const START = '2020-01-01';

/** A scope's series as the warehouse loads it: from its first day with spend (rows) to `end`. */
function fromFirstRow(key: string, start: string, values: number[]): DailySeries | null {
  const first = values.findIndex((v) => v !== 0);
  if (first < 0) return null;
  return { key, start: addDays(start, first), values: values.slice(first) };
}

/** The series data `anomalies --days all` works on, made from plain series (no warehouse). */
export function seriesData(total: DailySeries, scopes: DailySeries[]): SeriesData {
  const end = addDays(total.start, total.values.length - 1);
  return {
    currency: 'USD',
    otherCurrencies: [],
    latestDataDay: end,
    end,
    today: addDays(end, 1),
    total,
    series: scopes,
  };
}

/** A detector: the first days (indices from `start`) and directions of what it flags. */
export type Detector = (
  total: DailySeries,
  scopes: DailySeries[],
) => { key: string; day: string; up: boolean }[];

export const spendbriefDetector =
  (sensitivity: Sensitivity = 'medium'): Detector =>
  (total, scopes) =>
    findAnomalies(seriesData(total, scopes), { days: 'all', sensitivity }).anomalies.map((a) => ({
      key: a.key,
      day: a.day,
      up: isUp(a.direction),
    }));

/** Flags runs of points beyond k deviations of `stats(t)`; one detection per run, on its first day. */
function runsDetector(
  k: number,
  stats: (y: number[], t: number) => { m: number; sd: number },
  material: (y: number[], t: number, m: number) => boolean,
): Detector {
  return (_total, scopes) =>
    scopes.flatMap((s) => {
      const out: { key: string; day: string; up: boolean }[] = [];
      let inRun = 0;
      for (let t = 7; t < s.values.length; t++) {
        const { m, sd } = stats(s.values, t);
        const d = s.values[t]! - m;
        const hit = Math.abs(d) > k * Math.max(sd, 1e-9) && material(s.values, t, m) ? Math.sign(d) : 0;
        if (hit !== 0 && hit !== inRun) out.push({ key: s.key, day: addDays(s.start, t), up: hit > 0 });
        inRun = hit;
      }
      return out;
    });
}

/** Prefix sums for O(1) means and variances of every point before t. */
function prefixStats() {
  let cache: { y: number[]; s: number[]; q: number[] } | null = null;
  return (y: number[], from: number, to: number) => {
    if (cache?.y !== y) {
      const s = [0];
      const q = [0];
      for (const v of y) {
        s.push(s.at(-1)! + v);
        q.push(q.at(-1)! + v * v);
      }
      cache = { y, s, q };
    }
    const n = to - from;
    const m = (cache.s[to]! - cache.s[from]!) / n;
    const variance = Math.max(0, (cache.q[to]! - cache.q[from]!) / n - m * m);
    return { m, sd: Math.sqrt(variance) };
  };
}

/**
 * NAB's windowed Gaussian as its code computes it (nab/detectors/gaussian/windowedGaussian_detector.py
 * at ea702d75): each point's anomaly score is 1 - Q(|z|) (`normalProbability`, the tail mirrored
 * below the mean) against the mean and population standard deviation (0 -> 1e-6) of the points
 * before it: every one while fewer than 6,400, then a window of 6,400 moved on every 100 points.
 */
export function nabGaussianScores(y: readonly number[]): Float64Array {
  const out = new Float64Array(y.length);
  const WINDOW = 6400;
  const STEP = 100;
  let win: number[] = [];
  let buffer: number[] = [];
  let m = 0;
  let sd = 1;
  let sum = 0;
  let sumSq = 0;
  const set = (n: number) => {
    m = sum / n;
    sd = Math.sqrt(Math.max(0, sumSq / n - m * m));
    if (sd === 0) sd = 0.000001;
  };
  y.forEach((x, i) => {
    if (win.length > 0) {
      const z = Math.abs(x - m) / sd;
      out[i] = 1 - 0.5 * erfc(z / Math.SQRT2);
    }
    if (win.length < WINDOW) {
      win.push(x);
      sum += x;
      sumSq += x * x;
      set(win.length);
    } else {
      buffer.push(x);
      if (buffer.length === STEP) {
        win = [...win.slice(STEP), ...buffer];
        buffer = [];
        sum = win.reduce((a, v) => a + v, 0);
        sumSq = win.reduce((a, v) => a + v * v, 0);
        set(win.length);
      }
    }
  });
  return out;
}

/**
 * NAB's windowed Gaussian at a threshold. `perPoint`: every point scoring at or above it is a
 * detection, as NAB counts; otherwise one detection per run of such points (what an alert would
 * post), used on the generated companies.
 */
export function windowedGaussian(threshold: number, perPoint = false): Detector {
  return (_total, scopes) =>
    scopes.flatMap((s) => {
      const scores = nabGaussianScores(s.values);
      const out: { key: string; day: string; up: boolean }[] = [];
      const m = mean(s.values);
      let inRun = false;
      scores.forEach((v, t) => {
        const hit = v >= threshold;
        if (hit && (perPoint || !inRun))
          out.push({ key: s.key, day: addDays(s.start, t), up: s.values[t]! >= m });
        inRun = hit;
      });
      return out;
    });
}

/**
 * The windowed Gaussian's threshold as NAB's optimizer picks it: the one that maximises the corpus
 * score (each point a detection), here over 1 - 10^-k for k = 1..15 (and 0.5, 1): its best shot.
 */
export function optimiseGaussian(data: LabelledSeries[]): { threshold: number; result: NabResult } {
  const candidates = [0.5, ...Array.from({ length: 15 }, (_, k) => 1 - 10 ** -(k + 1)), 1];
  let best: { threshold: number; result: NabResult } | null = null;
  for (const threshold of candidates) {
    const result = scoreOnNab(data, windowedGaussian(threshold, true));
    if (!best || result.score > best.result.score) best = { threshold, result };
  }
  return best!;
}

/** A rolling 28-day mean and standard deviation, k sigma, at spendbrief's materiality. */
export function rolling28(k = 3): Detector {
  const stats = prefixStats();
  return runsDetector(
    k,
    (y, t) => stats(y, Math.max(0, t - 28), t),
    (y, t, m) => {
      const d = Math.abs(y[t]! - m);
      return d >= minImpactOf(mean(y.slice(0, t))) && (m === 0 || d / Math.abs(m) >= 0.2);
    },
  );
}

export interface NabResult {
  score: number;
  windows: number;
  found: number;
  recallPercent: number;
  falseAlerts: number;
  falsePer1000Days: number;
  days: number;
}

/** A detector on NAB's series as total spend: NAB's score, windows found, false alerts. */
export function scoreOnNab(data: LabelledSeries[], detect: Detector): NabResult {
  let found = 0;
  let falseAlerts = 0;
  const scored = data.map(({ y, windows }) => {
    const total: DailySeries = { key: 'total', start: START, values: y };
    const starts = detect(total, [total]).map((d) => daysBetween(START, d.day));
    for (const [a, b] of windows) if (starts.some((s) => s >= a && s <= b)) found += 1;
    falseAlerts += starts.filter((s) => !windows.some(([a, b]) => s >= a && s <= b)).length;
    return { length: y.length, windows, detections: starts };
  });
  const days = data.reduce((n, d) => n + d.y.length, 0);
  const windows = data.reduce((n, d) => n + d.windows.length, 0);
  return {
    score: nabScore(scored).score,
    windows,
    found,
    recallPercent: (found / windows) * 100,
    falseAlerts,
    falsePer1000Days: (falseAlerts / days) * 1000,
    days,
  };
}

export interface GeneratedResult {
  companies: number;
  services: number;
  events: number;
  found: number;
  recall: number;
  falseAlerts: number;
  serviceDays: number;
  falsePer1000ServiceDays: number;
  meanDelayDays: number;
  maxDelayDays: number;
}

/** The companies of these seeds (generated once per process). */
const companies = new Map<number, GeneratedCompany>();
export function company(seed: number): GeneratedCompany {
  let c = companies.get(seed);
  if (!c) {
    c = generateCompany(seed);
    companies.set(seed, c);
  }
  return c;
}

/** A detector on generated companies, by service: recall, false alerts, delay. */
export function scoreOnGenerated(seeds: number[], detect: Detector): GeneratedResult {
  const acc = { events: 0, found: 0, falseAlerts: 0, serviceDays: 0, delaySum: 0, maxDelay: 0, services: 0 };
  for (const seed of seeds) {
    const c = company(seed);
    const scopes = c.series.map((s) => fromFirstRow(s.key, s.start, s.values)).filter((s) => s !== null);
    const detections: Detection[] = detect(c.total, scopes).map((d) => ({
      key: d.key,
      day: d.day,
      direction: d.up ? 'up' : 'down',
    }));
    const r = scoreDetections(c, detections);
    acc.events += r.events;
    acc.found += r.found;
    acc.falseAlerts += r.falseAlerts;
    acc.serviceDays += r.serviceDays;
    acc.services += c.series.length;
    if (r.found > 0) {
      acc.delaySum += r.meanDelayDays * r.found;
      acc.maxDelay = Math.max(acc.maxDelay, r.maxDelayDays);
    }
  }
  return {
    companies: seeds.length,
    services: acc.services,
    events: acc.events,
    found: acc.found,
    recall: acc.found / acc.events,
    falseAlerts: acc.falseAlerts,
    serviceDays: acc.serviceDays,
    falsePer1000ServiceDays: (acc.falseAlerts / acc.serviceDays) * 1000,
    meanDelayDays: acc.found ? acc.delaySum / acc.found : Number.NaN,
    maxDelayDays: acc.maxDelay,
  };
}
