/**
 * Anomalies in daily spend (alerts note, "Anomalies"; ADR 0006 and 0008). Pure: series in,
 * anomalous runs out; each day is judged only on the days before it (no look-ahead).
 *
 *   expected   from the ordinary days before it on the current level (expectation.ts); the 1st and
 *              the last two days of a month are calendar days: judged against the ordinary value
 *              plus the median excess of the same calendar day in up to 3 previous months, and
 *              anomalous only beyond both bands; a calendar day with no earlier one in the scope's
 *              history raises no spike (a monthly fee or month-end batch is not news)
 *   spread     the window's robust spread, at least that of the last 28 days' own prediction errors
 *              (of the rule judging today) and 2 % of expected; where the window is positive and
 *              its log spread s is at most 0.3, at least expected x (e^(k s) - 1) / k above and
 *              expected x (1 - e^(-k s)) / k below (spend noise is multiplicative)
 *   score      |actual - expected| / spread; sensitivity high|medium|low = k = 3 | 4 | 6; or 2 or 3
 *              days in a row, each beyond 1 spread of the first day's band the same way, whose mean
 *              score reaches 1.15 k / sqrt(days) (a sustained shift)
 *   recurring  not news: a deviation as large the same way in the last 365 days where the scope has
 *              made a habit of them (3 alert-sized runs that way in its history); one that repeats
 *              a like deviation (within 2x) at a steady interval (P and 2P days back, P >= 14, within
 *              max(2, 2 % of P) days); in a scope's first 8 weeks (no weekly test yet), one that
 *              repeats the same weekday of last week
 *   material   |impact| >= min impact (default 10) and |impact| >= 20 % of expected
 *   direction  spike, drop, new (nothing material in the 28 days before), gone (material every day
 *              last week, 0 today)
 *   severity   impact against the total's average day: high >= 10 %, medium >= 3 %, else low
 *   runs       a run goes on while its days stay beyond its first day's band; runs of one scope
 *              going the same way that touch are one anomaly; a run that lasts 7 days is the new
 *              level: the baseline starts at its first day, the spread keeps the relative spread of
 *              before for 28 days, and the run's days leave the statistics of recurring deviations
 * The latest day with data may be partial: it can raise a spike, never a drop.
 */

import { expectedAt, robustSpread, spreadAt, type WeeklyCache, WINDOW } from './expectation.js';
import { type DailySeries, dayOf, daysBetween } from './series.js';
import { median } from './stats.js';

export type Sensitivity = 'low' | 'medium' | 'high';
export const SENSITIVITY: Record<Sensitivity, number> = { high: 3, medium: 4, low: 6 };
export type Direction = 'spike' | 'drop' | 'new' | 'gone';
export type Severity = 'low' | 'medium' | 'high';

/** The first week a day needs before it can be judged. */
export const MIN_HISTORY_DAYS = 7;
/** A run this long is the new level: the baseline starts at its first day (ADR 0008). */
export const NEW_LEVEL_DAYS = 7;
/** A sustained shift: up to this many days in a row, each at least SUSTAINED_EACH spreads away. */
export const SUSTAINED_MAX_DAYS = 3;
export const SUSTAINED_EACH = 1;
/**
 * ... whose mean score reaches this share of the threshold over sqrt(days). The mean of m days of
 * noise has 1/sqrt(m) of a day's spread: at 1 a 3-day shift would be as unlikely by chance as one
 * day beyond the threshold; the 15 % margin keeps false alerts where single days keep them.
 */
export const SUSTAINED_FACTOR = 1.15;
/** Calendar days: the median excess of up to this many previous months' same day. */
const CALENDAR_MONTHS = 3;
/** Recurring deviations: looked for this far back ... */
const RECURRING_DAYS = 365;
/** ... where the scope has had at least this many alert-sized runs that way. */
const HABIT_RUNS = 3;
/**
 * An alert-sized deviation, for habits and steady intervals: beyond this many spreads whatever the
 * sensitivity, so that a higher sensitivity does not make more deviations habits.
 */
const ALERT_SIZED = SENSITIVITY.medium;
/** Steady-interval repeats: periods from ... */
const PERIOD_MIN_DAYS = 14;
const PERIOD_MAX_DAYS = 400;
/** ... matched within max(2 days, 2 % of the period), sizes within 2x. */
const PERIOD_TOLERANCE_DAYS = 2;
const PERIOD_TOLERANCE_SHARE = 0.02;
const PERIOD_SIZE_RATIO = 2;
/** The multiplicative band only for a log spread up to this (day-to-day variation ~30 %). */
const MAX_LOG_SPREAD = 0.3;
/** Prediction errors needed before their spread counts. */
const MIN_ERRORS = 14;

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

/** A run of consecutive anomalous days of one scope going the same way (touching runs: one). */
export interface Anomaly extends AnomalyDay {
  key: string;
  lastDay: string;
  /** Days from `day` to `lastDay`, both included. */
  days: number;
  totalImpact: number;
  /** Found as a sustained shift (days in a row beyond a lower bar), not by one day. */
  sustained?: true;
}

export interface AnomalyOptions {
  sensitivity: Sensitivity;
  /** Absolute floor for |impact|; default 10 (in the currency). */
  minImpact?: number;
  /** First and last day to judge (inclusive): runs reaching `from` are reported. */
  from: string;
  to: string;
  /** The latest day with data (it may be partial: no drops on it). */
  latestDataDay: string;
  /** The total series: the scale of severity. */
  total: DailySeries;
}

export interface AnomalyResult {
  anomalies: Anomaly[];
  insufficientHistory: { key: string; days: number }[];
}

/** Materiality: a day must move at least 10 in the currency (and 20 % of expected). */
export const DEFAULT_MIN_IMPACT = 10;
/** @deprecated the default no longer depends on the average day; kept for callers. */
export const minImpactOf = (_averageDay: number): number => DEFAULT_MIN_IMPACT;

const severityOf = (impact: number, averageDay: number): Severity => {
  const share = averageDay > 0 ? Math.abs(impact) / averageDay : Number.POSITIVE_INFINITY;
  return share >= 0.1 ? 'high' : share >= 0.03 ? 'medium' : 'low';
};

/** Spend went up (a spike or new spend), not down. */
export const isUp = (d: Direction): boolean => d === 'spike' || d === 'new';

/** A day against its expectation. */
interface Judged {
  t: number;
  actual: number;
  expected: number;
  spread: number;
  impact: number;
  direction: Direction;
  score: number;
  /** The expectation was by weekday. */
  weekly: boolean;
}

interface Run {
  first: Judged;
  /** The bar its first day passed (the threshold; a sustained shift's days: SUSTAINED_EACH). */
  bar: number;
  /** The bar later days must pass to go on. */
  goOn: number;
  start: number;
  last: number;
  totalImpact: number;
  sustained: boolean;
}

const bandAt = (expected: number, half: number): DayBand => ({
  expected,
  lower: expected - half,
  upper: expected + half,
});

/** Calendar class of each day: 0 the 1st, 1 the last day of the month, 2 the one before, -1 none. */
function calendarClasses(start: string, n: number): Int8Array {
  const out = new Int8Array(n).fill(-1);
  const t0 = Date.parse(`${start}T00:00:00Z`);
  for (let t = 0; t < n; t++) {
    const d = new Date(t0 + t * 86_400_000);
    const dom = d.getUTCDate();
    const inMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    out[t] = dom === 1 ? 0 : dom === inMonth ? 1 : dom === inMonth - 1 ? 2 : -1;
  }
  return out;
}

/** A judged day's band, for charts: what the day was held against. */
export interface DayBand {
  expected: number;
  lower: number;
  upper: number;
}

interface ScanOptions {
  threshold: number;
  minImpact: number;
  latestDataDay: string;
  /** Filled with each judged day's band when given (spreads computed on every day). */
  bands?: (DayBand | null)[];
}

/**
 * One scope judged day by day from its 8th day to `last`: its runs (merged where they touch).
 */
function scan(s: DailySeries, last: number, o: ScanOptions): Run[] {
  const y = s.values;
  const k = o.threshold;
  const firstActive = y.findIndex((v) => v !== 0);
  const cls = calendarClasses(s.start, last + 1);
  // Calendar days are judged by their own class, never as ordinary history.
  const skip = Uint8Array.from(cls, (c) => (c >= 0 ? 1 : 0));
  // Each judged day's deviation from its ordinary expectation (NaN: not judged, or forgotten).
  const excess = new Float64Array(last + 1).fill(Number.NaN);
  const base = new Float64Array(last + 1);
  // +1 / -1: the day was an alert-sized deviation (material, beyond the threshold) up / down.
  const flag = new Int8Array(last + 1);
  const habit = { up: 0, down: 0 };
  const classExcess: number[][] = [[], [], []];
  const classRatio: number[][] = [[], [], []];
  const judged: (Judged | null)[] = new Array(last + 1).fill(null);
  const runs: Run[] = [];
  // The current level begins here (a level shift held NEW_LEVEL_DAYS moves it).
  let levelStart = 0;
  // After a level shift, for WINDOW days the spread is at least this share of expected.
  let relFloor = 0;
  let relFloorUntil = -1;
  let run: Run | null = null;
  const close = () => {
    if (run) runs.push(run);
    run = null;
  };
  const lastRunEnd = () => runs.at(-1)?.last ?? -1;
  const countHabit = () => {
    habit.up = 0;
    habit.down = 0;
    for (let i = 1; i < flag.length; i++) {
      if (flag[i] === 1 && flag[i - 1] !== 1) habit.up++;
      if (flag[i] === -1 && flag[i - 1] !== -1) habit.down++;
    }
  };
  const errors = new Float64Array(WINDOW);
  const weeklyCache: WeeklyCache = { from: -1, day: -1, weekly: false };
  const errWindow = new Float64Array(last + 1).fill(Number.NaN);
  const errWeekday = new Float64Array(last + 1).fill(Number.NaN);
  // A sustained shift's later days against the first day's expectation (by weekday where it was).
  const sustainedBandE = (d0: Judged, u: number): number => {
    if (!d0.weekly || u === d0.t) return d0.expected;
    const same: number[] = [];
    for (let q = 1; q <= 4; q++) if (u - 7 * q >= 0) same.push(y[u - 7 * q]!);
    return median(same);
  };

  // The latest day with data may be partial: from this index on, no drop.
  const partialFrom = daysBetween(s.start, o.latestDataDay);
  for (let t = MIN_HISTORY_DAYS; t <= last; t++) {
    const partial = t >= partialFrom;
    const actual = y[t]!;
    const e = expectedAt(y, t, levelStart, skip, weeklyCache);
    excess[t] = actual - e.expected;
    base[t] = e.expected;
    // Each rule's own prediction errors: the spread of the rule judging today is that of its errors.
    errWindow[t] = actual - e.byWindow;
    errWeekday[t] = actual - e.byWeekday;

    // A calendar day: its class's expectation, the ordinary one plus the median excess of up to
    // 3 previous same days (a fee adds to usage) or times their median ratio (a month-end batch
    // multiplies it); up is judged against the highest, down against the lowest.
    let eUp = e.expected;
    let eDown = e.expected;
    let classUp = 1;
    let noSpike = false;
    // A calendar day whose class has a history: its spend is expected there (a monthly fee).
    let classKnown = false;
    const c = cls[t]!;
    if (c >= 0 && firstActive >= 0 && t >= firstActive) {
      const prev = classExcess[c]!;
      const ratios = classRatio[c]!;
      classKnown = prev.length > 0;
      if (prev.length === 0) noSpike = true;
      else {
        const candidates = [e.expected + median(prev.slice(-CALENDAR_MONTHS))];
        if (e.expected > 0 && ratios.length)
          candidates.push(e.expected * median(ratios.slice(-CALENDAR_MONTHS)));
        eUp = Math.max(e.expected, ...candidates);
        eDown = Math.min(e.expected, ...candidates);
        // Month-end batch spend varies in proportion to its level.
        if (e.expected > 0) classUp = eUp / e.expected;
      }
      prev.push(actual - e.expected);
      if (e.expected > 0) ratios.push(actual / e.expected);
    }

    // Gone and new.
    let gone = actual === 0 && !partial && t >= 7;
    for (let i = t - 7; i < t && gone; i++) gone = Math.abs(y[i]!) >= o.minImpact;
    let isNew = actual > o.minImpact;
    for (let i = Math.max(0, t - WINDOW); i < t && isNew; i++) isNew = Math.abs(y[i]!) < o.minImpact;
    if (isNew) isNew = median(y.slice(Math.max(0, t - WINDOW), t)) === 0;
    // Not new where its class expects it (a fee charged only on the 1st, month after month): the
    // class band judges it as a spike or a drop like any calendar day.
    if (isNew && classKnown && eUp - e.expected >= o.minImpact) isNew = false;

    const up = actual > eUp;
    const down = actual < eDown;
    const expected = up ? eUp : down ? eDown : e.expected;
    const impact = actual - expected;
    const direction: Direction | null = gone ? 'gone' : isNew ? 'new' : up ? 'spike' : down ? 'drop' : null;
    const material =
      direction !== null &&
      (gone ||
        isNew ||
        (Math.abs(impact) >= o.minImpact && (expected === 0 || Math.abs(impact / expected) >= 0.2)));

    // The spread, where it matters (a material day) or is asked for.
    let sUp = 0;
    let sDown = 0;
    if (material || o.bands) {
      const sp = spreadAt(y, t, e, levelStart, skip);
      let spread = sp.spread;
      // The past days' own prediction errors: the error of the expectation itself included.
      let n = 0;
      const past = e.weekly ? errWeekday : errWindow;
      for (let i = Math.max(0, t - WINDOW); i < t; i++)
        if (!Number.isNaN(past[i]!) && skip[i] === 0) errors[n++] = past[i]!;
      if (n >= MIN_ERRORS) spread = Math.max(spread, robustSpread(errors, n));
      if (t < relFloorUntil) spread = Math.max(spread, relFloor * Math.abs(e.expected));
      sUp = spread;
      sDown = spread;
      if (sp.logSpread !== null && sp.logSpread <= MAX_LOG_SPREAD) {
        // Multiplicative noise: the band expected x e^(+-k s), as spreads of the linear band.
        const ls = t < relFloorUntil ? Math.max(sp.logSpread, relFloor) : sp.logSpread;
        sUp = Math.max(spread, (e.expected * (Math.exp(k * ls) - 1)) / k);
        sDown = Math.max(spread, (e.expected * (1 - Math.exp(-k * ls))) / k);
      }
      sUp *= classUp;
    }
    const spread = up || isNew ? sUp : sDown;
    const score = isNew
      ? Number.POSITIVE_INFINITY
      : spread > 0
        ? Math.abs(impact) / spread
        : Number.POSITIVE_INFINITY;
    if (o.bands) o.bands[t] = { expected: e.expected, lower: eDown - k * sDown, upper: eUp + k * sUp };

    let recurring = false;
    if (material) {
      const sign = impact > 0 ? 1 : -1;
      // As large the same way in the last year, where such deviations are the scope's habit.
      if ((sign > 0 ? habit.up : habit.down) >= HABIT_RUNS) {
        // As large in the currency, or relative to its expected value (a growing scope's
        // recurring 0-days are each a little larger in the currency than the last).
        const bar = Math.abs(impact);
        const rel = expected > 0 ? bar / expected : Number.POSITIVE_INFINITY;
        for (let i = Math.max(0, firstActive, t - RECURRING_DAYS); i < t && !recurring; i++) {
          if (skip[i] === 1) continue;
          const x = sign * excess[i]!;
          recurring = x >= bar || (base[i]! > 0 && x / base[i]! >= rel);
        }
      }
      // A like deviation at a steady interval: P and 2P days back.
      if (!recurring && direction !== 'gone') {
        const size = Math.abs(excess[t]!);
        const like = (i: number) =>
          flag[i] === sign &&
          Math.abs(excess[i]!) >= size / PERIOD_SIZE_RATIO &&
          Math.abs(excess[i]!) <= size * PERIOD_SIZE_RATIO;
        for (
          let i = t - PERIOD_MIN_DAYS;
          i >= Math.max(0, firstActive, t - PERIOD_MAX_DAYS) && !recurring;
          i--
        ) {
          if (!like(i)) continue;
          const p = t - i;
          const tol = Math.max(PERIOD_TOLERANCE_DAYS, Math.round(PERIOD_TOLERANCE_SHARE * p));
          for (let q = Math.max(0, i - p - tol); q <= i - p + tol && !recurring; q++) recurring = like(q);
        }
      }
      // A young scope (under 8 weeks, no weekly pattern testable yet) whose day repeats the same
      // weekday of last week, the same way and at least half as far: a weekly rhythm, not news.
      if (
        !recurring &&
        !e.weekly &&
        firstActive >= 0 &&
        t - firstActive < 2 * WINDOW &&
        t - 7 >= firstActive
      ) {
        const w = t - 7;
        // Days before judging began have no excess yet: against the median of the days before.
        const x =
          w >= MIN_HISTORY_DAYS ? excess[w]! : w > firstActive ? y[w]! - median(y.slice(firstActive, w)) : 0;
        recurring = (sign > 0 ? x > 0 : x < 0) && Math.abs(x) >= Math.abs(excess[t]!) / PERIOD_SIZE_RATIO;
      }
      if (score >= ALERT_SIZED && skip[t] === 0) {
        flag[t] = sign;
        if (flag[t - 1] !== sign) habit[sign > 0 ? 'up' : 'down']++;
      }
    }

    const j: Judged | null =
      material && !recurring && !(noSpike && direction === 'spike')
        ? { t, actual, expected, spread, impact, direction: direction!, score, weekly: e.weekly }
        : null;
    judged[t] = j;
    const alone =
      j !== null &&
      !(partial && (j.direction === 'drop' || j.direction === 'gone')) &&
      (j.direction === 'new' || j.direction === 'gone' || j.score >= k);

    if (run) {
      const r: Run = run;
      const goingUp = isUp(r.first.direction);
      // The run's band: its first day's, by weekday for a week where that day was by weekday.
      let bandE = r.first.expected;
      if (r.first.weekly && t - 7 < r.start) {
        const same: number[] = [];
        for (let q = 1; q <= 4; q++) if (t - 7 * q >= 0) same.push(y[t - 7 * q]!);
        bandE = median(same);
      }
      const d = actual - bandE;
      const beyond =
        (goingUp ? d > 0 : d < 0) && Math.abs(d) >= r.goOn * r.first.spread && !(!goingUp && partial);
      if ((alone && isUp(j.direction) === goingUp) || beyond) {
        r.totalImpact += d;
        r.last = t;
        if (o.bands) o.bands[t] = bandAt(bandE, r.goOn * r.first.spread);
      } else close();
      if (run && r.last - r.start + 1 >= NEW_LEVEL_DAYS) {
        // A level held this long is the new normal: the baseline starts at the run's first day,
        // the spread keeps the relative noise of before, and the run's days, which deviated from
        // a level that is gone, leave the statistics of recurring deviations.
        levelStart = r.start;
        relFloor = r.first.expected !== 0 ? r.first.spread / Math.abs(r.first.expected) : 0;
        relFloorUntil = r.start + WINDOW;
        for (let q = r.start; q <= t; q++) {
          excess[q] = Number.NaN;
          errWindow[q] = Number.NaN;
          errWeekday[q] = Number.NaN;
          flag[q] = 0;
        }
        countHabit();
        close();
        continue;
      }
      if (run) continue;
    }
    if (alone) {
      run = { first: j, bar: k, goOn: k, start: t, last: t, totalImpact: j.impact, sustained: false };
      continue;
    }
    // A sustained shift: m days in a row the same way, judged against the band of the first (the
    // shift widens the later days' own bands), each material and beyond SUSTAINED_EACH spreads,
    // their mean score beyond SUSTAINED_FACTOR x k / sqrt(m); none anomalous alone.
    for (let m = 2; m <= SUSTAINED_MAX_DAYS; m++) {
      const s0 = t - m + 1;
      if (s0 < MIN_HISTORY_DAYS || s0 <= lastRunEnd()) continue;
      const d0 = judged[s0];
      if (!d0 || (d0.direction !== 'spike' && d0.direction !== 'drop') || d0.score < SUSTAINED_EACH) continue;
      const meanBar = (SUSTAINED_FACTOR * k) / Math.sqrt(m);
      let ok = true;
      let total = d0.impact;
      let scores = d0.score;
      for (let u = s0 + 1; u <= t && ok; u++) {
        const eu = sustainedBandE(d0, u);
        const iu = y[u]! - eu;
        ok =
          (d0.direction === 'spike' ? iu > 0 : iu < 0) &&
          Math.abs(iu) >= o.minImpact &&
          (eu === 0 || Math.abs(iu / eu) >= 0.2) &&
          Math.abs(iu) >= SUSTAINED_EACH * d0.spread &&
          !(iu < 0 && u >= partialFrom);
        total += iu;
        scores += d0.spread > 0 ? Math.abs(iu) / d0.spread : Number.POSITIVE_INFINITY;
      }
      if (!ok || scores / m < meanBar) continue;
      if (o.bands)
        for (let u = s0; u <= t; u++) o.bands[u] = bandAt(sustainedBandE(d0, u), SUSTAINED_EACH * d0.spread);
      run = {
        first: d0,
        bar: SUSTAINED_EACH,
        goOn: SUSTAINED_EACH,
        start: s0,
        last: t,
        totalImpact: total,
        sustained: true,
      };
      break;
    }
  }
  close();
  // Runs of the same way that touch are one anomaly.
  const merged: Run[] = [];
  for (const r of runs) {
    const p = merged.at(-1);
    if (p && isUp(p.first.direction) === isUp(r.first.direction) && r.start <= p.last + 1) {
      p.totalImpact += r.totalImpact;
      p.last = Math.max(p.last, r.last);
    } else merged.push({ ...r });
  }
  return merged;
}

function toAnomaly(s: DailySeries, r: Run, averageDayAt: (day: string) => number): Anomaly {
  const f = r.first;
  const day = dayOf(s, f.t);
  return {
    day,
    actual: f.actual,
    expected: f.expected,
    lower: f.expected - r.bar * f.spread,
    upper: f.expected + r.bar * f.spread,
    impact: f.impact,
    impactPercent: f.expected === 0 ? null : (f.impact / Math.abs(f.expected)) * 100,
    direction: f.direction,
    score: f.score,
    severity: severityOf(f.impact, averageDayAt(day) || Math.abs(f.expected)),
    key: s.key,
    lastDay: dayOf(s, r.last),
    days: r.last - r.start + 1,
    totalImpact: r.totalImpact,
    ...(r.sustained ? { sustained: true as const } : {}),
  };
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
    const runs = scan(s, last, {
      threshold,
      minImpact: o.minImpact ?? DEFAULT_MIN_IMPACT,
      latestDataDay: o.latestDataDay,
    });
    for (const r of runs) if (r.last >= first) anomalies.push(toAnomaly(s, r, averageDayAt));
  }
  anomalies.sort((a, b) => a.day.localeCompare(b.day) || Math.abs(b.impact) - Math.abs(a.impact));
  return { anomalies, insufficientHistory };
}

/**
 * The band each day of `s` was judged against (null before the 8th day), as the detector saw it:
 * for charts. `latestDataDay` as in AnomalyOptions (default: the series' last day).
 */
export function dayBands(
  s: DailySeries,
  sensitivity: Sensitivity,
  o: { minImpact?: number; latestDataDay?: string } = {},
): (DayBand | null)[] {
  const bands: (DayBand | null)[] = new Array(s.values.length).fill(null);
  if (s.values.length > MIN_HISTORY_DAYS)
    scan(s, s.values.length - 1, {
      threshold: SENSITIVITY[sensitivity],
      minImpact: o.minImpact ?? DEFAULT_MIN_IMPACT,
      latestDataDay: o.latestDataDay ?? dayOf(s, s.values.length - 1),
      bands,
    });
  return bands;
}
