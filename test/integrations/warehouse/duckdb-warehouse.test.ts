/**
 * The warehouse's questions on real DuckDB, in both layouts (a synced star, a one-off flat view)
 * over the same rows; and the SQL line summary held equal to the method's reference
 * (summariseLines) on random lines.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summariseLines } from '../../../src/analytics/drivers/summary.js';
import { BASES, type Dimension } from '../../../src/analytics/types.js';
import type { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';
import { DuckDbWarehouse } from '../../../src/integrations/warehouse/duckdb-warehouse.js';
import { land, removeFileRows, stage } from '../../../src/integrations/warehouse/ingest.js';
import type { ChargeRow, CostWarehouse } from '../../../src/integrations/warehouse/port.js';
import { rowsTable } from '../../../src/integrations/warehouse/rows.js';
import { chargeRow as row } from '../../helpers/charge-row.js';
import { landedRows } from '../../helpers/landed-rows.js';

/** The same rows as a star (ingested) and as a flat view. */
async function both(rows: ChargeRow[]): Promise<{ star: CostWarehouse; flat: CostWarehouse; db: DuckDb }> {
  const { db, sid, relation } = await landedRows(rows);
  await db.run(`CREATE TEMP VIEW flat_rows AS ${relation}`);
  return {
    db,
    star: new DuckDbWarehouse(db, { kind: 'star', sourceId: sid }),
    flat: new DuckDbWarehouse(db, { kind: 'flat', rows: 'flat_rows' }),
  };
}

const windows = {
  current: { start: '2026-11-08', end: '2026-11-14' },
  previous: { start: '2026-11-01', end: '2026-11-07' },
};

let w: Awaited<ReturnType<typeof both>>;
beforeEach(async () => {
  w = await both([
    row({ day: '2026-11-02', billed: 10, effective: 8, quantity: 5 }),
    row({ day: '2026-11-09', billed: 12, effective: 9, contracted: 7, quantity: 6 }),
    row({ day: '2026-11-09', billed: -3, category: 'credit', quantity: null }),
    row({ day: '2026-11-09', billed: 2, category: 'Tax', tags: null }),
    row({ day: '2026-11-09', billed: 100, currency: 'EUR' }),
    row({ day: '2026-11-30', billed: 999 }),
  ]);
});
afterEach(() => w.db.close());

describe.each(['star', 'flat'] as const)('the %s layout', (layout) => {
  const wh = () => w[layout];

  it('daySummary: each basis with its fallbacks; days after today left out', async () => {
    const s = await wh().daySummary({ basis: 'net', today: '2026-11-24', teamTag: 'team' });
    expect(s.find((x) => x.day === '2026-11-30')).toBeUndefined();
    expect(s.filter((x) => x.day === '2026-11-09')).toEqual([
      { day: '2026-11-09', currency: 'EUR', provider: 'AWS', spend: 100 },
      { day: '2026-11-09', currency: 'USD', provider: 'AWS', spend: 6 },
    ]);
    const slice = await wh().daySummary({
      basis: 'actual',
      today: '2026-11-24',
      teamTag: 'team',
      where: [{ dimension: 'team', values: [''] }],
    });
    expect(slice).toEqual([{ day: '2026-11-09', currency: 'USD', provider: 'AWS', spend: 2 }]);
  });

  it('lineAggregates: kinds, windows, team tag, currency filter', async () => {
    const lines = await wh().lineAggregates({
      ...windows,
      basis: 'amortized',
      currency: 'USD',
      teamTag: 'team',
    });
    const byKind = Object.fromEntries(lines.map((l) => [l.kind, l]));
    expect(byKind.usage).toMatchObject({
      team: 'web',
      previousSpend: 8,
      currentSpend: 9,
      previousQuantity: 5,
      currentQuantity: 6,
    });
    expect(byKind.credit).toMatchObject({ previousSpend: 0, currentSpend: -3 });
    expect(byKind.other).toMatchObject({ team: '', currentSpend: 2 });
    expect(lines).toHaveLength(3);
    const owner = await wh().lineAggregates({
      ...windows,
      basis: 'actual',
      currency: 'USD',
      teamTag: 'owner',
    });
    expect(owner.find((l) => l.kind === 'usage')!.team).toBe('ops');
  });

  it('another currency counts only through a configured rate', async () => {
    const lines = await wh().lineAggregates({
      ...windows,
      basis: 'actual',
      currency: 'USD',
      fxRates: { EUR: 1.1 },
      teamTag: 'team',
    });
    const usage = lines.filter((l) => l.kind === 'usage').reduce((s, l) => s + l.currentSpend, 0);
    expect(usage).toBeCloseTo(12 + 110, 10);
    const summary = await wh().lineSummary({
      ...windows,
      basis: 'actual',
      currency: 'USD',
      fxRates: { EUR: 1.1 },
      teamTag: 'team',
      by: 'service',
    });
    expect(summary.current).toBeCloseTo(12 - 3 + 2 + 110, 10);
  });

  it('dailyByKey: the total, per service and in a slice, each basis, days after today left out', async () => {
    const q = { basis: 'amortized' as const, today: '2026-11-24', teamTag: 'team' };
    const total = await wh().dailyByKey({ ...q, by: 'total' });
    expect(total).toEqual([
      { day: '2026-11-02', key: 'total', currency: 'USD', spend: 8 },
      { day: '2026-11-09', key: 'total', currency: 'EUR', spend: 100 },
      { day: '2026-11-09', key: 'total', currency: 'USD', spend: 9 - 3 + 2 },
    ]);
    const services = await wh().dailyByKey({ ...q, by: 'service' });
    expect(services.map((r) => r.key)).toEqual(['EC2', 'EC2', 'EC2']);
    expect(services.map((r) => r.spend)).toEqual(total.map((r) => r.spend));
    const untagged = await wh().dailyByKey({
      ...q,
      by: 'total',
      where: [{ dimension: 'team', values: [''] }],
    });
    expect(untagged).toEqual([{ day: '2026-11-09', key: 'total', currency: 'USD', spend: 2 }]);
  });

  it('no comparison window: previous sums are 0', async () => {
    const lines = await wh().lineAggregates({
      current: windows.current,
      previous: null,
      basis: 'actual',
      currency: 'USD',
      teamTag: 'team',
    });
    expect(lines.every((l) => l.previousSpend === 0 && l.previousQuantity === 0)).toBe(true);
  });
});

/**
 * Random charge rows over few line keys (so most lines have rows in both windows): new, removed,
 * grown and repriced lines, credits and tax; quantities sometimes 0 or missing.
 */
const rowsArb = fc.array(
  fc.record({
    day: fc.constantFrom('2026-11-02', '2026-11-05', '2026-11-09', '2026-11-12'),
    billed: fc.oneof(
      fc.constant(0),
      fc.integer({ min: -5_000, max: 50_000 }).map((n) => n / 100),
    ),
    quantity: fc.oneof(
      fc.constant(null),
      fc.constant(0),
      fc.integer({ min: 1, max: 100_000 }).map((n) => n / 1000),
      fc.integer({ min: 1, max: 100_000 }).map((n) => n / 1000),
    ),
    category: fc.constantFrom('Usage', 'Usage', 'Usage', 'Purchase', 'Credit', 'Tax', ''),
    service: fc.constantFrom('EC2', 'S3'),
    account: fc.constantFrom('1', '2'),
    sku: fc.constantFrom('a', ''),
    resource: fc.constantFrom('', 'i-1'),
    team: fc.constantFrom('web', ''),
  }),
  { minLength: 20, maxLength: 80 },
);

describe('dailyByKey on a star whose file was restated', () => {
  it('the total equals the sum of the services, each basis, after a file replaced its rows', async () => {
    const x = await both([
      row({ day: '2026-11-02', billed: 10, effective: 8, contracted: 11 }),
      row({ day: '2026-11-03', billed: 5, service: 'S3', category: 'credit' }),
    ]);
    try {
      // The file restated: its rows replaced (as a sync does) by other figures and a new service.
      const restated = await rowsTable(x.db, 'rows_restated', [
        row({ day: '2026-11-02', billed: 12, effective: 9, contracted: 13 }),
        row({ day: '2026-11-03', billed: 4, service: 'RDS', tags: null }),
      ]);
      const { layout } = x.star as DuckDbWarehouse;
      const sid = layout.kind === 'star' ? layout.sourceId : -1;
      await removeFileRows(x.db, sid, 1);
      await stage(x.db, restated, 't');
      await x.db.transaction(() => land(x.db, { sourceId: sid, fileId: 1, name: 't' }));
      for (const basis of BASES) {
        const q = { basis, today: '2026-11-24', teamTag: 'team' };
        const total = await x.star.dailyByKey({ ...q, by: 'total' });
        const services = await x.star.dailyByKey({ ...q, by: 'service' });
        const byDay = new Map<string, number>();
        for (const r of services) byDay.set(r.day, (byDay.get(r.day) ?? 0) + r.spend);
        expect(
          total.map((r) => [r.day, r.spend]),
          basis,
        ).toEqual([...byDay]);
      }
      const actual = await x.star.dailyByKey({
        basis: 'actual',
        today: '2026-11-24',
        teamTag: 'team',
        by: 'total',
      });
      expect(actual.map((r) => r.spend)).toEqual([12, 4]);
    } finally {
      x.db.close();
    }
  });
});

describe('the SQL line summary', () => {
  it('equals the reference summariseLines on random lines, for every dimension', async () => {
    await fc.assert(
      fc.asyncProperty(
        rowsArb,
        fc.constantFrom<Dimension>('service', 'account', 'team', 'sku'),
        async (raw, by) => {
          const rows = raw.map((r) => row({ ...r, tags: r.team ? { team: r.team } : null }));
          const x = await both(rows);
          try {
            for (const layout of ['star', 'flat'] as const) {
              const q = { ...windows, basis: 'actual' as const, currency: 'USD', teamTag: 'team' };
              const reference = summariseLines(await x[layout].lineAggregates(q), by);
              const sql = await x[layout].lineSummary({ ...q, by });
              const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a));
              expect(close(sql.previous, reference.previous) && close(sql.current, reference.current)).toBe(
                true,
              );
              for (const [k, v] of Object.entries(reference.buckets))
                expect(close(sql.buckets[k as keyof typeof sql.buckets], v), `${k} ${layout}`).toBe(true);
              for (const [k, v] of Object.entries(reference.governance))
                expect(close(sql.governance[k as keyof typeof sql.governance], v), k).toBe(true);
              const groups = (s: typeof sql) => new Map(s.groups.map((g) => [g.key, g]));
              const rg = groups(reference);
              expect([...groups(sql).keys()].sort()).toEqual([...rg.keys()].sort());
              for (const g of sql.groups) {
                const r = rg.get(g.key)!;
                expect(close(g.currentSpend, r.currentSpend) && close(g.previousSpend, r.previousSpend)).toBe(
                  true,
                );
                for (const [k, v] of Object.entries(r.buckets))
                  expect(close(g.buckets[k as keyof typeof g.buckets], v), `${g.key} ${k}`).toBe(true);
              }
              for (const [k, v] of reference.serviceDeltas)
                expect(close(sql.serviceDeltas.get(k)!, v)).toBe(true);
            }
          } finally {
            x.db.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});
