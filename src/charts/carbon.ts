/** Top emitters: kg CO2e per instance over the window, operational and embodied apart. */
import type { TopLevelSpec } from 'vega-lite';
import { THEME, truncate, WIDTH } from './theme.js';

export interface EmitterBar {
  label: string;
  operationalKg: number;
  embodiedKg: number;
}

export function buildEmittersChart(bars: EmitterBar[], subtitle: string): TopLevelSpec {
  const shown = bars.slice(0, 12);
  const values = shown.flatMap((b, i) => [
    { order: i, label: truncate(b.label, 34), part: 'operational', kg: b.operationalKg },
    { order: i, label: truncate(b.label, 34), part: 'embodied', kg: b.embodiedKg },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    title: {
      text: 'Top emitters (kg CO2e)',
      subtitle: `${subtitle}${bars.length > shown.length ? ` · top ${shown.length} of ${bars.length}` : ''}`,
    },
    width: WIDTH - 280,
    height: { step: 26 },
    data: { values },
    mark: { type: 'bar', height: { band: 0.7 } },
    encoding: {
      y: {
        field: 'label',
        type: 'nominal',
        sort: { field: 'order', op: 'min', order: 'ascending' },
        title: null,
        axis: { labelLimit: 400, ticks: false },
      },
      x: {
        field: 'kg',
        type: 'quantitative',
        stack: 'zero',
        title: 'kg CO2e',
        axis: { format: '~s', tickCount: 5 },
      },
      color: {
        field: 'part',
        type: 'nominal',
        scale: { domain: ['operational', 'embodied'], range: ['#009E73', '#CC79A7'] },
        legend: { title: null },
      },
      order: { field: 'part', sort: 'descending' },
    },
  };
}
