/**
 * The cost model report.
 *
 *   1. daily cost (one currency, some services excluded) inner-joined with business metrics by
 *      UTC date; days missing on either side are counted and named, never invented
 *   2. fitCostModel (QR, outliers listed)
 *   3. the DESIGN.md JSON object, the Report (KPIs, coefficients, unit economics, exclusions, the
 *      6-panel dashboard) and the three files of the source tool
 */
import {
  type CostModel,
  type Exclusion,
  fitCostModel,
  type ModelDay,
} from '../../analytics/regression/cost-model.js';
import { buildModelDashboard } from '../../charts/model-dashboard.js';
import { CodedError, ErrorCode } from '../../errors.js';
import type { MetricsByDay } from '../../integrations/metrics.js';
import { formatMoney, formatPercent } from '../format.js';
import type { Report, ReportSection } from '../report.js';
import { modelFiles } from './files.js';

export interface ModelInput {
  dailyCosts: { day: string; spend: number }[];
  metrics: MetricsByDay;
  features?: string[];
  outliers: 'auto' | 'none';
  excludeDates: Exclusion[];
  currency: string;
  /** Where the data came from, for the period line. */
  sources: string;
}

export interface ModelOutput {
  model: CostModel;
  json: Record<string, unknown>;
  report: Report;
  files: Record<string, string>;
}

export interface JoinSummary {
  joinedDays: number;
  costOnlyDays: string[];
  metricsOnlyDays: string[];
}

export function joinByDate(
  costs: { day: string; spend: number }[],
  metrics: MetricsByDay,
  features: string[],
): { days: ModelDay[]; join: JoinSummary } {
  const cost = new Map(costs.map((c) => [c.day, c.spend]));
  const days: ModelDay[] = [];
  for (const [date, values] of metrics.days) {
    const c = cost.get(date);
    if (c !== undefined)
      days.push({ date, cost: c, features: Object.fromEntries(features.map((f) => [f, values[f]!])) });
  }
  days.sort((a, b) => (a.date < b.date ? -1 : 1));
  return {
    days,
    join: {
      joinedDays: days.length,
      costOnlyDays: [...cost.keys()].filter((d) => !metrics.days.has(d)).sort(),
      metricsOnlyDays: [...metrics.days.keys()].filter((d) => !cost.has(d)).sort(),
    },
  };
}

const sample = (days: string[]) =>
  days.length === 0
    ? 'none'
    : `${days.length} (${days.slice(0, 3).join(', ')}${days.length > 3 ? ', …' : ''})`;

/** The digest's unit-cost line: the average per 1,000 units over 7 days and its weekly change. */
export function unitCostSection(m: CostModel, currency: string): ReportSection {
  const parts = m.unitCosts
    .filter((u) => u.averagePer1000Last7 !== null)
    .slice(0, 2)
    .map(
      (u) =>
        `${formatMoney(u.averagePer1000Last7!, currency)} per 1,000 ${u.feature} (${formatPercent(u.weekOverWeekPercent, { signed: true })} week over week, marginal ${formatMoney(u.marginalPer1000, currency)})`,
    );
  return {
    id: 'unitCost',
    title: 'Unit cost',
    blocks: [
      {
        type: 'text',
        text: `${parts.join('; ') || 'No unit cost this week.'} Fit R² ${(m.fit.rSquared * 100).toFixed(1)} % over ${m.fit.n} days.`,
      },
    ],
  };
}

export function unitEconomicsSection(m: CostModel, currency: string): ReportSection {
  return {
    id: 'costModel',
    title: 'Unit economics',
    blocks: [
      {
        type: 'facts',
        facts: m.unitCosts.flatMap((u) => [
          { label: `Marginal cost per 1,000 ${u.feature}`, value: formatMoney(u.marginalPer1000, currency) },
          {
            label: `Average cost per 1,000 ${u.feature} (7 days)`,
            value:
              u.averagePer1000Last7 === null
                ? 'n/a'
                : `${formatMoney(u.averagePer1000Last7, currency)} (${formatPercent(u.weekOverWeekPercent, { signed: true })} week over week)`,
          },
        ]),
      },
      {
        type: 'context',
        text: `Fit: R² ${(m.fit.rSquared * 100).toFixed(1)} %, RMSE ${m.fit.rmsePercentOfMean.toFixed(1)} % of mean cost, ${m.fit.n} days, ${m.excluded.length} excluded.`,
      },
    ],
  };
}

export function buildModel(input: ModelInput): ModelOutput {
  const features = input.features?.length ? input.features : input.metrics.features;
  for (const f of features) {
    if (!input.metrics.features.includes(f))
      throw new CodedError(
        ErrorCode.BadInput,
        `feature "${f}" is not in the metrics (they have: ${input.metrics.features.join(', ')})`,
      );
  }
  const { days, join } = joinByDate(input.dailyCosts, input.metrics, features);
  if (days.length === 0)
    throw new CodedError(
      ErrorCode.NoData,
      'no day has both a cost and business metrics: check that both cover the same dates (UTC)',
    );
  const model = fitCostModel({ days, features, outliers: input.outliers, excludeDates: input.excludeDates });
  const f = model.fit;
  const json = {
    fit: {
      coefficients: f.coefficients,
      rSquared: f.rSquared,
      adjRSquared: f.adjRSquared,
      residualSD: f.residualSD,
      rmse: f.rmse,
      rmsePercentOfMean: f.rmsePercentOfMean,
      fStatistic: f.fStatistic,
      fPValue: f.fPValue,
      n: f.n,
    },
    excluded: model.excluded,
    unitCosts: model.unitCosts,
    currency: input.currency,
    join,
  };
  const c = input.currency;
  const report: Report = {
    kind: 'model',
    title: 'Cost model: daily cost against business metrics',
    period: `${days[0]!.date}..${days.at(-1)!.date} · ${input.sources} · ${c}`,
    kpis: [
      {
        label: 'R²',
        value: `${(f.rSquared * 100).toFixed(1)} %`,
        detail: `adjusted ${(f.adjRSquared * 100).toFixed(1)} %`,
      },
      { label: 'RMSE', value: `${f.rmsePercentOfMean.toFixed(1)} % of mean`, detail: formatMoney(f.rmse, c) },
      ...model.unitCosts.map((u) => ({
        label: `per 1,000 ${u.feature}`,
        value: formatMoney(u.marginalPer1000, c),
        detail: 'marginal',
      })),
      { label: 'Days', value: `${f.n} fitted`, detail: `${model.excluded.length} excluded` },
    ],
    sections: [
      {
        id: 'fit',
        title: 'Fit',
        blocks: [
          {
            type: 'table',
            columns: [
              { header: 'term' },
              { header: 'estimate', align: 'right' },
              { header: 'std. error', align: 'right' },
              { header: 't', align: 'right' },
              { header: 'p', align: 'right' },
            ],
            rows: f.coefficients.map((k) => [
              k.name,
              k.estimate.toPrecision(6),
              k.stdError.toPrecision(4),
              k.t.toFixed(2),
              k.p < 1e-4 ? '<0.0001' : k.p.toFixed(4),
            ]),
          },
          {
            type: 'chart',
            chart: {
              id: 'cost_analysis_dashboard',
              title: 'Cost model dashboard',
              altText: `Six panels: drivers over time, daily cost, cost against each driver with its fit, cost per 1,000 ${features.at(-1)}, actual against predicted. R² ${(f.rSquared * 100).toFixed(1)} %.`,
              spec: buildModelDashboard(model, c),
            },
          },
        ],
      },
      unitEconomicsSection(model, c),
      {
        id: 'excluded',
        title: 'Excluded days',
        blocks:
          model.excluded.length === 0
            ? [{ type: 'text', text: 'No day was excluded.' }]
            : [
                {
                  type: 'table',
                  columns: [{ header: 'date' }, { header: 'reason' }],
                  rows: model.excluded.map((e) => [e.date, e.reason]),
                },
              ],
      },
    ],
    footnotes: [
      `Days with cost but no metrics: ${sample(join.costOnlyDays)}; with metrics but no cost: ${sample(join.metricsOnlyDays)}. Only days with both are fitted.`,
      'OLS solved by Householder QR (never the normal equations); outliers: configured dates, negative cost, |externally studentized residual| > 3.5, refitted once.',
    ],
  };
  return { model, json, report, files: modelFiles(model, json, input) };
}
