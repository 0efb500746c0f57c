import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, evaluateBudget, periodOf } from '../../../src/analytics/alerts/budgets.js';

const budget = {
  name: 'All',
  scope: { dimension: 'total' as const, key: 'total' },
  amount: 1000,
  period: 'month' as const,
  thresholds: DEFAULT_THRESHOLDS,
};

describe('budgets', () => {
  it('periods: the month or quarter of a day', () => {
    expect(periodOf('2026-11-24', 'month')).toEqual({ start: '2026-11-01', end: '2026-11-30' });
    expect(periodOf('2026-02-10', 'month')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(periodOf('2026-11-24', 'quarter')).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    expect(periodOf('2026-01-01', 'quarter')).toEqual({ start: '2026-01-01', end: '2026-03-31' });
  });

  it('thresholds on the actual and on the forecast; status ok, at risk, over', () => {
    const period = periodOf('2026-11-24', 'month');
    const ok = evaluateBudget(budget, {
      period,
      actualToDate: 500,
      forecast: { total: 900, lower80: 850, upper80: 950 },
    });
    expect(ok.status).toBe('ok');
    const risk = evaluateBudget(budget, {
      period,
      actualToDate: 810,
      forecast: { total: 1050, lower80: 1000, upper80: 1100 },
    });
    expect(risk.thresholds.map((t) => [t.kind, t.percent, t.crossed])).toEqual([
      ['actual', 80, true],
      ['actual', 100, false],
      ['forecast', 100, true],
    ]);
    expect(risk.status).toBe('at risk');
    expect(evaluateBudget(budget, { period, actualToDate: 1000, forecast: null }).status).toBe('over');
  });
});
