/**
 * The alerts' data step, shared by anomalies, forecast, budgets, the digest and the alert poster:
 * the daily series per scope in the report currency, the latest day with data, and the days to
 * judge (the day before `today`, which defaults to the day after the latest day with data).
 */
import { addDays, buildSeries, type DailySeries, laterDay } from '../../analytics/alerts/series.js';
import { chooseReportCurrency } from '../../analytics/periods/windows.js';
import { type Basis, DIMENSIONS, type Dimension } from '../../analytics/types.js';
import { CodedError, ErrorCode } from '../../errors.js';
import type { CostWarehouse } from '../../integrations/warehouse/port.js';
import { noLineMatches, type Scoped } from '../scope.js';

export type ScopeDimension = Dimension | 'total';

/** What an alert series can be per: the total, or each key of a dimension. */
export const SCOPES: readonly ScopeDimension[] = ['total', ...DIMENSIONS];

export interface SeriesRequest extends Scoped {
  by: ScopeDimension;
  basis: Basis;
  /** Default: the day after the latest day with data. */
  today?: string;
  teamTag: string;
}

export interface SeriesData {
  currency: string;
  /** Currencies seen but left out (one series per currency: the report's). */
  otherCurrencies: string[];
  latestDataDay: string;
  /** The last day of every series: the day before `today`. */
  end: string;
  today: string;
  total: DailySeries;
  /** One per key of `by` (the total again when `by` is total). */
  series: DailySeries[];
}

/** The footnote that says which currencies a series left out, if any. */
export const otherCurrenciesNote = (s: SeriesData): string[] =>
  s.otherCurrencies.length
    ? [`Spend in ${s.otherCurrencies.join(', ')} is left out (one series per currency).`]
    : [];

export async function loadSeries(w: CostWarehouse, req: SeriesRequest): Promise<SeriesData> {
  const upTo = req.today ? addDays(req.today, -1) : '9999-12-31';
  const totalRows = await w.dailyByKey({
    basis: req.basis,
    today: upTo,
    by: 'total',
    teamTag: req.teamTag,
    where: req.where,
  });
  if (totalRows.length === 0 && req.where?.length)
    throw await noLineMatches(w, req, { today: upTo, basis: req.basis, teamTag: req.teamTag });
  if (totalRows.length === 0)
    throw new CodedError(
      ErrorCode.NoData,
      req.today ? `the source has no billing days before ${req.today}` : 'the source has no billing days',
    );
  const latestDataDay = totalRows.reduce((m, r) => laterDay(m, r.day), '');
  const today = req.today ?? addDays(latestDataDay, 1);
  const end = addDays(today, -1);
  const recent = new Map<string, number>();
  for (const r of totalRows)
    if (r.day > addDays(latestDataDay, -30)) recent.set(r.currency, (recent.get(r.currency) ?? 0) + r.spend);
  const currency = chooseReportCurrency([...recent].map(([c, spend]) => ({ currency: c, spend })));
  const inCurrency = <T extends { currency: string }>(rows: T[]) =>
    rows.filter((r) => r.currency === currency);
  const total = buildSeries(inCurrency(totalRows), end)[0]!;
  const series =
    req.by === 'total'
      ? [total]
      : buildSeries(
          inCurrency(
            await w.dailyByKey({
              basis: req.basis,
              today: end,
              by: req.by,
              teamTag: req.teamTag,
              where: req.where,
            }),
          ),
          end,
        );
  return {
    currency,
    otherCurrencies: [...new Set(totalRows.map((r) => r.currency))].filter((c) => c !== currency).sort(),
    latestDataDay,
    end,
    today,
    total,
    series,
  };
}
