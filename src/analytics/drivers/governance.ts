/** Guide section 10 with the note: governance and trust checks. */
import { percentOf } from '../money.js';
import { dayCount } from '../periods/windows.js';
import type { DateRange, LineAggregate } from '../types.js';
import type { DriversResult } from './types.js';

/** Guide 10: periodDataCompleteness% = observed current days / expected current days * 100. */
export const periodDataCompleteness = (observedDays: number, current: DateRange): number =>
  percentOf(observedDays, dayCount(current), 100);

export function governance(
  lines: LineAggregate[],
  current: DateRange,
  observedDays: number,
  currencies: string[],
): DriversResult['governance'] {
  let usageCurrent = 0;
  let untagged = 0;
  let noSku = 0;
  let eligibleAbsDelta = 0;
  let usageAbsDelta = 0;
  for (const l of lines) {
    if (l.kind !== 'usage') continue;
    usageCurrent += l.currentSpend;
    if (l.team === '') untagged += l.currentSpend;
    if (l.sku === '') noSku += l.currentSpend;
    const absDelta = Math.abs(l.currentSpend - l.previousSpend);
    usageAbsDelta += absDelta;
    if (l.previousQuantity > 0 && l.currentQuantity > 0) eligibleAbsDelta += absDelta;
  }
  return {
    periodDataCompleteness: periodDataCompleteness(observedDays, current),
    // The note: usage-like rows only, so the figure stays a share; 0 % missing when nothing is spent.
    missingTagSpend: percentOf(untagged, usageCurrent, 0),
    skuMappingCoverage: percentOf(usageCurrent - noSku, usageCurrent, 100),
    quantityCoverage: percentOf(eligibleAbsDelta, usageAbsDelta, 100),
    currencyConsistency: currencies.length <= 1,
  };
}
