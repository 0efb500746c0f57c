/**
 * Budgets (alerts note, "Budgets"): a scope, an amount, a period and thresholds on the actual
 * spend to date and on the forecast of the period's end. Pure: the actual and the forecast come in.
 */
import type { Where } from '../scope.js';
import type { Dimension } from '../types.js';

export type BudgetPeriod = 'month' | 'quarter';

export interface Budget {
  /** A name people read; unique in a file or a channel. */
  name: string;
  scope: { dimension: Dimension | 'total'; key: string };
  /** The lines it covers besides its scope key: a channel scope's budget is that scope's. */
  where?: Where;
  amount: number;
  period: BudgetPeriod;
  thresholds: { actual: number[]; forecast: number[] };
}

export const DEFAULT_THRESHOLDS = { actual: [80, 100], forecast: [100] };

export interface ThresholdState {
  kind: 'actual' | 'forecast';
  percent: number;
  crossed: boolean;
  /** The figure compared: spend to date, or the forecast of the period's total. */
  value: number;
}

export interface BudgetStatus {
  budget: Budget;
  period: { start: string; end: string };
  actualToDate: number;
  forecast: { total: number; lower80: number; upper80: number } | null;
  thresholds: ThresholdState[];
  /** `over` once the actual reaches the amount, `at risk` when a threshold is crossed, else `ok`. */
  status: 'ok' | 'at risk' | 'over';
}

/** The period (month or quarter) that contains `day`. */
export function periodOf(day: string, period: BudgetPeriod): { start: string; end: string } {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7)) - 1;
  const first = period === 'month' ? m : m - (m % 3);
  const last = period === 'month' ? m : first + 2;
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return { start: iso(new Date(Date.UTC(y, first, 1))), end: iso(new Date(Date.UTC(y, last + 1, 0))) };
}

export function evaluateBudget(
  budget: Budget,
  o: { period: { start: string; end: string }; actualToDate: number; forecast: BudgetStatus['forecast'] },
): BudgetStatus {
  const thresholds: ThresholdState[] = [
    ...budget.thresholds.actual.map((percent) => ({
      kind: 'actual' as const,
      percent,
      value: o.actualToDate,
      crossed: o.actualToDate >= (budget.amount * percent) / 100,
    })),
    ...budget.thresholds.forecast.map((percent) => ({
      kind: 'forecast' as const,
      percent,
      value: o.forecast?.total ?? o.actualToDate,
      crossed: o.forecast !== null && o.forecast.total >= (budget.amount * percent) / 100,
    })),
  ];
  const status =
    o.actualToDate >= budget.amount ? 'over' : thresholds.some((t) => t.crossed) ? 'at risk' : 'ok';
  return { budget, period: o.period, actualToDate: o.actualToDate, forecast: o.forecast, thresholds, status };
}
