/**
 * The alerts' daily series (alerts note, "Series"): one per scope key, from its first day with a
 * row to the last day asked for; a day without rows is 0, negative days are values like any other.
 */
export interface DailySeries {
  /** `total`, or the key of the dimension. */
  key: string;
  /** The series' first day (its first row). */
  start: string;
  /** values[i] is the spend of start + i days. */
  values: number[];
}

// Plain UTC arithmetic on `YYYY-MM-DD`: these run once per judged day (73 thousand times for
// 200 scopes x 365 days), where a date library's objects cost more than the judgement.
const DAY_MS = 86_400_000;
const epochDay = (d: string): number =>
  Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / DAY_MS;
const isoDay = (epoch: number): string => new Date(epoch * DAY_MS).toISOString().slice(0, 10);
export const addDays = (d: string, n: number): string => isoDay(epochDay(d) + n);
export const daysBetween = (a: string, b: string): number => epochDay(b) - epochDay(a);

export function buildSeries(
  rows: readonly { day: string; key: string; spend: number }[],
  end: string,
): DailySeries[] {
  // Each row lands at its day's offset in its key's array: a Map of day strings and a date per
  // day were most of the time for 5,000 series of a year (1.8M points, 1.7 s of GC and dates).
  const byKey = new Map<string, { first: number; at: number[]; spend: number[] }>();
  for (const r of rows) {
    if (r.day > end) continue;
    const d = epochDay(r.day);
    const k = byKey.get(r.key);
    if (k) {
      k.at.push(d);
      k.spend.push(r.spend);
      if (d < k.first) k.first = d;
    } else byKey.set(r.key, { first: d, at: [d], spend: [r.spend] });
  }
  const last = epochDay(end);
  const out: DailySeries[] = [];
  for (const [key, k] of byKey) {
    const values = new Array<number>(last - k.first + 1).fill(0);
    for (let i = 0; i < k.at.length; i++) values[k.at[i]! - k.first]! += k.spend[i]!;
    out.push({ key, start: isoDay(k.first), values });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

export const dayOf = (s: DailySeries, i: number): string => addDays(s.start, i);

/** The later / earlier of two `YYYY-MM-DD` days (they compare as text). */
export const laterDay = (a: string, b: string): string => [a, b].sort()[1]!;
export const earlierDay = (a: string, b: string): string => [a, b].sort()[0]!;
