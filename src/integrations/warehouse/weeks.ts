/**
 * Weekly sums per line (`charge_weeks`), kept beside the daily ones so that a question over weeks
 * of days reads one row per line and week instead of seven: the whole weeks (Monday to Sunday) of
 * a range come from `charge_weeks`, the days at its ends from `charge_days`. The split is exact
 * (each day counted once, sums of sums, never rounded), so a question's answer does not depend on
 * which table served it. Only sums that do not look at the day inside a week may use it (the
 * carbon footprint converts by each day's month, so it reads days).
 */
import { addDays } from '../../analytics/alerts/series.js';
import type { DateRange } from '../../analytics/types.js';
import { sqlString } from './duckdb.js';
import type { SqlRunner } from './port.js';

/** 0 for Sunday .. 6 for Saturday. */
const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();

/** Week starts (Mondays) of the whole weeks inside a range, and the days left at its ends. */
export function splitWeeks(r: DateRange): { weeks: DateRange | null; days: DateRange[] } {
  const firstMonday = addDays(r.start, (8 - weekday(r.start)) % 7);
  const lastSunday = addDays(r.end, -weekday(r.end));
  if (addDays(firstMonday, 6) > lastSunday) return { weeks: null, days: [r] };
  const days: DateRange[] = [];
  if (firstMonday > r.start) days.push({ start: r.start, end: addDays(firstMonday, -1) });
  if (lastSunday < r.end) days.push({ start: addDays(lastSunday, 1), end: r.end });
  return { weeks: { start: firstMonday, end: addDays(lastSunday, -6) }, days };
}

const between = (col: string, r: DateRange) =>
  `${col} BETWEEN DATE ${sqlString(r.start)} AND DATE ${sqlString(r.end)}`;

/**
 * The rows of one source over disjoint ranges with the columns of `charge_days` (a week's row
 * dated by its Monday, which lies in the same range as its days), or null when ranges overlap.
 */
export function weeksAndDays(sourceId: number, ranges: DateRange[]): string | null {
  const sorted = [...ranges].sort((a, b) => a.start.localeCompare(b.start));
  if (sorted.some((r, i) => r.start > r.end || (i > 0 && r.start <= sorted[i - 1]!.end))) return null;
  const parts = sorted.map(splitWeeks);
  const weeks = parts.flatMap((p) => (p.weeks ? [between('week', p.weeks)] : []));
  const days = parts.flatMap((p) => p.days.map((d) => between('day', d)));
  const cols = 'line_no, actual, amortized, net, quantity';
  const selects = [
    weeks.length &&
      `SELECT week AS day, ${cols} FROM charge_weeks WHERE source_id = ${sourceId} AND (${weeks.join(' OR ')})`,
    days.length &&
      `SELECT day, ${cols} FROM charge_days WHERE source_id = ${sourceId} AND (${days.join(' OR ')})`,
  ].filter(Boolean);
  return `(${selects.join(' UNION ALL ')})`;
}

/**
 * Weekly sums of daily rows (`from`: a relation with source_id, file_id, day, the line's `key`
 * column and the sums). At most seven days a line: plain sums (see ingest.ts, SUMS).
 */
export const weekRollup = (from: string, key: 'key' | 'line_no'): string =>
  `SELECT source_id, file_id, date_trunc('week', day)::DATE AS week, ${key}, sum(actual) AS actual,
     sum(amortized) AS amortized, sum(net) AS net, sum(quantity) AS quantity
   FROM ${from} WHERE day IS NOT NULL GROUP BY ALL`;

/** The table, in weekRollup's column order. */
export async function ensureWeeks(sql: SqlRunner): Promise<void> {
  await sql.run(`CREATE TABLE IF NOT EXISTS charge_weeks (
    source_id INTEGER NOT NULL, file_id INTEGER NOT NULL, week DATE NOT NULL, line_no INTEGER NOT NULL,
    actual DOUBLE, amortized DOUBLE, net DOUBLE, quantity DOUBLE)`);
}

/** Whether a warehouse keeps the weekly sums (one synced by an older release has none). */
export async function hasSummaries(sql: SqlRunner): Promise<boolean> {
  return (await sql.all("SELECT 1 FROM duckdb_tables() WHERE table_name = 'charge_weeks'")).length > 0;
}

/** A source's weeks again from its days (after a source replaced days, not files). */
export async function rebuildWeeks(sql: SqlRunner, sourceId: number): Promise<void> {
  await sql.run(`DELETE FROM charge_weeks WHERE source_id = ${sourceId}`);
  await sql.run(
    `INSERT INTO charge_weeks ${weekRollup(`(SELECT * FROM charge_days WHERE source_id = ${sourceId})`, 'line_no')}`,
  );
}
