import { describe, expect, it } from 'vitest';
import { demoMetrics } from '../../../src/integrations/demo-metrics/generate.js';
import { buildModel, joinByDate } from '../../../src/reports/model/model.js';

describe('buildModel', () => {
  const metrics = demoMetrics({ start: '2026-01-01', end: '2026-03-31' });
  const costs = [...metrics.days].map(([day, v]) => ({
    day,
    spend: 100 + 0.001 * v.transactions! + 0.02 * v.customers! + (day.endsWith('5') ? 3 : -1),
  }));

  it('joins by date and reports the days on one side only', () => {
    const { days, join } = joinByDate(
      [...costs, { day: '2026-04-01', spend: 1 }],
      { ...metrics, days: new Map([...metrics.days].slice(1)) },
      metrics.features,
    );
    expect(days).toHaveLength(89);
    expect(join.costOnlyDays).toEqual(['2026-01-01', '2026-04-01']);
    expect(join.metricsOnlyDays).toEqual([]);
  });

  it('gives the JSON contract, a report with the dashboard, and the three files', () => {
    const out = buildModel({
      dailyCosts: costs,
      metrics,
      outliers: 'auto',
      excludeDates: [{ date: '2026-02-01', reason: 'migration' }],
      currency: 'USD',
      sources: 'test',
    });
    expect(Object.keys(out.json.fit as object)).toEqual(
      expect.arrayContaining([
        'coefficients',
        'rSquared',
        'adjRSquared',
        'residualSD',
        'rmse',
        'rmsePercentOfMean',
        'fStatistic',
        'n',
      ]),
    );
    expect(out.json.excluded).toContainEqual({ date: '2026-02-01', reason: 'migration' });
    expect(
      out.report.sections
        .flatMap((s) => s.blocks)
        .some((b) => b.type === 'chart' && b.chart.id === 'cost_analysis_dashboard'),
    ).toBe(true);
    expect(Object.keys(out.files).sort()).toEqual([
      'cost_analysis.csv',
      'regression_results.txt',
      'summary_statistics.txt',
    ]);
    expect(out.files['cost_analysis.csv']!.split('\n').filter(Boolean)).toHaveLength(91);
    expect(out.files['regression_results.txt']).toContain('Excluded days (1):');
  });

  it('an unknown feature and no overlapping days are clear errors', () => {
    expect(() =>
      buildModel({
        dailyCosts: costs,
        metrics,
        features: ['revenue'],
        outliers: 'none',
        excludeDates: [],
        currency: 'USD',
        sources: 't',
      }),
    ).toThrow('feature "revenue" is not in the metrics (they have: transactions, customers)');
    expect(() =>
      buildModel({
        dailyCosts: [{ day: '2020-01-01', spend: 1 }],
        metrics,
        outliers: 'none',
        excludeDates: [],
        currency: 'USD',
        sources: 't',
      }),
    ).toThrow(/no day has both a cost and business metrics/);
  });
});
