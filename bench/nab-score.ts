/**
 * NAB's scoring (Lavin & Ahmad, ICMLA 2015), as its own code computes it for one fixed threshold:
 * github.com/numenta/NAB at ea702d75 (2024-12-03), `nab/sweeper.py` (Sweeper.calcSweepScore,
 * calcScoreByThreshold, scoreDataSet), `nab/scorer.py` (scoreCorpus sums the files' scores),
 * `nab/runner.py` (normalize) and `config/profiles.json` (the cost matrices).
 *
 * Our detectors flag points (no anomaly scores), so a flagged point is NAB's "anomaly score above
 * the threshold" and there is no sweep. Per series, after the probationary period (ignored):
 *   - each window scores the best (= earliest) detection inside it, weighted by how early it came,
 *     or A_FN when it has none; further detections in the same window neither add nor cost;
 *   - each detection outside every window costs |A_FP| times a weight: 1 before the first window,
 *     else a scaled sigmoid of its distance past the previous window (near 0 just after it).
 * A corpus's raw score is the sum of its series' scores (scorer.py), normalised to 0 for the null
 * detector (no detections) and 100 for the perfect one (runner.py).
 */

/** NAB's cost matrix, with the paper's signs: A_TP > 0, A_FP < 0, A_FN < 0. */
export interface NabProfile {
  tp: number;
  fp: number;
  fn: number;
}

/**
 * config/profiles.json "standard": tpWeight 1.0, fpWeight 0.11, fnWeight 1.0. The file stores
 * magnitudes and sweeper.py applies the signs (`-self.fnWeight`, `unweightedScore * fpWeight` with
 * unweightedScore <= 0), so fp and fn here are the negated fpWeight and fnWeight.
 */
export const STANDARD_PROFILE: NabProfile = { tp: 1.0, fp: -0.11, fn: -1.0 };

export interface NabSeries {
  /** Number of points; point indices run 0..length-1. */
  length: number;
  /** Anomaly windows as inclusive point indices, in order and not overlapping. */
  windows: readonly (readonly [number, number])[];
  /** Indices of the flagged points (duplicates are one flag). */
  detections: readonly number[];
}

export interface NabSeriesScore {
  /** The series' NAB score (sweeper.py ThresholdScore.score). */
  raw: number;
  /** Scored windows with at least one scored detection. */
  tp: number;
  /** Scored detections outside every window. */
  fp: number;
  /** Scored windows without a scored detection. */
  fn: number;
}

// sweeper.py `Sweeper.__init__(self, probationPercent=0.15, ...)`: runner.py keeps 0.15.
const PROBATION_PERCENT = 0.15;

/** sweeper.py `sigmoid(x)`: `1 / (1 + math.exp(-x))`. */
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * sweeper.py `scaledSigmoid(relativePositionInWindow)`: -1.0 beyond 3.0, else
 * `2*sigmoid(-5*relativePositionInWindow) - 1.0`; -1 (a window's left edge) gives 0.98661, 0 its
 * right edge 0, positive positions (past a window) run from 0 down towards -1.
 */
export function scaledSigmoid(relativePosition: number): number {
  return relativePosition > 3.0 ? -1.0 : 2 * sigmoid(-5 * relativePosition) - 1.0;
}

/**
 * sweeper.py `_getProbationaryLength(numRows)`:
 * `min(math.floor(self.probationPercent * numRows), self.probationPercent * 5000)`, so at most 750
 * points; a point i is scored when `i >= probationaryLength`.
 */
export function probationaryLength(length: number): number {
  return Math.min(Math.floor(PROBATION_PERCENT * length), PROBATION_PERCENT * 5000);
}

function checkSeries(s: NabSeries): void {
  if (!Number.isInteger(s.length) || s.length < 1) throw new Error(`NAB series length ${s.length}`);
  let prevEnd = -1;
  for (const [a, b] of s.windows) {
    // calcSweepScore enters windows in list order by timestamp equality; overlaps would be misread.
    if (!Number.isInteger(a) || !Number.isInteger(b) || a <= prevEnd || b < a || b >= s.length) {
      throw new Error(`NAB window [${a}, ${b}] out of order or out of range`);
    }
    prevEnd = b;
  }
  for (const d of s.detections) {
    if (!Number.isInteger(d) || d < 0 || d >= s.length) throw new Error(`NAB detection ${d} out of range`);
  }
}

/**
 * One series scored the way Sweeper.scoreDataSet scores a detector's file at one threshold:
 * calcSweepScore gives every point the score it would earn if flagged, calcScoreByThreshold sums
 * the flagged points' FP scores and each window's best TP score (a window starts at -fnWeight).
 */
export function scoreSeries(s: NabSeries, p: NabProfile = STANDARD_PROFILE): NabSeriesScore {
  checkSeries(s);
  const tpWeight = p.tp;
  const fpWeight = -p.fp;
  const fnWeight = -p.fn;
  // sweeper.py `maxTP = scaledSigmoid(-1.0)`: a detection at a window's first point earns tpWeight.
  const maxTP = scaledSigmoid(-1.0);
  const probation = probationaryLength(s.length);
  const flagged = [...new Set(s.detections)].filter((i) => i >= probation).sort((a, b) => a - b);

  let fpScore = 0;
  let fp = 0;
  // Per window: undefined when no scored point (all in probation: NAB never names it, no FN).
  const windowScore: (number | undefined)[] = s.windows.map(([, b]) =>
    b >= probation ? -fnWeight : undefined,
  );
  const hit = s.windows.map(() => false);
  let w = 0; // first window not yet passed
  for (const i of flagged) {
    while (w < s.windows.length && s.windows[w]![1] < i) w++;
    const cur = s.windows[w];
    if (cur && cur[0] <= i) {
      const [left, right] = cur;
      const width = right - left + 1;
      // sweeper.py `positionInWindow = -(curWindowRightIndex - i + 1) / curWindowWidth`
      const position = -(right - i + 1) / width;
      // sweeper.py `weightedScore = unweightedScore * self.tpWeight / maxTP`
      const weighted = (scaledSigmoid(position) * tpWeight) / maxTP;
      // calcScoreByThreshold: `scoreParts[windowName] = max(scoreParts[windowName], sweepScore)`
      windowScore[w] = Math.max(windowScore[w]!, weighted);
      hit[w] = true;
      continue;
    }
    const prev = s.windows[w - 1];
    let unweighted: number;
    if (!prev) {
      // sweeper.py: no preceding window, "as if we were just really far away": `unweightedScore = -1.0`
      unweighted = -1.0;
    } else {
      const prevWidth = prev[1] - prev[0] + 1;
      // sweeper.py `positionPastWindow = abs(prevWindowRightIndex - i) / float(prevWindowWidth - 1)`.
      // A one-point window divides by 0: Python raises; here it is Infinity, past 3.0, weight -1.
      const positionPastWindow = Math.abs(prev[1] - i) / (prevWidth - 1);
      unweighted = scaledSigmoid(positionPastWindow);
    }
    // sweeper.py `weightedScore = unweightedScore * self.fpWeight`, summed into scoreParts["fp"]
    fpScore += unweighted * fpWeight;
    fp++;
  }

  let raw = fpScore;
  let tp = 0;
  let fn = 0;
  for (const [k, score] of windowScore.entries()) {
    if (score === undefined) continue;
    raw += score;
    if (hit[k]) tp++;
    else fn++;
  }
  return { raw, tp, fp, fn };
}

export interface NabCorpusScore {
  /** 100 * (raw - nullRaw) / (perfectRaw - nullRaw): runner.py `normalize`. */
  score: number;
  raw: number;
  nullRaw: number;
  perfectRaw: number;
  tp: number;
  fp: number;
  fn: number;
}

/**
 * A corpus scored and normalised as runner.py `normalize` does:
 *   `score = 100 * (results["Score"].iloc[-1] - base) / (perfect - base)`
 * where the raw score is scorer.py's total over files, `base` is the null detector's total (NAB's
 * null detector outputs 0.5 everywhere and its thresholds.json threshold 0.625 flags nothing, so it
 * is the scorer run with no detections), and `perfect = tpCount * tpWeight` with tpCount the number
 * of windows in the label file. That equals the scorer run on one detection at each window's first
 * point, except for windows ending inside the probationary period: the scorer ignores those, NAB's
 * `perfect` still counts them (no window of the 19 NAB series in ../shared/data does).
 */
export function nabScore(series: readonly NabSeries[], p: NabProfile = STANDARD_PROFILE): NabCorpusScore {
  let raw = 0;
  let nullRaw = 0;
  let windows = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const s of series) {
    const r = scoreSeries(s, p);
    raw += r.raw;
    tp += r.tp;
    fp += r.fp;
    fn += r.fn;
    nullRaw += scoreSeries({ ...s, detections: [] }, p).raw;
    windows += s.windows.length;
  }
  const perfectRaw = windows * p.tp;
  // No scorable window: NAB would divide by zero; there is nothing to normalise against.
  const score = perfectRaw === nullRaw ? Number.NaN : (100 * (raw - nullRaw)) / (perfectRaw - nullRaw);
  return { score, raw, nullRaw, perfectRaw, tp, fp, fn };
}
