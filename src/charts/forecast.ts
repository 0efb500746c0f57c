/** The forecast: the last weeks of actual spend, the forecast days with their 80 % and 95 % bands. */

import type { TopLevelSpec } from 'vega-lite';
import type { ForecastPoint } from '../analytics/alerts/forecast.js';
import { COLORS, FIT_WIDTH, moneyAxisLabel, THEME } from './theme.js';

export function buildForecastChart(o: {
  actual: { day: string; value: number }[];
  points: ForecastPoint[];
  currency: string;
  title: string;
  subtitle: string;
}): TopLevelSpec {
  const x = {
    field: 'day',
    type: 'temporal' as const,
    title: null,
    axis: { format: '%b %d', labelOverlap: true, grid: false },
  };
  const y = { type: 'quantitative' as const };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    title: { text: o.title, subtitle: o.subtitle },
    ...FIT_WIDTH,
    height: 220,
    layer: [
      {
        data: { values: o.points },
        mark: { type: 'area', color: COLORS.current, opacity: 0.12 },
        encoding: { x, y: { ...y, field: 'lower95' }, y2: { field: 'upper95' } },
      },
      {
        data: { values: o.points },
        mark: { type: 'area', color: COLORS.current, opacity: 0.22 },
        encoding: { x, y: { ...y, field: 'lower80' }, y2: { field: 'upper80' } },
      },
      {
        data: { values: o.points },
        mark: { type: 'line', color: COLORS.current, strokeDash: [6, 4], strokeWidth: 2 },
        encoding: { x, y: { ...y, field: 'value' } },
      },
      {
        data: { values: o.actual },
        mark: { type: 'line', color: COLORS.text, strokeWidth: 2 },
        encoding: {
          x,
          y: {
            ...y,
            field: 'value',
            title: null,
            axis: { labelExpr: moneyAxisLabel(o.currency), tickCount: 5 },
            scale: { zero: false },
          },
        },
      },
    ],
  };
}
