import type { DateRange } from '../types.js';

/** `30d` (any N >= 1), `mtd`, `qtd`, or a custom inclusive range. */
export type WindowSpec =
  | { kind: 'days'; days: number }
  | { kind: 'mtd' }
  | { kind: 'qtd' }
  | { kind: 'custom'; range: DateRange };

/** The comparison window (cost-drivers note, "Windows"). */
export type CompareSpec =
  | { kind: 'previous_period' }
  | { kind: 'same_period_last_month' }
  | { kind: 'custom'; range: DateRange }
  | { kind: 'none' };

export interface ResolvedWindows {
  current: DateRange;
  /** null when the comparison is `none`. */
  previous: DateRange | null;
}
