/**
 * An anomaly in its context: the scope's daily spend over the last weeks, the expected band the
 * method judged each day against (expected ± threshold x spread, from the days before it; within
 * the run, the band of its first day), and the anomalous days marked.
 */
import type { TopLevelSpec } from 'vega-lite';
import { dayBands, SENSITIVITY, type Sensitivity, SUSTAINED_EACH } from '../analytics/alerts/anomalies.js';
import { type DailySeries, dayOf, daysBetween } from '../analytics/alerts/series.js';
import { COLORS, chartMoney, FIT_WIDTH, moneyAxisLabel, THEME } from './theme.js';

export function buildAnomalyChart(
  s: DailySeries,
  a: { day: string; lastDay: string; direction: string; sustained?: boolean },
  o: { currency: string; sensitivity: Sensitivity; title: string; days?: number },
): TopLevelSpec {
  const threshold = SENSITIVITY[o.sensitivity];
  const last = Math.min(s.values.length - 1, daysBetween(s.start, a.lastDay) + 7);
  const first = Math.max(7, last - (o.days ?? 42) + 1);
  const nonNegative = s.values.every((v) => v >= 0);
  const values = [];
  // Each day's band as the detector judged it: a run's later days against its first day's band
  // (their own bands are widened by the run itself), a sustained shift's days at its lower bar.
  const bands = dayBands(s, o.sensitivity);
  for (let t = first; t <= last; t++) {
    const day = dayOf(s, t);
    const band = bands[t];
    if (!band) continue;
    const inRun = day >= a.day && day <= a.lastDay;
    values.push({
      day,
      actual: s.values[t]!,
      expected: band.expected,
      lower: nonNegative ? Math.max(0, band.lower) : band.lower,
      upper: band.upper,
      marked: inRun,
      first: day === a.day,
      label: day === a.day ? `${a.direction} ${chartMoney(s.values[t]!, o.currency)}` : '',
    });
  }
  const x = {
    field: 'day',
    type: 'temporal' as const,
    title: null,
    axis: { format: '%b %d', labelOverlap: true, grid: false },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    title: {
      text: o.title,
      subtitle: a.sustained
        ? `daily spend · band: expected ± ${threshold} spreads, ± ${SUSTAINED_EACH} in a sustained shift · ${o.currency}`
        : `daily spend · band: expected ± ${threshold} spreads (${o.sensitivity} sensitivity) · ${o.currency}`,
    },
    ...FIT_WIDTH,
    height: 220,
    data: { values },
    layer: [
      {
        mark: { type: 'area', color: '#999999', opacity: 0.25 },
        encoding: { x, y: { field: 'lower', type: 'quantitative' }, y2: { field: 'upper' } },
      },
      {
        mark: { type: 'line', color: '#777777', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x, y: { field: 'expected', type: 'quantitative' } },
      },
      {
        mark: { type: 'line', color: COLORS.current, strokeWidth: 2.5 },
        encoding: {
          x,
          y: {
            field: 'actual',
            type: 'quantitative',
            title: null,
            axis: { labelExpr: moneyAxisLabel(o.currency), tickCount: 5 },
            scale: { zero: false },
          },
        },
      },
      {
        transform: [{ filter: 'datum.marked' }],
        mark: {
          type: 'point',
          filled: true,
          size: 140,
          color: a.direction === 'drop' || a.direction === 'gone' ? COLORS.fall : COLORS.rise,
        },
        encoding: { x, y: { field: 'actual', type: 'quantitative' } },
      },
      {
        transform: [{ filter: 'datum.first' }],
        mark: { type: 'text', dy: -16, fontWeight: 'bold', color: COLORS.text, align: 'right' },
        encoding: { x, y: { field: 'actual', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
}
