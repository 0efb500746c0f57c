/**
 * Bucket syncs against real servers on loopback, through a proxy that counts requests and
 * injects faults: moto's S3 (AWS Data Exports, both delivery modes, and a prefix of plain files)
 * and Azurite (Azure exports, overwrite and create-new runs). Every figure is checked against
 * DuckDB's own sum over the files that should be current: a period replaced, never doubled.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { quietAwsNodeWarning } from '../../../src/integrations/aws-node-warning.js';
import { AzureStore } from '../../../src/integrations/buckets/azure.js';
import { DownloadCache } from '../../../src/integrations/buckets/cache.js';
import { parseBucketUrl } from '../../../src/integrations/buckets/location.js';
import { S3Store } from '../../../src/integrations/buckets/s3.js';
import type { ObjectStore } from '../../../src/integrations/buckets/store.js';
import { syncBucket } from '../../../src/integrations/buckets/sync-bucket.js';
import { demoSql } from '../../../src/integrations/demo/generate.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';
import { Azurite, requireAzurite } from '../../helpers/azurite.js';
import { AzureExport, type ExportFile, S3Export } from '../../helpers/exports.js';
import { Moto, requireMoto } from '../../helpers/moto.js';
import { ObjectProxy } from '../../helpers/object-proxy.js';

// The SDK's Node 20 notice is for its future releases; the lock file pins these.
quietAwsNodeWarning();
const dir = mkdtempSync(join(tmpdir(), 'spendbrief-bucket-'));
const MONTHS = ['2026-09', '2026-10', '2026-11'] as const;
type Month = (typeof MONTHS)[number];

/** Per month: the first refresh (November cut at the 20th), the second (October restated, November whole). */
const files: Record<'r1' | 'r2', Record<Month, ExportFile[]>> = { r1: {} as never, r2: {} as never };
/** DuckDB's own sums of BilledCost per month of each refresh. */
const sums: Record<'r1' | 'r2', Record<Month, number>> = { r1: {} as never, r2: {} as never };

beforeAll(async () => {
  const db = await DuckDb.open();
  await db.run(
    `CREATE TABLE demo AS SELECT * FROM (${demoSql({ endDay: '2026-11-30', days: 91 })}) WHERE ResourceId = '' OR hash(ResourceId) % 20 = 0`,
  );
  for (const r of ['r1', 'r2'] as const)
    for (const m of MONTHS) {
      const cut = r === 'r1' && m === '2026-11' ? "AND ChargePeriodStart < '2026-11-21'" : '';
      const restate = r === 'r2' && m === '2026-10' ? 1.03 : 1;
      const rel = `SELECT * REPLACE (BilledCost * ${restate} AS BilledCost) FROM demo WHERE strftime(ChargePeriodStart, '%Y-%m') = '${m}' ${cut}`;
      // Two files a period (part numbers 00001, 00002), split by resource.
      files[r][m] = [];
      for (const part of [1, 2]) {
        const path = join(dir, `${r}-${m}-${part}.snappy.parquet`);
        await db.run(
          `COPY (SELECT * FROM (${rel}) WHERE (hash(ResourceId) // 7) % 2 = ${part - 1}) TO '${path}' (FORMAT parquet)`,
        );
        files[r][m].push({ name: `focus-export-0000${part}.snappy.parquet`, path });
      }
      const [s] = await db.all<{ s: number }>(`SELECT sum(BilledCost) AS s FROM (${rel})`);
      sums[r][m] = s!.s;
    }
  db.close();
}, 60_000);

/** The warehouse's BilledCost per month (actual basis) for its one source. */
async function monthTotals(db: DuckDb): Promise<Record<string, number>> {
  const rows = await db.all<{ m: string; s: number }>(
    "SELECT strftime(day, '%Y-%m') AS m, sum(actual) AS s FROM day_totals GROUP BY m ORDER BY m",
  );
  return Object.fromEntries(rows.map((r) => [r.m, Math.round(r.s * 100) / 100]));
}
const expected = (pick: Record<Month, 'r1' | 'r2'>) =>
  Object.fromEntries(MONTHS.map((m) => [m, Math.round(sums[pick[m]][m] * 100) / 100]));
const FIRST = { '2026-09': 'r1', '2026-10': 'r1', '2026-11': 'r1' } as const;
const SECOND = { '2026-09': 'r1', '2026-10': 'r2', '2026-11': 'r2' } as const;

const quickRetry = { retries: 4, minTimeoutMs: 20, idleMs: 500 };

async function freshSync(store: ObjectStore, db: DuckDb, cache: DownloadCache, lines: string[] = []) {
  return syncBucket(db, {
    store,
    cache,
    now: new Date('2026-12-07T06:00:00Z'),
    progress: (l) => lines.push(l),
  });
}

const withMoto = requireMoto();

describe.runIf(withMoto)('S3 (moto): AWS Data Exports', { timeout: 120_000 }, () => {
  let moto: Moto;
  let proxy: ObjectProxy;
  let admin: S3Client;
  let n = 0;
  let bucket: string;
  let store: S3Store;
  let exp: S3Export;
  let db: DuckDb;
  let cache: DownloadCache;

  beforeAll(async () => {
    moto = await new Moto().start();
    proxy = await new ObjectProxy(moto.url).start();
    const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
    admin = new S3Client({ endpoint: moto.url, region: 'us-east-1', forcePathStyle: true, credentials });
  });
  afterAll(async () => {
    db?.close();
    await proxy?.stop();
    await moto?.stop();
  });
  beforeEach(async () => {
    bucket = `billing-${++n}`;
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    const location = parseBucketUrl(`s3://${bucket}/exports/`)!;
    const client = new S3Client({
      endpoint: proxy.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    store = new S3Store(location as Extract<typeof location, { provider: 's3' }>, client);
    exp = new S3Export(admin, bucket, 'exports/');
    db?.close();
    db = await DuckDb.open();
    cache = new DownloadCache(mkdtempSync(join(tmpdir(), 'spendbrief-cache-')), quickRetry);
    proxy.reset();
  });

  async function firstRefresh(mode: 'overwrite' | 'create-new', partition?: string) {
    for (const m of MONTHS)
      await exp.refresh({ period: m, files: files.r1[m], mode, executionId: `e1-${m}`, partition });
  }
  async function secondRefresh(mode: 'overwrite' | 'create-new', partition?: string) {
    for (const m of ['2026-10', '2026-11'] as const)
      await exp.refresh({ period: m, files: files.r2[m], mode, executionId: `e2-${m}`, partition });
  }

  it.each([
    ['overwrite', 'BILLING_PERIOD'],
    ['create-new', 'BILLING_PERIOD'],
    ['create-new', 'billing_period'],
  ] as const)(
    '%s delivery (%s=): a second refresh of the open month and a restated previous month replace exactly those periods',
    async (mode, partition) => {
      await firstRefresh(mode, partition);
      const first = await freshSync(store, db, cache);
      expect(first.landed).toEqual(MONTHS);
      expect(await monthTotals(db)).toEqual(expected(FIRST));

      await secondRefresh(mode, partition);
      proxy.reset();
      const second = await freshSync(store, db, cache);
      expect(second.landed).toEqual(['2026-10', '2026-11']);
      expect(second.failed).toEqual([]);
      // The create-new bucket still holds the first refreshes: read by manifest, nothing is doubled.
      expect(await monthTotals(db)).toEqual(expected(SECOND));
      const gets = proxy.calls.filter((c) => c.kind === 'GET').map((c) => decodeURIComponent(c.path));
      expect(gets.filter((p) => p.includes('=2026-09'))).toEqual([]);
      // Two manifests and two files for each of the two changed periods.
      expect(gets.filter((p) => p.includes('Manifest.json'))).toHaveLength(2);
      expect(gets.filter((p) => p.includes('.parquet'))).toHaveLength(4);
      expect(second.downloaded).toBe(
        [...files.r2['2026-10'], ...files.r2['2026-11']].reduce((s, f) => s + readFileSync(f.path).length, 0),
      );
    },
  );

  it('an unchanged bucket costs one LIST and no GET', async () => {
    await firstRefresh('overwrite');
    await freshSync(store, db, cache);
    proxy.reset();
    const again = await freshSync(store, db, cache);
    expect(again.landed).toEqual([]);
    expect(proxy.count('LIST')).toBe(1);
    expect(proxy.count('GET')).toBe(0);
    expect(await monthTotals(db)).toEqual(expected(FIRST));
  });

  it('a manifest naming a missing file names the object and keeps the period as it was', async () => {
    await firstRefresh('overwrite');
    await freshSync(store, db, cache);
    const keys = await exp.refresh({
      period: '2026-11',
      files: files.r2['2026-11'],
      mode: 'create-new',
      executionId: 'e2',
    });
    await exp.remove(keys[1]!);
    const r = await freshSync(store, db, cache);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]!.error).toContain(`names s3://${bucket}/${keys[1]}, which is not in the bucket`);
    expect(r.failed[0]!.error).toContain('previous rows are kept');
    expect(await monthTotals(db)).toEqual(expected(FIRST));
  });

  it('a truncated object names the object and keeps the period as it was', async () => {
    await firstRefresh('overwrite');
    await freshSync(store, db, cache);
    const cut = join(dir, 'truncated.snappy.parquet');
    const whole = readFileSync(files.r2['2026-11'][0]!.path);
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    await exp.refresh({
      period: '2026-11',
      files: [{ name: 'focus-export-00001.snappy.parquet', path: cut }, files.r2['2026-11'][1]!],
      mode: 'create-new',
      executionId: 'e2',
    });
    const r = await freshSync(store, db, cache);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]!.error).toMatch(
      new RegExp(
        `^period 2026-11: s3://${bucket}/exports/focus-export/data/BILLING_PERIOD=2026-11/.*focus-export-00001.snappy.parquet`,
      ),
    );
    expect(r.failed[0]!.error).toContain('previous rows are kept');
    expect(await monthTotals(db)).toEqual(expected(FIRST));
  });

  it('a 503 and a stalled transfer are retried; the stalled download resumes from its bytes with a range', async () => {
    await firstRefresh('overwrite');
    proxy.failReads('2026-10/focus-export-00001', 2);
    proxy.stallRead('2026-11/focus-export-00001', 50_000);
    const r = await freshSync(store, db, cache);
    expect(r.failed).toEqual([]);
    expect(await monthTotals(db)).toEqual(expected(FIRST));
    const oct = proxy.calls.filter((c) => c.kind === 'GET' && c.path.includes('2026-10/focus-export-00001'));
    expect(oct.length).toBe(3);
    const nov = proxy.calls.filter((c) => c.kind === 'GET' && c.path.includes('2026-11/focus-export-00001'));
    expect(nov).toHaveLength(2);
    expect(nov[0]!.range).toBeUndefined();
    const from = Number(/^bytes=(\d+)-$/.exec(nov[1]!.range ?? '')?.[1]);
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThanOrEqual(50_000);
    // Every byte counted once: the resumed object's size, not more.
    const size = MONTHS.flatMap((m) => files.r1[m]).reduce((s, f) => s + readFileSync(f.path).length, 0);
    expect(r.downloaded).toBe(size);
  });

  it('data files rewritten before their manifest: the period is held until the manifest lands', async () => {
    await firstRefresh('overwrite');
    await freshSync(store, db, cache);
    await exp.refresh({
      period: '2026-11',
      files: files.r2['2026-11'],
      mode: 'overwrite',
      executionId: 'e2',
      withoutManifest: true,
    });
    const held = await freshSync(store, db, cache);
    expect(held.failed[0]!.error).toContain('a refresh is being written');
    expect(await monthTotals(db)).toEqual(expected(FIRST));
    await exp.writeManifest(
      '2026-11',
      files.r2['2026-11'].map((f) => `${exp.dataFolder('2026-11', 'overwrite', 'e2')}${f.name}`),
      'e2',
    );
    const landed = await freshSync(store, db, cache);
    expect(landed.landed).toEqual(['2026-11']);
    expect(await monthTotals(db)).toEqual(expected({ ...FIRST, '2026-11': 'r2' }));
  });

  it('a prefix of plain files (no manifests, as OCI writes them) syncs file by file by ETag', async () => {
    const key = (m: string, i: number) =>
      `exports/FOCUS Reports/${m.replace('-', '/')}/01/focus-0000${i}.parquet`;
    for (const m of MONTHS)
      for (const [i, f] of files.r1[m].entries()) await exp.put(key(m, i + 1), readFileSync(f.path));
    const first = await freshSync(store, db, cache);
    expect(first.landed).toHaveLength(6);
    expect(await monthTotals(db)).toEqual(expected(FIRST));
    // One file restated, one removed.
    await exp.put(key('2026-10', 1), readFileSync(files.r2['2026-10'][0]!.path));
    await exp.remove(key('2026-09', 2));
    proxy.reset();
    const second = await freshSync(store, db, cache);
    expect(second.landed).toEqual([key('2026-10', 1)]);
    expect(second.removed).toEqual([key('2026-09', 2)]);
    expect(proxy.count('GET')).toBe(1);
    const check = await DuckDb.open();
    const [oct] = await check.all<{ s: number }>(
      `SELECT sum(BilledCost) AS s FROM read_parquet(['${files.r2['2026-10'][0]!.path}', '${files.r1['2026-10'][1]!.path}'])`,
    );
    const [sep] = await check.all<{ s: number }>(
      `SELECT sum(BilledCost) AS s FROM read_parquet('${files.r1['2026-09'][0]!.path}')`,
    );
    check.close();
    const totals = await monthTotals(db);
    expect(totals['2026-10']).toBe(Math.round(oct!.s * 100) / 100);
    expect(totals['2026-09']).toBe(Math.round(sep!.s * 100) / 100);
  });
});

const withAzurite = requireAzurite();

describe.runIf(withAzurite)(
  'Azure Blob Storage (Azurite): Cost Management exports',
  { timeout: 120_000 },
  () => {
    let azurite: Azurite;
    let proxy: ObjectProxy;
    let n = 0;
    let container: ContainerClient;
    let store: AzureStore;
    let exp: AzureExport;
    let db: DuckDb;
    let cache: DownloadCache;

    beforeAll(async () => {
      azurite = await new Azurite().start();
      proxy = await new ObjectProxy(azurite.url).start();
    });
    afterAll(async () => {
      db?.close();
      await proxy?.stop();
      await azurite?.stop();
    });
    beforeEach(async () => {
      const name = `exports-${++n}`;
      container = BlobServiceClient.fromConnectionString(azurite.connectionString()).getContainerClient(name);
      await container.create();
      const location = parseBucketUrl(`azure://devstoreaccount1/${name}/costs`)!;
      const viaProxy = BlobServiceClient.fromConnectionString(azurite.connectionString(proxy.url), {
        retryOptions: { maxTries: 3, retryDelayInMs: 20 },
      }).getContainerClient(name);
      store = new AzureStore(location as Extract<typeof location, { provider: 'azure' }>, viaProxy);
      exp = new AzureExport(container, 'costs/');
      db?.close();
      db = await DuckDb.open();
      cache = new DownloadCache(mkdtempSync(join(tmpdir(), 'spendbrief-cache-')), quickRetry);
      proxy.reset();
    });

    const partFiles = (f: ExportFile[]) =>
      f.map((x, i) => ({ ...x, name: `part_0_000${i + 1}.snappy.parquet` }));

    it.each([
      ['overwrite', true],
      ['create-new', false],
    ] as const)('%s runs: the latest run of each month is its truth', async (_name, overwrite) => {
      for (const m of MONTHS)
        await exp.run({ month: m, files: partFiles(files.r1[m]), runId: `run-1-${m}`, overwrite });
      const first = await freshSync(store, db, cache);
      expect(first.landed).toEqual(MONTHS);
      expect(await monthTotals(db)).toEqual(expected(FIRST));
      for (const m of ['2026-10', '2026-11'] as const)
        await exp.run({ month: m, files: partFiles(files.r2[m]), runId: `run-2-${m}`, overwrite });
      proxy.reset();
      const second = await freshSync(store, db, cache);
      expect(second.landed).toEqual(['2026-10', '2026-11']);
      expect(await monthTotals(db)).toEqual(expected(SECOND));
      expect(proxy.calls.filter((c) => c.kind === 'GET' && c.path.includes('20260901'))).toEqual([]);
      proxy.reset();
      await freshSync(store, db, cache);
      expect([proxy.count('LIST'), proxy.count('GET')]).toEqual([1, 0]);
    });

    it('a blob shorter than its manifest says is named; the month keeps its rows', async () => {
      for (const m of MONTHS)
        await exp.run({ month: m, files: partFiles(files.r1[m]), runId: `run-1-${m}`, overwrite: false });
      await freshSync(store, db, cache);
      await exp.run({
        month: '2026-11',
        files: partFiles(files.r2['2026-11']),
        runId: 'run-2',
        overwrite: false,
        statedBytes: (i, actual) => (i === 0 ? actual + 4096 : actual),
      });
      const r = await freshSync(store, db, cache);
      expect(r.failed[0]!.error).toMatch(
        /azure:\/\/devstoreaccount1\/exports-\d+\/costs\/focus-export\/20261101-20261130\/run-2\/part_0_0001.snappy.parquet is [\d,]+ bytes, its manifest says [\d,]+: truncated/,
      );
      expect(await monthTotals(db)).toEqual(expected(FIRST));
    });

    it('a 503 on a blob is retried', async () => {
      for (const m of MONTHS)
        await exp.run({ month: m, files: partFiles(files.r1[m]), runId: `run-1-${m}`, overwrite: true });
      proxy.failReads('20261001-20261031/run-1-2026-10/part_0_0001', 2);
      const r = await freshSync(store, db, cache);
      expect(r.failed).toEqual([]);
      expect(await monthTotals(db)).toEqual(expected(FIRST));
      expect(
        proxy.calls.filter((c) => c.kind === 'GET' && c.path.includes('run-1-2026-10/part_0_0001')).length,
      ).toBeGreaterThanOrEqual(3);
    });
  },
);
