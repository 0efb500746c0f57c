/** Showback: each owner's cost as a stacked bar, direct and its share of shared cost apart. */
import type { TopLevelSpec } from 'vega-lite';
import { COLORS, chartMoney, FIT_WIDTH, moneyAxisLabel, THEME, truncate } from './theme.js';

export interface OwnerBar {
  label: string;
  direct: number;
  shared: number;
}

export function buildShowbackChart(bars: OwnerBar[], currency: string, subtitle: string): TopLevelSpec {
  const shown = bars.slice(0, 12);
  const values = shown.flatMap((b, i) => [
    { order: i, label: truncate(b.label, 30), part: 'direct', amount: b.direct },
    { order: i, label: truncate(b.label, 30), part: 'shared', amount: b.shared },
  ]);
  const totals = shown.map((b, i) => ({
    order: i,
    label: truncate(b.label, 30),
    total: b.direct + b.shared,
    text: chartMoney(b.direct + b.shared, currency),
  }));
  const max = Math.max(1e-9, ...totals.map((t) => t.total));
  const min = Math.min(0, ...values.map((v) => v.amount));
  const y = {
    field: 'label',
    type: 'nominal' as const,
    sort: { field: 'order', op: 'min' as const, order: 'ascending' as const },
    title: null,
    axis: { labelLimit: 240, ticks: false, domain: false },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    title: {
      text: 'Cost by owner',
      subtitle: `${subtitle}${bars.length > shown.length ? ` · top ${shown.length} of ${bars.length}` : ''}`,
    },
    ...FIT_WIDTH,
    height: { step: 30 },
    layer: [
      {
        data: { values },
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y,
          x: {
            field: 'amount',
            type: 'quantitative',
            stack: 'zero',
            title: null,
            scale: { domain: [min, max * 1.3] },
            axis: { labelExpr: moneyAxisLabel(currency), tickCount: 5 },
          },
          color: {
            field: 'part',
            type: 'nominal',
            scale: { domain: ['direct', 'shared'], range: [COLORS.current, COLORS.embodied] },
            legend: {
              title: null,
              labelExpr: "datum.label == 'direct' ? 'own cost' : 'share of shared cost'",
            },
          },
          order: { field: 'part', sort: 'ascending' },
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
