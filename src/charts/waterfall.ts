/** The drivers waterfall: previous spend, the six buckets, the two residuals, current spend. */
import type { TopLevelSpec } from 'vega-lite';
import type { DriversResult } from '../analytics/drivers/types.js';
import { COLORS, shortMoney, THEME, WIDTH } from './theme.js';

const STEP_LABELS: Record<string, string> = {
  newServicesResources: 'New services',
  usageGrowth: 'Usage growth',
  ratePriceChange: 'Rate/price',
  mixShift: 'Mix shift',
  creditsDiscountChange: 'Credits',
  savingsRemovals: 'Removed/savings',
  modelResidual: 'Unexplained',
  roundingResidual: 'Rounding',
};

interface Bar {
  order: number;
  label: string;
  from: number;
  to: number;
  kind: 'total' | 'rise' | 'fall';
  text: string;
}

export function buildWaterfallChart(r: DriversResult): TopLevelSpec {
  const c = r.currency;
  const bars: Bar[] = [
    {
      order: 0,
      label: 'Previous',
      from: 0,
      to: r.waterfall.start,
      kind: 'total',
      text: shortMoney(r.waterfall.start, c),
    },
  ];
  let level = r.waterfall.start;
  for (const step of r.waterfall.steps) {
    // Zero steps are left out (a rounding residual is usually 0); the totals always stay.
    if (step.value === 0) continue;
    bars.push({
      order: bars.length,
      label: STEP_LABELS[step.name] ?? step.name,
      from: level,
      to: level + step.value,
      kind: step.value > 0 ? 'rise' : 'fall',
      text: shortMoney(step.value, c, true),
    });
    level += step.value;
  }
  bars.push({
    order: bars.length,
    label: 'Current',
    from: 0,
    to: r.waterfall.end,
    kind: 'total',
    text: shortMoney(r.waterfall.end, c),
  });
  const hi = Math.max(0, ...bars.map((b) => Math.max(b.from, b.to)));
  const lo = Math.min(0, ...bars.map((b) => Math.min(b.from, b.to)));
  // Room right of the longest bar for its label.
  const domain = [lo < 0 ? lo - (hi - lo) * 0.12 : 0, hi + (hi - lo) * 0.22 || 1];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    title: {
      text: 'What moved spend',
      subtitle: `${r.window.previous ? 'previous → current' : 'current'} · ${c}`,
    },
    width: WIDTH - 190,
    height: { step: 34 },
    data: { values: bars.map((b) => ({ ...b, end: Math.max(b.from, b.to) })) },
    encoding: {
      y: {
        field: 'label',
        type: 'nominal',
        sort: { field: 'order', op: 'min', order: 'ascending' },
        title: null,
        axis: { labelLimit: 400, ticks: false, domain: false },
      },
    },
    layer: [
      {
        mark: { type: 'bar', cornerRadius: 2, height: { band: 0.7 } },
        encoding: {
          x: {
            field: 'from',
            type: 'quantitative',
            scale: { domain },
            title: null,
            axis: { format: '~s', grid: true, tickCount: 5 },
          },
          x2: { field: 'to' },
          color: {
            field: 'kind',
            type: 'nominal',
            scale: { domain: ['total', 'rise', 'fall'], range: [COLORS.total, COLORS.rise, COLORS.fall] },
            legend: {
              title: null,
              labelExpr:
                "datum.label == 'total' ? 'total' : datum.label == 'rise' ? 'raises spend' : 'lowers spend'",
            },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 5, baseline: 'middle' },
        encoding: { x: { field: 'end', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
  };
}
