/**
 * What a day of a daily series is expected to be, from the days before it (alerts note,
 * "Anomalies"), and how far from it is ordinary:
 *
 *   expected   the median of the same weekday over the previous 4 weeks when there are 8 weeks on
 *              the current level and a weekly pattern (Kruskal-Wallis of those 56 days by weekday,
 *              p < 0.05), else the median of up to the previous 28 days; only ordinary days count
 *              (the detector leaves out calendar days that are judged by their own class) and only
 *              days on the current level (after a confirmed level shift, from its first day)
 *   spread     1.4826 x MAD of those days' residuals from the same rule, at least their standard
 *              deviation (a lone outlier beyond 5 MADs left out) and 2 % of expected
 *   log spread the same on log(day / its fitted value), for a positive window: spend noise is
 *              multiplicative (usage x price), so a band can be asymmetric
 * The detector (anomalies.ts) also holds the spread to the spread of the past days' own prediction
 * errors and widens it after a level shift; those need its memory of past days.
 */

export const WINDOW = 28;
/** Robust deviations beyond which a lone past outlier leaves the standard-deviation floor. */
const LONE_OUTLIER = 5;
/** Chi-square with 6 degrees of freedom at p = 0.05. */
const WEEKLY_CHI2 = 12.59;
/** MAD to standard deviation under a normal distribution. */
const MAD_SCALE = 1.4826;

// Scratch buffers: the judging loop runs once per scope-day (73 thousand times for 200 scopes x
// 365 days), where an allocation per median costs more than the median.
const scratch = new Float64Array(4 * WINDOW);
const scratch2 = new Float64Array(4 * WINDOW);
const weekdays = new Int8Array(4 * WINDOW);

/** The median of xs[0..n) (sorts xs in place). */
function medianInPlace(xs: Float64Array, n: number): number {
  if (n === 0) return Number.NaN;
  const s = xs.subarray(0, n).sort();
  const m = n >> 1;
  return n % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Is there a weekly pattern? Kruskal-Wallis of the days by weekday (day i is weekday i mod 7), on
 * ranks so one outlier cannot hide the pattern (a one-way ANOVA lost it to a single +300 % day):
 *
 *   H = 12 / (n (n + 1)) x sum over weekdays of R_d^2 / n_d - 3 (n + 1), divided by the tie
 *       correction 1 - sum(t^3 - t) / (n^3 - n); weekly when H > chi-square(6) at p = 0.05
 */
export function hasWeeklyPattern(days: readonly number[]): boolean {
  if (days.length < WINDOW) return false;
  const values = Float64Array.from(days);
  const wd = Int8Array.from(days, (_, i) => i % 7);
  return kruskalWallisWeekly(values, wd, days.length);
}

const sortedBuf = new Float64Array(4 * WINDOW);

/** The first index of `sorted[0..n)` whose value is >= v (binary search). */
function lowerBound(sorted: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function kruskalWallisWeekly(values: Float64Array, wd: Int8Array, n: number): boolean {
  if (n < 14) return false;
  // Ranks from a sorted copy (a native numeric sort): a value's rank is the mean of the ranks
  // of the values equal to it.
  const sorted = n <= sortedBuf.length ? sortedBuf.subarray(0, n) : new Float64Array(n);
  sorted.set(values.subarray(0, n));
  sorted.sort();
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && sorted[j + 1] === sorted[i]) j++;
    ties += (j - i + 1) ** 3 - (j - i + 1);
    i = j + 1;
  }
  const rankSums = [0, 0, 0, 0, 0, 0, 0];
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const lo = lowerBound(sorted, n, v);
    let hi = lo;
    while (hi + 1 < n && sorted[hi + 1] === v) hi++;
    rankSums[wd[i]!]! += (lo + hi) / 2 + 1;
    counts[wd[i]!]! += 1;
  }
  const correction = 1 - ties / (n ** 3 - n);
  if (correction <= 0) return false;
  let h = 0;
  for (let d = 0; d < 7; d++) if (counts[d]! > 0) h += rankSums[d]! ** 2 / counts[d]!;
  h = (12 / (n * (n + 1))) * h - 3 * (n + 1);
  return h / correction > WEEKLY_CHI2;
}

/** Days left out of a baseline (1) or not (0), by index; none by default. */
export type Skip = Uint8Array | null;
const skipped = (skip: Skip, i: number) => skip !== null && skip[i] === 1;

/** The last weekly test of a series (the detector judges its days in order). */
export interface WeeklyCache {
  from: number;
  day: number;
  weekly: boolean;
}

export interface Expected {
  expected: number;
  /** Judged by weekday (a weekly pattern on 8 weeks of the current level). */
  weekly: boolean;
  /** The median of the window's ordinary days. */
  byWindow: number;
  /** The median of the same weekday over the 4 weeks before (NaN before 4 weeks on the level). */
  byWeekday: number;
}

/**
 * The expected value of day `t` of `y` from the ordinary days before it that are on the current
 * level (from day `from`).
 */
export function expectedAt(
  y: readonly number[],
  t: number,
  from = 0,
  skip: Skip = null,
  cache?: WeeklyCache,
): Expected {
  const start = Math.max(0, from);
  let weekly = false;
  // Eight weeks of evidence for a weekly pattern: four are often noise (NAB's 5-minute series).
  if (t - 2 * WINDOW >= start) {
    // A pattern is a slow property: tested once a week (on the 8 weeks before the test day).
    if (cache && cache.from === start && t - cache.day < 7) weekly = cache.weekly;
    else {
      let n = 0;
      for (let i = t - 2 * WINDOW; i < t; i++) {
        if (skipped(skip, i)) continue;
        scratch[n] = y[i]!;
        weekdays[n] = i % 7;
        n++;
      }
      weekly = kruskalWallisWeekly(scratch, weekdays, n);
      if (cache) Object.assign(cache, { from: start, day: t, weekly });
    }
  }
  // Both rules, so that the detector can keep each one's prediction errors.
  let byWeekday = Number.NaN;
  if (t - WINDOW >= start) {
    let n = 0;
    for (let k = 1; k <= 4; k++) if (!skipped(skip, t - 7 * k)) scratch[n++] = y[t - 7 * k]!;
    if (n > 0) byWeekday = medianInPlace(scratch, n);
  }
  let n = 0;
  for (let i = Math.max(start, t - WINDOW); i < t; i++) if (!skipped(skip, i)) scratch[n++] = y[i]!;
  const byWindow = n ? medianInPlace(scratch, n) : 0;
  weekly = weekly && !Number.isNaN(byWeekday);
  return { expected: weekly ? byWeekday : byWindow, weekly, byWindow, byWeekday };
}

/**
 * Writes the residuals of the window's ordinary days from their fit (their weekday's median in the
 * window where weekly, else the expected value) into `out`; returns how many.
 */
function windowResiduals(
  y: readonly number[],
  t: number,
  from: number,
  skip: Skip,
  e: Expected,
  out: Float64Array,
  fitted: Float64Array,
): number {
  const lo = Math.max(0, from, t - WINDOW);
  let n = 0;
  if (!e.weekly) {
    for (let i = lo; i < t; i++) {
      if (skipped(skip, i)) continue;
      fitted[n] = e.expected;
      out[n++] = y[i]! - e.expected;
    }
    return n;
  }
  const byWeekday = [0, 0, 0, 0, 0, 0, 0];
  for (let d = 0; d < 7; d++) {
    let m = 0;
    for (let i = lo; i < t; i++) if (i % 7 === d && !skipped(skip, i)) scratch2[m++] = y[i]!;
    byWeekday[d] = m ? medianInPlace(scratch2, m) : e.expected;
  }
  for (let i = lo; i < t; i++) {
    if (skipped(skip, i)) continue;
    fitted[n] = byWeekday[i % 7]!;
    out[n++] = y[i]! - byWeekday[i % 7]!;
  }
  return n;
}

/**
 * The scale of residuals: 1.4826 x MAD, at least their standard deviation without a lone outlier
 * (one residual beyond 5 robust deviations from their median: a single past spike must not blind
 * the floor for four weeks, while outliers that recur are the series' nature and stay). The robust
 * MAD alone understates heavy-tailed noise (NAB: 43 false alerts per 1,000 days against 10).
 */
export function robustSpread(xs: ArrayLike<number>, n = xs.length): number {
  if (n === 0) return 0;
  const a = Float64Array.from({ length: n }, (_, i) => xs[i]!);
  const m = medianInPlace(a, n);
  for (let i = 0; i < n; i++) a[i] = Math.abs(a[i]! - m);
  const robust = MAD_SCALE * medianInPlace(a, n);
  // a is now sorted absolute deviations: count those beyond the lone-outlier bar.
  let outside = 0;
  for (let i = n - 1; i >= 0 && a[i]! > LONE_OUTLIER * robust; i--) outside++;
  const leaveOut = robust > 0 && outside === 1;
  let sum = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    if (leaveOut && Math.abs(x - m) > LONE_OUTLIER * robust) continue;
    sum += x;
    k++;
  }
  const mean = sum / k;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    if (leaveOut && Math.abs(x - m) > LONE_OUTLIER * robust) continue;
    ss += (x - mean) ** 2;
  }
  return Math.max(robust, Math.sqrt(ss / k));
}

const residualBuf = new Float64Array(WINDOW);
const fittedBuf = new Float64Array(WINDOW);

/**
 * The spread of day `t` around `e` from the window's ordinary days (at least 2 % of expected), and
 * the log spread where the window and its fit are positive (null otherwise).
 */
export function spreadAt(
  y: readonly number[],
  t: number,
  e: Expected,
  from = 0,
  skip: Skip = null,
): { spread: number; logSpread: number | null } {
  const n = windowResiduals(y, t, from, skip, e, residualBuf, fittedBuf);
  const spread = Math.max(robustSpread(residualBuf, n), 0.02 * Math.abs(e.expected));
  let positive = e.expected > 0 && n > 0;
  for (let i = 0; i < n && positive; i++) positive = fittedBuf[i]! > 0 && residualBuf[i]! + fittedBuf[i]! > 0;
  if (!positive) return { spread, logSpread: null };
  for (let i = 0; i < n; i++) residualBuf[i] = Math.log((residualBuf[i]! + fittedBuf[i]!) / fittedBuf[i]!);
  return { spread, logSpread: Math.max(robustSpread(residualBuf, n), 0.02) };
}

/** Expected value and spread of day `t` of `y` from the days before it (all of them ordinary). */
export function expectation(y: readonly number[], t: number): { expected: number; spread: number } {
  const e = expectedAt(y, t);
  return { expected: e.expected, spread: spreadAt(y, t, e).spread };
}
