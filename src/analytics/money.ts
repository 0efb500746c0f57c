/** Rounding and safe division; sums stay exact until a formula says round. */

/** Round half away from zero (cost-drivers note, "Waterfall"): 1.005 -> 1.01, -2.675 -> -2.68. */
export function roundHalfAwayFromZero(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return 0;
  const f = 10 ** digits;
  // toPrecision(15) removes the binary representation error (1.005 * 100 = 100.49999999999999).
  const scaled = Number((Math.abs(x) * f).toPrecision(15));
  const r = (Math.sign(x) * Math.round(scaled)) / f;
  return r === 0 ? 0 : r;
}

/** a / b * 100, or `fallback` when b is 0 (never NaN or Infinity). */
export function percentOf(a: number, b: number, fallback: number): number {
  return b === 0 ? fallback : (a / b) * 100;
}

/** Exact-as-possible sum of many doubles (Neumaier's compensated summation). */
export function sum(values: Iterable<number>): number {
  let s = 0;
  let c = 0;
  for (const v of values) {
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}
