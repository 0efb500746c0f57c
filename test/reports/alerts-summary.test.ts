/**
 * The digest's alerts line explains what it shows (its three largest anomalies and the chart's
 * lead), not every anomaly of the week: two more here stay unexplained.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncFocus } from '../../src/integrations/focus/sync-focus.js';
import { DuckDb } from '../../src/integrations/warehouse/duckdb.js';
import { DuckDbWarehouse } from '../../src/integrations/warehouse/duckdb-warehouse.js';
import { attentionLines, loadAlertsSummary } from '../../src/reports/alerts-summary.js';

/** 60 days of six services, each with a spike on its own day of the last week. */
function focusCsv(): string {
  const lines = [
    'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ProviderName,ChargeCategory',
  ];
  let seed = 1;
  const rnd = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const services: [string, number, number, number, number][] = [
    ['Big1', 1000, 0.08, 52, 900],
    ['Big2', 900, 0.08, 53, 800],
    ['Big3', 800, 0.08, 54, 700],
    ['Big4', 700, 0.08, 55, 600],
    ['Tiny', 20, 0.005, 56, 40],
    ['Mid', 300, 0.05, 57, 250],
  ];
  for (let d = 0; d < 60; d++) {
    const day = new Date(Date.UTC(2026, 8, 1) + d * 864e5).toISOString().slice(0, 10);
    for (const [s, base, noise, spikeDay, spike] of services) {
      const v = base * (1 + noise * (rnd() - 0.5) * 2) + (d === spikeDay ? spike : 0);
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
    const others = s.anomalies.filter((a) => !largest.includes(a));
    const lead = s.anomalies.find((a) => s.chart?.title.includes(a.key));
    expect(lead?.drivers).not.toBeNull();
    expect(others.filter((a) => a !== lead).every((a) => a.drivers === null)).toBe(true);
    // What the reader sees names a driver for every line shown.
    const lines = attentionLines(s).filter((l) => l.startsWith('Anomaly:'));
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toContain('top driver:');
    expect(s.chart?.altText).toContain('top driver:');
  });
});
