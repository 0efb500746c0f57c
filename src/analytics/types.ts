/** Shared vocabulary of the analytics core: plain data, no I/O. */

/** An inclusive range of UTC calendar days, `YYYY-MM-DD`. */
export interface DateRange {
  start: string;
  end: string;
}

export const BASES = ['actual', 'amortized', 'net'] as const;
export type Basis = (typeof BASES)[number];
export const isBasis = (s: string): s is Basis => (BASES as readonly string[]).includes(s);

export const DIMENSIONS = ['service', 'account', 'region', 'team', 'sku'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const isDimension = (s: string): s is Dimension => (DIMENSIONS as readonly string[]).includes(s);

/**
 * How a charge row enters the method (cost-drivers note, "Classification"):
 * usage = ChargeCategory Usage, Purchase or empty; credit = Credit (and CE credit-like record types);
 * other = Tax, Adjustment and unknown categories (they land in the unexplained value).
 */
export type ChargeKind = 'usage' | 'credit' | 'other';

/** The line key of the method: service+account+region+team+sku+resource; missing values are ''. */
export interface LineKey {
  service: string;
  account: string;
  region: string;
  team: string;
  sku: string;
  resource: string;
}

/** One line key and kind, aggregated over both windows (sums exact, never rounded). */
export interface LineAggregate extends LineKey {
  kind: ChargeKind;
  previousSpend: number;
  currentSpend: number;
  previousQuantity: number;
  currentQuantity: number;
}

/** Spend of one day in the report currency (all in-scope rows). */
export interface DailySpend {
  day: string;
  spend: number;
}

/** An EC2 instance as DescribeInstances reports it (allocation and carbon input). */
export interface Instance {
  id: string;
  type: string;
  /** pending | running | shutting-down | terminated | stopping | stopped */
  state: string;
  /** ISO 8601 UTC. */
  launchTime: string;
  /** ISO 8601 UTC, parsed from StateTransitionReason where AWS gives one; else null. */
  stateTransitionTime: string | null;
  region: string;
  tags: Record<string, string>;
}
