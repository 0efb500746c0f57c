/** Top emitters: kg CO2e per instance over the window, operational and embodied apart. */
import type { TopLevelSpec } from 'vega-lite';
import { COLORS, FIT_WIDTH, THEME, truncate } from './theme.js';

export interface EmitterBar {
  label: string;
  operationalKg: number;
  embodiedKg: number;
}

export function buildEmittersChart(
  bars: EmitterBar[],
  subtitle: string,
  title = 'Top emitters (kg CO2e)',
): TopLevelSpec {
  const shown = bars.slice(0, 12);
  const values = shown.flatMap((b, i) => [
    { order: i, label: truncate(b.label, 34), part: 'operational', kg: b.operationalKg },
    { order: i, label: truncate(b.label, 34), part: 'embodied', kg: b.embodiedKg },
  ]);
  const totals = shown.map((b, i) => ({
    order: i,
    label: truncate(b.label, 34),
    total: b.operationalKg + b.embodiedKg,
    text: kgText(b.operationalKg, b.embodiedKg),
  }));
  const max = Math.max(1e-9, ...totals.map((t) => t.total));
  const y = {
    field: 'label',
    type: 'nominal' as const,
    sort: { field: 'order', op: 'min' as const, order: 'ascending' as const },
    title: null,
    axis: { labelLimit: 260, ticks: false, domain: false },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    title: {
      text: title,
      subtitle: `${subtitle}${bars.length > shown.length ? ` · top ${shown.length} of ${bars.length}` : ''}`,
    },
    ...FIT_WIDTH,
    height: { step: 28 },
    layer: [
      {
        data: { values },
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y,
          x: {
            field: 'kg',
            type: 'quantitative',
            stack: 'zero',
            title: 'kg CO2e',
            scale: { domain: [0, max * 1.3] },
            axis: { format: '~s', tickCount: 5 },
          },
          color: {
            field: 'part',
            type: 'nominal',
            scale: { domain: ['operational', 'embodied'], range: [COLORS.operational, COLORS.embodied] },
            legend: { title: null },
          },
          order: { field: 'part', sort: 'descending' },
        },
      },
      {
        data: { values: totals },
        mark: { type: 'text', align: 'left', dx: 4, baseline: 'middle' },
        encoding: { y, x: { field: 'total', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
  };
}

const num = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(2));

/** `26 + 8.4 kg`: operational and embodied, as the bar shows them. */
const kgText = (operational: number, embodied: number) =>
  embodied > 0 ? `${num(operational)} + ${num(embodied)} kg` : `${num(operational)} kg`;
