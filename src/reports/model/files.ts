/** The source tool's three files: the merged data, the regression results and a summary. */
import type { CostModel } from '../../analytics/regression/cost-model.js';
import type { MetricsByDay } from '../../integrations/metrics.js';

const csvCell = (v: string | number) =>
  typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;

export function modelFiles(
  m: CostModel,
  json: { excluded: { date: string; reason: string }[] },
  input: {
    dailyCosts: { day: string; spend: number }[];
    metrics: MetricsByDay;
    currency: string;
    sources: string;
  },
): Record<string, string> {
  const f = m.fit;
  const beta = f.coefficients.map((c) => c.estimate);
  const excluded = new Map(json.excluded.map((e) => [e.date, e.reason]));
  const header = ['date', 'cost', ...m.features, 'predicted_cost', 'residual', 'excluded_reason'];
  const costByDay = new Map(input.dailyCosts.map((c) => [c.day, c.spend]));
  const rows = [...input.metrics.days]
    .filter(([d]) => costByDay.has(d))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, values]) => {
      const cost = costByDay.get(date)!;
      const predicted = beta[0]! + m.features.reduce((s, name, j) => s + beta[j + 1]! * values[name]!, 0);
      return [
        date,
        cost,
        ...m.features.map((n) => values[n]!),
        predicted,
        cost - predicted,
        excluded.get(date) ?? '',
      ]
        .map(csvCell)
        .join(',');
    });
  const w = Math.max(...f.coefficients.map((c) => c.name.length), 9);
  const results = [
    'Cost model: ordinary least squares by Householder QR',
    `cost = b0 + ${m.features.map((n, j) => `b${j + 1}·${n}`).join(' + ')}`,
    '',
    `${'term'.padEnd(w)}  ${'estimate'.padStart(16)}  ${'std. error'.padStart(14)}  ${'t'.padStart(9)}  ${'p'.padStart(10)}`,
    ...f.coefficients.map(
      (c) =>
        `${c.name.padEnd(w)}  ${c.estimate.toPrecision(10).padStart(16)}  ${c.stdError.toPrecision(6).padStart(14)}  ${c.t.toFixed(3).padStart(9)}  ${c.p.toExponential(3).padStart(10)}`,
    ),
    '',
    `n                  ${f.n}`,
    `R²                 ${f.rSquared.toFixed(6)}`,
    `adjusted R²        ${f.adjRSquared.toFixed(6)}`,
    `residual SD        ${f.residualSD.toFixed(4)} ${input.currency}`,
    `RMSE               ${f.rmse.toFixed(4)} ${input.currency} (${f.rmsePercentOfMean.toFixed(2)} % of mean)`,
    `F                  ${f.fStatistic.toFixed(3)} (p ${f.fPValue.toExponential(3)})`,
    '',
    `Excluded days (${json.excluded.length}):`,
    ...json.excluded.map((e) => `  ${e.date}  ${e.reason}`),
  ].join('\n');
  const meanCost = m.days.reduce((s, d) => s + d.cost, 0) / (m.days.length || 1);
  const summary = [
    'Cost model summary',
    `Period            ${m.days[0]?.date}..${m.days.at(-1)?.date} (${m.days.length} days fitted, ${json.excluded.length} excluded)`,
    `Sources           ${input.sources}`,
    `Mean daily cost   ${meanCost.toFixed(2)} ${input.currency}`,
    `R²                ${(f.rSquared * 100).toFixed(2)} %`,
    `RMSE              ${f.rmsePercentOfMean.toFixed(2)} % of mean`,
    ...m.unitCosts.map(
      (u) =>
        `Per 1,000 ${u.feature.padEnd(12)} marginal ${u.marginalPer1000.toFixed(4)} ${input.currency}; average (7 days) ${u.averagePer1000Last7?.toFixed(4) ?? 'n/a'}, week over week ${u.weekOverWeekPercent === null ? 'n/a' : `${u.weekOverWeekPercent.toFixed(1)} %`}`,
    ),
  ].join('\n');
  return {
    'cost_analysis.csv': `${[header.join(','), ...rows].join('\n')}\n`,
    'regression_results.txt': `${results}\n`,
    'summary_statistics.txt': `${summary}\n`,
  };
}
