/**
 * Request -> DriversResult, the data step shared by the drivers, digest and drill-down reports.
 *
 *   1. availableDays: the distinct billing days (one column read)
 *   2. resolve the windows (pure)
 *   3. driversAggregates: ONE scan for the per-line sums and the per-day totals of both windows
 *   4. choose the report currency, convert where a rate is configured, and computeDrivers (pure)
 */
import { computeDrivers } from '../analytics/drivers/compute.js';
import type { DriversResult } from '../analytics/drivers/types.js';
import type { CompareSpec, WindowSpec } from '../analytics/periods/types.js';
import { chooseReportCurrency, resolveWindows } from '../analytics/periods/windows.js';
import type { Basis, DailySpend, DateRange, Dimension, LineAggregate } from '../analytics/types.js';
import type { CostWarehouse, CurrencyLine, DayTotal } from '../integrations/warehouse/port.js';

export interface DriversRequest {
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
  /** Drill-down: only lines (and days) of this slice. Applied to aggregated lines. */
  filter?: { dimension: Dimension; value: string }[];
}

const inRange = (day: string, r: DateRange | null): boolean => r !== null && day >= r.start && day <= r.end;

/** Lines in the report currency: that currency's lines, plus others converted at a configured rate. */
export function convertLines(
  lines: CurrencyLine[],
  currency: string,
  fx: Record<string, number>,
): LineAggregate[] {
  const out = new Map<string, LineAggregate>();
  for (const { currency: c, ...l } of lines) {
    const rate = c === currency ? 1 : fx[c];
    if (rate === undefined) continue;
    const key = `${l.service}\u0000${l.account}\u0000${l.region}\u0000${l.team}\u0000${l.sku}\u0000${l.resource}\u0000${l.kind}`;
    const seen = out.get(key);
    if (!seen)
      out.set(
        key,
        rate === 1 ? l : { ...l, previousSpend: l.previousSpend * rate, currentSpend: l.currentSpend * rate },
      );
    else {
      seen.previousSpend += l.previousSpend * rate;
      seen.currentSpend += l.currentSpend * rate;
      seen.previousQuantity += l.previousQuantity;
      seen.currentQuantity += l.currentQuantity;
    }
  }
  return [...out.values()];
}

function dailyOf(
  days: DayTotal[],
  range: DateRange | null,
  currency: string,
  fx: Record<string, number>,
): DailySpend[] {
  const byDay = new Map<string, number>();
  for (const d of days) {
    const rate = d.currency === currency ? 1 : fx[d.currency];
    if (!inRange(d.day, range) || rate === undefined) continue;
    byDay.set(d.day, (byDay.get(d.day) ?? 0) + d.spend * rate);
  }
  return [...byDay].map(([day, spend]) => ({ day, spend }));
}

function matches(line: LineAggregate, filter: DriversRequest['filter']): boolean {
  return (filter ?? []).every((f) => line[f.dimension] === f.value);
}

export async function loadDrivers(warehouse: CostWarehouse, req: DriversRequest): Promise<DriversResult> {
  const fx = req.fxRates ?? {};
  const window = resolveWindows(await warehouse.availableDays(req.today), req.window, req.compare);
  const agg = await warehouse.driversAggregates({
    current: window.current,
    previous: window.previous,
    basis: req.basis,
    teamTag: req.teamTag,
  });

  const perCurrency = new Map<string, number>();
  for (const d of agg.days)
    if (inRange(d.day, window.current))
      perCurrency.set(d.currency, (perCurrency.get(d.currency) ?? 0) + d.spend);
  const currency = chooseReportCurrency([...perCurrency].map(([c, spend]) => ({ currency: c, spend })));
  const all = convertLines(agg.lines, currency, fx);
  const lines = req.filter?.length ? all.filter((l) => matches(l, req.filter)) : all;

  const providers = new Map<string, number>();
  const observed = new Set<string>();
  for (const d of agg.days) {
    if (!inRange(d.day, window.current)) continue;
    observed.add(d.day);
    const rate = d.currency === currency ? 1 : fx[d.currency];
    if (rate !== undefined) providers.set(d.provider, (providers.get(d.provider) ?? 0) + d.spend * rate);
  }
  // A drill-down's slice has no per-day split in this scan: its trend stays empty rather than wrong.
  const sliced = !!req.filter?.length;
  return computeDrivers(
    {
      window,
      basis: req.basis,
      currency,
      currenciesSeen: [...new Set(agg.days.map((d) => d.currency))].sort(),
      providerCurrentSpend: [...providers].map(([provider, spend]) => ({ provider, spend })),
      lines,
      currentDaily: sliced ? [] : dailyOf(agg.days, window.current, currency, fx),
      previousDaily: sliced ? [] : dailyOf(agg.days, window.previous, currency, fx),
      observedCurrentDays: observed.size,
    },
    { by: req.by, minChange: req.minChange, limit: req.limit },
  );
}
