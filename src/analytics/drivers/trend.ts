/** Guide section 7: daily trend with the residual overlay, days paired by index. */
import { roundHalfAwayFromZero as round2 } from '../money.js';
import { calendarDays } from '../periods/windows.js';
import type { DailySpend, DateRange } from '../types.js';
import type { TrendPoint } from './types.js';

/** Guide 7: dailyResidual = dailyDelta * totalUnexplained / roundedNetChange (0 when that is 0). */
export const dailyResidual = (
  dailyDelta: number,
  totalUnexplained: number,
  roundedNetChange: number,
): number => (roundedNetChange === 0 ? 0 : (dailyDelta * totalUnexplained) / roundedNetChange);

export function buildTrend(
  current: DateRange,
  previous: DateRange | null,
  currentDaily: DailySpend[],
  previousDaily: DailySpend[],
  totalUnexplained: number,
  netChange: number,
): TrendPoint[] {
  const spendOf = (rows: DailySpend[]) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(r.day, (m.get(r.day) ?? 0) + r.spend);
    return m;
  };
  const cur = spendOf(currentDaily);
  const prev = spendOf(previousDaily);
  const curDays = calendarDays(current);
  const prevDays = previous ? calendarDays(previous) : [];
  const roundedNet = round2(netChange);
  const n = Math.max(curDays.length, prevDays.length);
  const out: TrendPoint[] = [];
  for (let i = 0; i < n; i++) {
    const currentDay = curDays[i] ?? null;
    const previousDay = prevDays[i] ?? null;
    const currentSpend = currentDay ? (cur.get(currentDay) ?? 0) : 0;
    const previousSpend = previousDay ? (prev.get(previousDay) ?? 0) : 0;
    const dailyDelta = currentSpend - previousSpend;
    const residual = dailyResidual(dailyDelta, totalUnexplained, roundedNet);
    out.push({
      index: i,
      currentDay,
      previousDay,
      currentSpend,
      previousSpend,
      dailyDelta,
      dailyResidual: residual,
      dailyExplained: dailyDelta - residual,
      residualAbsPctOfDelta: dailyDelta === 0 ? null : (Math.abs(residual) / Math.abs(dailyDelta)) * 100,
    });
  }
  return out;
}
