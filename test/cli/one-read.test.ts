/**
 * Every one-off command reads its `focus:` source once, whatever it explains: anomalies over every
 * day of a year by service (each anomaly explained by its drivers), a forecast with
 * its backtest, budgets, the digest, carbon, allocate and the cost model. Counted at the only
 * place files are scanned (Warehouses), through the CLI program as a user runs it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { demoSql } from '../../src/integrations/demo/generate.js';
import { DuckDb } from '../../src/integrations/warehouse/duckdb.js';

const dir = mkdtempSync(join(tmpdir(), 'spendbrief-one-read-'));
const file = join(dir, 'export.csv');
const budgets = join(dir, 'budgets.yaml');

beforeAll(async () => {
  const db = await DuckDb.open();
  await db.run(`COPY (${demoSql({ endDay: '2026-11-23', days: 365 })}) TO '${file}' (HEADER)`);
  db.close();
  writeFileSync(
    budgets,
    '- name: Cloud total\n  amount: 60000\n  period: month\n- name: Compute\n  scope: service=Amazon Elastic Compute Cloud\n  amount: 20000\n  period: month\n',
  );
}, 60_000);

async function reads(args: string[]): Promise<{ reads: number; json: Record<string, unknown> }> {
  let n = 0;
  let out = '';
  const program = buildProgram({
    stdout: (s) => {
      out += s;
    },
    log: () => {},
    env: { SPENDBRIEF_DB: join(dir, 'none.duckdb') },
    onSourceRead: () => {
      n += 1;
    },
  });
  const source = args[0] === 'model' ? '--costs' : '--source';
  await program.parseAsync(['node', 'spendbrief', ...args, source, `focus:${file}`, '--format', 'json']);
  return { reads: n, json: JSON.parse(out) };
}

describe('a one-off command reads its FOCUS source once', () => {
  it.each([
    [['anomalies', '--by', 'service', '--days', 'all', '--today', '2026-11-24']],
    [['anomalies', '--by', 'total', '--days', '90', '--today', '2026-11-24']],
    [['forecast', '--by', 'service', '--today', '2026-11-24']],
    [['budgets', '--budgets', budgets, '--today', '2026-11-24']],
    [['digest', '--today', '2026-11-24']],
    [['carbon', '--today', '2026-11-24']],
    [['allocate', '--today', '2026-11-24']],
    [['model', '--metrics', 'demo', '--today', '2026-11-24']],
  ])('%j', async (args) => {
    const r = await reads(args);
    expect(r.reads).toBe(1);
    if (args[0] === 'anomalies' && args[4] === 'all')
      expect((r.json.anomalies as unknown[]).length).toBeGreaterThan(1);
  });

  it('a drivers question scans the files where they lie: once for the days, once for the lines', async () => {
    expect((await reads(['drivers', '--today', '2026-11-24'])).reads).toBe(2);
  });
});
