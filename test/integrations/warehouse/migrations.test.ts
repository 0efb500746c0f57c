/**
 * Upgrades and backups of SPENDBRIEF_DB: a state file with the layout of the last released commit
 * (test/fixtures/warehouse/state-v0.sql, made by that commit's own code) is opened by this version
 * and migrated in one transaction without losing a row, a subscription, an alert's state or a
 * budget; a file from a newer release is refused, naming both versions; `spendbrief backup` writes
 * a consistent copy, also while `serve` holds the file.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { serve } from '../../../src/bot/server.js';
import { loadConfig } from '../../../src/config.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';
import { DB_VERSION, dbVersion, migrate } from '../../../src/integrations/warehouse/migrations.js';
import { startServe } from '../../helpers/serve-process.js';

const BIN = join(import.meta.dirname, '../../../dist/cli/main.js');
const FIXTURE = join(import.meta.dirname, '../../fixtures/warehouse/state-v0.sql');

/** A state file of version 0, loaded from the fixture's SQL. */
async function v0File(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'spendbrief-mig-')), 'state.duckdb');
  const db = await DuckDb.open(path);
  for (const statement of readFileSync(FIXTURE, 'utf8')
    .split(/;\n/)
    .filter((s) => /^\s*(CREATE|INSERT)/m.test(s)))
    await db.run(statement.replace(/^--.*\n/gm, ''));
  db.close();
  return path;
}

const counts = async (db: DuckDb) =>
  Object.fromEntries(
    await Promise.all(
      [
        'charge_days',
        'charge_lines',
        'day_totals',
        'sb_sources',
        'sb_files',
        'subscriptions',
        'digest_runs',
        'alert_channels',
        'budgets',
        'alert_posts',
        'seen_deliveries',
        'ce_cache_days',
      ].map(
        async (t) =>
          [t, Number((await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${t}`))[0]!.n)] as const,
      ),
    ),
  );

describe('warehouse layout versions', () => {
  it('a file of the last release (version 0) is migrated in one transaction, losing nothing', async () => {
    const path = await v0File();
    const db = await DuckDb.open(path);
    expect(await dbVersion(db)).toBe(0);
    const before = await counts(db);
    expect(before.charge_days).toBe(4);
    expect(await migrate(db, path)).toEqual({ from: 0, to: DB_VERSION });
    expect(await dbVersion(db)).toBe(DB_VERSION);
    expect(await counts(db)).toEqual(before);
    expect(await db.all("SELECT 1 FROM duckdb_tables() WHERE table_name = 'channel_scopes'")).toHaveLength(1);
    db.close();
  });

  it('serve opens the old file: its subscription, posted digest, alerts, budget and data all still work', async () => {
    const path = await v0File();
    const logs: string[] = [];
    const app = await serve({
      config: loadConfig({ PORT: '0', SPENDBRIEF_DB: path }),
      source: { kind: 'demo' },
      useTimers: false,
      now: () => new Date('2026-11-24T10:00:00Z'),
      log: (l) => logs.push(l),
    });
    try {
      expect(logs).toContain(`warehouse: ${path} migrated from layout version 0 to ${DB_VERSION}`);
      expect((await app.store.subscription('C0123'))?.time).toBe('09:00');
      expect((await app.store.run('C0123', '2026-W47'))?.status).toBe('posted');
    } finally {
      await app.close();
    }
    const db = await DuckDb.open(path);
    const [budget] = await db.all<{ budget: string }>("SELECT budget FROM budgets WHERE channel = 'C0123'");
    expect(JSON.parse(budget!.budget).amount).toBe(5000);
    expect(await db.all("SELECT status FROM alert_posts WHERE channel = 'C0123'")).toEqual([
      { status: 'open' },
    ]);
    db.close();
  });

  it('a file from a newer release is refused with both versions named, and left as it was', async () => {
    const path = await v0File();
    const db = await DuckDb.open(path);
    await migrate(db, path);
    await db.run(`UPDATE sb_meta SET value = '${DB_VERSION + 5}' WHERE key = 'db_version'`);
    db.close();
    const r = await promisify(execFile)('node', [BIN, 'serve'], {
      env: { ...process.env, SPENDBRIEF_DB: path, PORT: '0' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(2);
    expect((r as { stderr: string }).stderr.trim().split('\n').at(-1)).toBe(
      `spendbrief: the warehouse ${path} has layout version ${DB_VERSION + 5}, newer than this spendbrief's ${DB_VERSION}: it was written by a later release; upgrade spendbrief, or point SPENDBRIEF_DB at another file (a downgrade cannot read it)`,
    );
    const again = await DuckDb.open(path);
    expect(await dbVersion(again)).toBe(DB_VERSION + 5);
    again.close();
  });
});

describe('spendbrief backup', () => {
  it('copies the warehouse while serve holds it, consistently, and the copy opens with every row', async () => {
    const path = await v0File();
    const p = await startServe({ secret: 'backup-secret', env: { SPENDBRIEF_DB: path } });
    try {
      await p.waitForLog(/sync: demo data: /, 60_000);
      const target = join(mkdtempSync(join(tmpdir(), 'spendbrief-bak-')), 'copy.duckdb');
      const { stderr } = await promisify(execFile)('node', [BIN, 'backup', target], {
        env: { ...process.env, SPENDBRIEF_DB: path },
      });
      expect(stderr).toMatch(/backup: .*copy\.duckdb written by the running server \(\d+ tables\)/);
      expect(existsSync(`${target}.partial`)).toBe(false);
      const copy = await DuckDb.open(target);
      expect(await dbVersion(copy)).toBe(DB_VERSION);
      const c = await counts(copy);
      expect(c.subscriptions).toBe(1);
      expect(c.budgets).toBe(1);
      // The demo's synced rows came along with the fixture's.
      expect(c.charge_days).toBeGreaterThan(4);
      copy.close();
      // The same file again is refused: a backup never overwrites.
      const again = await promisify(execFile)('node', [BIN, 'backup', target], {
        env: { ...process.env, SPENDBRIEF_DB: path },
      }).catch((e: { code: number; stderr: string }) => e);
      expect((again as { stderr: string }).stderr).toMatch(/the file exists; give a new file name/);
    } finally {
      p.kill('SIGTERM');
      await p.exited;
    }
    // Without a server it copies the file itself.
    const alone = join(mkdtempSync(join(tmpdir(), 'spendbrief-bak-')), 'alone.duckdb');
    const { stderr } = await promisify(execFile)('node', [BIN, 'backup', alone], {
      env: { ...process.env, SPENDBRIEF_DB: path },
    });
    expect(stderr).toMatch(/backup: .*alone\.duckdb written \(\d+ tables\)/);
  }, 120_000);
});
