/** Guide section 2: variance summary KPIs, with the note's zero handling. */
import { percentOf } from '../money.js';

/** Guide 2.3: NetChange% = (Current - Previous) / |Previous| * 100; 0 when both are 0, null when only Previous is. */
export function netChangePercent(previous: number, current: number): number | null {
  if (previous === 0) return current === 0 ? 0 : null;
  const p = ((current - previous) / Math.abs(previous)) * 100;
  // A subnormal previous value overflows the ratio: there is no meaningful percentage then.
  return Number.isFinite(p) ? p : null;
}

/** Guide 2.6: Explained% = 100 - |Unexplained| / |NetChange| * 100; note: fixed values when |NetChange| < 0.005. */
export function explainedPercent(netChange: number, unexplained: number): number {
  if (Math.abs(netChange) < 0.005) return Math.abs(unexplained) < 0.005 ? 100 : 0;
  return 100 - (Math.abs(unexplained) / Math.abs(netChange)) * 100;
}

/** Guide 2.7: Top3% = sum |top 3 service deltas| / sum |all service deltas| * 100 (ranked by |delta|, ties by name). */
export function top3Percent(serviceDeltas: Map<string, number>): number {
  const ranked = [...serviceDeltas].sort(
    (a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0].localeCompare(b[0]),
  );
  let all = 0;
  let top = 0;
  ranked.forEach(([, d], i) => {
    all += Math.abs(d);
    if (i < 3) top += Math.abs(d);
  });
  return percentOf(top, all, 0);
}
