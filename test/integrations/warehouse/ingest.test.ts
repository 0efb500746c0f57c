import { describe, expect, it } from 'vitest';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';
import { withOneThreadIfOutOfMemory } from '../../../src/integrations/warehouse/ingest.js';
import type { ChargeRow } from '../../../src/integrations/warehouse/port.js';
import { chargeRow } from '../../helpers/charge-row.js';
import { landedRows } from '../../helpers/landed-rows.js';

const threads = async (db: DuckDb) =>
  Number((await db.all<{ t: string }>("SELECT current_setting('threads')::VARCHAR AS t"))[0]!.t);

describe('a stage that runs out of memory', () => {
  it('is tried once more on one thread, and the thread count put back', async () => {
    const db = await DuckDb.open(':memory:', { threads: 2 });
    const seen: number[] = [];
    await withOneThreadIfOutOfMemory(db, async () => {
      seen.push(await threads(db));
      // DuckDB's own words when a thread's hash tables do not fit.
      if (seen.length === 1)
        throw new Error('Out of Memory Error: could not allocate block of size 256.0 KiB');
    });
    expect(seen).toEqual([2, 1]);
    expect(await threads(db)).toBe(2);
    db.close();
  });

  it('on one thread already, or for any other error, fails as it came', async () => {
    const db = await DuckDb.open(':memory:', { threads: 1 });
    const oom = new Error('Out of Memory Error: failed to allocate data of size 8.0 MiB');
    await expect(withOneThreadIfOutOfMemory(db, async () => Promise.reject(oom))).rejects.toBe(oom);
    db.close();
    const two = await DuckDb.open(':memory:', { threads: 2 });
    let calls = 0;
    const bad = new Error('Conversion Error: could not convert string "x" to DOUBLE');
    await expect(
      withOneThreadIfOutOfMemory(two, async () => {
        calls++;
        throw bad;
      }),
    ).rejects.toBe(bad);
    expect(calls).toBe(1);
    expect(await threads(two)).toBe(2);
    two.close();
  });
});

describe('day totals at land', () => {
  // An Azure line: the totals carry the lines' own currency and provider, nothing assumed.
  const row = (o: Partial<ChargeRow>): ChargeRow =>
    chargeRow({
      service: 'Compute',
      region: 'westeurope',
      tags: {},
      currency: 'EUR',
      provider: 'Microsoft',
      ...o,
    });

  const landed = async (rows: ChargeRow[]) => {
    const { db } = await landedRows(rows);
    const totals = await db.all(
      `SELECT strftime(day, '%Y-%m-%d') AS day, currency, provider, actual, amortized FROM day_totals ORDER BY ALL`,
    );
    db.close();
    return totals;
  };

  it('one currency and provider (no join to the lines): each day summed under them, undated rows left out', async () => {
    expect(
      await landed([
        row({ billed: 2, effective: 1.5 }),
        row({ billed: 3, resource: 'vm-1', service: 'Storage' }),
        row({ day: '2026-11-11', billed: 7 }),
        row({ day: null as unknown as string, billed: 100 }),
      ]),
    ).toEqual([
      { day: '2026-11-10', currency: 'EUR', provider: 'Microsoft', actual: 5, amortized: 4.5 },
      { day: '2026-11-11', currency: 'EUR', provider: 'Microsoft', actual: 7, amortized: 7 },
    ]);
  });

  it('several: each day split by the currency and provider of its lines', async () => {
    expect(
      await landed([
        row({ billed: 2 }),
        row({ billed: 3, currency: 'USD', provider: 'AWS', service: 'EC2' }),
        row({ billed: 4, currency: 'USD', provider: 'Microsoft' }),
        row({ day: '2026-11-11', billed: 7 }),
      ]),
    ).toEqual([
      { day: '2026-11-10', currency: 'EUR', provider: 'Microsoft', actual: 2, amortized: 2 },
      { day: '2026-11-10', currency: 'USD', provider: 'AWS', actual: 3, amortized: 3 },
      { day: '2026-11-10', currency: 'USD', provider: 'Microsoft', actual: 4, amortized: 4 },
      { day: '2026-11-11', currency: 'EUR', provider: 'Microsoft', actual: 7, amortized: 7 },
    ]);
  });
});

describe('staged sums (plain, not compensated)', () => {
  it('hold a day and line of 20,000 rows, charges and credits of up to $1M with cents, to the cent', async () => {
    // Far more rows a day and line than any export writes (one a day, 24 hourly), of mixed signs
    // and magnitudes: a plain double sum still lands within a cent of the exact decimal total.
    const cents = Array.from(
      { length: 20_000 },
      (_, i) => (((i * 7919) % 200_001) - 100_000) * 1000 + (i % 100),
    );
    const exact = cents.reduce((s, c) => s + c, 0);
    const { db } = await landedRows(
      cents.map((c) => chargeRow({ billed: c / 100, service: 'Compute', tags: {} })),
    );
    const [d] = await db.all<{ n: number; actual: number; week: number; total: number }>(
      `SELECT (SELECT count(*) FROM charge_days) AS n, (SELECT actual FROM charge_days) AS actual,
         (SELECT actual FROM charge_weeks) AS week, (SELECT actual FROM day_totals) AS total`,
    );
    db.close();
    expect(Number(d!.n)).toBe(1);
    for (const v of [d!.actual, d!.week, d!.total]) expect(Math.abs(v * 100 - exact)).toBeLessThan(0.5);
  });
});
