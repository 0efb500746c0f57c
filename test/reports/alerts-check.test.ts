import { describe, expect, it } from 'vitest';
import type { DailySeries } from '../../src/analytics/alerts/series.js';
import { anomalyReport } from '../../src/reports/alerts-check.js';
import type { ExplainedAnomaly } from '../../src/reports/anomalies.js';
import { keyHash } from '../../src/reports/drivers-sections.js';

const series: DailySeries = {
  key: 'x',
  start: '2026-09-01',
  values: Array.from({ length: 70 }, (_, i) => (i === 66 ? 900 : 500)),
};
const anomaly = (key: string) =>
  ({
    key,
    dimension: 'service',
    day: '2026-11-06',
    lastDay: '2026-11-06',
    days: 1,
    actual: 900,
    expected: 500,
    lower: 480,
    upper: 520,
    impact: 400,
    impactPercent: 80,
    totalImpact: 400,
    direction: 'spike',
    score: 20,
    severity: 'high',
    drivers: null,
    topContributor: null,
  }) as unknown as ExplainedAnomaly;

const drillPayload = (key: string) => {
  const report = anomalyReport(anomaly(key), series, 'USD', 'demo data');
  const more = report.sections.find((s) => s.id === 'more')!.blocks[0] as {
    actions: { id: string; payload: Record<string, unknown> }[];
  };
  return more.actions[0]!;
};

describe('an anomaly alert', () => {
  it('drills its scope down by the next dimension, over its day against a week before', () => {
    expect(drillPayload('Amazon EC2')).toMatchObject({
      id: 'drill',
      payload: {
        dim: 'service',
        key: 'Amazon EC2',
        window: '2026-11-06..2026-11-06',
        compare: '2026-10-30..2026-10-30',
      },
    });
  });

  it('a 5,000-character key travels as its hash, as in every other report', () => {
    const long = 's'.repeat(5000);
    const a = drillPayload(long);
    expect(a.payload).not.toHaveProperty('key');
    expect(a.payload.keyHash).toBe(keyHash(long));
    expect(JSON.stringify(a.payload).length).toBeLessThan(300);
  });
});
