/**
 * The latest day of CSV files guessed from their ends, against real files written by DuckDB:
 * rows in either day order, a `today` inside the data, a compressed file (not sampled), and a file
 * whose latest day sits in the middle (the guess is an older day; the caller reads again).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSql } from '../../../src/integrations/demo/generate.js';
import { listFocusFiles } from '../../../src/integrations/focus/read-focus.js';
import { sampledLatestDay } from '../../../src/integrations/focus/sample-days.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';

const dir = mkdtempSync(join(tmpdir(), 'spendbrief-sample-days-'));
let db: DuckDb;

const write = async (name: string, order: string, options = '(HEADER)') => {
  const path = join(dir, name);
  await db.run(
    `COPY (SELECT * FROM (${demoSql({ endDay: '2026-11-23', days: 120 })}) ORDER BY ${order}) TO '${path}' ${options}`,
  );
  return listFocusFiles(db, path);
};

beforeAll(async () => {
  db = await DuckDb.open();
}, 60_000);
afterAll(() => db.close());

describe('sampledLatestDay', () => {
  it('finds the latest day at the end of an ascending file and at the start of a descending one', async () => {
    const asc = await write('asc.csv', 'ChargePeriodStart');
    expect(asc[0]!.size).toBeGreaterThan(2 * 256 * 1024);
    expect(await sampledLatestDay(db, asc, '2026-11-24')).toBe('2026-11-23');
    const desc = await write('desc.csv', 'ChargePeriodStart DESC');
    expect(await sampledLatestDay(db, desc, '2026-11-24')).toBe('2026-11-23');
  });

  it('keeps to days up to today', async () => {
    const desc = await write('desc-early.csv', 'ChargePeriodStart DESC');
    // The start of the file holds the last days; a day after today there is not the answer.
    expect(await sampledLatestDay(db, desc, '2026-11-22')).toBe('2026-11-22');
    expect(await sampledLatestDay(db, desc, '2026-11-23')).toBe('2026-11-23');
  });

  it('the latest day in the middle only: an older day, which the caller then finds wrong', async () => {
    const mid = await write(
      'mid.csv',
      `CASE WHEN CAST(ChargePeriodStart AS DATE) = DATE '2026-11-23' THEN 1 ELSE 2 END, ChargePeriodStart DESC`,
    );
    // The file starts with the latest day here; the mirror image puts it in the middle.
    expect(await sampledLatestDay(db, mid, '2026-11-24')).toBe('2026-11-23');
    const middle = await write(
      'middle.csv',
      `CASE WHEN CAST(ChargePeriodStart AS DATE) = DATE '2026-11-23' THEN 1 WHEN CAST(ChargePeriodStart AS DATE) < DATE '2026-10-01' THEN 0 ELSE 2 END, ChargePeriodStart`,
    );
    expect(await sampledLatestDay(db, middle, '2026-11-24')).toBe('2026-11-22');
  });

  it('a file between one and two samples long: its end past the first 256 KiB is read too', async () => {
    const path = join(dir, 'short-asc.csv');
    // Days before 2026-11-20 (sized to ~384 KiB in all), then a few rows of 2026-11-23, ascending:
    // the latest day lies past the first sample only.
    const demo = `(SELECT * FROM (${demoSql({ endDay: '2026-11-23', days: 120 })}))`;
    const day = 'CAST(ChargePeriodStart AS DATE)';
    const write = (rows: number) =>
      db.run(`COPY (SELECT * FROM (
          (SELECT * FROM ${demo} WHERE ${day} < DATE '2026-11-20' ORDER BY ChargePeriodStart DESC LIMIT ${rows})
          UNION ALL (SELECT * FROM ${demo} WHERE ${day} = DATE '2026-11-23' LIMIT 20))
        ORDER BY ChargePeriodStart) TO '${path}' (HEADER)`);
    await write(1000);
    const perRow = (await listFocusFiles(db, path))[0]!.size / 1020;
    await write(Math.round((384 * 1024) / perRow));
    const [f] = await listFocusFiles(db, path);
    expect(f!.size).toBeGreaterThan(256 * 1024);
    expect(f!.size).toBeLessThan(2 * 256 * 1024);
    expect(await sampledLatestDay(db, [f!], '2026-11-24')).toBe('2026-11-23');
  });

  it('does not sample a compressed file', async () => {
    const gz = await write('rows.csv.gz', 'ChargePeriodStart', "(HEADER, COMPRESSION 'gzip')");
    expect(await sampledLatestDay(db, gz, '2026-11-24')).toBeNull();
  });
});
