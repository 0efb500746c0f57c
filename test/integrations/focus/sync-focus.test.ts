/**
 * `spendbrief sync` of FOCUS files into a real SPENDBRIEF_DB: files remembered by path, size and
 * modification time; a restated file replaces exactly its rows; a removed file's rows go; a bad
 * file is reported and the rest lands; a sync killed half-way leaves the warehouse as it was.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';
import { testWarehouses } from '../../helpers/warehouses.js';

const BIN = join(import.meta.dirname, '../../../dist/cli/main.js');
const HEADER =
  'ChargePeriodStart,BilledCost,ConsumedQuantity,BillingCurrency,ServiceName,ChargeCategory,ResourceId';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spendbrief-sync-'));
});

const file = (name: string, rows: string[], mtime = 1_700_000_000) => {
  const f = join(dir, name);
  writeFileSync(f, `${HEADER}\n${rows.join('\n')}\n`);
  utimesSync(f, mtime, mtime);
  return f;
};

/** Every fact row of the source, per file path, as text (to compare states exactly). */
async function state(db: string): Promise<Record<string, string[]>> {
  const d = await DuckDb.open(db, { readOnly: true });
  try {
    const rows = await d.all<{ path: string; r: string }>(
      `SELECT f.path, strftime(c.day, '%Y-%m-%d') || ' ' || c.actual || ' ' || c.quantity AS r
       FROM charge_days c JOIN sb_files f ON f.source_id = c.source_id AND f.file_id = c.file_id ORDER BY ALL`,
    );
    const out: Record<string, string[]> = {};
    for (const x of rows) {
      out[x.path] ??= [];
      out[x.path]!.push(x.r);
    }
    return out;
  } finally {
    d.close();
  }
}

describe('sync of FOCUS files', () => {
  it('adds new files, then does no work and says so; a restated file replaces exactly its rows; a removed file goes', async () => {
    const { warehouses, db } = testWarehouses();
    const spec = { kind: 'focus' as const, path: join(dir, '*.csv') };
    const jan = file('2026-01.csv', [
      '2026-01-01,10,1,USD,EC2,Usage,i-1',
      '2026-01-02,11,1,USD,EC2,Usage,i-1',
    ]);
    file('2026-02.csv', ['2026-02-01,20,2,USD,EC2,Usage,i-1']);
    const first = await warehouses.sync(spec, { today: '2026-03-01' });
    expect(first.summary).toMatch(/^synced 2 added: 3 rows/);
    const before = await state(db);
    expect(Object.keys(before)).toHaveLength(2);

    const again = await warehouses.sync(spec, { today: '2026-03-01' });
    expect(again.summary).toBe('nothing to do: 2 files unchanged since the last sync');

    // January restated: one day's cost corrected, a row added; February is not touched.
    file(
      '2026-01.csv',
      [
        '2026-01-01,10.5,1,USD,EC2,Usage,i-1',
        '2026-01-02,11,1,USD,EC2,Usage,i-1',
        '2026-01-03,1,1,USD,S3,Usage,',
      ],
      1_700_000_500,
    );
    const restated = await warehouses.sync(spec, { today: '2026-03-01' });
    expect(restated.summary).toMatch(/^synced 1 replaced, 1 unchanged: 3 rows/);
    const after = await state(db);
    expect(after[jan]).toEqual(['2026-01-01 10.5 1.0', '2026-01-02 11.0 1.0', '2026-01-03 1.0 1.0']);
    const feb = Object.keys(before).find((p) => p.endsWith('2026-02.csv'))!;
    expect(after[feb]).toEqual(before[feb]);

    rmSync(jan);
    const removed = await warehouses.sync(spec, { today: '2026-03-01' });
    expect(removed.summary).toMatch(/1 removed, 1 unchanged/);
    expect(Object.keys(await state(db))).toEqual([feb]);
    // The warehouse answers without the files being read again.
    const s = await warehouses.open(spec, { today: '2026-03-01', purpose: 'question' });
    const days = await s.warehouse.daySummary({ basis: 'actual', today: '2026-03-01', teamTag: 'team' });
    await s.close();
    expect(days).toEqual([{ day: '2026-02-01', currency: 'USD', provider: '', spend: 20 }]);
  });

  it('a line goes when no row refers to it any more, and stays while another file still does', async () => {
    const { warehouses, db } = testWarehouses();
    const spec = { kind: 'focus' as const, path: join(dir, '*.csv') };
    const lines = async () => {
      const d = await DuckDb.open(db, { readOnly: true });
      const r = await d.all<{ resource: string }>('SELECT resource FROM charge_lines ORDER BY resource');
      d.close();
      return r.map((x) => x.resource);
    };
    const jan = file('2026-01.csv', ['2026-01-01,1,1,USD,EC2,Usage,i-1', '2026-01-01,1,1,USD,EC2,Usage,i-2']);
    const feb = file('2026-02.csv', ['2026-02-01,1,1,USD,EC2,Usage,i-2', '2026-02-01,1,1,USD,EC2,Usage,i-3']);
    await warehouses.sync(spec, { today: '2026-03-01' });
    expect(await lines()).toEqual(['i-1', 'i-2', 'i-3']);
    // January restated without i-1 (no other file has it): it goes; i-2 stays.
    file('2026-01.csv', ['2026-01-01,1,1,USD,EC2,Usage,i-2'], 1_700_000_100);
    await warehouses.sync(spec, { today: '2026-03-01' });
    expect(await lines()).toEqual(['i-2', 'i-3']);
    // January restated without i-2, which February still has: it stays.
    file('2026-01.csv', ['2026-01-01,1,1,USD,EC2,Usage,i-4'], 1_700_000_200);
    await warehouses.sync(spec, { today: '2026-03-01' });
    expect(await lines()).toEqual(['i-2', 'i-3', 'i-4']);
    // February removed: its lines go with it.
    rmSync(feb);
    await warehouses.sync(spec, { today: '2026-03-01' });
    expect(await lines()).toEqual(['i-4']);
    expect(Object.keys(await state(db))).toEqual([jan]);
  });

  it('a file that fails to parse is reported with file, line and column; the rest lands, its old rows stay', async () => {
    const { warehouses, db } = testWarehouses();
    const spec = { kind: 'focus' as const, path: dir };
    const a = file('a.csv', ['2026-01-01,1,1,USD,EC2,Usage,i-1']);
    await warehouses.sync(spec, { today: '2026-03-01' });
    file('a.csv', ['2026-01-01,1,1,USD,EC2,Usage,i-1', '2026-01-02,x1,1,USD,EC2,Usage,i-1'], 1_700_000_900);
    const b = file('b.csv', ['2026-01-05,5,1,USD,S3,Usage,']);
    const r = await warehouses.sync(spec, { today: '2026-03-01' });
    expect(r.failed).toEqual([
      { file: a, error: 'a.csv, line 3, column BilledCost: "x1" is not a number such as 12.34' },
    ]);
    expect(r.summary).toMatch(/1 added.*1 FAILED \(previous rows kept\)/);
    const s = await state(db);
    expect(s[a]).toEqual(['2026-01-01 1.0 1.0']);
    expect(s[b]).toEqual(['2026-01-05 5.0 1.0']);
  });

  it('a sync killed half-way leaves the warehouse exactly as it was', async () => {
    const { warehouses, db } = testWarehouses();
    const big = join(dir, 'big.csv');
    const spec = { kind: 'focus' as const, path: big };
    file('big.csv', ['2026-01-01,1,1,USD,EC2,Usage,i-1']);
    await warehouses.sync(spec, { today: '2026-03-01' });
    const before = await state(db);
    // A restated month of 3M rows: long enough to be killed inside the sync.
    const gen = await DuckDb.open();
    await gen.run(
      `COPY (SELECT DATE '2026-01-01' + CAST(i % 28 AS INTEGER) AS ChargePeriodStart, 0.5 AS BilledCost, 1 AS ConsumedQuantity,
         'USD' AS BillingCurrency, 'EC2' AS ServiceName, 'Usage' AS ChargeCategory, 'i-' || (i % 50000) AS ResourceId
       FROM range(3000000) t(i)) TO '${big}' (HEADER)`,
    );
    gen.close();
    // Killed while reading the file (after 300 ms), and while landing it (the moment its progress
    // line says it was read: the one transaction is under way).
    const killedAt: string[] = [];
    for (const when of ['reading', 'landing'] as const) {
      const child = spawn('node', [BIN, 'sync', '--source', `focus:${big}`], {
        env: { ...process.env, SPENDBRIEF_DB: db },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const timer = when === 'reading' ? setTimeout(() => child.kill('SIGKILL'), 300) : undefined;
      child.stderr.on('data', (d: Buffer) => {
        if (when === 'landing' && /sync: 1\/1 big\.csv/.test(String(d))) child.kill('SIGKILL');
      });
      const code = await exited;
      clearTimeout(timer);
      if (code === null) killedAt.push(when);
      // Killed: exactly the previous state. Finished (a fast machine): exactly the new one.
      const now = await state(db);
      if (code === null) expect(now).toEqual(before);
      else expect(Object.values(now)[0]).toHaveLength(28);
    }
    console.log('killed while', killedAt.join(', '));
    expect(killedAt).toContain('reading');
    // And the warehouse still syncs afterwards.
    const r = await warehouses.sync(spec, { today: '2026-03-01' });
    expect(r.summary).toMatch(/synced 1 replaced: 3,000,000 rows|nothing to do/);
    expect(readdirSync(dirname(db)).filter((f) => f.includes('.staging-'))).toEqual([]);
  }, 120_000);

  it('several files stage in a database beside the warehouse, removed after; one a killed sync left is removed by the next', async () => {
    const { warehouses, db } = testWarehouses();
    file('a.csv', ['2026-01-01,1,1,USD,EC2,Usage,i-1']);
    file('b.csv', ['2026-02-01,2,1,USD,EC2,Usage,i-1']);
    // What a sync killed while landing leaves (ingest.ts, openStaging): the first source is 1.
    writeFileSync(`${db}.staging-1`, 'left by a killed sync');
    writeFileSync(`${db}.staging-1.wal`, 'left by a killed sync');
    const seen: string[] = [];
    const r = await warehouses.sync(
      { kind: 'focus', path: dir },
      {
        today: '2026-03-01',
        progress: () => seen.push(...readdirSync(dirname(db)).filter((f) => f.includes('.staging-'))),
      },
    );
    expect(r.summary).toMatch(/2 added/);
    // While it read the files, its own staging database was there; afterwards nothing is.
    expect(seen).toContain(`${basename(db)}.staging-1`);
    expect(readdirSync(dirname(db)).filter((f) => f.includes('.staging-'))).toEqual([]);
    expect(
      Object.values(await state(db))
        .flat()
        .sort(),
    ).toEqual(['2026-01-01 1.0 1.0', '2026-02-01 2.0 1.0']);
  });
});
