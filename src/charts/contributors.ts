/** Top contributors: diverging horizontal bars of signed deltas, NEW and REMOVED marked. */
import type { TopLevelSpec } from 'vega-lite';
import type { DriverRow } from '../analytics/drivers/types.js';
import type { Dimension } from '../analytics/types.js';
import { COLORS, chartMoney, FIT_WIDTH, moneyAxisLabel, THEME, truncate } from './theme.js';

/** At most this many bars: beyond it a chart stops being readable as a thumbnail. */
export const MAX_CONTRIBUTOR_BARS = 12;

export function buildContributorsChart(
  rows: DriverRow[],
  currency: string,
  by: Dimension = 'service',
): TopLevelSpec {
  const shown = rows.slice(0, MAX_CONTRIBUTOR_BARS);
  const values = shown.map((r, i) => {
    const name = r.key === '' ? (by === 'team' ? '(untagged)' : '(none)') : r.key;
    const mark = r.label === 'NEW' ? ' (new)' : r.label === 'REMOVED' ? ' (removed)' : '';
    return {
      order: i,
      // Keys are unique per row; the order prefix keeps two equal truncations apart.
      label: `${truncate(name, 30)}${mark}`,
      id: `${i}`,
      delta: r.deltaValue,
      text: chartMoney(r.deltaValue, currency, true),
      sign: r.deltaValue >= 0 ? 'rise' : 'fall',
    };
  });
  const maxUp = Math.max(0, ...values.map((v) => v.delta));
  const maxDown = Math.min(0, ...values.map((v) => v.delta));
  const span = maxUp - maxDown || 1;
  const domain = [maxDown < 0 ? maxDown - span * 0.3 : 0, maxUp > 0 ? maxUp + span * 0.3 : 0];
  const more = rows.length - shown.length;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    title: {
      text: `Change by ${by}`,
      subtitle: `change against the previous window${more > 0 ? ` · top ${shown.length} of ${rows.length}` : ''}`,
    },
    ...FIT_WIDTH,
    height: { step: 30 },
    data: { values },
    encoding: {
      y: {
        field: 'id',
        type: 'nominal',
        sort: { field: 'order', op: 'min', order: 'ascending' },
        title: null,
        axis: {
          labelExpr: `[${values.map((v) => JSON.stringify(v.label)).join(',')}][toNumber(datum.value)]`,
          labelLimit: 260,
          ticks: false,
          domain: false,
        },
      },
    },
    layer: [
      {
        mark: { type: 'bar', cornerRadius: 2, height: { band: 0.7 } },
        encoding: {
          x: {
            field: 'delta',
            type: 'quantitative',
            scale: { domain },
            title: null,
            axis: { labelExpr: moneyAxisLabel(currency), tickCount: 5 },
          },
          color: {
            field: 'sign',
            type: 'nominal',
            scale: { domain: ['rise', 'fall'], range: [COLORS.rise, COLORS.fall] },
            // A legend, not a tooltip: the image is all a chat reader gets.
            legend: { title: null, labelExpr: "datum.label == 'rise' ? 'raises spend' : 'lowers spend'" },
          },
        },
      },
      {
        transform: [{ filter: 'datum.delta >= 0' }],
        mark: { type: 'text', align: 'left', dx: 5, baseline: 'middle' },
        encoding: { x: { field: 'delta', type: 'quantitative' }, text: { field: 'text' } },
      },
      {
        transform: [{ filter: 'datum.delta < 0' }],
        mark: { type: 'text', align: 'right', dx: -5, baseline: 'middle' },
        encoding: { x: { field: 'delta', type: 'quantitative' }, text: { field: 'text' } },
      },
      { mark: { type: 'rule', color: '#888888' }, encoding: { x: { datum: 0 } } },
    ],
  };
}
