/**
 * The CostWarehouse port: what `reports/` asks of stored cost data. Every query is pushed down as
 * SQL (DuckDB embedded by default); callers only ever see aggregates, never raw line items.
 *
 * The adapter keeps one normalised relation, `charges`, whatever the source (FOCUS CSV/Parquet of
 * any 1.x version, the demo generator, Cost Explorer rows):
 *
 *   day DATE            -- ChargePeriodStart truncated to the UTC day
 *   billed DOUBLE       -- BilledCost
 *   effective DOUBLE    -- EffectiveCost (NULL when absent)
 *   contracted DOUBLE   -- ContractedCost (NULL when absent)
 *   quantity DOUBLE     -- ConsumedQuantity (NULL when absent)
 *   category VARCHAR    -- ChargeCategory ('' when absent)
 *   service, account, region, sku, resource VARCHAR   -- '' when missing
 *   tags VARCHAR        -- JSON object text ('' or NULL when none)
 *   currency VARCHAR    -- BillingCurrency
 *   provider VARCHAR    -- ProviderName / ServiceProviderName
 *   instance_type VARCHAR -- where known (CE INSTANCE_TYPE, FOCUS x_ columns), else ''
 */
import type { Basis, DateRange, LineAggregate } from '../../analytics/types.js';

/** One row of the cheap first pass: spend per day, currency and provider, all bases at once. */
export interface DaySummary {
  day: string;
  currency: string;
  provider: string;
  actual: number;
  amortized: number;
  net: number;
}

export interface LineQuery {
  current: DateRange;
  previous: DateRange | null;
  basis: Basis;
  /** Only rows in this currency are summed, unless `fxRates` converts another one into it. */
  currency: string;
  /** Units of the report currency per unit of the keyed currency. */
  fxRates?: Record<string, number>;
  /** The tag key whose value is the team (default `team`). */
  teamTag: string;
}

/** A line of both windows in one billing currency (the report currency is chosen afterwards). */
export interface CurrencyLine extends LineAggregate {
  currency: string;
}

/** Spend of one day, currency and provider on the requested basis. */
export interface DayTotal {
  day: string;
  currency: string;
  provider: string;
  spend: number;
}

export interface DriversQuery {
  current: DateRange;
  previous: DateRange | null;
  basis: Basis;
  teamTag: string;
}

export interface InstanceCost {
  resource: string;
  instanceType: string;
  region: string;
  firstDay: string;
  lastDay: string;
  cost: number;
}

export interface CostWarehouse {
  /** Distinct days with at least one row, up to `today`, ascending (one column read). */
  availableDays(today: string): Promise<string[]>;
  /**
   * Everything the drivers method needs from both windows in ONE scan (GROUPING SETS): the
   * per-line sums per currency, and the per-day totals per currency and provider.
   */
  driversAggregates(query: DriversQuery): Promise<{ lines: CurrencyLine[]; days: DayTotal[] }>;
  /** Days, currencies and providers with their spend on each basis; rows after `today` excluded. */
  daySummary(today: string): Promise<DaySummary[]>;
  /** The per-line aggregation of both windows (the method's input lines). */
  lineAggregates(query: LineQuery): Promise<LineAggregate[]>;
  /** Daily spend per currency on a basis, some services left out (the cost model's input). */
  dailyCost(query: {
    basis: Basis;
    excludeServices: string[];
    today: string;
  }): Promise<{ day: string; currency: string; spend: number }[]>;
  /**
   * Compute cost of rows that name an instance type, per resource (empty when the source has no
   * resource ids, as Cost Explorer), with the first and last day each was billed in the window.
   */
  instanceCosts(query: { range: DateRange; basis: Basis; currency: string }): Promise<InstanceCost[]>;
  /** Release the connection (and the file lock of a database file). */
  close(): Promise<void>;
}

/** One normalised charge row, as a non-file source (demo, Cost Explorer) hands it to the warehouse. */
export interface ChargeRow {
  day: string;
  billed: number;
  effective: number | null;
  contracted: number | null;
  quantity: number | null;
  category: string;
  service: string;
  account: string;
  region: string;
  sku: string;
  resource: string;
  tags: Record<string, string> | null;
  currency: string;
  provider: string;
  instanceType: string;
}

/**
 * The SQL surface that other stateful adapters (Cost Explorer cache, bot state) need from the
 * embedded database. `DuckDb` in duckdb.ts implements it; positional parameters are `?` or `$1`.
 */
export interface SqlRunner {
  run(sql: string, params?: unknown[]): Promise<void>;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}
