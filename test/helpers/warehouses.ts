/** The real warehouse access (reports/session.ts) over a temporary SPENDBRIEF_DB, for tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { bucketStores } from '../../src/integrations/buckets/open.js';
import { Warehouses } from '../../src/reports/session.js';

export function testWarehouses(o: { db?: string; env?: NodeJS.ProcessEnv; now?: () => Date } = {}) {
  const logs: string[] = [];
  const db = o.db ?? join(mkdtempSync(join(tmpdir(), 'spendbrief-wh-')), 'warehouse.duckdb');
  const config = loadConfig({ SPENDBRIEF_DB: db, ...o.env });
  const warehouses = new Warehouses({
    config,
    costExplorer: () => {
      throw new Error('this test has no Cost Explorer');
    },
    athena: () => {
      throw new Error('this test has no Athena');
    },
    bucket: bucketStores(),
    now: o.now ?? (() => new Date('2026-11-25T12:00:00Z')),
    log: (l) => logs.push(l),
  });
  return { warehouses, logs, db, config };
}

/** Sum of spend per currency over every day of a day summary. */
export function totalsByCurrency(days: { currency: string; spend: number }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of days) out[d.currency] = (out[d.currency] ?? 0) + d.spend;
  return out;
}
