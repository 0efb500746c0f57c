/**
 * Daily spend of the current window against the previous one, day by day (the i-th day of each
 * window, as the method pairs them), with the gap between them shaded and the model residual of
 * each day drawn as a band on the current line: as wide as it is, and named with its largest day.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { DriversResult } from '../analytics/drivers/types.js';
import { COLORS, chartMoney, FIT_WIDTH, moneyAxisLabel, THEME } from './theme.js';

const label = (day: string | null, i: number) => {
  if (!day) return `day ${i + 1}`;
  const d = new Date(`${day}T00:00:00Z`);
  return `${d.toLocaleDateString('en-US', { weekday: 'short', timeZone: 'UTC' })} ${d.getUTCDate()}`;
};

export function buildTrendChart(r: DriversResult): TopLevelSpec {
  const hasPrevious = r.window.previous !== null;
  const days = r.trend.map((t, i) => ({
    day: i + 1,
    label: label(t.currentDay, i),
    current: t.currentSpend,
    previous: hasPrevious ? t.previousSpend : t.currentSpend,
    residualLow: t.currentSpend - Math.max(0, t.dailyResidual),
    residualHigh: t.currentSpend - Math.min(0, t.dailyResidual),
  }));
  const lines = r.trend.flatMap((t, i) => [
    { day: i + 1, series: 'current window', spend: t.currentSpend },
    ...(hasPrevious ? [{ day: i + 1, series: 'previous window', spend: t.previousSpend }] : []),
  ]);
  const largest = r.trend.reduce(
    (m, t) => (Math.abs(t.dailyResidual) > Math.abs(m) ? t.dailyResidual : m),
    0,
  );
  const x = {
    field: 'day',
    type: 'quantitative' as const,
    title: null,
    scale: { domain: [0.6, Math.max(1, r.trend.length) + 0.4], nice: false },
    axis: {
      values: days.map((d) => d.day),
      labelExpr: `[${days.map((d) => JSON.stringify(d.label)).join(',')}][datum.value - 1]`,
      grid: false,
      labelOverlap: true,
    },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    title: {
      text: 'Daily spend',
      subtitle: `${hasPrevious ? 'against the previous window, day by day · ' : ''}model residual ≤ ${chartMoney(Math.abs(largest), r.currency)} a day`,
    },
    ...FIT_WIDTH,
    height: 220,
    layer: [
      {
        // The gap between the windows: what the drivers explain, day by day.
        data: { values: days },
        mark: { type: 'area', color: '#BBBBBB', opacity: 0.25 },
        encoding: { x, y: { field: 'previous', type: 'quantitative' }, y2: { field: 'current' } },
      },
      {
        data: { values: days },
        mark: { type: 'area', color: COLORS.residual, opacity: 0.8 },
        encoding: { x, y: { field: 'residualLow', type: 'quantitative' }, y2: { field: 'residualHigh' } },
      },
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 2.5, point: { size: 30, filled: true } },
        encoding: {
          x,
          y: {
            field: 'spend',
            type: 'quantitative',
            title: null,
            axis: { labelExpr: moneyAxisLabel(r.currency), tickCount: 5 },
            scale: { zero: false },
          },
          color: {
            field: 'series',
            type: 'nominal',
            scale: {
              domain: ['current window', 'previous window'],
              range: [COLORS.current, COLORS.previous],
            },
            // Line samples, so the previous window reads as the dashed line it is.
            legend: { title: null, symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolSize: 500 },
          },
          strokeDash: {
            field: 'series',
            type: 'nominal',
            scale: {
              domain: ['current window', 'previous window'],
              range: [
                [1, 0],
                [6, 4],
              ],
            },
            legend: { title: null },
          },
        },
      },
    ],
  };
}
