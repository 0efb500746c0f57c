/**
 * The CostWarehouse port: the questions reports ask of billing data, answered by aggregation
 * pushed down to the engine (DuckDB embedded; Athena when an export outgrows one machine), so
 * that only aggregates reach TypeScript. Every source lands in the same normalised shape
 * (focus/columns.ts): day, the three cost bases, quantity, unit, category, service, account,
 * region, sku, resource, tags (JSON text), currency, provider, instance type.
 */
import type { LineSummary } from '../../analytics/drivers/types.js';
import type { Where, WhereDimension } from '../../analytics/scope.js';
import type { ShowbackCosts } from '../../analytics/showback/split.js';
import type { Basis, DateRange, Dimension, LineAggregate } from '../../analytics/types.js';

/** What a showback reads (warehouse/showback-sql.ts answers it). */
export interface OwnerCostsQuery {
  range: DateRange;
  basis: Basis;
  teamTag: string;
  currency: string;
  fxRates?: Record<string, number>;
  owner: WhereDimension;
  /** The shared rules' where lists, in order. */
  rules: Where[];
  where?: Where;
  /** Only these owners by name (a scoped view). */
  keep?: string[];
}

/** Spend of one day, currency and provider on the requested basis. */
export interface DayTotal {
  day: string;
  currency: string;
  provider: string;
  spend: number;
}

export interface DaySummaryQuery {
  basis: Basis;
  /** Rows after this day are out of scope (cost-drivers note, "Data in"). */
  today: string;
  teamTag: string;
  /** Only the lines of a scope (a where list, a drill-down's slice). */
  where?: Where;
  /** Services left out (the cost model's exclusions). */
  excludeServices?: string[];
}

/** One aggregate of what the carbon footprint reads (see carbon-sql.ts). */
export interface CarbonUsageRow {
  what: 'compute' | 'ssd' | 'hdd' | 'network';
  resource: string;
  instanceType: string;
  region: string;
  replication: number;
  /** In the report currency; null when every row of it is billed in another. */
  cost: number | null;
  /** Hours (compute), GB-months (storage) or GB (network). */
  quantity: number;
  /** Storage: GB-hours. */
  gbHours: number;
  /** The first day of the window with rows of it (YYYY-MM-DD). */
  firstDay: string;
  /** Rows in other currencies than the report's (their cost is not in `cost`), comma-separated. */
  otherCurrencies: string | null;
}

/** Spend of one day, scope key and currency (the alerts' daily series). */
export interface KeyDayTotal {
  day: string;
  key: string;
  currency: string;
  spend: number;
}

export interface CostWarehouse {
  /** Spend per day, currency and provider (which days exist, which currency leads, the trend). */
  daySummary(query: DaySummaryQuery): Promise<DayTotal[]>;
  /** The method's lines of both windows, classified and summed for the decomposition dimension. */
  lineSummary(query: LineSummaryQuery): Promise<LineSummary>;
  /** The same lines one by one (small data and tests; reports use lineSummary). */
  lineAggregates(query: Omit<LineSummaryQuery, 'by'>): Promise<LineAggregate[]>;
  /** EC2 compute, storage and data transfer of a window, for the carbon footprint. */
  carbonUsage(query: {
    range: DateRange;
    basis: Basis;
    currency: string;
    classes: FootprintClasses;
    where?: Where;
    teamTag: string;
  }): Promise<CarbonUsageRow[]>;
  /** Spend per day, key of a dimension (or `total`) and currency, up to `today`. */
  dailyByKey(query: DailyByKeyQuery): Promise<KeyDayTotal[]>;
  /**
   * The value of a dimension whose MD5 starts with `hash` (16 hex digits), among the lines of
   * `where` only, or null (a button's long key; a key outside the scope is not found).
   */
  resolveKey(dimension: Dimension, hash: string, teamTag: string, where?: Where): Promise<string | null>;
  /** A showback's costs: per owner and first shared rule matched, in the report currency. */
  ownerCosts(query: OwnerCostsQuery): Promise<ShowbackCosts>;
  /** Spend per value of a dimension in a range (what a where may name), largest first. */
  dimensionValues(query: DimensionValuesQuery): Promise<{ value: string; spend: number }[]>;
  /** Release the connection (and the file lock of a database file). */
  close(): Promise<void>;
}

/** One normalised charge row, as a non-file source (Cost Explorer) hands it to the warehouse. */
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
  unit?: string;
  /** The provider's usage type (Cost Explorer's USAGE_TYPE), where known. */
  usageType?: string;
}

/**
 * The SQL surface that other stateful adapters (Cost Explorer cache, bot state) need from the
 * embedded database. `DuckDb` in duckdb.ts implements it; positional parameters are `?` or `$1`.
 */
export interface SqlRunner {
  run(sql: string, params?: unknown[]): Promise<void>;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface LineSummaryQuery {
  current: { start: string; end: string };
  previous: { start: string; end: string } | null;
  basis: Basis;
  teamTag: string;
  /** The report currency; other currencies only where `fxRates` converts them. */
  currency: string;
  /** Units of the report currency per unit of the keyed currency. */
  fxRates?: Record<string, number>;
  by: Dimension;
  /** Only the lines of a scope. */
  where?: Where;
}

export interface DailyByKeyQuery {
  basis: Basis;
  /** Rows after this day are out of scope. */
  today: string;
  by: Dimension | 'total';
  teamTag: string;
  /** Only the lines of a scope. */
  where?: Where;
}

export interface DimensionValuesQuery {
  dimension: WhereDimension;
  range: DateRange;
  basis: Basis;
  teamTag: string;
  where?: Where;
  /** Only lines in this currency (a report's); all currencies when unset (a where's hints). */
  currency?: string;
  /** At most this many values. */
  limit?: number;
}

/** CCF's lists (integrations/carbon-coefficients/ccf.ts). */
export interface FootprintClasses {
  ssdUsageTypes: string[];
  hddUsageTypes: string[];
  networkUsageTypes: string[];
  ssdServices: string[];
  /** CCF's REPLICATION_FACTORS, by its own names. */
  replication: Record<string, number>;
  /** AWS display names to the product codes CCF's rules use. */
  serviceCodes: Record<string, string>;
}
