/**
 * Anomalies in daily spend (alerts note, "Anomalies"). Pure: series in, anomalous runs out; each
 * day is judged only on the days before it (no look-ahead).
 *
 *   expected   and spread of each day from the days before it: expectation.ts
 *   score      |actual - expected| / spread; sensitivity high|medium|low = 3 | 4 | 6; or three
 *              days in a row each beyond 0.625 of that, the same way (a sustained shift)
 *   material   |impact| >= min impact (default max(10, 0.5 % of the total's average day)) and
 *              |impact| >= 20 % of expected
 *   direction  spike, drop, new (nothing material in the 28 days before), gone (material every
 *              day last week, 0 today)
 *   severity   impact against the total's average day: high >= 10 %, medium >= 3 %, else low
 * The latest day with data may be partial: it can raise a spike, never a drop.
 */

import { expected, runBand, spreadOf } from './expectation.js';
import { type DailySeries, dayOf, daysBetween } from './series.js';

export type Sensitivity = 'low' | 'medium' | 'high';
export const SENSITIVITY: Record<Sensitivity, number> = { high: 3, medium: 4, low: 6 };
export type Direction = 'spike' | 'drop' | 'new' | 'gone';
export type Severity = 'low' | 'medium' | 'high';

/** The first weeks a day needs before it can be judged. */
export const MIN_HISTORY_DAYS = 7;
/** A run held by its starting band ends after this many days: the level is the new normal. */
const NEW_NORMAL_DAYS = 7;
/**
 * A sustained shift: this many days in a row, each beyond this share of the threshold (2.5 spreads
 * at medium). On NAB it found a 60 % decline over ten days that no single day showed (ADR 0006).
 */
const SUSTAINED_DAYS = 3;
export const SUSTAINED_SHARE = 0.625;

export interface AnomalyDay {
  day: string;
  actual: number;
  expected: number;
  lower: number;
  upper: number;
  impact: number;
  /** impact / expected x 100; null when expected is 0. */
  impactPercent: number | null;
  direction: Direction;
  score: number;
  severity: Severity;
}

/** A run of consecutive anomalous days of one scope going the same way. */
export interface Anomaly extends AnomalyDay {
  key: string;
  lastDay: string;
  days: number;
  totalImpact: number;
  /** Found as a sustained shift (SUSTAINED_DAYS days beyond the lower bar), not by one day. */
  sustained?: true;
}

export interface AnomalyOptions {
  sensitivity: Sensitivity;
  /** Absolute floor for |impact|; default max(10, 0.5 % of the total's average day). */
  minImpact?: number;
  /** First and last day to judge (inclusive). */
  from: string;
  to: string;
  /** The latest day with data (it may be partial: no drops on it). */
  latestDataDay: string;
  /** The total series: the scale of materiality and severity. */
  total: DailySeries;
}

export interface AnomalyResult {
  anomalies: Anomaly[];
  insufficientHistory: { key: string; days: number }[];
}

/** Materiality: a day must move at least this much (10 in the currency, or 0.5 % of an average day). */
export const minImpactOf = (averageDay: number): number => Math.max(10, 0.005 * Math.abs(averageDay));

const severityOf = (impact: number, averageDay: number): Severity => {
  const share = averageDay > 0 ? Math.abs(impact) / averageDay : Number.POSITIVE_INFINITY;
  return share >= 0.1 ? 'high' : share >= 0.03 ? 'medium' : 'low';
};

/** A material day with its score, before any threshold: the caller decides what it is. */
interface Candidate extends Omit<AnomalyDay, 'lower' | 'upper'> {
  spread: number;
}

/** Sets the band of a candidate at `threshold` spreads. */
function withBand(c: Candidate, threshold: number): AnomalyDay {
  const { spread, ...day } = c;
  return { ...day, lower: c.expected - threshold * spread, upper: c.expected + threshold * spread };
}

/** Day `t` if it is material (or new, or gone), with its score; null otherwise. */
function judge(
  s: DailySeries,
  t: number,
  o: AnomalyOptions,
  averageDayAt: (day: string) => number,
): Candidate | null {
  const y = s.values;
  const day = dayOf(s, t);
  const e = expected(y, t);
  const actual = y[t]!;
  const impact = actual - e.expected;
  const averageDay = averageDayAt(day) || Math.abs(e.expected);
  const minImpact = o.minImpact ?? minImpactOf(averageDay);
  const partial = day >= o.latestDataDay;
  const week = y.slice(Math.max(0, t - 7), t);
  const gone = actual === 0 && !partial && week.length === 7 && week.every((v) => Math.abs(v) >= minImpact);
  // New: nothing material in the window before. A scope whose spend comes and goes (expected 0,
  // some material days) is judged by its spread instead: on NAB's series with many zero days,
  // "new" on every return was 305 of 798 false alerts.
  const isNew = e.expected === 0 && actual > minImpact && e.hist.every((v) => Math.abs(v) < minImpact);
  // Most days are not material: no spread needed for them.
  if (
    !gone &&
    !isNew &&
    (Math.abs(impact) < minImpact || (e.expected !== 0 && Math.abs(impact / e.expected) < 0.2))
  )
    return null;
  const spread = spreadOf(e.hist, e.weekly, e.expected);
  const base = {
    day,
    actual,
    expected: e.expected,
    impact,
    spread,
    severity: severityOf(impact, averageDay),
  };
  if (gone)
    return {
      ...base,
      impactPercent: (impact / Math.abs(e.expected || impact)) * 100,
      direction: 'gone',
      score: Math.abs(impact) / spread,
    };
  if (isNew) return { ...base, impactPercent: null, direction: 'new', score: Number.POSITIVE_INFINITY };
  // The latest day may be partial: never a drop.
  if (impact < 0 && partial) return null;
  return {
    ...base,
    impactPercent: e.expected === 0 ? null : (impact / Math.abs(e.expected)) * 100,
    direction: impact > 0 ? 'spike' : 'drop',
    score: spread > 0 ? Math.abs(impact) / spread : Number.POSITIVE_INFINITY,
  };
}

/** Spend went up (a spike or new spend), not down. */
export const isUp = (d: Direction): boolean => d === 'spike' || d === 'new';

/** A day judged against a run's band. */
function bandDay(
  day: string,
  actual: number,
  band: { expected: number; spread: number },
  threshold: number,
  direction: Direction,
  severity: Severity,
): AnomalyDay {
  const impact = actual - band.expected;
  return {
    day,
    actual,
    expected: band.expected,
    lower: band.expected - threshold * band.spread,
    upper: band.expected + threshold * band.spread,
    impact,
    impactPercent: band.expected === 0 ? null : (impact / Math.abs(band.expected)) * 100,
    direction,
    score: band.spread > 0 ? Math.abs(impact) / band.spread : Number.POSITIVE_INFINITY,
    severity,
  };
}

/** Day `t` against its run's band (runBand): still beyond it, the same way, it goes on. */
function continued(
  s: DailySeries,
  t: number,
  run: Anomaly,
  band: { expected: number; spread: number },
  threshold: number,
  o: AnomalyOptions,
): AnomalyDay | null {
  const actual = s.values[t]!;
  const impact = actual - band.expected;
  const day = dayOf(s, t);
  const goingUp = isUp(run.direction);
  // After a week a lasting level is the new normal: the run ends there.
  if (run.days >= NEW_NORMAL_DAYS) return null;
  if ((goingUp ? impact <= 0 : impact >= 0) || Math.abs(impact) < threshold * band.spread) return null;
  // A drop is never judged on the latest day with data (it may be partial).
  if (!goingUp && day >= o.latestDataDay) return null;
  return bandDay(day, actual, band, threshold, run.direction, run.severity);
}

/** Day `u` beyond `threshold` spreads of `band`, going `direction`, and material; else null. */
function shiftedDay(
  s: DailySeries,
  u: number,
  band: { expected: number; spread: number },
  threshold: number,
  direction: Direction,
  o: AnomalyOptions,
  averageDayAt: (day: string) => number,
): AnomalyDay | null {
  const day = dayOf(s, u);
  const actual = s.values[u]!;
  const impact = actual - band.expected;
  const minImpact = o.minImpact ?? minImpactOf(averageDayAt(day) || Math.abs(band.expected));
  if ((direction === 'spike' ? impact <= 0 : impact >= 0) || Math.abs(impact) < minImpact) return null;
  if (band.expected !== 0 && Math.abs(impact / band.expected) < 0.2) return null;
  if (Math.abs(impact) < threshold * band.spread || (impact < 0 && day >= o.latestDataDay)) return null;
  return bandDay(
    day,
    actual,
    band,
    threshold,
    direction,
    severityOf(impact, averageDayAt(day) || Math.abs(band.expected)),
  );
}

export function detectAnomalies(series: readonly DailySeries[], o: AnomalyOptions): AnomalyResult {
  const threshold = SENSITIVITY[o.sensitivity];
  // The total's average day over its history before each day: prefix sums, once.
  const prefix = [0];
  for (const v of o.total.values) prefix.push(prefix.at(-1)! + v);
  const averageDayAt = (day: string) => {
    const n = Math.min(o.total.values.length, Math.max(0, daysBetween(o.total.start, day)));
    return n > 0 ? Math.abs(prefix[n]! / n) : 0;
  };
  const anomalies: Anomaly[] = [];
  const insufficientHistory: AnomalyResult['insufficientHistory'] = [];
  for (const s of series) {
    const first = Math.max(0, daysBetween(s.start, o.from));
    const last = Math.min(s.values.length - 1, daysBetween(s.start, o.to));
    if (last < 0 || first > last) continue;
    if (last < MIN_HISTORY_DAYS) {
      insufficientHistory.push({ key: s.key, days: last });
      continue;
    }
    let run: Anomaly | null = null;
    // A run goes on while days stay beyond the band it started from: the band of later days is
    // widened by the run itself, and a lasting level shift must not look over after two days.
    let lastRunEnd = -1;
    // The candidates of the two days before t (a sustained shift starts two days back).
    let before1: Candidate | null = null;
    let before2: Candidate | null = null;
    const start = Math.max(first, MIN_HISTORY_DAYS);
    for (let t = start; t <= last; t++) {
      const c = judge(s, t, o, averageDayAt);
      const alone = c && (c.direction === 'new' || c.direction === 'gone' || c.score >= threshold);
      const a: AnomalyDay | null = alone
        ? withBand(c, threshold)
        : run
          ? continued(
              s,
              t,
              run,
              runBand(s.values, daysBetween(s.start, run.day), t),
              run.sustained ? SUSTAINED_SHARE * threshold : threshold,
              o,
            )
          : null;
      const twoBefore = before2;
      [before2, before1] = [before1, c];
      // A run always reaches the day before t (it ends on the first day that does not go on).
      if (a && run && isUp(run.direction) === isUp(a.direction)) {
        run.lastDay = a.day;
        run.days += 1;
        run.totalImpact += a.impact;
        continue;
      }
      if (run) {
        anomalies.push(run);
        lastRunEnd = daysBetween(s.start, run.lastDay);
      }
      run = a ? { ...a, key: s.key, lastDay: a.day, days: 1, totalImpact: a.impact } : null;
      if (run || t - (SUSTAINED_DAYS - 1) < start || t - (SUSTAINED_DAYS - 1) <= lastRunEnd) continue;
      // A sustained shift: three days in a row beyond a lower bar of the band before the first of
      // them (the shift widens the later days' own bands), the same way, none anomalous alone.
      const low = SUSTAINED_SHARE * threshold;
      const s0 = t - (SUSTAINED_DAYS - 1);
      const d0 = twoBefore;
      if (!d0 || (d0.direction !== 'spike' && d0.direction !== 'drop') || d0.score < low) continue;
      const later: AnomalyDay[] = [];
      for (let u = s0 + 1; u <= t; u++) {
        const d = shiftedDay(s, u, runBand(s.values, s0, u), low, d0.direction, o, averageDayAt);
        if (!d) break;
        later.push(d);
      }
      if (later.length < SUSTAINED_DAYS - 1) continue;
      run = {
        ...withBand(d0, low),
        key: s.key,
        lastDay: later.at(-1)!.day,
        days: SUSTAINED_DAYS,
        totalImpact: later.reduce((sum, d) => sum + d.impact, d0.impact),
        sustained: true,
      };
    }
    if (run) anomalies.push(run);
  }
  anomalies.sort((a, b) => a.day.localeCompare(b.day) || Math.abs(b.impact) - Math.abs(a.impact));
  return { anomalies, insufficientHistory };
}
