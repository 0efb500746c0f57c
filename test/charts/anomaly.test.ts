import { describe, expect, it } from 'vitest';
import { detectAnomalies } from '../../src/analytics/alerts/anomalies.js';
import { addDays, type DailySeries } from '../../src/analytics/alerts/series.js';
import { buildAnomalyChart } from '../../src/charts/anomaly.js';
import { renderSvg } from '../../src/charts/render.js';

type Point = { day: string; actual: number; lower: number; upper: number; marked: boolean };
const pointsOf = (spec: ReturnType<typeof buildAnomalyChart>) =>
  (spec as unknown as { data: { values: Point[] } }).data.values;

/** The chart's band is the one each day was judged against: every marked day lies outside it. */
function chartOf(values: number[]) {
  const s: DailySeries = { key: 'total', start: '2026-09-01', values };
  const last = addDays(s.start, values.length - 1);
  const [a] = detectAnomalies([s], {
    sensitivity: 'medium',
    from: addDays(s.start, 60),
    to: last,
    latestDataDay: addDays(last, 1),
    total: s,
  }).anomalies;
  expect(a).toBeDefined();
  return { a: a!, spec: buildAnomalyChart(s, a!, { currency: 'USD', sensitivity: 'medium', title: 't' }) };
}

describe('anomaly chart', () => {
  const noisy = Array.from({ length: 70 }, (_, i) => 1000 + ((i * 37) % 21) * 10 - 100);

  it('a run: every marked day is outside the band drawn for it', async () => {
    const { a, spec } = chartOf([...noisy, 2500, 2000, 1900, 1000]);
    expect(a.days).toBeGreaterThan(1);
    const marked = pointsOf(spec).filter((p) => p.marked);
    expect(marked).toHaveLength(a.days);
    for (const p of marked) expect(p.actual).toBeGreaterThan(p.upper);
    expect(await renderSvg(spec)).toContain('<svg');
  });

  it('a sustained shift: its days are drawn at the lower bar each was judged at, and the subtitle says so', () => {
    const { a, spec } = chartOf([...noisy, 1230, 1250, 1240, 1260, 1010]);
    expect(a.sustained).toBe(true);
    const marked = pointsOf(spec).filter((p) => p.marked);
    expect(marked).toHaveLength(a.days);
    for (const p of marked) expect(p.actual).toBeGreaterThan(p.upper);
    expect(JSON.stringify(spec)).toContain('± 1 in a sustained shift');
  });
});
