/**
 * Window labels decided on the raw text held equal, on real DuckDB, to converting every row's
 * text to its UTC day: random texts of every form a FOCUS file writes (and some it should not)
 * around random windows.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../src/analytics/alerts/series.js';
import { dayExpression } from '../../../src/integrations/focus/read-focus.js';
import { DuckDb, sqlString } from '../../../src/integrations/warehouse/duckdb.js';
import { rangeFlagsOfText } from '../../../src/integrations/warehouse/raw-days.js';

const DAY = dayExpression('day_raw', 'VARCHAR');
/** Each row converted to its UTC day, and the flags of the ranges that hold it summed. */
const converted = (ranges: { range: { start: string; end: string }; flag: number }[]) =>
  ranges
    .map(
      ({ range, flag }) =>
        `(CASE WHEN (${DAY}) BETWEEN DATE '${range.start}' AND DATE '${range.end}' THEN ${flag} ELSE 0 END)`,
    )
    .join(' + ');

let db: DuckDb;
beforeAll(async () => {
  db = await DuckDb.open();
});
afterAll(() => db.close());

const labels = async (texts: (string | null)[], sql: string) => {
  const values = texts.map((t, i) => `(${i}, ${t === null ? 'NULL' : sqlString(t)})`).join(', ');
  const rows = await db.all<{ w: number }>(
    `SELECT (${sql})::INTEGER AS w FROM (VALUES ${values}) v(i, day_raw) ORDER BY i`,
  );
  return rows.map((r) => r.w);
};

const pad = (n: number) => String(n).padStart(2, '0');
/** A charge period start as some file writes it: the day, a time and an offset in many forms. */
const text = (base: string) =>
  fc
    .record({
      shift: fc.integer({ min: -5, max: 5 }),
      hour: fc.integer({ min: 0, max: 23 }),
      offset: fc.integer({ min: -14, max: 14 }),
      form: fc.integer({ min: 0, max: 9 }),
    })
    .map(({ shift, hour, offset, form }) => {
      const d = addDays(base, shift);
      const o = `${offset < 0 ? '-' : '+'}${pad(Math.abs(offset))}:00`;
      const t = `${pad(hour)}:00:00`;
      return [
        d,
        `${d} ${t}`,
        `${d}T${t}Z`,
        `${d}T${pad(hour)}:00Z`,
        `${d}T${t}${o}`,
        `${d}T${t}.000${o}`,
        `${d}T${t}.000z`, // RFC 3339's lower-case z
        `${d.slice(0, 8)}${Number(d.slice(8))} ${t}`, // one-digit day: not ISO, converted
        ` ${d}T${t}${o}`, // a leading space: converted
        `${d} ${t}${o.replace(':', '')}`,
      ][form]!;
    });

describe('rangeFlagsOfText', () => {
  it("sums the flags of the windows holding each text's UTC day, as converting it would (random windows, overlapping too, and texts)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 40 }),
        // Negative: the windows overlap (a day in both gets both flags: 3).
        fc.integer({ min: -45, max: 3 }),
        fc.boolean(),
        async (startOffset, length, gap, twoWindows) => {
          const prevStart = addDays('2025-06-01', startOffset);
          const prevEnd = addDays(prevStart, length - 1);
          const curStart = addDays(prevEnd, 1 + gap);
          const curEnd = addDays(curStart, length - 1);
          const ranges = [
            { range: { start: curStart, end: curEnd }, flag: 2 },
            ...(twoWindows ? [{ range: { start: prevStart, end: prevEnd }, flag: 1 }] : []),
          ];
          const bases = [prevStart, prevEnd, curStart, curEnd, addDays(curEnd, 3)];
          const texts = fc.sample(fc.oneof(...bases.map(text)), { numRuns: 60 });
          const all = [...texts, null];
          expect(await labels(all, rangeFlagsOfText(ranges, DAY))).toEqual(
            await labels(all, converted(ranges)),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it("converts only the days around the windows' ends and text of another form", async () => {
    const ranges = [{ range: { start: '2026-11-01', end: '2026-11-30' }, flag: 2 }];
    // A conversion that fails whenever it runs.
    const sql = rangeFlagsOfText(ranges, "CAST(error('converted ' || day_raw) AS DATE)");
    expect(
      await labels(['2026-11-02T00:00:00Z', '2026-11-29 23:00:00', '2026-10-30', '2026-12-02'], sql),
    ).toEqual([2, 2, 0, 0]);
    for (const t of [
      '2026-10-31T23:00:00Z',
      '2026-11-01',
      '2026-11-30T10:00:00-05:00',
      '2026-12-01',
      '2026-11-5',
    ])
      await expect(labels([t], sql)).rejects.toThrow(`converted ${t}`);
  });
});
