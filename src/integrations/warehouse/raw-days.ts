/**
 * Conditions on the charge period start as a file has it (`day_raw`, see focus/read-focus.ts),
 * written so that DuckDB decides them without converting every row to its UTC day.
 */
import { addDays } from '../../analytics/alerts/series.js';
import type { DateRange } from '../../analytics/types.js';
import { sqlString } from './duckdb.js';

/** The raw charge period start within the days of `ranges` (exactly; null for text and other types). */
export function rawDaysSql(type: string | null | undefined, ranges: DateRange[]): string | null {
  if (!ranges.length) return null;
  const start = ranges.map((r) => r.start).sort()[0]!;
  const end = addDays(
    ranges
      .map((r) => r.end)
      .sort()
      .at(-1)!,
    1,
  );
  if (type === 'DATE') return `day_raw >= DATE '${start}' AND day_raw < DATE '${end}'`;
  if (type === 'TIMESTAMP' || type === 'TIMESTAMP_NS' || type === 'TIMESTAMP_MS' || type === 'TIMESTAMP_S')
    return `day_raw >= TIMESTAMP '${start}' AND day_raw < TIMESTAMP '${end}'`;
  if (type === 'TIMESTAMP WITH TIME ZONE')
    return `day_raw >= TIMESTAMPTZ '${start} 00:00:00+00' AND day_raw < TIMESTAMPTZ '${end} 00:00:00+00'`;
  return null;
}

/** Text that begins with an ISO date (`YYYY-MM-DD`, then the end or anything but a digit). */
const ISO_DATE = '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]';
const isoText = `(day_raw GLOB '${ISO_DATE}' OR day_raw GLOB '${ISO_DATE}[!0-9]*')`;

/**
 * The sum of the flags of the ranges a row's day falls in (0 for none; ranges may overlap: flags 1
 * and 2 give 3 for a day in both), for a text `day_raw`. Converting each row's text to its UTC
 * day (`day`: SQL over `day_raw`) was half a second of a 10M-row CSV's 4 s question; comparing text
 * is a tenth of that. The date an ISO text begins with is its UTC day give or take one (an offset
 * moves it at most 14 hours): so text between a range's second and last day but one is in it, and
 * text more than a day outside a range is not; a text so decided for every range is not converted,
 * the rest (the days around a range's ends, text of another form) is. Exact: the same sums as
 * converting every row.
 */
export function rangeFlagsOfText(ranges: { range: DateRange; flag: number }[], day: string): string {
  const inner = ({ start, end }: DateRange) =>
    addDays(start, 1) < end
      ? `(day_raw >= ${sqlString(addDays(start, 1))} AND day_raw < ${sqlString(end)})`
      : 'FALSE';
  const far = ({ start, end }: DateRange) =>
    `(day_raw < ${sqlString(addDays(start, -1))} OR day_raw >= ${sqlString(addDays(end, 2))})`;
  const decided = ranges.map(({ range }) => `(${inner(range)} OR ${far(range)})`).join(' AND ') || 'TRUE';
  const known = flagSum(ranges.map(({ range, flag }) => ({ condition: inner(range), flag })));
  return `CASE WHEN ${isoText} AND ${decided} THEN ${known} ELSE ${rangeFlags(ranges, day)} END`;
}

/** The sum of the flags of the ranges `day` (a DATE expression) falls in. */
export const rangeFlags = (ranges: { range: DateRange; flag: number }[], day: string): string =>
  flagSum(
    ranges.map(({ range, flag }) => ({
      condition: `${day} BETWEEN DATE ${sqlString(range.start)} AND DATE ${sqlString(range.end)}`,
      flag,
    })),
  );

const flagSum = (terms: { condition: string; flag: number }[]): string =>
  terms.length ? terms.map((t) => `(CASE WHEN ${t.condition} THEN ${t.flag} ELSE 0 END)`).join(' + ') : '0';
