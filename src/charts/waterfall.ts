/**
 * The drivers waterfall as a bridge: previous spend, each step that moved, current spend. The
 * axis zooms on the change (it starts just below the lowest running total and says it does not
 * start at zero), every step carries its value and the running total after it, and a step too
 * small to see at that scale (often the model residual) is still drawn 3 pixels wide.
 */
import type { TopLevelSpec } from 'vega-lite';
import { stepName } from '../analytics/drivers/names.js';
import type { DriversResult } from '../analytics/drivers/types.js';
import { COLORS, chartMoney, FIT_WIDTH, THEME, WIDTH } from './theme.js';

interface Bar {
  order: number;
  label: string;
  from: number;
  to: number;
  kind: 'total' | 'rise' | 'fall' | 'residual';
  value: string;
  total: string;
}

/** The plot gets what the step names and running totals leave: about 320 px, never under this. */
const PLOT_AT_LEAST = WIDTH - 360;

export function buildWaterfallChart(r: DriversResult): TopLevelSpec {
  const c = r.currency;
  const bars: Bar[] = [];
  const total = (label: string, v: number) =>
    bars.push({
      order: bars.length,
      label,
      from: 0,
      to: v,
      kind: 'total',
      value: chartMoney(v, c),
      total: '',
    });
  total('Previous', r.waterfall.start);
  let level = r.waterfall.start;
  for (const step of r.waterfall.steps) {
    // Steps that did not move are left out (the text lists them); the totals always stay.
    if (step.value === 0) continue;
    const residual = step.name === 'modelResidual' || step.name === 'roundingResidual';
    bars.push({
      order: bars.length,
      label: stepName(step.name),
      from: level,
      to: level + step.value,
      kind: residual ? 'residual' : step.value > 0 ? 'rise' : 'fall',
      value: chartMoney(step.value, c, true),
      total: `= ${chartMoney(level + step.value, c)}`,
    });
    level += step.value;
  }
  total('Current', r.waterfall.end);

  // The scale spans the running totals, with room below for the totals to read as bars.
  const levels = bars.flatMap((b) => (b.kind === 'total' ? [b.to] : [b.from, b.to]));
  const hi = Math.max(...levels);
  const lo = Math.min(...levels);
  const span = hi - lo || Math.abs(hi) || 1;
  const zoomed = lo > 0 && lo - span * 0.6 > 0;
  const min = zoomed ? lo - span * 0.6 : Math.min(0, lo - span * 0.05);
  const max = hi + span * 0.08;
  // At least 3 px for any step, whatever its size.
  const minWidth = ((max - min) / PLOT_AT_LEAST) * 3;
  const values = bars.map((b) => {
    const from = b.kind === 'total' ? min : b.from;
    const grow = Math.abs(b.to - from) < minWidth ? (minWidth - Math.abs(b.to - from)) / 2 : 0;
    const [x, x2] = from <= b.to ? [from - grow, b.to + grow] : [b.to - grow, from + grow];
    return { ...b, x: Math.max(min, x), x2, labelAt: Math.max(from, b.to) + (max - min) * 0.01 };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    title: {
      text: 'What moved spend',
      subtitle: `${r.window.previous ? 'previous → current' : 'current'} · ${c}${
        zoomed ? ` · axis starts at ${chartMoney(min, c)}, not zero` : ''
      }`,
    },
    ...FIT_WIDTH,
    height: { step: 32 },
    data: { values },
    encoding: {
      y: {
        field: 'label',
        type: 'nominal',
        sort: { field: 'order', op: 'min', order: 'ascending' },
        title: null,
        axis: {
          labelLimit: 260,
          ticks: false,
          domain: false,
          labelFontWeight: {
            condition: { test: "datum.value == 'Previous' || datum.value == 'Current'", value: 'bold' },
            value: 'normal',
          } as never,
        },
      },
    },
    layer: [
      {
        mark: { type: 'bar', cornerRadius: 2, height: { band: 0.68 }, clip: true },
        encoding: {
          x: {
            field: 'x',
            type: 'quantitative',
            scale: { domain: [min, max], zero: false, nice: false },
            title: null,
            axis: {
              format: '~s',
              grid: true,
              tickCount: 5,
              labelExpr: zoomed ? "datum.index == 0 ? '≈ ' + datum.label : datum.label" : undefined,
            },
          },
          x2: { field: 'x2' },
          color: {
            field: 'kind',
            type: 'nominal',
            scale: {
              domain: ['total', 'rise', 'fall', 'residual'],
              range: [COLORS.total, COLORS.rise, COLORS.fall, COLORS.residual],
            },
            legend: {
              title: null,
              labelExpr:
                "{total: 'total', rise: 'raises spend', fall: 'lowers spend', residual: 'model residual'}[datum.label]",
            },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, baseline: 'middle', fontWeight: 'bold' },
        encoding: { x: { field: 'labelAt', type: 'quantitative' }, text: { field: 'value' } },
      },
      {
        mark: {
          type: 'text',
          align: 'right',
          baseline: 'middle',
          color: '#666666',
          x: { expr: 'width + 140' },
        },
        encoding: { text: { field: 'total' } },
      },
    ],
  };
}
