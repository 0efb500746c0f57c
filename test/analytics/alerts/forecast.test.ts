import { describe, expect, it } from 'vitest';
import {
  type ForecastModel,
  forecastSeries,
  m4Scale,
  naive,
  seasonalNaive,
} from '../../../src/analytics/alerts/forecast.js';

/** A model that always predicts the training mean, with narrow intervals of its own. */
const meanModel: ForecastModel = (train, h) => {
  const m = train.reduce((a, b) => a + b, 0) / train.length;
  const p = Array.from({ length: h }, () => m);
  return {
    point: p,
    lower80: p.map((x) => x - 1),
    upper80: p.map((x) => x + 1),
    lower95: p.map((x) => x - 2),
    upper95: p.map((x) => x + 2),
  };
};

describe('forecast', () => {
  it("M4's daily scale is the mean absolute one-day change", () => {
    expect(m4Scale([1, 3, 2, 6])).toBeCloseTo((2 + 1 + 4) / 3, 12);
  });

  it('naive repeats the last day; seasonal naive repeats last week', () => {
    expect(naive([1, 2, 3], 2).point).toEqual([3, 3]);
    expect(seasonalNaive([1, 2, 3, 4, 5, 6, 7, 8], 8).point).toEqual([2, 3, 4, 5, 6, 7, 8, 2]);
  });

  it('backtests 4 weekly origins, each fitted only on the days before it', () => {
    const seen: number[] = [];
    const spy: ForecastModel = (train, h) => {
      seen.push(train.length);
      return naive(train, h);
    };
    const y = Array.from({ length: 60 }, (_, i) => i);
    const f = forecastSeries(y, 5, spy);
    expect(seen.slice(0, 4)).toEqual([53, 46, 39, 32]);
    expect(f.backtest.origins).toBe(4);
  });

  it('a simple forecast replaces the model only when it backtests 25 % better; the output says which', () => {
    // A random walk with a trend: naive beats the mean by far.
    const walk = Array.from({ length: 80 }, (_, i) => 100 + i * 3 + ((i * 7919) % 11));
    const f = forecastSeries(walk, 7, meanModel);
    expect(f.backtest.chosen).toBe('naive');
    expect(f.prediction.point[0]).toBe(walk.at(-1));
    // A weekly series: seasonal naive is exact.
    const week = Array.from({ length: 80 }, (_, i) => [5, 9, 9, 9, 9, 2, 1][i % 7]!);
    expect(forecastSeries(week, 7, meanModel).backtest.chosen).toBe('seasonalNaive');
  });

  it("intervals widen to the backtest's errors where the model's own are too narrow", () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const noisy = Array.from({ length: 120 }, () => 100 + 30 * (rand() - 0.5));
    const f = forecastSeries(noisy, 14, meanModel);
    expect(f.backtest.chosen).toBe('model');
    // The model claims ±1; the backtest's errors are ~±15.
    expect(f.prediction.upper80[0]! - f.prediction.point[0]!).toBeGreaterThan(5);
    expect(f.prediction.upper95[13]!).toBeGreaterThan(f.prediction.upper80[13]!);
    expect(f.backtest.coverage80).toBeGreaterThan(60);
  });

  it('a series that never went below 0 is never forecast below 0', () => {
    const falling = Array.from({ length: 40 }, (_, i) => Math.max(0, 100 - i * 4));
    const down: ForecastModel = (train, h) => {
      const p = Array.from({ length: h }, (_, k) => train.at(-1)! - 10 * (k + 1));
      return { point: p, lower80: p, upper80: p, lower95: p, upper95: p };
    };
    const f = forecastSeries(falling, 10, down);
    expect(Math.min(...f.prediction.point, ...f.prediction.lower95)).toBeGreaterThanOrEqual(0);
  });

  it('short histories: naive, no backtest origins, no NaN', () => {
    const f = forecastSeries([10, 12, 11], 3, meanModel);
    expect(f.backtest).toMatchObject({ chosen: 'naive', origins: 0, mase: null, coverage80: null });
    expect(f.prediction.point.every(Number.isFinite)).toBe(true);
  });
});
