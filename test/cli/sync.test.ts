/**
 * `spendbrief sync` and the warehouse as a user meets them through the built binary: progress on
 * stderr, later questions answered from SPENDBRIEF_DB (the same JSON as a one-off run), a second
 * sync that does nothing, a warehouse held by another process, and configuration errors that name
 * the variable.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoSql } from '../../src/integrations/demo/generate.js';
import { DuckDb } from '../../src/integrations/warehouse/duckdb.js';

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [BIN, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
};

let dir: string;
let exports: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spendbrief-cli-sync-'));
  exports = join(dir, 'exports');
  const db = await DuckDb.open();
  // One file per service: the demo's 18.
  await db.run(
    `COPY (${demoSql({ endDay: '2026-11-23' })}) TO '${exports}' (FORMAT parquet, PARTITION_BY (ServiceName))`,
  );
  db.close();
});

const drivers = ['drivers', '--today', '2026-11-24', '--by', 'team', '--format', 'json'];

describe('spendbrief sync', () => {
  it('syncs a folder with progress on stderr; questions then read the warehouse and agree with a one-off run', async () => {
    const env = { SPENDBRIEF_DB: join(dir, 'w.duckdb') };
    const first = await run(['sync', '--source', `focus:${exports}`], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(
      /sync: 1\/18 .*data_0\.parquet: [\d,]+ rows, \d+ MB in [\d.]+ s \(\d+ MB\/s\)/,
    );
    expect(first.stderr).toMatch(/-> .*w\.duckdb: synced 18 added: [\d,]+ rows/);
    const again = await run(['sync', '--source', `focus:${exports}`], env);
    expect(again.stderr).toMatch(/nothing to do: 18 files unchanged since the last sync/);

    const synced = await run([...drivers, '--source', `focus:${exports}`], env);
    const oneOff = await run([...drivers, '--source', `focus:${exports}`], {
      SPENDBRIEF_DB: join(dir, 'none.duckdb'),
    });
    expect(synced.code).toBe(0);
    expect(synced.stderr).toBe('');
    const a = JSON.parse(synced.stdout);
    const b = JSON.parse(oneOff.stdout);
    expect(a.kpis.current).toBeCloseTo(b.kpis.current, 8);
    expect(a.rows.map((r: { key: string }) => r.key)).toEqual(b.rows.map((r: { key: string }) => r.key));
    expect(a.waterfall.steps).toEqual(b.waterfall.steps);

    // SPENDBRIEF_SOURCE names the source when --source is left out.
    const byEnv = await run(drivers, { ...env, SPENDBRIEF_SOURCE: `focus:${exports}` });
    expect(JSON.parse(byEnv.stdout).kpis.current).toBeCloseTo(a.kpis.current, 8);
  }, 60_000);

  it('a warehouse held by another process is refused with one clear line, and left intact', async () => {
    const db = join(dir, 'held.duckdb');
    const holder = spawn(
      'node',
      [
        '--input-type=module',
        '-e',
        `import { DuckDb } from '${join(import.meta.dirname, '../../dist/integrations/warehouse/duckdb.js')}'; const d = await DuckDb.open('${db}'); console.log('holding'); setTimeout(() => d.close(), 20000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    try {
      const r = await run(['sync', '--source', `focus:${exports}`], { SPENDBRIEF_DB: db });
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(
        /the warehouse .*held\.duckdb is in use by .*\(PID \d+\), probably `spendbrief serve`/,
      );
      // A question on files that are not synced there still works, read directly.
      const q = await run([...drivers, '--source', `focus:${exports}`], { SPENDBRIEF_DB: db });
      expect(q.code).toBe(0);
      expect(q.stderr).toMatch(/note: the warehouse .* is in use by .*; reading the files directly/);
    } finally {
      holder.kill();
    }
  }, 30_000);
});

describe('a file larger than the memory limit allows', () => {
  it('says it ran out of memory at the limit (not that the file is bad), what to change, and lands nothing', async () => {
    const big = join(dir, 'big.parquet');
    const db = await DuckDb.open();
    await db.run(`COPY (${demoSql({ endDay: '2026-11-23', splits: 3 })}) TO '${big}' (FORMAT parquet)`);
    db.close();
    const warehouse = join(dir, 'oom.duckdb');
    const r = await run(['sync', '--source', `focus:${big}`], {
      SPENDBRIEF_DB: warehouse,
      SPENDBRIEF_MEMORY_LIMIT: '4MB',
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(
      /^spendbrief: big\.parquet: ran out of memory at DuckDB's limit \([\d.]+ MiB\) while reading it; the file is not at fault: raise SPENDBRIEF_MEMORY_LIMIT \(e\.g\. 1GB\), or sync exports this large from the athena: source$/,
    );
    // Nothing half-written: with the limit raised the same file syncs whole.
    const again = await run(['sync', '--source', `focus:${big}`], { SPENDBRIEF_DB: warehouse });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/synced 1 added/);
  });
});

describe('configuration errors name the variable', () => {
  it.each([
    [
      ['model'],
      { PROMETHEUS_URL: 'notaurl' },
      /environment variable PROMETHEUS_URL "notaurl" is not a URL such as http:\/\/prometheus:9090/,
    ],
    [
      ['drivers'],
      { SPENDBRIEF_MEMORY_LIMIT: 'lots' },
      /SPENDBRIEF_MEMORY_LIMIT "lots" is not a size such as 512MB/,
    ],
    [
      ['drivers'],
      { SPENDBRIEF_FX_RATES: 'EUR:1.1' },
      /SPENDBRIEF_FX_RATES "EUR:1\.1" has "EUR:1\.1", which is not CUR=rate/,
    ],
    [
      ['drivers'],
      { SLACK_SIGNING_SECRET: 'x', PORT: 'eighty' },
      /environment variable PORT "eighty" is not a port number/,
    ],
    [
      ['drivers'],
      { SPENDBRIEF_SYNC_CRON: 'hourly' },
      /SPENDBRIEF_SYNC_CRON "hourly" is not a cron expression/,
    ],
    [
      ['model', '--days', 'abc'],
      {},
      /option '--days <n>' argument 'abc' is invalid\. "abc" is not a whole number >= 1/,
    ],
  ])('%j with %j', async (args, env, message) => {
    const r = await run(args, { SPENDBRIEF_DB: join(dir, 'none.duckdb'), ...env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('never echoes a secret', async () => {
    const r = await run(['drivers'], {
      SPENDBRIEF_DB: join(dir, 'none.duckdb'),
      SLACK_API_URL: 'xoxb-secret-looking-value',
    });
    expect(r.stderr).toMatch(/SLACK_API_URL "xoxb-secret-looking-value" is not a URL/);
    const s = await run(['drivers'], {
      SPENDBRIEF_DB: join(dir, 'none.duckdb'),
      ELECTRICITYMAPS_TOKEN: ' ',
      PROMETHEUS_TOKEN: 'tok',
      PROMETHEUS_URL: 'bad',
    });
    expect(s.stderr).not.toContain('tok');
  });
});
