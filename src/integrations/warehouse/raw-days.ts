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
 * The label of the first range a row's day falls in (0 for none), for a text
 * `day_raw`. Converting each row's text to its UTC day (`day`: SQL over `day_raw`) was half a
 * second of a 10M-row CSV's 4 s question; comparing text is a tenth of that. The date an ISO text
 * begins with is its UTC day give or take one (an offset moves it at most 14 hours): so text
 * between a range's second and last day but one is in the range, text more than a day outside
 * every range is in none, and only the rest (the days around a range's ends, text of another
 * form) is converted. Exact: the same labels as converting every row.
 */
export function rangeLabelOfText(ranges: { range: DateRange; label: number }[], day: string): string {
  const converted = `CASE ${ranges
    .map(
      ({ range, label }) =>
        `WHEN ${day} BETWEEN DATE ${sqlString(range.start)} AND DATE ${sqlString(range.end)} THEN ${label}`,
    )
    .join(' ')} ELSE 0 END`;
  const text = (d: string) => sqlString(d);
  const near = ranges.map(
    ({ range }) =>
      `(day_raw >= ${text(addDays(range.start, -1))} AND day_raw < ${text(addDays(range.end, 2))})`,
  );
  // Ranges that overlap (a custom comparison; a window longer than a month against the same days a
  // month before) give their common days the first's label: text near an earlier range is converted.
  const inner = ranges.flatMap(({ range, label }, i) =>
    addDays(range.start, 1) < range.end
      ? [
          `WHEN day_raw >= ${text(addDays(range.start, 1))} AND day_raw < ${text(range.end)}${near
            .slice(0, i)
            .map((n) => ` AND NOT ${n}`)
            .join('')} THEN ${label}`,
        ]
      : [],
  );
  return `CASE WHEN NOT ${isoText} THEN ${converted} ${inner.join(' ')}
    WHEN NOT (${near.join(' OR ') || 'FALSE'}) THEN 0 ELSE ${converted} END`;
}
