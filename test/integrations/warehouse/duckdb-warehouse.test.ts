/** The two pushed-down queries on real DuckDB, from rows a non-file source hands over. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../src/integrations/warehouse/duckdb-warehouse.js';
import type { ChargeRow } from '../../../src/integrations/warehouse/port.js';

const row = (o: Partial<ChargeRow>): ChargeRow => ({
  day: '2026-11-10',
  billed: 1,
  effective: null,
  contracted: null,
  quantity: 1,
  category: 'Usage',
  service: 'EC2',
  account: 'a',
  region: 'us-east-1',
  sku: 'x',
  resource: '',
  tags: { team: 'web', owner: 'ops' },
  currency: 'USD',
  provider: 'AWS',
  instanceType: '',
  ...o,
});

let wh: DuckDbWarehouse;
beforeEach(async () => {
  wh = await DuckDbWarehouse.open();
  await wh.loadRows([
    row({ day: '2026-11-02', billed: 10, effective: 8, quantity: 5 }),
    row({ day: '2026-11-09', billed: 12, effective: 9, contracted: 7, quantity: 6 }),
    row({ day: '2026-11-09', billed: -3, category: 'credit', quantity: null }),
    row({ day: '2026-11-09', billed: 2, category: 'Tax', tags: null }),
    row({ day: '2026-11-09', billed: 100, currency: 'EUR' }),
    row({ day: '2026-11-30', billed: 999 }),
  ]);
});
afterEach(async () => wh.close());

const windows = {
  current: { start: '2026-11-08', end: '2026-11-14' },
  previous: { start: '2026-11-01', end: '2026-11-07' },
};

describe('DuckDbWarehouse', () => {
  it('daySummary: every basis with its fallbacks, days after today left out', async () => {
    const s = await wh.daySummary('2026-11-24');
    expect(s.find((x) => x.day === '2026-11-30')).toBeUndefined();
    expect(s.filter((x) => x.day === '2026-11-09' && x.currency === 'USD')).toEqual([
      { day: '2026-11-09', currency: 'USD', provider: 'AWS', actual: 11, amortized: 8, net: 6 },
    ]);
  });

  it('lineAggregates: kinds, windows, team tag, currency filter', async () => {
    const lines = await wh.lineAggregates({
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
    const owner = await wh.lineAggregates({ ...windows, basis: 'actual', currency: 'USD', teamTag: 'owner' });
    expect(owner.find((l) => l.kind === 'usage')!.team).toBe('ops');
  });

  it('another currency counts only through a configured rate', async () => {
    const lines = await wh.lineAggregates({
      ...windows,
      basis: 'actual',
      currency: 'USD',
      fxRates: { EUR: 1.1 },
      teamTag: 'team',
    });
    const usage = lines.filter((l) => l.kind === 'usage').reduce((s, l) => s + l.currentSpend, 0);
    expect(usage).toBeCloseTo(12 + 110, 10);
  });

  it('no comparison window: previous sums are 0', async () => {
    const lines = await wh.lineAggregates({
      current: windows.current,
      previous: null,
      basis: 'actual',
      currency: 'USD',
      teamTag: 'team',
    });
    expect(lines.every((l) => l.previousSpend === 0 && l.previousQuantity === 0)).toBe(true);
  });
});
