/**
 * Request -> DriversResult, the data step shared by the drivers, digest and drill-down reports.
 *
 *   1. daySummary: spend per day, currency and provider (a synced source answers from its day
 *      totals; a slice reads its own days, so a drill-down has its trend)
 *   2. resolve the windows from the available days (pure), choose the report currency
 *   3. lineSummary: the lines of both windows classified and summed in the engine
 *   4. computeDrivers (pure) on that summary
 */
import { computeDrivers } from '../../analytics/drivers/compute.js';
import type { DriversResult } from '../../analytics/drivers/types.js';
import type { CompareSpec, WindowSpec } from '../../analytics/periods/types.js';
import { availableDays, chooseReportCurrency, resolveWindows } from '../../analytics/periods/windows.js';
import type { Basis, DailySpend, DateRange, Dimension } from '../../analytics/types.js';
import type { CostWarehouse, DayTotal } from '../../integrations/warehouse/port.js';
import { noLineMatches, type Scoped } from '../scope.js';

export interface DriversRequest extends Scoped {
  window: WindowSpec;
  compare: CompareSpec;
  basis: Basis;
  by: Dimension;
  minChange: number;
  limit: number;
  teamTag: string;
  today: string;
  /** Units of the report currency per unit of another currency; others are left out. */
  fxRates?: Record<string, number>;
}

/** Spend left out because it is in a currency the report does not convert. */
export interface OtherCurrency {
  currency: string;
  previous: number;
  current: number;
}

export type DriversData = DriversResult & { otherCurrencies: OtherCurrency[] };

const inRange = (day: string, r: DateRange | null): boolean => r !== null && day >= r.start && day <= r.end;

function dailyOf(
  days: DayTotal[],
  range: DateRange | null,
  rate: (c: string) => number | undefined,
): DailySpend[] {
  const byDay = new Map<string, number>();
  for (const d of days) {
    const r = rate(d.currency);
    if (!inRange(d.day, range) || r === undefined) continue;
    byDay.set(d.day, (byDay.get(d.day) ?? 0) + d.spend * r);
  }
  return [...byDay].map(([day, spend]) => ({ day, spend }));
}

export async function loadDrivers(warehouse: CostWarehouse, req: DriversRequest): Promise<DriversData> {
  const fx = req.fxRates ?? {};
  const days = await warehouse.daySummary({
    basis: req.basis,
    today: req.today,
    teamTag: req.teamTag,
    where: req.where,
  });
  if (req.where?.length && days.length === 0)
    throw await noLineMatches(warehouse, req, { today: req.today, basis: req.basis, teamTag: req.teamTag });
  const available = availableDays(
    days.map((d) => d.day),
    req.today,
  );
  const window = resolveWindows(available, req.window, req.compare);
  const perCurrency = new Map<string, number>();
  for (const d of days)
    if (inRange(d.day, window.current))
      perCurrency.set(d.currency, (perCurrency.get(d.currency) ?? 0) + d.spend);
  const currency = chooseReportCurrency([...perCurrency].map(([c, spend]) => ({ currency: c, spend })));
  const rate = (c: string) => (c === currency ? 1 : fx[c]);

  const summary = await warehouse.lineSummary({
    current: window.current,
    previous: window.previous,
    basis: req.basis,
    teamTag: req.teamTag,
    currency,
    fxRates: fx,
    by: req.by,
    where: req.where,
  });

  const providers = new Map<string, number>();
  const observed = new Set<string>();
  const seen = new Set<string>();
  const others = new Map<string, OtherCurrency>();
  for (const d of days) {
    const cur = inRange(d.day, window.current);
    const prev = inRange(d.day, window.previous);
    if (cur || prev) seen.add(d.currency);
    if (!cur && !prev) continue;
    if (rate(d.currency) === undefined) {
      const o = others.get(d.currency) ?? { currency: d.currency, previous: 0, current: 0 };
      if (cur) o.current += d.spend;
      else o.previous += d.spend;
      others.set(d.currency, o);
    }
    if (!cur) continue;
    observed.add(d.day);
    const r = rate(d.currency);
    if (r !== undefined) providers.set(d.provider, (providers.get(d.provider) ?? 0) + d.spend * r);
  }
  const result = computeDrivers(
    {
      window,
      basis: req.basis,
      currency,
      currenciesSeen: [...seen].sort(),
      providerCurrentSpend: [...providers].map(([provider, spend]) => ({ provider, spend })),
      summary,
      currentDaily: dailyOf(days, window.current, rate),
      previousDaily: dailyOf(days, window.previous, rate),
      observedCurrentDays: observed.size,
      // A slice's own last day says nothing of the source's: only the whole source's is used.
      ...(req.where?.length ? {} : { latestDataDay: available.at(-1) ?? '0001-01-01' }),
    },
    { by: req.by, minChange: req.minChange, limit: req.limit },
  );
  return {
    ...result,
    otherCurrencies: [...others.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

/**
 * The drivers of two given windows in a known currency, from the lines alone (one query, no day
 * scan): what an anomaly's explanation needs (its waterfall and top contributors), asked once per
 * anomaly. Governance and confidence, which need the days, are not this function's to judge.
 */
export async function loadWindowDrivers(
  warehouse: CostWarehouse,
  req: Pick<DriversRequest, 'basis' | 'by' | 'limit' | 'teamTag' | 'where'> & {
    current: DateRange;
    previous: DateRange;
    currency: string;
  },
): Promise<DriversResult> {
  const summary = await warehouse.lineSummary({
    current: req.current,
    previous: req.previous,
    basis: req.basis,
    teamTag: req.teamTag,
    currency: req.currency,
    by: req.by,
    where: req.where,
  });
  return computeDrivers(
    {
      window: { current: req.current, previous: req.previous },
      basis: req.basis,
      currency: req.currency,
      currenciesSeen: [req.currency],
      providerCurrentSpend: [],
      summary,
      currentDaily: [],
      previousDaily: [],
      observedCurrentDays: 1,
    },
    { by: req.by, minChange: 0, limit: req.limit },
  );
}
