/**
 * What the alerts add to a digest: the week's anomalies by service, the month-end forecast of the
 * total with its backtest, and the budgets at risk. The demo company, without budgets of its own,
 * gets one its forecast crosses, so that a first run shows what a crossing looks like.
 */
import type { Anomaly } from '../../analytics/alerts/anomalies.js';
import { type Budget, DEFAULT_THRESHOLDS } from '../../analytics/alerts/budgets.js';
import type { Basis } from '../../analytics/types.js';
import type { CostWarehouse } from '../../integrations/warehouse/port.js';
import type { ChartRef, ReportSection } from '../report.js';
import type { Scoped } from '../scope.js';
import {
  ALERTS_SENSITIVITY,
  anomalyChart,
  anomalySentence,
  type ExplainedAnomaly,
  loadAnomalies,
} from './anomalies.js';
import { budgetSentence, loadBudgets } from './budgets.js';
import { forecastSentence, loadForecast, type ScopeForecastOut } from './forecast.js';

export interface AlertsSummary {
  currency: string;
  anomalies: ExplainedAnomaly[];
  forecast: ScopeForecastOut;
  /** Sentences for the budgets at risk or over. */
  budgets: string[];
  /** The week's most severe anomaly in its context. */
  chart: ChartRef | null;
}

const SEVERITY_RANK = { high: 3, medium: 2, low: 1 } as const;

/** The digest's anomaly lines: the three largest in all. */
const largest = <T extends Anomaly>(xs: T[]): T[] =>
  [...xs].sort((a, b) => Math.abs(b.totalImpact) - Math.abs(a.totalImpact)).slice(0, 3);

/** The digest's anomaly chart: the most severe, then the largest on its day. */
const leadOf = <T extends Anomaly>(xs: T[]): T | undefined =>
  [...xs].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || Math.abs(b.impact) - Math.abs(a.impact),
  )[0];

/** The demo's budget: a round amount just under its month's forecast. */
export const demoBudget = (forecastTotal: number): Budget => ({
  name: 'Demo monthly budget',
  scope: { dimension: 'total', key: 'total' },
  amount: Math.floor((forecastTotal * 0.97) / 1000) * 1000,
  period: 'month',
  thresholds: DEFAULT_THRESHOLDS,
});

export async function loadAlertsSummary(
  w: CostWarehouse,
  o: { today: string; basis: Basis; teamTag: string; budgets: Budget[]; demo: boolean } & Scoped,
): Promise<AlertsSummary> {
  const found = await loadAnomalies(w, {
    by: 'service',
    days: 7,
    today: o.today,
    sensitivity: ALERTS_SENSITIVITY,
    basis: o.basis,
    teamTag: o.teamTag,
    where: o.where,
    bound: o.bound,
    // Only what the digest shows is explained: its lines and its chart.
    explain: (all) => [...largest(all), ...[leadOf(all)].filter((a) => a !== undefined)],
  });
  const f = await loadForecast(w, {
    by: 'total',
    horizon: 'month-end',
    today: o.today,
    basis: o.basis,
    teamTag: o.teamTag,
    where: o.where,
    bound: o.bound,
  });
  const forecast = f.scopes[0]!;
  const budgets = o.budgets.length ? o.budgets : o.demo ? [demoBudget(forecast.periodEnd.total)] : [];
  const statuses = budgets.length
    ? (
        await loadBudgets(w, {
          budgets,
          today: o.today,
          basis: o.basis,
          teamTag: o.teamTag,
          where: o.where,
          bound: o.bound,
        })
      ).statuses
    : [];
  const lead = leadOf(found.anomalies);
  const series = lead ? found.judged.find((x) => x.key === lead.key) : undefined;
  return {
    chart: lead && series ? anomalyChart(lead, series, f.series.currency, ALERTS_SENSITIVITY) : null,
    currency: f.series.currency,
    anomalies: found.anomalies,
    forecast,
    budgets: statuses.filter((s) => s.status !== 'ok').map((s) => budgetSentence(s, f.series.currency)),
  };
}

/** The digest's forecast line. */
export function forecastSection(s: AlertsSummary): ReportSection {
  return {
    id: 'forecast',
    title: 'Forecast',
    blocks: [{ type: 'text', text: forecastSentence(s.forecast, s.currency) }],
  };
}

/** Lines for "Needs attention": the largest anomalies of the week and the budgets at risk. */
export function attentionLines(s: AlertsSummary): string[] {
  const top = largest(s.anomalies);
  const more = s.anomalies.length - top.length;
  return [
    ...top.map((a) => `Anomaly: ${anomalySentence(a, s.currency)}`),
    ...(more > 0 ? [`${more} more anomal${more === 1 ? 'y' : 'ies'} this week (/spend anomalies).`] : []),
    ...s.budgets.map((b) => `Budget: ${b}`),
  ];
}
