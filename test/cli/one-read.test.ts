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
const parquet = join(dir, 'export.parquet');
const middle = join(dir, 'middle.csv');
const twoCurrencies = join(dir, 'eur.csv');
const twoCurrenciesParquet = join(dir, 'eur.parquet');
const budgets = join(dir, 'budgets.yaml');

beforeAll(async () => {
  const db = await DuckDb.open();
  await db.run(`COPY (${demoSql({ endDay: '2026-11-23', days: 365 })}) TO '${file}' (HEADER)`);
  await db.run(`COPY (SELECT * FROM read_csv('${file}')) TO '${parquet}' (FORMAT parquet)`);
  // The same rows with the latest day between older ones: neither end of the file holds it.
  await db.run(`COPY (SELECT * FROM read_csv('${file}') ORDER BY
      CASE WHEN CAST(ChargePeriodStart AS DATE) = DATE '2026-11-23' THEN 1
        WHEN CAST(ChargePeriodStart AS DATE) < DATE '2026-06-01' THEN 0 ELSE 2 END, ChargePeriodStart)
    TO '${middle}' (HEADER)`);
  // A third of the resources billed in EUR.
  await db.run(`COPY (SELECT * REPLACE (CASE WHEN hash(ResourceId) % 3 = 0 THEN 'EUR' ELSE BillingCurrency END AS BillingCurrency)
    FROM read_csv('${file}') ORDER BY ChargePeriodStart) TO '${twoCurrencies}' (HEADER)`);
  await db.run(
    `COPY (SELECT * FROM read_csv('${twoCurrencies}')) TO '${twoCurrenciesParquet}' (FORMAT parquet)`,
  );
  db.close();
  writeFileSync(
    budgets,
    '- name: Cloud total\n  amount: 60000\n  period: month\n- name: Compute\n  scope: service=Amazon Elastic Compute Cloud\n  amount: 20000\n  period: month\n',
  );
}, 60_000);

/** Amounts to 1e-6: the two paths sum the same rows in another order (floating point's last digits). */
const rounded = (v: unknown): unknown =>
  typeof v === 'number'
    ? Math.round(v * 1e6) / 1e6
    : Array.isArray(v)
      ? v.map(rounded)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rounded(x)]))
        : v;

async function reads(
  args: string[],
  from = file,
  env: Record<string, string> = {},
): Promise<{ reads: number; json: Record<string, unknown> }> {
  let n = 0;
  let out = '';
  const program = buildProgram({
    stdout: (s) => {
      out += s;
    },
    log: () => {},
    env: { SPENDBRIEF_DB: join(dir, 'none.duckdb'), ...env },
    onSourceRead: () => {
      n += 1;
    },
  });
  const source = args[0] === 'model' ? '--costs' : '--source';
  await program.parseAsync(['node', 'spendbrief', ...args, source, `focus:${from}`, '--format', 'json']);
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

  it("a drivers question on a CSV reads it once: the day scan sums the likely windows' lines too", async () => {
    const r = await reads(['drivers', '--today', '2026-11-24']);
    expect(r.reads).toBe(1);
    // The same answer as two scans of the same rows in Parquet (columns and row groups skipped).
    const p = await reads(['drivers', '--today', '2026-11-24'], parquet);
    expect(p.reads).toBe(2);
    expect(rounded(r.json)).toEqual(rounded(p.json));
  });

  it('overlapping windows (54 days against the same days a month before): one read, each overlap day in both, as in Parquet', async () => {
    const args = ['drivers', '--today', '2026-11-24', '--window', '2026-10-01..2026-11-23'];
    const overlap = [...args, '--compare', 'same_period_last_month'];
    const r = await reads(overlap);
    expect(r.reads).toBe(1);
    const p = await reads(overlap, parquet);
    expect(rounded(r.json)).toEqual(rounded(p.json));
    // The previous window (09-01..10-23) holds October's first 23 days too.
    const kpis = (j: Record<string, unknown>) => j.kpis as { previous: number; current: number };
    const september = await reads([...args, '--compare', '2026-09-01..2026-09-30']);
    expect(kpis(r.json).previous).toBeGreaterThan(kpis(september.json).previous * 1.5);
  });

  it('data a month behind `--today`: a guess further back than an export lags is not trusted, two reads, same answer', async () => {
    const r = await reads(['drivers', '--today', '2026-12-24']);
    expect(r.reads).toBe(2);
    const p = await reads(['drivers', '--today', '2026-12-24'], parquet);
    expect(rounded(r.json)).toEqual(rounded(p.json));
    expect((r.json.window as { current: { end: string } }).current.end).toBe('2026-11-23');
  });

  it('the latest day only in the middle of the file: the guess misses, the lines are read again, same answer', async () => {
    const r = await reads(['drivers', '--today', '2026-11-24'], middle);
    expect(r.reads).toBe(2);
    const p = await reads(['drivers', '--today', '2026-11-24'], parquet);
    expect(rounded(r.json)).toEqual(rounded(p.json));
  });

  it.each([[{}], [{ SPENDBRIEF_FX_RATES: 'EUR=1.1' }]])(
    'two currencies on a CSV (rates %j): one read, the answer of the Parquet copy',
    async (env: Record<string, string>) => {
      const r = await reads(['drivers', '--today', '2026-11-24'], twoCurrencies, env);
      expect(r.reads).toBe(1);
      const p = await reads(['drivers', '--today', '2026-11-24'], twoCurrenciesParquet, env);
      expect(rounded(r.json)).toEqual(rounded(p.json));
      // Converted with the rate, or left out and said so.
      if (env.SPENDBRIEF_FX_RATES) expect(r.json.otherCurrencies).toEqual([]);
      else expect((r.json.otherCurrencies as { currency: string }[])[0]?.currency).toBe('EUR');
    },
  );

  it("a team's drivers on a CSV: one read, the slice applied in it", async () => {
    const args = ['drivers', '--today', '2026-11-24', '--where', 'team=web'];
    const r = await reads(args);
    expect(r.reads).toBe(1);
    const p = await reads(args, parquet);
    expect(rounded(r.json)).toEqual(rounded(p.json));
  });
});
