/**
 * The cost-drivers input (what the warehouse aggregates) and result (the JSON contract of
 * DESIGN.md, "Interfaces that must stay stable"; names follow the formula guide).
 */
import type { Basis, ChargeKind, DailySpend, DateRange, Dimension, LineAggregate } from '../types.js';

export const BUCKETS = [
  'newServicesResources',
  'usageGrowth',
  'ratePriceChange',
  'mixShift',
  'creditsDiscountChange',
  'savingsRemovals',
] as const;
export type Bucket = (typeof BUCKETS)[number];
export type DriverType = Bucket | 'unexplained';

export type Severity = 'LOW' | 'MEDIUM' | 'HIGH';
export type RuleStatus = 'pass' | 'warn' | 'fail';
export type ConfidenceLevel = 'High' | 'Medium' | 'Low';

/** Everything the method needs, already aggregated in SQL (in the report currency). */
export interface DriversInput {
  window: { current: DateRange; previous: DateRange | null };
  basis: Basis;
  currency: string;
  /** Every currency seen among in-scope rows of either window (currencyConsistency). */
  currenciesSeen: string[];
  /** Current-window spend per provider (the multi-provider confidence rule). */
  providerCurrentSpend: { provider: string; spend: number }[];
  /** Per line key and kind, both windows (or `summary`, the same reduced in SQL). */
  lines?: LineAggregate[];
  /** The lines already summarised for `by` (see summary.ts). */
  summary?: LineSummary;
  /** Daily spend of each window, any order; days without rows may be absent. */
  currentDaily: DailySpend[];
  previousDaily: DailySpend[];
  /** Days of the current window with at least one in-scope row. */
  observedCurrentDays: number;
  /** The source's latest day with data up to today (unset: not known, nothing said missing). */
  latestDataDay?: string;
}

export interface DriversOptions {
  by: Dimension;
  /** userMinChange of the materiality rule (default 0). */
  minChange: number;
  /** rowLimit (default 10). */
  limit: number;
}

export interface DriverRow {
  key: string;
  previousSpend: number;
  currentSpend: number;
  deltaValue: number;
  deltaPercent: number | null;
  label: 'NEW' | 'REMOVED' | null;
  driverType: DriverType;
  contributionPercent: number;
  contributionScore: number;
  risk: Severity;
}

export interface TrendPoint {
  index: number;
  currentDay: string | null;
  previousDay: string | null;
  currentSpend: number;
  previousSpend: number;
  dailyDelta: number;
  dailyResidual: number;
  dailyExplained: number;
  residualAbsPctOfDelta: number | null;
}

export interface DriversResult {
  window: { current: DateRange; previous: DateRange | null };
  /** Days of the current window after the source's latest day: missing, not zero spend. */
  missingDays: DateRange | null;
  basis: Basis;
  currency: string;
  by: Dimension;
  kpis: {
    previous: number;
    current: number;
    netChange: number;
    netChangePercent: number | null;
    explained: number;
    unexplained: number;
    explainedPercent: number;
    top3Percent: number;
  };
  drivers: Record<Bucket, number>;
  waterfall: {
    start: number;
    end: number;
    steps: { name: Bucket | 'modelResidual' | 'roundingResidual'; value: number }[];
    balanced: boolean;
    deltaDifference: number;
  };
  rows: DriverRow[];
  omitted: { byThreshold: number; byRowLimit: number };
  noiseThreshold: number;
  trend: TrendPoint[];
  unexplained: { value: number; percentOfNet: number | null; severity: Severity };
  governance: {
    periodDataCompleteness: number;
    missingTagSpend: number;
    skuMappingCoverage: number;
    quantityCoverage: number;
    currencyConsistency: boolean;
  };
  confidence: {
    score: number;
    level: ConfidenceLevel;
    rules: {
      currencyConsistency: RuleStatus;
      modelResidual: RuleStatus;
      usageRateCoverage: RuleStatus;
      ownershipMapping: RuleStatus;
    };
    /** Every penalty applied, for the "failing rules named" of reports. */
    penalties: { rule: string; points: number; detail: string }[];
  };
}

export type { ChargeKind };

/** Bucket values of a set of lines (classify.ts). */
export type BucketValues = Record<Bucket, number>;

/** The lines of both windows summed for the method (summary.ts, or the warehouse's SQL). */
export type Buckets = BucketValues & { unexplained: number };

export interface GroupSummary {
  key: string;
  previousSpend: number;
  currentSpend: number;
  buckets: Buckets;
}

export interface GovernanceSums {
  /** Current spend of usage-like lines. */
  usageCurrent: number;
  /** ... of those without a team. */
  untaggedCurrent: number;
  /** ... of those without a SKU. */
  noSkuCurrent: number;
  /** Sum of |delta| over usage-like lines with both quantities > 0. */
  quantityAbsDelta: number;
  /** Sum of |delta| over all usage-like lines. */
  usageAbsDelta: number;
}

export interface LineSummary {
  previous: number;
  current: number;
  buckets: Buckets;
  /** Change per service over all lines (guide 2.7's Top3%). */
  serviceDeltas: Map<string, number>;
  /** One group per value of the decomposition dimension. */
  groups: GroupSummary[];
  governance: GovernanceSums;
}
