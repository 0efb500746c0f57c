/** FOCUS loading on real DuckDB: the real sample reconciles to the cent; bad files say where. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../src/integrations/warehouse/duckdb-warehouse.js';
import { directSumByDay, SAMPLE, unitsToNumber as toNumber } from '../../helpers/focus-sample.js';

let dir: string;
let wh: DuckDbWarehouse;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spendbrief-focus-'));
  wh = await DuckDbWarehouse.open();
});
afterEach(async () => wh.close());

describe('loading the real FOCUS 1.0 sample', () => {
  it('CSV: every day and the total equal a direct sum of the file to the cent', async () => {
    await wh.loadFocus(SAMPLE);
    const summary = await wh.daySummary('2024-12-31');
    const direct = directSumByDay();
    const byDay = new Map<string, number>();
    for (const s of summary) byDay.set(s.day, (byDay.get(s.day) ?? 0) + s.actual);
    expect([...byDay.keys()].sort()).toEqual([...direct.keys()].sort());
    for (const [day, units] of direct) expect(byDay.get(day)!).toBeCloseTo(toNumber(units), 9);
    const total = [...direct.values()].reduce((a, b) => a + b, 0n);
    expect(summary.reduce((s, r) => s + r.actual, 0)).toBeCloseTo(toNumber(total), 9);
    expect(new Set(summary.map((s) => s.provider))).toEqual(new Set(['AWS', 'Microsoft', 'Oracle']));
  });

  it('Parquet of the same rows gives the same lines as the CSV', async () => {
    const parquet = join(dir, 'sample.parquet');
    await wh.db.run(
      `COPY (SELECT * FROM read_csv('${SAMPLE}', nullstr = 'NULL')) TO '${parquet}' (FORMAT parquet)`,
    );
    const query = {
      current: { start: '2024-09-16', end: '2024-09-30' },
      previous: { start: '2024-09-01', end: '2024-09-15' },
      basis: 'actual' as const,
      currency: 'USD',
      teamTag: 'business_unit',
    };
    await wh.loadFocus(SAMPLE);
    const fromCsv = await wh.lineAggregates(query);
    await wh.loadFocus(parquet);
    const fromParquet = await wh.lineAggregates(query);
    const key = (l: (typeof fromCsv)[number]) =>
      [l.service, l.account, l.region, l.team, l.sku, l.resource, l.kind].join('|');
    const sort = (ls: typeof fromCsv) => [...ls].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sort(fromParquet).map(key)).toEqual(sort(fromCsv).map(key));
    const sum = (ls: typeof fromCsv) => ls.reduce((s, l) => s + l.previousSpend + l.currentSpend, 0);
    expect(sum(fromParquet)).toBeCloseTo(sum(fromCsv), 9);
    const direct = [...directSumByDay().values()].reduce((a, b) => a + b, 0n);
    expect(sum(fromCsv)).toBeCloseTo(toNumber(direct), 9);
    expect(fromCsv.some((l) => l.team !== '')).toBe(true);
    expect(new Set(fromCsv.map((l) => l.kind))).toEqual(new Set(['usage', 'credit', 'other']));
  });
});

describe('FOCUS versions and bad files', () => {
  const header =
    'ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ServiceName,ServiceProviderName,ChargeCategory';

  it('reads the 1.3 column ServiceProviderName and ISO timestamps with offsets in UTC', async () => {
    const f = join(dir, 'v13.csv');
    writeFileSync(
      f,
      `${header}\n2025-03-01T23:30:00-02:00,1.25,1.00,EUR,Compute,Contoso Cloud,Usage\n2025-03-02T00:00:00Z,2.5,,EUR,Compute,Contoso Cloud,Usage\n`,
    );
    await wh.loadFocus(f);
    expect(await wh.daySummary('2025-12-31')).toEqual([
      {
        day: '2025-03-02',
        currency: 'EUR',
        provider: 'Contoso Cloud',
        actual: 3.75,
        amortized: 3.5,
        net: 3.5,
      },
    ]);
  });

  it('a path that matches nothing', async () => {
    await expect(wh.loadFocus(join(dir, 'nope-*.csv'))).rejects.toThrow(
      /no file matches ".*nope-\*\.csv"; expected FOCUS 1.0 to 1.3/,
    );
  });

  it('a missing required column names it and what the file has', async () => {
    const f = join(dir, 'nocost.csv');
    writeFileSync(f, 'ChargePeriodStart,BillingCurrency,ServiceName\n2025-01-01,USD,S3\n');
    await expect(wh.loadFocus(f)).rejects.toThrow(
      'nocost.csv: required FOCUS column BilledCost is missing (the file has: ChargePeriodStart, BillingCurrency, ServiceName); required: ChargePeriodStart, BilledCost, ServiceName, BillingCurrency',
    );
  });

  it('an unparseable number names file, row, line and column', async () => {
    const f = join(dir, 'badnum.csv');
    writeFileSync(
      f,
      `${header}\n2025-01-01,1,1,USD,S3,AWS,Usage\n2025-01-02,12,1,USD,S3,AWS,Usage\n2025-01-03,1.2.3,1,USD,S3,AWS,Usage\n`,
    );
    await expect(wh.loadFocus(f)).rejects.toThrow(
      'badnum.csv, row 3 (line 4), column BilledCost: "1.2.3" is not a number such as 12.34',
    );
  });

  it('an unparseable date names file, row and column', async () => {
    const f = join(dir, 'baddate.csv');
    writeFileSync(f, `${header}\n2025-13-01,1,1,USD,S3,AWS,Usage\n`);
    await expect(wh.loadFocus(f)).rejects.toThrow(
      /baddate\.csv, row 1 \(line 2\), column ChargePeriodStart: "2025-13-01" is not a date-time/,
    );
  });

  it('a file that is not FOCUS at all', async () => {
    const f = join(dir, 'notes.txt');
    writeFileSync(f, 'hello');
    await expect(wh.loadFocus(f)).rejects.toThrow(/notes\.txt: not a \.csv or \.parquet file/);
  });
});
