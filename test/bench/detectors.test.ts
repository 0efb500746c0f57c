import erfc from '@stdlib/math-base-special-erfc';
import { describe, expect, it } from 'vitest';
import { nabGaussianScores } from '../../bench/detectors.js';

describe("NAB's windowed Gaussian scores", () => {
  it('are 1 - Q(|z|) against the points before, as windowedGaussian_detector.py computes them', () => {
    const s = nabGaussianScores([1, 3, 2, 0]);
    expect(s[0]).toBe(0); // nothing before
    expect(s[1]).toBe(1); // one point before: std 0 -> 1e-6, z = 2e6
    expect(s[2]).toBe(0.5); // mean 2, std 1: z = 0, Q(0) = 0.5
    // Before: 1, 3, 2 (mean 2, population std sqrt(2/3)); 0 mirrors to 4.
    const z = 2 / Math.sqrt(2 / 3);
    expect(s[3]).toBeCloseTo(1 - 0.5 * erfc(z / Math.SQRT2), 12);
  });

  it('move a 6,400-point window on every 100 points once it is full', () => {
    // 6,400 zeros then 100 tens: until the window moves a 10 is 1e7 deviations out (std 1e-6,
    // score exactly 1); after the first step the window holds 100 tens among 6,300 zeros and a 10
    // is about 8 deviations out (score just under 1).
    const y = [...Array(6400).fill(0), ...Array(100).fill(10), 10];
    const s = nabGaussianScores(y);
    expect(s[6450]).toBe(1);
    expect(s[6500]).toBeLessThan(1);
    expect(s[6500]).toBeGreaterThan(0.99);
  });
});
