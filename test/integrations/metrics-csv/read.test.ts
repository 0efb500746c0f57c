import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetricsCsv } from '../../../src/integrations/metrics-csv/read.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';

let db: DuckDb;
const dir = mkdtempSync(join(tmpdir(), 'spendbrief-metrics-'));
const file = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
beforeAll(async () => {
  db = await DuckDb.open();
});
afterAll(() => db.close());

describe('readMetricsCsv', () => {
  it('reads date + numeric columns; --features picks some', async () => {
    const f = file('ok.csv', 'date,transactions,customers\n2026-01-01,100,10\n2026-01-02,120.5,11\n');
    const all = await readMetricsCsv(db, f);
    expect(all.features).toEqual(['transactions', 'customers']);
    expect(all.days.get('2026-01-02')).toEqual({ transactions: 120.5, customers: 11 });
    expect((await readMetricsCsv(db, f, ['customers'])).days.get('2026-01-01')).toEqual({ customers: 10 });
  });

  it('names file, row, line and column of a bad cell, and what is accepted', async () => {
    await expect(readMetricsCsv(db, file('nodate.csv', 'day,x\n2026-01-01,1\n'))).rejects.toThrow(
      'nodate.csv: no "date" column (it has: day, x)',
    );
    await expect(
      readMetricsCsv(db, file('bad.csv', 'date,x\n2026-01-01,1\n2026-01-02,lots\n')),
    ).rejects.toThrow('bad.csv, row 2 (line 3), column x: "lots" is not a number');
    await expect(readMetricsCsv(db, file('ok2.csv', 'date,x\n2026-01-01,1\n'), ['y'])).rejects.toThrow(
      'ok2.csv: no column "y" (it has: date, x)',
    );
    await expect(readMetricsCsv(db, join(dir, 'missing.csv'))).rejects.toThrow(/does not exist/);
  });
});
