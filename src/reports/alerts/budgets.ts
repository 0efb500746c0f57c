/**
 * `spendbrief budgets` and `/spend budget list`: each budget's spend to date and the forecast of
 * its period's end against its amount and thresholds.
 */
import { type Budget, type BudgetStatus, evaluateBudget, periodOf } from '../../analytics/alerts/budgets.js';
import { addDays, daysBetween, earlierDay } from '../../analytics/alerts/series.js';
import { andWhere, formatWhere, type Where } from '../../analytics/scope.js';
import type { Basis } from '../../analytics/types.js';
import { type CodedError, ErrorCode } from '../../errors.js';
import { forecastAll } from '../../integrations/augurs/forecast-pool.js';
import type { CostWarehouse } from '../../integrations/warehouse/port.js';
import { type ReportDeps, type ReportOutput, withSession } from '../deps.js';
import { displayKey, formatMoney, formatPercent } from '../format.js';
import type { Report } from '../report.js';
import { type Scoped, scopeJson, scopeLine } from '../scope.js';
import type { SourceSpec } from '../source.js';
import { loadSeries, type ScopeDimension } from './series.js';

export interface BudgetsData {
  currency: string;
  lastActualDay: string;
  statuses: BudgetStatus[];
  /** Budgets whose scope has no spend at all in the data (a misspelt name, most often). */
  notes: string[];
}

export async function loadBudgets(
  w: CostWarehouse,
  req: { budgets: Budget[]; today?: string; basis: Basis; teamTag: string } & Scoped,
): Promise<BudgetsData> {
  // One series load per (where, dimension): a budget reads the report's scope and its own where.
  const whereOf = (b?: Budget) => andWhere(req.where ?? [], b?.where ?? []);
  const keyOf = (where: Where, d: ScopeDimension) => JSON.stringify([where, d]);
  const loads = new Map<string, { where: Where; d: ScopeDimension }>();
  for (const b of [undefined, ...req.budgets]) {
    const d: ScopeDimension = b?.scope.dimension ?? 'total';
    loads.set(keyOf(whereOf(b), d), { where: whereOf(b), d });
  }
  const loaded = new Map(
    await Promise.all(
      [...loads].map(
        async ([k, { where, d }]) =>
          [
            k,
            await loadSeries(w, {
              by: d,
              basis: req.basis,
              today: req.today,
              teamTag: req.teamTag,
              where,
              bound: req.bound,
            }).catch((e) => {
              // A budget's own where that matches nothing is that budget's note, not the report's end.
              if (
                where.length &&
                (e as CodedError).code === ErrorCode.NoData &&
                k !== keyOf(whereOf(), 'total')
              )
                return null;
              throw e;
            }),
          ] as const,
      ),
    ),
  );
  const any = loaded.get(keyOf(whereOf(), 'total'))!;
  const lastActualDay = earlierDay(any.latestDataDay, any.end);
  const jobs = req.budgets.map((b) => {
    const s = loaded.get(keyOf(whereOf(b), b.scope.dimension))?.series.find((x) => x.key === b.scope.key);
    const period = periodOf(lastActualDay, b.period);
    const y = s ? s.values.slice(0, daysBetween(s.start, lastActualDay) + 1) : [];
    const actual = s ? y.reduce((t, v, k) => (addDays(s.start, k) >= period.start ? t + v : t), 0) : 0;
    return { b, s, y, period, actual, horizon: daysBetween(lastActualDay, period.end) };
  });
  const toForecast = jobs.filter((j) => j.s && j.horizon > 0 && j.y.length > 0);
  const forecasts = await forecastAll(
    toForecast.map((j) => j.y),
    Math.max(1, ...toForecast.map((j) => j.horizon)),
  );
  const statuses = jobs.map((j) => {
    const k = toForecast.indexOf(j);
    let forecast: BudgetStatus['forecast'] =
      j.horizon <= 0 ? { total: j.actual, lower80: j.actual, upper80: j.actual } : null;
    if (k >= 0) {
      const p = forecasts[k]!.prediction;
      const sum = (xs: number[]) => xs.slice(0, j.horizon).reduce((a, b) => a + b, 0);
      forecast = {
        total: j.actual + sum(p.point),
        lower80: j.actual + sum(p.lower80),
        upper80: j.actual + sum(p.upper80),
      };
    }
    return evaluateBudget(j.b, { period: j.period, actualToDate: j.actual, forecast });
  });
  const notes = jobs
    .filter((j) => !j.s)
    .map(
      (j) =>
        `No spend of ${j.b.scope.dimension} "${j.b.scope.key}"${j.b.where?.length ? ` in ${formatWhere(j.b.where)}` : ''} in the data (budget ${j.b.name}): check the name; values are matched exactly.`,
    );
  return { currency: any.currency, lastActualDay, statuses, notes };
}

const scopeText = (b: Budget) =>
  b.scope.dimension === 'total'
    ? 'total'
    : `${b.scope.dimension} ${displayKey(b.scope.key, b.scope.dimension)}`;

export function budgetSentence(s: BudgetStatus, currency: string): string {
  const f = s.forecast;
  return `${s.budget.name} (${scopeText(s.budget)}): ${formatMoney(s.actualToDate, currency)} of ${formatMoney(s.budget.amount, currency)} spent (${formatPercent((s.actualToDate / s.budget.amount) * 100)})${
    f
      ? `, forecast ${formatMoney(f.total, currency)} by ${s.period.end} (${formatPercent((f.total / s.budget.amount) * 100)})`
      : ''
  }.`;
}

export function budgetsJson(d: BudgetsData) {
  return {
    currency: d.currency,
    lastActualDay: d.lastActualDay,
    budgets: d.statuses.map((s) => ({
      name: s.budget.name,
      scope: s.budget.scope,
      where: s.budget.where ?? [],
      amount: s.budget.amount,
      period: { kind: s.budget.period, ...s.period },
      actualToDate: s.actualToDate,
      forecast: s.forecast,
      thresholds: s.thresholds,
      status: s.status,
    })),
    notes: d.notes,
  };
}

export function buildBudgetsReport(d: BudgetsData, source: string): Report {
  const c = d.currency;
  const atRisk = d.statuses.filter((s) => s.status !== 'ok');
  return {
    kind: 'budgets',
    title: 'Budgets',
    period: `to ${d.lastActualDay} · ${c} · ${source}`,
    kpis: [
      { label: 'Budgets', value: String(d.statuses.length) },
      { label: 'At risk or over', value: String(atRisk.length), tone: atRisk.length ? 'bad' : 'good' },
    ],
    sections: [
      {
        id: 'budgets',
        title: 'Budgets',
        blocks: d.statuses.length
          ? [
              {
                type: 'table',
                columns: [
                  { header: 'budget' },
                  { header: 'scope' },
                  { header: 'amount', align: 'right' },
                  { header: 'spent', align: 'right' },
                  { header: 'forecast', align: 'right' },
                  { header: 'status' },
                ],
                rows: d.statuses.map((s) => [
                  s.budget.name,
                  scopeText(s.budget),
                  `${formatMoney(s.budget.amount, c)} / ${s.budget.period}`,
                  `${formatMoney(s.actualToDate, c)} (${formatPercent((s.actualToDate / s.budget.amount) * 100)})`,
                  s.forecast
                    ? `${formatMoney(s.forecast.total, c)} (${formatPercent((s.forecast.total / s.budget.amount) * 100)})`
                    : 'n/a',
                  s.status,
                ]),
              },
              ...atRisk.map((s) => ({
                type: 'text' as const,
                tone: s.status === 'over' ? ('bad' as const) : ('warning' as const),
                text: budgetSentence(s, c),
              })),
            ]
          : [{ type: 'text', text: 'No budgets yet: /spend budget set <amount> monthly [service <name>]' }],
      },
    ],
    footnotes: [
      'Thresholds: spend to date at 80 % and 100 % of the amount, the forecast of the period end at 100 % (unless a budget says otherwise). Forecast bounds are 80 %.',
    ],
  };
}

export async function runBudgets(
  deps: ReportDeps,
  req: {
    source: SourceSpec;
    budgets: Budget[];
    today?: string;
    now: string;
    basis: Basis;
    teamTag: string;
  } & Scoped,
): Promise<ReportOutput> {
  return withSession(deps, req.source, { today: req.today ?? req.now, purpose: 'report' }, async (s) => {
    const d = await loadBudgets(s.warehouse, req);
    const report = buildBudgetsReport(d, s.label);
    report.scope = scopeLine(req.where);
    return { report, json: { ...budgetsJson(d), scope: scopeJson(req.where) } };
  });
}
