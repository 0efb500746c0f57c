/**
 * `spendbrief forecast` and `/spend forecast`: each scope's daily spend to the end of the month (or
 * N days), with 80 % and 95 % intervals and the backtest that measured the method on its own data.
 */

import type { Backtest, ForecastPoint } from '../../analytics/alerts/forecast.js';
import { addDays, daysBetween, earlierDay } from '../../analytics/alerts/series.js';
import type { Basis } from '../../analytics/types.js';
import { buildForecastChart } from '../../charts/forecast.js';
import { forecastAll } from '../../integrations/augurs/forecast-pool.js';
import { describeModel } from '../../integrations/augurs/model.js';
import type { CostWarehouse } from '../../integrations/warehouse/port.js';
import { type ReportDeps, type ReportOutput, withSession } from '../deps.js';
import { displayKey, formatMoney } from '../format.js';
import type { Report } from '../report.js';
import { type Scoped, scopeJson, scopeLine } from '../scope.js';
import type { SourceSpec } from '../source.js';
import { loadSeries, otherCurrenciesNote, type ScopeDimension, type SeriesData } from './series.js';

export interface ForecastRequest extends Scoped {
  by: ScopeDimension;
  /** N days, or through the end of the month of the first forecast day. */
  horizon: number | 'month-end';
  today?: string;
  basis: Basis;
  teamTag: string;
}

export interface ScopeForecastOut {
  dimension: ScopeDimension;
  key: string;
  lastActualDay: string;
  points: ForecastPoint[];
  periodEnd: { day: string; total: number; lower80: number; upper80: number };
  actualToDate: number;
  backtest: Omit<Backtest, 'byMethod'>;
  method: string;
}

export interface ForecastData {
  series: SeriesData;
  scopes: ScopeForecastOut[];
}

const METHOD_NAMES = {
  model: '',
  naive: 'naive (the last day repeated)',
  seasonalNaive: 'seasonal naive (the same weekday last week)',
};

export async function loadForecast(w: CostWarehouse, req: ForecastRequest): Promise<ForecastData> {
  const series = await loadSeries(w, {
    by: req.by,
    basis: req.basis,
    today: req.today,
    teamTag: req.teamTag,
    where: req.where,
    bound: req.bound,
  });
  const lastActualDay = earlierDay(series.latestDataDay, series.end);
  const first = addDays(lastActualDay, 1);
  const monthEnd = new Date(Date.UTC(+first.slice(0, 4), +first.slice(5, 7), 0)).toISOString().slice(0, 10);
  const horizon = req.horizon === 'month-end' ? daysBetween(first, monthEnd) + 1 : req.horizon;
  const scopes = series.series.map((s) => ({
    s,
    y: s.values.slice(0, daysBetween(s.start, lastActualDay) + 1),
  }));
  const forecasts = await forecastAll(
    scopes.map((x) => x.y),
    horizon,
  );
  return {
    series,
    scopes: scopes.map(({ s, y }, i) => {
      const f = forecasts[i]!;
      const p = f.prediction;
      const points = p.point.map((value, k) => ({
        day: addDays(first, k),
        value,
        lower80: p.lower80[k]!,
        upper80: p.upper80[k]!,
        lower95: p.lower95[k]!,
        upper95: p.upper95[k]!,
      }));
      const end = points.at(-1)!.day;
      const endMonth = end.slice(0, 7);
      const actual = y.reduce(
        (sum, v, k) => (addDays(s.start, k).slice(0, 7) === endMonth ? sum + v : sum),
        0,
      );
      const inMonth = points.filter((q) => q.day.slice(0, 7) === endMonth);
      // Bounds of a month's total: the days' bounds summed (their errors move together, as a
      // level error does), the cautious reading.
      const sum = (f: (q: (typeof points)[number]) => number) => inMonth.reduce((t, q) => t + f(q), 0);
      const { byMethod: _, ...backtest } = f.backtest;
      return {
        dimension: req.by,
        key: s.key,
        lastActualDay,
        points,
        periodEnd: {
          day: end,
          total: actual + sum((q) => q.value),
          lower80: actual + sum((q) => q.lower80),
          upper80: actual + sum((q) => q.upper80),
        },
        // DESIGN: the actual of periodEnd.day's month through lastActualDay.
        actualToDate: actual,
        backtest,
        method: backtest.chosen === 'model' ? describeModel(y) : METHOD_NAMES[backtest.chosen],
      };
    }),
  };
}

export function forecastJson(d: ForecastData) {
  const methods = [...new Set(d.scopes.map((s) => s.method))];
  return {
    method: methods.length === 1 ? methods[0] : `per scope (${methods.join('; ')})`,
    currency: d.series.currency,
    scopes: d.scopes.map(({ method, ...s }) => ({ ...s, method })),
    otherCurrencies: d.series.otherCurrencies,
  };
}

const fmt = (v: number | null, digits = 2) => (v === null ? 'n/a' : v.toFixed(digits));

const isMonthEnd = (day: string) => addDays(day, 1).slice(8) === '01';
const monthName = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** One line: the period's total, its 80 % interval and how well the method backtested. */
export function forecastSentence(s: ScopeForecastOut, currency: string): string {
  const what = isMonthEnd(s.periodEnd.day)
    ? `${monthName(s.periodEnd.day)} ends at`
    : `${monthName(s.periodEnd.day)} through ${s.periodEnd.day}:`;
  return `${what} ${formatMoney(s.periodEnd.total, currency)} (80 %: ${formatMoney(s.periodEnd.lower80, currency)} to ${formatMoney(s.periodEnd.upper80, currency)}), ${formatMoney(s.actualToDate, currency)} of it spent to ${s.lastActualDay}; backtest MASE ${fmt(s.backtest.mase)}${s.backtest.chosen === 'model' ? '' : `, ${s.backtest.chosen} chosen`}.`;
}

export function buildForecastReport(d: ForecastData, source: string): Report {
  const c = d.series.currency;
  const lead = [...d.scopes].sort((a, b) => b.periodEnd.total - a.periodEnd.total)[0]!;
  const s = d.series.series.find((x) => x.key === lead.key)!;
  const recent = s.values
    .map((value, k) => ({ day: addDays(s.start, k), value }))
    .filter((x) => x.day <= lead.lastActualDay)
    .slice(-42);
  return {
    kind: 'forecast',
    title: 'Spend forecast',
    period: `from ${addDays(lead.lastActualDay, 1)} to ${lead.periodEnd.day} · ${c} · ${source}`,
    kpis: [
      {
        label: `${isMonthEnd(lead.periodEnd.day) ? 'Month end' : `To ${lead.periodEnd.day}`}${lead.dimension === 'total' ? '' : ` (${displayKey(lead.key, lead.dimension)})`}`,
        value: formatMoney(lead.periodEnd.total, c),
        detail: `80 %: ${formatMoney(lead.periodEnd.lower80, c)} to ${formatMoney(lead.periodEnd.upper80, c)}`,
      },
      { label: 'Spent to date', value: formatMoney(lead.actualToDate, c) },
      {
        label: 'Backtest MASE',
        value: fmt(lead.backtest.mase),
        detail: `80 % coverage ${lead.backtest.coverage80 === null ? 'n/a' : `${lead.backtest.coverage80.toFixed(0)} %`}`,
      },
    ],
    sections: [
      {
        id: 'forecast',
        title: lead.dimension === 'total' ? 'Total' : `By ${lead.dimension}`,
        blocks: [
          {
            type: 'chart',
            chart: {
              id: 'forecast',
              title: 'Forecast',
              altText: forecastSentence(lead, c),
              spec: buildForecastChart({
                actual: recent,
                points: lead.points,
                currency: c,
                title:
                  lead.dimension === 'total'
                    ? 'Daily spend and forecast'
                    : `${displayKey(lead.key, lead.dimension)}: daily spend and forecast`,
                subtitle: `${lead.method} · bands: 80 % and 95 %`,
              }),
            },
          },
          { type: 'text', text: forecastSentence(lead, c) },
          ...(d.scopes.length > 1
            ? [
                {
                  type: 'table' as const,
                  columns: [
                    { header: lead.dimension },
                    { header: 'to date', align: 'right' as const },
                    {
                      header: isMonthEnd(lead.periodEnd.day) ? 'month end' : `to ${lead.periodEnd.day}`,
                      align: 'right' as const,
                    },
                    { header: '80 % interval', align: 'right' as const },
                    { header: 'MASE', align: 'right' as const },
                    { header: 'method' },
                  ],
                  rows: [...d.scopes]
                    .sort((a, b) => b.periodEnd.total - a.periodEnd.total)
                    .slice(0, 25)
                    .map((x) => [
                      displayKey(x.key, x.dimension === 'total' ? 'service' : x.dimension),
                      formatMoney(x.actualToDate, c),
                      formatMoney(x.periodEnd.total, c),
                      `${formatMoney(x.periodEnd.lower80, c)} to ${formatMoney(x.periodEnd.upper80, c)}`,
                      fmt(x.backtest.mase),
                      x.backtest.chosen,
                    ]),
                  omitted: Math.max(0, d.scopes.length - 25),
                },
              ]
            : []),
        ],
      },
    ],
    footnotes: [
      `Backtest: 4 weekly origins, 7 days each, every fit on the days before its origin; MASE on M4's daily scale (1.0 = as good as yesterday's value for today, in-sample). A simple forecast replaces the model when it backtests at least 25 % better.`,
      "Intervals: the model's own, widened to the backtest errors where those are wider; a month total's interval sums its days' bounds.",
      ...otherCurrenciesNote(d.series),
    ],
  };
}

export async function runForecast(
  deps: ReportDeps,
  req: ForecastRequest & { source: SourceSpec; now: string },
): Promise<ReportOutput> {
  return withSession(deps, req.source, { today: req.today ?? req.now, purpose: 'report' }, async (s) => {
    const d = await loadForecast(s.warehouse, req);
    const report = buildForecastReport(d, s.label);
    report.scope = scopeLine(req.where);
    return { report, json: { ...forecastJson(d), scope: scopeJson(req.where) } };
  });
}
