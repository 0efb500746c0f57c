/**
 * The cost model's 6-panel dashboard: the first driver's trend, the second driver's growth, daily
 * cost (excluded days marked), cost against each driver with its fit line (each driver relative to
 * its mean, so they share an axis), cost per 1,000 of the last driver, and actual against predicted.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CostModel } from '../analytics/regression/cost-model.js';
import { COLORS, THEME } from './theme.js';

const PANEL = { width: 300, height: 170 };
/** The time axis every dated panel shares. */
const DATE_X = {
  field: 'date',
  type: 'temporal',
  title: null,
  // "Nov '26": the month and its year ("Nov 26" read as a day); overlapping labels are dropped.
  axis: { format: "%b '%y", tickCount: 4, labelOverlap: true, labelSeparation: 6 },
} as const;
const DRIVER_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9'];

export function buildModelDashboard(m: CostModel, currency: string): TopLevelSpec {
  const [first, second = first] = m.features;
  const last = m.features.at(-1)!;
  const rows = m.days.map((d) => ({ date: d.date, cost: d.cost, predicted: d.predicted, ...d.features }));
  const means = Object.fromEntries(
    m.features.map((f) => [
      f,
      rows.reduce((s, r) => s + (r[f as keyof typeof r] as number), 0) / (rows.length || 1),
    ]),
  );
  const relative = m.days.flatMap((d) =>
    m.features.map((f) => ({ driver: f, x: means[f] ? d.features[f]! / means[f]! : 0, cost: d.cost })),
  );
  const excludedDates = new Set(m.excluded.map((e) => e.date));
  const line = (field: string, title: string, color: string) => ({
    title,
    ...PANEL,
    data: { values: rows },
    mark: { type: 'line' as const, color, strokeWidth: 2 },
    encoding: {
      x: DATE_X,
      y: {
        field,
        type: 'quantitative' as const,
        title: null,
        axis: { format: '~s' },
        scale: { zero: false },
      },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // Top labels flush with the plot: a label centred on the top edge lifted its panel's title
    // above the others in the row.
    config: { ...THEME, title: { ...THEME.title, fontSize: 14 }, axisY: { labelFlush: true } },
    title: {
      text: 'Cost model',
      subtitle: `R² ${(m.fit.rSquared * 100).toFixed(1)} % · RMSE ${m.fit.rmsePercentOfMean.toFixed(1)} % of mean · ${m.fit.n} days · ${currency}`,
    },
    columns: 3,
    concat: [
      line(first!, `${first} per day`, COLORS.current),
      line(second!, `${second} (growth)`, '#009E73'),
      {
        title: `daily cost${excludedDates.size ? ' (× excluded)' : ''}`,
        ...PANEL,
        layer: [
          {
            data: { values: rows },
            mark: { type: 'line', color: COLORS.total, strokeWidth: 1.5 },
            encoding: {
              x: DATE_X,
              y: {
                field: 'cost',
                type: 'quantitative',
                title: null,
                axis: { format: '~s' },
                scale: { zero: false },
              },
            },
          },
          ...(excludedDates.size
            ? [
                {
                  data: { values: m.excluded.map((e) => ({ date: e.date, reason: e.reason })) },
                  mark: { type: 'rule' as const, color: COLORS.rise, strokeDash: [3, 3] },
                  encoding: { x: { field: 'date', type: 'temporal' as const } },
                },
              ]
            : []),
        ],
      },
      {
        title: 'cost vs each driver (÷ its mean)',
        ...PANEL,
        data: { values: relative },
        layer: [
          {
            // fillOpacity, not opacity: an `opacity` is a layer of its own per point in SVG viewers.
            mark: { type: 'point', filled: true, fillOpacity: 0.35, size: 14 },
            encoding: {
              x: { field: 'x', type: 'quantitative', title: null, scale: { zero: false } },
              y: {
                field: 'cost',
                type: 'quantitative',
                title: null,
                axis: { format: '~s' },
                scale: { zero: false },
              },
              color: {
                field: 'driver',
                type: 'nominal',
                scale: { range: DRIVER_COLORS },
                legend: { title: null, orient: 'bottom', symbolOpacity: 0.35 },
              },
            },
          },
          {
            transform: [{ regression: 'cost', on: 'x', groupby: ['driver'] }],
            mark: { type: 'line', strokeWidth: 2.5 },
            encoding: {
              x: { field: 'x', type: 'quantitative' },
              y: { field: 'cost', type: 'quantitative' },
              color: { field: 'driver', type: 'nominal', scale: { range: DRIVER_COLORS } },
            },
          },
        ],
      },
      {
        title: `cost per 1,000 ${last}`,
        ...PANEL,
        data: { values: rows },
        transform: [
          { filter: `datum['${last}'] > 0` },
          { calculate: `datum.cost / datum['${last}'] * 1000`, as: 'per1000' },
        ],
        mark: { type: 'line', color: COLORS.residual, strokeWidth: 2 },
        encoding: {
          x: DATE_X,
          y: { field: 'per1000', type: 'quantitative', title: null, scale: { zero: false } },
        },
      },
      {
        title: 'actual vs predicted',
        ...PANEL,
        data: { values: rows },
        transform: [{ fold: ['cost', 'predicted'], as: ['series', 'value'] }],
        mark: { type: 'line', strokeWidth: 1.6 },
        encoding: {
          x: DATE_X,
          y: {
            field: 'value',
            type: 'quantitative',
            title: null,
            axis: { format: '~s' },
            scale: { zero: false },
          },
          color: {
            field: 'series',
            type: 'nominal',
            scale: { domain: ['cost', 'predicted'], range: [COLORS.total, COLORS.rise] },
            legend: { title: null, orient: 'bottom' },
          },
          strokeDash: {
            field: 'series',
            type: 'nominal',
            scale: {
              domain: ['cost', 'predicted'],
              range: [
                [1, 0],
                [5, 3],
              ],
            },
            legend: null,
          },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
}
