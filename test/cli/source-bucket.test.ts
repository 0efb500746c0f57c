/**
 * `--source s3://…` and `azure://…` as a user runs them (the CLI in its own process, the real
 * SDKs against moto and Azurite on loopback, through a counting proxy):
 *   - a 1M-row export, 4 billing periods with 2 refreshes each, synced from the bucket gives the
 *     same drivers JSON as the same periods' latest files synced from a local folder
 *   - `spendbrief sources` says what the bucket holds and what the next sync would download
 *   - a sync killed half-way leaves the warehouse as it was; the next one resumes the download
 *   - a one-off report reads the bucket without a sync
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companySql } from '../../bench/company.js';
import { quietAwsNodeWarning } from '../../src/integrations/aws-node-warning.js';
import { DuckDb } from '../../src/integrations/warehouse/duckdb.js';
import { Azurite, requireAzurite } from '../helpers/azurite.js';
import { AzureExport, type ExportFile, S3Export } from '../helpers/exports.js';
import { Moto, requireMoto } from '../helpers/moto.js';
import { cents } from '../helpers/numbers.js';
import { ObjectProxy } from '../helpers/object-proxy.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
// The SDK's Node 20 notice is for its future releases; the lock file pins these.
quietAwsNodeWarning();
const dir = tempDir('spendbrief-bucket-cli-');
afterAll(removeTempDirs);
const local = join(dir, 'local');
const PERIODS = ['2026-08', '2026-09', '2026-10', '2026-11'] as const;
/** Per period: refresh 1 (costs 3 % short, as an early refresh is) and refresh 2 (the truth). */
const refreshes: Record<string, ExportFile[]>[] = [{}, {}];
const TODAY = '2026-12-01';
/** Rows of the latest refreshes, counted by DuckDB (the generator rounds 1M up to whole days). */
let ROWS = 0;

beforeAll(async () => {
  mkdirSync(local);
  const db = await DuckDb.open();
  await db.run(`CREATE TABLE company AS ${companySql({ rows: 1_000_000, days: 122, endDay: '2026-11-30' })}`);
  for (const [r, scale] of [
    [0, 0.97],
    [1, 1],
  ] as const)
    for (const p of PERIODS) {
      refreshes[r]![p] = [];
      for (const part of [1, 2]) {
        const path =
          r === 1 ? join(local, `${p}-${part}.snappy.parquet`) : join(dir, `r1-${p}-${part}.snappy.parquet`);
        await db.run(
          `COPY (SELECT * REPLACE (BilledCost * ${scale} AS BilledCost) FROM company
             WHERE strftime(ChargePeriodStart, '%Y-%m') = '${p}' AND (hash(ResourceId) // 7) % 2 = ${part - 1})
           TO '${path}' (FORMAT parquet)`,
        );
        refreshes[r]![p]!.push({ name: `focus-export-0000${part}.snappy.parquet`, path });
      }
    }
  const [c] = await db.all<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM read_parquet('${local}/*.parquet')`,
  );
  ROWS = c!.n;
  db.close();
}, 120_000);

const run = (args: string[], env: Record<string, string>) =>
  promisify(execFile)('node', [BIN, ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      ...env,
    },
    maxBuffer: 64 * 1024 * 1024,
  });

const DRIVERS = ['drivers', '--today', TODAY, '--window', '30d', '--by', 'service', '--format', 'json'];

/** drivers JSON without the line that names the source (the one thing that differs). */
async function drivers(source: string, env: Record<string, string>) {
  const { stdout } = await run([...DRIVERS, '--source', source], env);
  const j = JSON.parse(stdout) as Record<string, unknown>;
  delete j.source;
  return cents(j);
}

let localDrivers: unknown;
async function fromLocalFolder() {
  if (localDrivers) return localDrivers;
  const db = join(dir, 'local.duckdb');
  await run(['sync', '--source', `focus:${local}`, '--today', TODAY], { SPENDBRIEF_DB: db });
  localDrivers = await drivers(`focus:${local}`, { SPENDBRIEF_DB: db });
  return localDrivers;
}

const withMoto = requireMoto();

describe.runIf(withMoto)('s3:// (moto)', { timeout: 300_000 }, () => {
  let moto: Moto;
  let proxy: ObjectProxy;
  let exp: S3Export;
  const source = 's3://billing-exports/cur/';
  const env = () => ({ AWS_ENDPOINT_URL_S3: proxy.url, SPENDBRIEF_DB: join(dir, 's3.duckdb') });

  beforeAll(async () => {
    moto = await new Moto().start();
    proxy = await new ObjectProxy(moto.url).start();
    const s3 = new S3Client({
      endpoint: moto.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'billing-exports' }));
    exp = new S3Export(s3, 'billing-exports', 'cur/');
    for (const [r, files] of refreshes.entries())
      for (const p of PERIODS)
        await exp.refresh({ period: p, files: files[p]!, mode: 'create-new', executionId: `r${r + 1}-${p}` });
  }, 120_000);
  afterAll(async () => {
    await proxy?.stop();
    await moto?.stop();
  });

  it('sources lists the periods and what the first sync would download', async () => {
    const { stdout } = await run(['sources', '--source', source, '--format', 'json'], env());
    const j = JSON.parse(stdout);
    expect(j.units.map((u: { unit: string }) => u.unit)).toEqual(PERIODS);
    for (const u of j.units) {
      expect(u.next).toBe('new');
      expect(u.files.map((f: { key: string }) => f.key)).toEqual([
        expect.stringMatching(
          new RegExp(`data/BILLING_PERIOD=${u.unit}/.*-r2-${u.unit}/focus-export-00001.snappy.parquet$`),
        ),
        expect.stringMatching(/focus-export-00002.snappy.parquet$/),
      ]);
      expect(u.download.files).toBe(2);
    }
    const text = await run(['sources', '--source', source], env());
    expect(text.stdout).toContain('period 2026-11 (AWS manifest): refreshed');
    expect(text.stdout).toMatch(/new: the next sync downloads 2 file\(s\), [\d.]+ MB/);
  });

  it('a 1M-row export, 4 periods of 2 refreshes: drivers equals the same files synced from a folder, to the cent', async () => {
    const sync = await run(['sync', '--source', source, '--today', TODAY, '--format', 'json'], env());
    const outcome = JSON.parse(sync.stdout);
    expect(ROWS).toBeGreaterThanOrEqual(1_000_000);
    expect(outcome.rows).toBe(ROWS);
    expect(outcome.bytes).toBeGreaterThan(0);
    expect(sync.stderr).toMatch(/download: 8\/8 objects, [\d.]+\/[\d.]+ MB, [\d.]+ MB\/s/);
    expect(await drivers(source, env())).toEqual(await fromLocalFolder());
    // Unchanged: one LIST, no GET; sources says so.
    proxy.reset();
    const again = await run(['sync', '--source', source, '--today', TODAY], env());
    expect(again.stderr).toContain('4 unchanged');
    expect([proxy.count('LIST'), proxy.count('GET')]).toEqual([1, 0]);
    const { stdout } = await run(['sources', '--source', source, '--format', 'json'], env());
    expect(JSON.parse(stdout).units.map((u: { next: string }) => u.next)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
  });

  it('a sync killed half-way leaves the warehouse as it was; the next one resumes the download with a range', async () => {
    const db = join(dir, 'killed.duckdb');
    const cache = join(dir, 'killed-cache');
    const e = { ...env(), SPENDBRIEF_DB: db, SPENDBRIEF_CACHE: cache };
    // The first three periods synced; November's refresh is the one the killed sync was bringing.
    await exp.writeManifest(
      '2026-11',
      [
        `${exp.dataFolder('2026-11', 'create-new', 'r1-2026-11')}focus-export-00001.snappy.parquet`,
        `${exp.dataFolder('2026-11', 'create-new', 'r1-2026-11')}focus-export-00002.snappy.parquet`,
      ],
      'r1-2026-11',
    );
    await run(['sync', '--source', source, '--today', TODAY], e);
    const before = await totals(db);
    await exp.writeManifest(
      '2026-11',
      refreshes[1]!['2026-11']!.map(
        (f) => `${exp.dataFolder('2026-11', 'create-new', 'r2-2026-11')}${f.name}`,
      ),
      'r2-2026-11',
    );
    proxy.reset();
    proxy.stallRead('r2-2026-11/focus-export-00001', 300_000);
    const child = spawn('node', [BIN, 'sync', '--source', source, '--today', TODAY], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'us-east-1',
        ...e,
      },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 60_000;
    const partial = () => readdirSync(cache).some((f) => f.endsWith('.part'));
    while (Date.now() < deadline && !(existsSync(cache) && partial()))
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(partial()).toBe(true);
    expect(await totals(db)).toEqual(before);
    proxy.reset();
    const resumed = await run(['sync', '--source', source, '--today', TODAY], e);
    expect(resumed.stderr).toContain('1 period(s) landed');
    const gets = proxy.calls.filter(
      (c) => c.kind === 'GET' && c.path.includes('r2-2026-11/focus-export-00001'),
    );
    expect(gets).toHaveLength(1);
    expect(gets[0]!.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(await drivers(source, e)).toEqual(await fromLocalFolder());
    expect(readdirSync(cache).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('doctor lists the bucket: one LIST, the periods found', async () => {
    const r = await run(['doctor'], { ...env(), SPENDBRIEF_SOURCE: source }).catch((e) => e);
    expect(r.stdout).toMatch(
      /source.*FOCUS export s3:\/\/billing-exports\/cur\/: 4 billing period\(s\) by AWS manifest, [\d.]+ MB/,
    );
  });

  it('a one-off report reads the bucket without a sync (its downloads in a temporary folder)', async () => {
    const e = { ...env(), SPENDBRIEF_DB: join(dir, 'never-synced.duckdb') };
    expect(await drivers(source, e)).toEqual(await fromLocalFolder());
    expect(existsSync(`${e.SPENDBRIEF_DB}.cache`)).toBe(false);
  });
});

async function totals(path: string): Promise<Record<string, number>> {
  const db = await DuckDb.open(path, { readOnly: true });
  try {
    const rows = await db.all<{ m: string; s: number }>(
      "SELECT strftime(day, '%Y-%m') AS m, sum(actual) AS s FROM day_totals GROUP BY m ORDER BY m",
    );
    return Object.fromEntries(rows.map((r) => [r.m, Math.round(r.s * 100) / 100]));
  } finally {
    db.close();
  }
}

const withAzurite = requireAzurite();

describe.runIf(withAzurite)('azure:// (Azurite)', { timeout: 300_000 }, () => {
  let azurite: Azurite;
  let proxy: ObjectProxy;
  const source = 'azure://devstoreaccount1/cost-exports/focus';

  beforeAll(async () => {
    azurite = await new Azurite().start();
    proxy = await new ObjectProxy(azurite.url).start();
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString()).getContainerClient(
      'cost-exports',
    );
    await container.create();
    const exp = new AzureExport(container, 'focus/');
    for (const [r, files] of refreshes.entries())
      for (const p of PERIODS)
        await exp.run({
          month: p,
          files: files[p]!.map((f, i) => ({ ...f, name: `part_0_000${i + 1}.snappy.parquet` })),
          runId: `run-${r + 1}`,
          overwrite: false,
        });
  }, 120_000);
  afterAll(async () => {
    await proxy?.stop();
    await azurite?.stop();
  });

  it('a 1M-row export, 4 months of 2 runs each: drivers equals the same files synced from a folder, to the cent', async () => {
    const env = {
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString(proxy.url),
      SPENDBRIEF_DB: join(dir, 'azure.duckdb'),
    };
    const sync = await run(['sync', '--source', source, '--today', TODAY, '--format', 'json'], env);
    expect(JSON.parse(sync.stdout).rows).toBe(ROWS);
    expect(await drivers(source, env)).toEqual(await fromLocalFolder());
    proxy.reset();
    await run(['sync', '--source', source, '--today', TODAY], env);
    expect([proxy.count('LIST'), proxy.count('GET')]).toEqual([1, 0]);
  });
});

describe('bucket source names', () => {
  it('a malformed location says what is wrong and what is accepted', async () => {
    const e = await run(['sources', '--source', 's3://Bad_Bucket/x'], {}).catch((x) => x);
    expect(e.stderr).toContain(
      '"Bad_Bucket" is not an S3 bucket name (lower-case letters, digits, dots and hyphens): s3://<bucket>/<prefix>',
    );
    const a = await run(['sources', '--source', 'azure://acct'], {}).catch((x) => x);
    expect(a.stderr).toContain('the container is missing: azure://<account>/<container>/<prefix>');
  });
});
