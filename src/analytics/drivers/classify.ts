/** Guide section 3: driver classification per line. */
import type { LineAggregate } from '../types.js';
import type { BucketValues, DriverType } from './types.js';

export const emptyBuckets = (): BucketValues => ({
  newServicesResources: 0,
  usageGrowth: 0,
  ratePriceChange: 0,
  mixShift: 0,
  creditsDiscountChange: 0,
  savingsRemovals: 0,
});

/** Guide 3.3: usage = (currQty - prevQty) * prevRate. */
export const usageGrowth = (prevSpend: number, prevQty: number, currQty: number): number =>
  (currQty - prevQty) * (prevSpend / prevQty);

/** Guide 3.3: rate = (currRate - prevRate) * currQty. */
export const ratePriceChange = (
  prevSpend: number,
  prevQty: number,
  currSpend: number,
  currQty: number,
): number => (currSpend / currQty - prevSpend / prevQty) * currQty;

/**
 * Usage and rate effects beyond this multiple of a line's spend come from a quantity too small to
 * price by (a subnormal 5.6e-311 units against a cent): doubles keep about 16 digits, so the mix
 * left over would be rounding, and the buckets would no longer sum to the change.
 */
const MAX_SPLIT = 1e6;

/**
 * Adds one line's contribution to `into` and returns the driver type it fed: credit lines feed
 * creditsDiscountChange (guide 3.4), other (tax, adjustment) lines feed no bucket (`unexplained`),
 * usage lines are new (3.1), savings/removals (3.2) or split usage/rate/mix (3.3), mix taking the
 * whole delta when either quantity is not > 0.
 */
export function classifyLine(
  line: Pick<
    LineAggregate,
    'kind' | 'previousSpend' | 'currentSpend' | 'previousQuantity' | 'currentQuantity'
  >,
  into: BucketValues & { unexplained?: number },
): void {
  const prev = line.previousSpend;
  const curr = line.currentSpend;
  const delta = curr - prev;
  if (line.kind === 'credit') {
    into.creditsDiscountChange += delta;
    return;
  }
  if (line.kind === 'other') {
    into.unexplained = (into.unexplained ?? 0) + delta;
    return;
  }
  if (prev === 0 && curr > 0) {
    into.newServicesResources += delta;
  } else if (curr === 0 && prev > 0) {
    into.savingsRemovals += delta;
  } else {
    const usable = line.previousQuantity > 0 && line.currentQuantity > 0;
    const usage = usable ? usageGrowth(prev, line.previousQuantity, line.currentQuantity) : 0;
    const rate = usable ? ratePriceChange(prev, line.previousQuantity, curr, line.currentQuantity) : 0;
    // A rate over a vanishing quantity can overflow, or dwarf the spend so far that mix (what is
    // left of delta) is only rounding of the two: such a line is treated as one without quantities.
    if (
      Number.isFinite(usage) &&
      Number.isFinite(rate) &&
      Math.abs(usage) + Math.abs(rate) <= MAX_SPLIT * Math.max(1, Math.abs(prev), Math.abs(curr))
    ) {
      into.usageGrowth += usage;
      into.ratePriceChange += rate;
      into.mixShift += delta - usage - rate;
    } else {
      into.mixShift += delta;
    }
  }
}

/** The driver type with the largest absolute contribution (ties: bucket order, unexplained last). */
export function dominantDriver(values: BucketValues & { unexplained?: number }): DriverType {
  let best: DriverType = 'mixShift';
  let bestAbs = -1;
  for (const [name, v] of Object.entries(values) as [DriverType, number][]) {
    if (Math.abs(v) > bestAbs) {
      best = name;
      bestAbs = Math.abs(v);
    }
  }
  return best;
}
