/**
 * The digest's alerts line explains what it shows (its three largest anomalies and the chart's
 * lead), not every anomaly of the week: one more here stays unexplained.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncFocus } from '../../../src/integrations/focus/sync-focus.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';
import { DuckDbWarehouse } from '../../../src/integrations/warehouse/duckdb-warehouse.js';
import { attentionLines, loadAlertsSummary } from '../../../src/reports/alerts/summary.js';

/**
 * 60 days of five services. A, B and C each shift up by $300 a day (30 %) over the last six days: the
 * three largest anomalies in all, each day a medium one. D spikes once by $450: the most severe
 * (high) and so the chart's lead, though not among the three largest. E has a small spike.
 */
function focusCsv(): string {
  const lines = [
    'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ProviderName,ChargeCategory',
  ];
  let seed = 1;
  const rnd = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const extra: Record<string, (d: number) => number> = {
    A: (d) => (d >= 54 ? 300 : 0),
    B: (d) => (d >= 54 ? 300 : 0),
    C: (d) => (d >= 54 ? 300 : 0),
    D: (d) => (d === 56 ? 450 : 0),
    E: (d) => (d === 57 ? 60 : 0),
  };
  const base: Record<string, number> = { A: 1000, B: 1000, C: 1000, D: 200, E: 100 };
  for (let d = 0; d < 60; d++) {
    const day = new Date(Date.UTC(2026, 8, 1) + d * 864e5).toISOString().slice(0, 10);
    for (const s of Object.keys(base)) {
      const v = base[s]! * (1 + 0.01 * (rnd() - 0.5) * 2) + extra[s]!(d);
      lines.push(`${v.toFixed(4)},${v.toFixed(4)},USD,${day}T00:00:00Z,${day}T23:00:00Z,${s},AWS,Usage`);
    }
  }
  return lines.join('\n');
}

let db: DuckDb;
let w: DuckDbWarehouse;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spendbrief-summary-'));
  writeFileSync(join(dir, 'x.csv'), focusCsv());
  db = await DuckDb.open(':memory:');
  const r = await syncFocus(db, { spec: 'focus:x', pathOrGlob: join(dir, '*.csv'), now: new Date() });
  w = new DuckDbWarehouse(db, { kind: 'star', sourceId: r.sourceId });
});
afterAll(() => db?.close());

describe('loadAlertsSummary', () => {
  it('explains the three largest anomalies and the chart lead, and no other', async () => {
    const s = await loadAlertsSummary(w, {
      today: '2026-10-31',
      basis: 'actual',
      teamTag: 'team',
      budgets: [],
      demo: false,
    });
    expect(s.anomalies.length).toBeGreaterThan(3);
    const largest = [...s.anomalies]
      .sort((a, b) => Math.abs(b.totalImpact) - Math.abs(a.totalImpact))
      .slice(0, 3);
    expect(largest.every((a) => a.drivers !== null && a.topContributor !== null)).toBe(true);
    // The chart's lead is the most severe, D, which is not among the three largest.
    const lead = s.anomalies.find((a) => a.key === 'D')!;
    expect(s.chart?.title).toContain('in D (service)');
    expect(lead.severity).toBe('high');
    expect(largest).not.toContain(lead);
    expect(lead.drivers).not.toBeNull();
    const rest = s.anomalies.filter((a) => a !== lead && !largest.includes(a));
    expect(rest.map((a) => a.key)).toEqual(['E']);
    expect(rest[0]!.drivers).toBeNull();
    // What the reader sees names a driver for every line shown.
    const lines = attentionLines(s).filter((l) => l.startsWith('Anomaly:'));
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toContain('top driver:');
    expect(s.chart?.altText).toContain('top driver:');
  });
});
