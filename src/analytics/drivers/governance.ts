/** Guide section 10 with the note: governance and trust checks. */
import { percentOf } from '../money.js';
import { dayCount } from '../periods/windows.js';
import type { DateRange } from '../types.js';
import type { DriversResult, GovernanceSums } from './types.js';

/** Guide 10: periodDataCompleteness% = observed current days / expected current days * 100. */
export const periodDataCompleteness = (observedDays: number, current: DateRange): number =>
  percentOf(observedDays, dayCount(current), 100);

export function governance(
  sums: GovernanceSums,
  current: DateRange,
  observedDays: number,
  currencies: string[],
): DriversResult['governance'] {
  return {
    periodDataCompleteness: periodDataCompleteness(observedDays, current),
    // The note: usage-like rows only, so the figure stays a share; 0 % missing when nothing is spent.
    missingTagSpend: percentOf(sums.untaggedCurrent, sums.usageCurrent, 0),
    skuMappingCoverage: percentOf(sums.usageCurrent - sums.noSkuCurrent, sums.usageCurrent, 100),
    quantityCoverage: percentOf(sums.quantityAbsDelta, sums.usageAbsDelta, 100),
    currencyConsistency: currencies.length <= 1,
  };
}
