import { describe, expect, it } from 'vitest';
import { conformalQuantile, quantile } from '../../../src/analytics/alerts/stats.js';

describe('conformalQuantile', () => {
  it('is the ceil((n + 1) q)-th smallest error, wider than the plain quantile', () => {
    const xs = [5, 1, 4, 2, 3, 9, 8, 7, 6, 10]; // 1..10
    // n = 10, q = 0.8: ceil(8.8) = 9th smallest.
    expect(conformalQuantile(xs, 0.8)).toBe(9);
    expect(quantile(xs, 0.8)).toBeCloseTo(8.2, 10);
    // q = 0.95: ceil(10.45) = 11 > n: the largest error.
    expect(conformalQuantile(xs, 0.95)).toBe(10);
  });

  it('holds at least q of new errors from the same distribution', () => {
    // 28 errors per fit as the backtest has; exchangeable draws from one uniform stream.
    let seed = 7;
    const u = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let covered = 0;
    let plain = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const errs = Array.from({ length: 28 }, u);
      const next = u();
      if (next <= conformalQuantile(errs, 0.8)) covered += 1;
      if (next <= quantile(errs, 0.8)) plain += 1;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.79);
    expect(plain / trials).toBeLessThan(covered / trials);
  });

  it('of nothing is NaN, for the caller to refuse', () => {
    expect(conformalQuantile([], 0.8)).toBeNaN();
  });
});
