/** Daily spend, current window against the previous one by day index, residual overlaid. */
import type { TopLevelSpec } from 'vega-lite';
import type { DriversResult } from '../analytics/drivers/types.js';
import { COLORS, THEME, WIDTH } from './theme.js';

export function buildTrendChart(r: DriversResult): TopLevelSpec {
  const lines = r.trend.flatMap((t) => [
    { day: t.index + 1, series: 'current', spend: t.currentSpend, date: t.currentDay ?? '' },
    ...(r.window.previous
      ? [{ day: t.index + 1, series: 'previous', spend: t.previousSpend, date: t.previousDay ?? '' }]
      : []),
  ]);
  const residuals = r.trend.map((t) => ({ day: t.index + 1, residual: t.dailyResidual }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    title: {
      text: 'Daily spend',
      subtitle: `day of window · ${r.currency} · bars: unexplained part of each day's change`,
    },
    width: WIDTH - 90,
    height: 220,
    layer: [
      {
        data: { values: residuals },
        mark: { type: 'bar', color: COLORS.residual, opacity: 0.75 },
        encoding: {
          x: {
            field: 'day',
            type: 'quantitative',
            title: 'day of window',
            scale: { domain: [0.5, Math.max(1, r.trend.length) + 0.5], nice: false },
            axis: { tickMinStep: 1, format: 'd' },
          },
          y: {
            field: 'residual',
            type: 'quantitative',
            title: 'unexplained per day',
            axis: { format: '~s', orient: 'right', grid: false, titleColor: COLORS.residual },
          },
        },
      },
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 2.5, point: false },
        encoding: {
          x: { field: 'day', type: 'quantitative' },
          y: {
            field: 'spend',
            type: 'quantitative',
            title: 'spend per day',
            axis: { format: '~s' },
            scale: { zero: false },
          },
          color: {
            field: 'series',
            type: 'nominal',
            scale: { domain: ['current', 'previous'], range: [COLORS.current, COLORS.previous] },
            legend: { title: null },
          },
          strokeDash: {
            field: 'series',
            type: 'nominal',
            scale: {
              domain: ['current', 'previous'],
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
    resolve: { scale: { y: 'independent' } },
  };
}
