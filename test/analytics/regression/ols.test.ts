import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitOls } from '../../../src/analytics/regression/ols.js';

const [, ...lines] = readFileSync(join(import.meta.dirname, '../../fixtures/longley/longley.csv'), 'utf8')
  .trim()
  .split('\n');
const rows = lines.map((l) => l.split(',').map(Number));
const y = rows.map((r) => r[0]!);
const x = rows.map((r) => r.slice(1));

// NIST StRD certified values for Longley.
const B = [
  -3482258.63459582, 15.0618722713733, -0.35819179292591e-1, -2.02022980381683, -1.03322686717359,
  -0.511041056535807e-1, 1829.15146461355,
];
const SE = [
  890420.383607373, 84.9149257747669, 0.334910077722432e-1, 0.488399681651699, 0.214274163161675,
  0.22607320006937, 455.478499142212,
];

/** Log relative error: the number of significant digits that agree. */
const lre = (got: number, want: number) => -Math.log10(Math.abs(got - want) / Math.abs(want));

describe('OLS by Householder QR', () => {
  it('reproduces every NIST certified Longley value to at least 9 significant digits', () => {
    const fit = fitOls(y, x, ['x1', 'x2', 'x3', 'x4', 'x5', 'x6']);
    fit.coefficients.forEach((c, j) => {
      expect(lre(c.estimate, B[j]!)).toBeGreaterThanOrEqual(9);
      expect(lre(c.stdError, SE[j]!)).toBeGreaterThanOrEqual(9);
    });
    expect(lre(fit.residualSD, 304.854073561965)).toBeGreaterThanOrEqual(9);
    expect(lre(fit.rSquared, 0.995479004577296)).toBeGreaterThanOrEqual(9);
    expect(lre(fit.fStatistic, 330.285339234588)).toBeGreaterThanOrEqual(9);
    expect(fit.coefficients.map((c) => c.name)).toEqual(['intercept', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6']);
    expect(fit.n).toBe(16);
    // t = estimate / se; p two-sided with 9 degrees of freedom (x3's t = -4.136, p = 0.00254).
    expect(fit.coefficients[3]!.t).toBeCloseTo(-4.1364, 3);
    expect(fit.coefficients[3]!.p).toBeCloseTo(0.002535, 5);
    expect(fit.leverage.reduce((s, h) => s + h, 0)).toBeCloseTo(7, 9);
  });

  it('collinear features, constant features and too few days are clear errors', () => {
    const days = Array.from({ length: 10 }, (_, i) => i);
    expect(() =>
      fitOls(
        days.map((d) => d * 2),
        days.map((d) => [d, 3 * d + 1]),
        ['a', 'b'],
      ),
    ).toThrow(/feature "b" is a linear combination of the others \(collinear\)/);
    expect(() =>
      fitOls(
        days,
        days.map(() => [5]),
        ['flat'],
      ),
    ).toThrow(/feature "flat" is constant/);
    expect(() => fitOls([1, 2], [[1], [2]], ['a'])).toThrow(/needs at least 3 days for 2 parameters/);
  });
});
