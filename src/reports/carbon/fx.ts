/**
 * A carbon or allocation report in another currency: every money figure times one configured rate
 * (the note: no rate is built in; the rate, its date and its source travel with the report).
 */
import type { CarbonData, FxConversion } from './types.js';

export function inCurrency(d: CarbonData, fx: FxConversion): CarbonData {
  const m = (v: number) => v * fx.rate;
  return {
    ...d,
    currency: fx.currency,
    instances: d.instances.map((i) => ({ ...i, cost: i.cost === null ? null : m(i.cost) })),
    allocation: d.allocation.map((t) => ({
      ...t,
      cost: m(t.cost),
      allocated: m(t.allocated),
      unallocated: m(t.unallocated),
    })),
    lines: d.lines.map((l) => ({ ...l, cost: m(l.cost) })),
    fx: { ...fx, from: d.currency },
  };
}

/** The footnote of every report in a converted or billing currency. */
export const currencyNote = (d: CarbonData): string =>
  d.fx
    ? `Money converted from ${d.fx.from} at ${d.fx.rate} ${d.fx.currency} per ${d.fx.from} (${d.fx.source}, ${d.fx.date}).`
    : `Money in the billing currency ${d.currency}; no rate is built in (--currency with --fx-rate converts).`;
