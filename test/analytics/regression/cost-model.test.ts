import { describe, expect, it } from 'vitest';
import { fitCostModel, type ModelDay } from '../../../src/analytics/regression/cost-model.js';

/** cost = 50 + 0.02 transactions + 0.5 customers, with small deterministic noise. */
function days(n: number): ModelDay[] {
  return Array.from({ length: n }, (_, i) => {
    const transactions = 10_000 + 150 * i + (i % 7) * 900;
    const customers = 800 + 3 * i;
    const noise = Math.sin(i * 1.7) * 4;
    return {
      date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
      cost: 50 + 0.02 * transactions + 0.5 * customers + noise,
      features: { transactions, customers },
    };
  });
}

describe('fitCostModel', () => {
  it('recovers the coefficients and unit costs of clean data', () => {
    const m = fitCostModel({
      days: days(120),
      features: ['transactions', 'customers'],
      outliers: 'auto',
      excludeDates: [],
    });
    expect(m.excluded).toEqual([]);
    expect(m.fit.coefficients[1]!.estimate).toBeCloseTo(0.02, 3);
    expect(m.fit.coefficients[2]!.estimate).toBeCloseTo(0.5, 1);
    expect(m.fit.rSquared).toBeGreaterThan(0.99);
    expect(m.unitCosts[0]).toMatchObject({ feature: 'transactions' });
    expect(m.unitCosts[0]!.marginalPer1000).toBeCloseTo(20, 0);
    expect(m.unitCosts[1]!.weekOverWeekPercent).not.toBeNull();
  });

  it('excludes configured dates, negative days and a planted outlier, listing each, and refits once', () => {
    const data = days(120);
    data[40]!.cost += 900;
    data[10]!.cost = -20;
    const m = fitCostModel({
      days: data,
      features: ['transactions', 'customers'],
      outliers: 'auto',
      excludeDates: [{ date: data[5]!.date, reason: 'billing correction' }],
    });
    expect(m.excluded.map((e) => e.date)).toEqual([data[5]!.date, data[10]!.date, data[40]!.date]);
    expect(m.excluded[0]!.reason).toBe('billing correction');
    expect(m.excluded[1]!.reason).toMatch(/negative cost/);
    expect(m.excluded[2]!.reason).toMatch(/studentized residual \d+\.\d\d beyond ±3.5/);
    expect(m.fit.n).toBe(117);
    expect(m.fit.coefficients[1]!.estimate).toBeCloseTo(0.02, 3);
  });

  it('--outliers none keeps every day but the configured ones', () => {
    const data = days(60);
    data[20]!.cost += 900;
    const m = fitCostModel({
      days: data,
      features: ['transactions', 'customers'],
      outliers: 'none',
      excludeDates: [],
    });
    expect(m.excluded).toEqual([]);
    expect(m.fit.n).toBe(60);
  });
});
