import { describe, expect, it } from 'vitest';
import {
  type NabSeries,
  nabScore,
  probationaryLength,
  STANDARD_PROFILE,
  scaledSigmoid,
  scoreSeries,
} from '../../bench/nab-score.js';

// Hand computations use 2*sigmoid(x) - 1 = tanh(x/2), so scaledSigmoid(p) = -tanh(2.5 p) for p <= 3,
// and maxTP = scaledSigmoid(-1) = tanh(2.5) = 0.986614298151430.
const DIGITS = 9; // toBeCloseTo(x, 9): |difference| < 5e-10

/** 100 points, probationary period 15 points (0..14), one window [40, 49] (width 10). */
const one = (detections: number[]): NabSeries => ({ length: 100, windows: [[40, 49]], detections });

describe('NAB scaled sigmoid and probationary period', () => {
  it("matches sweeper.py's docstring values", () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.98661, 5);
    expect(scaledSigmoid(3.0001)).toBe(-1);
  });

  it('is min(floor(0.15 n), 750) points', () => {
    expect(probationaryLength(100)).toBe(15);
    expect(probationaryLength(1243)).toBe(186); // floor(186.45)
    expect(probationaryLength(4032)).toBe(604); // floor(604.8)
    expect(probationaryLength(22695)).toBe(750);
  });
});

describe('scoreSeries, standard profile, 100 points, window [40, 49]', () => {
  it("a detection at the window's first point earns exactly A_TP = 1", () => {
    // position -(49 - 40 + 1) / 10 = -1: scaledSigmoid(-1) / maxTP = 1.
    expect(scoreSeries(one([40]))).toEqual({ raw: 1, tp: 1, fp: 0, fn: 0 });
  });

  it('a detection at its last point earns tanh(0.25) / tanh(2.5) = 0.248241549775', () => {
    // position -(49 - 49 + 1) / 10 = -0.1: tanh(0.25) = 0.244918662404, / 0.986614298151 = 0.248241549775.
    const r = scoreSeries(one([49]));
    expect(r.raw).toBeCloseTo(0.248241549775, DIGITS);
    expect([r.tp, r.fp, r.fn]).toEqual([1, 0, 0]);
  });

  it('a detection in its middle earns tanh(1.25) / tanh(2.5) = 0.859792566910', () => {
    // position -(49 - 45 + 1) / 10 = -0.5: 0.848283639958 / 0.986614298151 = 0.859792566910.
    expect(scoreSeries(one([45])).raw).toBeCloseTo(0.85979256691, DIGITS);
  });

  it('two detections in the window are one credit, the earlier one (no FP for the second)', () => {
    // 42: position -(49 - 42 + 1) / 10 = -0.8: tanh(2) / tanh(2.5) = 0.964027580076 / 0.986614298151
    // = 0.977106840923; 44 would earn less and is not added.
    const r = scoreSeries(one([44, 42]));
    expect(r.raw).toBeCloseTo(0.977106840923, DIGITS);
    expect([r.tp, r.fp, r.fn]).toEqual([1, 0, 0]);
  });

  it('a detection before the window costs A_FP x 1 = -0.11, plus the missed window A_FN = -1', () => {
    // 20: no preceding window, unweighted -1.0: -0.11; window missed: -1. Total -1.11.
    const r = scoreSeries(one([20]));
    expect(r.raw).toBeCloseTo(-1.11, DIGITS);
    expect([r.tp, r.fp, r.fn]).toEqual([0, 1, 1]);
  });

  it('a detection 3 points after the window costs 0.11 x tanh(2.5 / 3) = 0.075048796926', () => {
    // 52: position past window |49 - 52| / (10 - 1) = 1/3: scaledSigmoid = -tanh(5/6) = -0.682261790238,
    // x 0.11 = -0.075048796926; with the missed window: -1.075048796926.
    const r = scoreSeries(one([52]));
    expect(r.raw).toBeCloseTo(-1.075048796926, DIGITS);
    expect([r.tp, r.fp, r.fn]).toEqual([0, 1, 1]);
  });

  it('a detection right after the window costs little even when the window was found', () => {
    // 40: +1; 50: position 1/9: -tanh(5/18) = -0.270847118517, x 0.11 = -0.029793183037.
    expect(scoreSeries(one([40, 50])).raw).toBeCloseTo(1 - 0.029793183037, DIGITS);
  });

  it('a detection more than 3 window-widths past it costs the full -0.11', () => {
    // 80: position 31/9 = 3.44 > 3: -1, x 0.11 = -0.11; 76: position 27/9 = 3 (not > 3):
    // -tanh(7.5) = -0.999999388196, x 0.11 = -0.109999932702.
    expect(scoreSeries(one([40, 80])).raw).toBeCloseTo(0.89, DIGITS);
    expect(scoreSeries(one([40, 76])).raw).toBeCloseTo(1 - 0.109999932702, DIGITS);
  });

  it('a detection in the probationary period is ignored', () => {
    // 10 < 15: not scored; the window is missed: -1, no FP.
    expect(scoreSeries(one([10]))).toEqual({ raw: -1, tp: 0, fp: 0, fn: 1 });
    expect(scoreSeries(one([10, 40]))).toEqual({ raw: 1, tp: 1, fp: 0, fn: 0 });
  });

  it('no detections: the window costs A_FN = -1', () => {
    expect(scoreSeries(one([]))).toEqual({ raw: -1, tp: 0, fp: 0, fn: 1 });
  });

  it('a window that overlaps the probationary period scores only its later points', () => {
    // Window [10, 19], width 10, probation 0..14: 12 is ignored; 15: position -(19 - 15 + 1) / 10 = -0.5
    // = 0.859792566910, as in the middle case above.
    const s: NabSeries = { length: 100, windows: [[10, 19]], detections: [12, 15] };
    expect(scoreSeries(s).raw).toBeCloseTo(0.85979256691, DIGITS);
    expect(scoreSeries({ ...s, detections: [12] })).toEqual({ raw: -1, tp: 0, fp: 0, fn: 1 });
  });

  it('the profile is a parameter (reward_low_FN_rate: A_FN = -2)', () => {
    expect(scoreSeries(one([]), { tp: 1, fp: -0.11, fn: -2 }).raw).toBe(-2);
    expect(scoreSeries(one([20]), { tp: 1, fp: -0.22, fn: -1 }).raw).toBeCloseTo(-1.22, DIGITS);
  });

  it('rejects windows out of order or out of range and detections out of range', () => {
    expect(() =>
      scoreSeries({
        length: 100,
        windows: [
          [50, 59],
          [40, 45],
        ],
        detections: [],
      }),
    ).toThrow();
    expect(() => scoreSeries({ length: 100, windows: [[90, 100]], detections: [] })).toThrow();
    expect(() => scoreSeries(one([100]))).toThrow();
  });
});

describe('nabScore normalisation', () => {
  it('no detections scores 0, a detection at each window start 100', () => {
    const empty = nabScore([one([])]);
    expect(empty).toMatchObject({ score: 0, raw: -1, nullRaw: -1, perfectRaw: 1 });
    expect(nabScore([one([40])]).score).toBe(100);
  });

  it('a 2-series corpus: 100 * (raw - null) / (perfect - null) = 59.187794849341', () => {
    // A: 100 points, window [40, 49]; 45 -> +0.859792566910, 80 -> -0.11. A = 0.749792566910.
    const a = one([45, 80]);
    // B: 200 points (probation 30), windows [50, 59] and [120, 139] (width 20).
    //   10: in probation, ignored; 35: before any window, -0.11; [50, 59] missed, -1;
    //   61: 2 past [50, 59], position 2/9: -tanh(5/9) x 0.11 = -0.055513963749;
    //   125: position -(139 - 125 + 1) / 20 = -0.75: tanh(1.875) / tanh(2.5) = +0.966989087800.
    //   B = -0.11 - 1 - 0.055513963749 + 0.966989087800 = -0.198524875949.
    const b: NabSeries = {
      length: 200,
      windows: [
        [50, 59],
        [120, 139],
      ],
      detections: [10, 35, 61, 125],
    };
    expect(scoreSeries(b).raw).toBeCloseTo(-0.198524875949, DIGITS);
    // raw = 0.551267690961; null = -1 + -2 = -3; perfect = 3 windows x 1 = 3.
    // score = 100 * (0.551267690961 + 3) / 6 = 59.187794849341.
    const r = nabScore([a, b]);
    expect(r.raw).toBeCloseTo(0.551267690961, DIGITS);
    expect(r.nullRaw).toBe(-3);
    expect(r.perfectRaw).toBe(3);
    expect(r.score).toBeCloseTo(59.187794849341, DIGITS);
    expect([r.tp, r.fp, r.fn]).toEqual([2, 3, 1]);
  });

  it("NAB's perfect counts every labelled window, even one inside the probationary period", () => {
    // Window [5, 12] ends before point 15: the scorer never sees it (null raw 0, and a detection at
    // 5 is ignored), but runner.py's perfect = tpCount x A_TP still counts it: perfect 1.
    const r = nabScore([{ length: 100, windows: [[5, 12]], detections: [5] }]);
    expect(r).toMatchObject({ raw: 0, nullRaw: 0, perfectRaw: 1, score: 0, tp: 0, fn: 0 });
  });

  it('uses the standard profile by default', () => {
    expect(STANDARD_PROFILE).toEqual({ tp: 1, fp: -0.11, fn: -1 });
  });
});
