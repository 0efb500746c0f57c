/**
 * Comparing figures that come out of DuckDB's parallel sums, which differ between runs and orders
 * in their last bits: every number of an object rounded to the cent.
 */
export const cents = (v: unknown): unknown =>
  typeof v === 'number'
    ? Math.round(v * 100) / 100 || 0
    : Array.isArray(v)
      ? v.map(cents)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cents(x)]))
        : v;
