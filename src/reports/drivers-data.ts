/**
 * Request -> DriversResult, the data step shared by the drivers, digest and drill-down reports.
 *
 *   1. daySummary: one cheap pass for available days, currencies, providers and daily spend
 *   2. choose the report currency and resolve the windows (pure)
 *   3. lineAggregates: the one per-line GROUP BY over both windows (pushed down)
 *   4. computeDrivers (pure)
 */
import { computeDrivers } from '../analytics/drivers/compute.js';
import type { DriversResult } from '../analytics/drivers/types.js';
import type { CompareSpec, WindowSpec } from '../analytics/periods/types.js';
import { availableDays, chooseReportCurrency, resolveWindows } from '../analytics/periods/windows.js';
import type { Basis, DailySpend, DateRange, Dimension, LineAggregate } from '../analytics/types.js';
import type { CostWarehouse, DaySummary } from '../integrations/warehouse/port.js';

export interface DriversRequest {
  window: WindowSpec;
  compare: CompareSpec;
  basis: Basis;
  by: Dimension;
  minChange: number;
  limit: number;
  teamTag: string;
  today: string;
  fxRates?: Record<string, number>;
  /** Drill-down: only lines whose dimension equals the value (applied to aggregated lines). */
  filter?: { dimension: Dimension; value: string }[];
}

const inRange = (day: string, r: DateRange | null): boolean => r !== null && day >= r.start && day <= r.end;

/** Daily spend of one window in the report currency (other currencies only through a rate). */
function dailyOf(
  summary: DaySummary[],
  range: DateRange | null,
  basis: Basis,
  currency: string,
  fx: Record<string, number>,
): DailySpend[] {
  const byDay = new Map<string, number>();
  for (const s of summary) {
    if (!inRange(s.day, range)) continue;
    const rate = s.currency === currency ? 1 : fx[s.currency];
    if (rate === undefined) continue;
    byDay.set(s.day, (byDay.get(s.day) ?? 0) + s[basis] * rate);
  }
  return [...byDay].map(([day, spend]) => ({ day, spend }));
}

function matches(line: LineAggregate, filter: DriversRequest['filter']): boolean {
  return (filter ?? []).every((f) => line[f.dimension] === f.value);
}

export async function loadDrivers(warehouse: CostWarehouse, req: DriversRequest): Promise<DriversResult> {
  const fx = req.fxRates ?? {};
  const summary = await warehouse.daySummary(req.today);
  const days = availableDays(
    summary.map((s) => s.day),
    req.today,
  );
  const window = resolveWindows(days, req.window, req.compare);

  const perCurrency = new Map<string, number>();
  const seen = new Set<string>();
  for (const s of summary) {
    if (inRange(s.day, window.current))
      perCurrency.set(s.currency, (perCurrency.get(s.currency) ?? 0) + s[req.basis]);
    if (inRange(s.day, window.current) || inRange(s.day, window.previous)) seen.add(s.currency);
  }
  const currency = chooseReportCurrency([...perCurrency].map(([c, spend]) => ({ currency: c, spend })));

  const allLines = await warehouse.lineAggregates({
    current: window.current,
    previous: window.previous,
    basis: req.basis,
    currency,
    fxRates: fx,
    teamTag: req.teamTag,
  });
  const lines = req.filter?.length ? allLines.filter((l) => matches(l, req.filter)) : allLines;

  const providers = new Map<string, number>();
  const observed = new Set<string>();
  for (const s of summary) {
    if (!inRange(s.day, window.current)) continue;
    observed.add(s.day);
    const rate = s.currency === currency ? 1 : fx[s.currency];
    if (rate !== undefined) providers.set(s.provider, (providers.get(s.provider) ?? 0) + s[req.basis] * rate);
  }

  return computeDrivers(
    {
      window,
      basis: req.basis,
      currency,
      currenciesSeen: [...seen].sort(),
      providerCurrentSpend: [...providers].map(([provider, spend]) => ({ provider, spend })),
      lines,
      currentDaily: req.filter?.length
        ? dailyFromLines()
        : dailyOf(summary, window.current, req.basis, currency, fx),
      previousDaily: req.filter?.length
        ? dailyFromLines()
        : dailyOf(summary, window.previous, req.basis, currency, fx),
      observedCurrentDays: observed.size,
    },
    { by: req.by, minChange: req.minChange, limit: req.limit },
  );
}

/** A drill-down has no per-day split of its slice yet: its trend is left empty rather than wrong. */
function dailyFromLines(): DailySpend[] {
  return [];
}
