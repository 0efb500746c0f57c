/**
 * The one set of names people read for the drivers and the waterfall's steps: the chart, the text,
 * the cards and the tables all use these (the JSON keeps the method's identifiers).
 */
import type { DriverType } from './types.js';

export const DRIVER_NAMES: Record<DriverType, string> = {
  newServicesResources: 'New services/resources',
  usageGrowth: 'Usage growth',
  ratePriceChange: 'Rate/price change',
  mixShift: 'Mix shift',
  creditsDiscountChange: 'Credits/discounts',
  savingsRemovals: 'Savings/removals',
  // What the drivers leave unexplained (tax, adjustments): the waterfall's model residual.
  unexplained: 'Model residual',
};

/** A waterfall step's name: a driver, or one of the two residuals. */
export const stepName = (name: string): string =>
  name === 'modelResidual'
    ? 'Model residual'
    : name === 'roundingResidual'
      ? 'Rounding residual'
      : (DRIVER_NAMES[name as DriverType] ?? name);
