/**
 * One measured task in a fresh process, so that its peak RSS is its own. Prints one JSON line:
 * { ms: [...per repetition], maxRssMb }. Floors are bare DuckDB with the same memory limit as
 * spendbrief (512MB), doing the same aggregation (tags parsed included).
 *
 *   floor-file <file> <today>          the per-line, per-window aggregation over a Parquet or CSV file
 *                                      (the faster of two bare queries, see floorFile)
 *   floor-readcsv <csv> <db>           DuckDB's own read_csv into a table of a fresh database file
 *   floor-synced <db> <today>          the same aggregation over the synced warehouse tables
 *   drivers <src> <today> [db]         `spendbrief drivers --format json` through the CLI program
 *   sync <src> <db>                    `spendbrief sync` into a fresh database file and download cache
 *                                      (each repetition)
 *   transfer <s3://bucket/prefix>      the raw transfer: every object under the prefix read through
 *                                      the S3 SDK and thrown away (the floor of a bucket sync's download)
 *   digest <src> <today> <outdir>      `spendbrief digest --out` with every chart rendered
 *   floor-load <glob> <db>             DuckDB's own load of Parquet files into a table of a fresh
 *                                      database file
 *   digest-synced <src> <today> <db>   `spendbrief digest --out` on a synced warehouse
 *   sync-again <src> <db>              `spendbrief sync` into the existing warehouse (what changed)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../src/cli/program.js';
import { focusRelation, listFocusFiles } from '../src/integrations/focus/read-focus.js';
import { DuckDb } from '../src/integrations/warehouse/duckdb.js';
import { KIND_SQL, lineSums, teamSql } from '../src/integrations/warehouse/sql.js';

const [mode, a, b, c] = process.argv.slice(2) as [string, string, string, string | undefined];
const reps = Number(process.env.BENCH_REPS ?? 3);
const MEMORY = '512MB';

/** The windows of `drivers --window 30d` for data ending the day before `today` (contiguous days). */
function windows(today: string) {
  const day = (n: number) =>
    new Date(Date.parse(`${today}T00:00:00Z`) - n * 86400000).toISOString().slice(0, 10);
  return { curStart: day(30), curEnd: day(1), prevStart: day(60), prevEnd: day(31) };
}

const sums = (cost: string, qty: string, day: string, w: ReturnType<typeof windows>) => `
  fsum(${cost}) FILTER (WHERE ${day} <= DATE '${w.prevEnd}') AS prev_spend,
  fsum(${cost}) FILTER (WHERE ${day} >= DATE '${w.curStart}') AS cur_spend,
  fsum(${qty}) FILTER (WHERE ${day} <= DATE '${w.prevEnd}') AS prev_qty,
  fsum(${qty}) FILTER (WHERE ${day} >= DATE '${w.curStart}') AS cur_qty`;

/**
 * The floor is the faster of two bare queries doing the same aggregation (tags parsed included):
 * the one a DuckDB user would write over the file, and the same aggregation in the shape
 * spendbrief's engine writes it (its normalised view and line sums, as one query). What spendbrief
 * adds on top (the days, the classification, JavaScript, the JSON) is the ratio.
 */
async function floorFile(): Promise<number> {
  const w = windows(b);
  // A folder of Parquet files (one per billing month) is read as one relation.
  const dir = statSync(a).isDirectory();
  const reader = dir
    ? `read_parquet('${join(a, '*.parquet')}')`
    : a.endsWith('.parquet')
      ? `read_parquet('${a}')`
      : `read_csv('${a}', header = true, all_varchar = true, types = {'BilledCost': 'DOUBLE', 'ConsumedQuantity': 'DOUBLE'})`;
  const day =
    dir || a.endsWith('.parquet')
      ? 'CAST(ChargePeriodStart AS DATE)'
      : 'CAST(CAST(ChargePeriodStart AS TIMESTAMP) AS DATE)';
  const db = await DuckDb.open(':memory:', { memoryLimit: MEMORY });
  const classic = `WITH a AS (
      SELECT ServiceName, SubAccountId, RegionId, Tags, SkuId, ResourceId, ChargeCategory, ${sums('BilledCost', 'ConsumedQuantity', 'd', w)}
      FROM (SELECT *, ${day} AS d FROM ${reader})
      WHERE d BETWEEN DATE '${w.prevStart}' AND DATE '${w.curEnd}' AND BillingCurrency = 'USD' GROUP BY ALL),
    t AS (SELECT Tags, ${teamSql('team', 'Tags')} AS team FROM (SELECT DISTINCT Tags FROM a))
    SELECT ServiceName, SubAccountId, RegionId, team, SkuId, ResourceId, ${KIND_SQL.replaceAll('category', 'ChargeCategory')} AS kind,
      fsum(prev_spend), fsum(cur_spend), fsum(prev_qty), fsum(cur_qty)
    FROM a JOIN t USING (Tags) GROUP BY ALL`;
  const rel = await focusRelation(db, await listFocusFiles(db, a), a);
  const engine = `WITH ls AS (${lineSums(
    { kind: 'flat', rows: `(${rel.sql})` },
    {
      basis: 'actual',
      attrs: ['category', 'service', 'account', 'region', 'sku', 'resource', 'tags'],
      sums: [sums('{cost}', 'quantity', 'day', w)],
      where: `day BETWEEN DATE '${w.prevStart}' AND DATE '${w.curEnd}'`,
      lineWhere: () => "currency = 'USD'",
    },
  )}),
    t AS (SELECT tags, ${teamSql('team')} AS team FROM (SELECT DISTINCT tags FROM ls))
    SELECT service, account, region, team, sku, resource, ${KIND_SQL} AS kind,
      fsum(prev_spend), fsum(cur_spend), fsum(prev_qty), fsum(cur_qty)
    FROM ls JOIN t USING (tags) GROUP BY ALL`;
  const best = await fastest(db, [classic, engine]);
  db.close();
  return best;
}

/** Runs each query and returns the shortest time (ms). */
async function fastest(db: DuckDb, queries: string[]): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (const q of queries) {
    const t = performance.now();
    await db.all(q);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

async function floorReadCsv(): Promise<void> {
  rmSync(b, { force: true });
  rmSync(`${b}.wal`, { force: true });
  const db = await DuckDb.open(b, { memoryLimit: MEMORY });
  await db.run(`CREATE TABLE raw AS SELECT * FROM read_csv('${a}')`);
  db.close();
}

async function floorLoad(): Promise<void> {
  rmSync(b, { force: true });
  rmSync(`${b}.wal`, { force: true });
  const db = await DuckDb.open(b, { memoryLimit: MEMORY });
  await db.run(`CREATE TABLE raw AS SELECT * FROM read_parquet('${a}')`);
  db.close();
}

async function floorSynced(): Promise<number> {
  const w = windows(b);
  const db = await DuckDb.open(a, { memoryLimit: MEMORY, readOnly: true });
  const classic = `WITH s AS (
      SELECT line_no, ${sums('actual', 'quantity', 'day', w)} FROM charge_days
      WHERE source_id = 1 AND day BETWEEN DATE '${w.prevStart}' AND DATE '${w.curEnd}' GROUP BY line_no),
    l AS (SELECT * FROM charge_lines WHERE source_id = 1 AND currency = 'USD'),
    t AS (SELECT tags, ${teamSql('team')} AS team FROM (SELECT DISTINCT tags FROM l))
    SELECT service, account, region, team, sku, resource, ${KIND_SQL} AS kind,
      fsum(prev_spend), fsum(cur_spend), fsum(prev_qty), fsum(cur_qty)
    FROM s JOIN l USING (line_no) JOIN t USING (tags) GROUP BY ALL`;
  const engine = `WITH ls AS (${lineSums(
    { kind: 'star', sourceId: 1 },
    {
      basis: 'actual',
      attrs: ['category', 'service', 'account', 'region', 'sku', 'resource', 'tags'],
      sums: [sums('{cost}', 'quantity', 'day', w)],
      where: `day BETWEEN DATE '${w.prevStart}' AND DATE '${w.curEnd}'`,
      lineWhere: (l) => `${l}currency = 'USD'`,
    },
  )}),
    t AS (SELECT tags, ${teamSql('team')} AS team FROM (SELECT DISTINCT tags FROM ls))
    SELECT service, account, region, team, sku, resource, ${KIND_SQL} AS kind,
      fsum(prev_spend), fsum(cur_spend), fsum(prev_qty), fsum(cur_qty)
    FROM ls JOIN t USING (tags) GROUP BY ALL`;
  const best = await fastest(db, [classic, engine]);
  db.close();
  return best;
}

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  let bytes = 0;
  const program = buildProgram({
    stdout: (s) => {
      bytes += s.length;
    },
    log: () => {},
    env,
  });
  await program.parseAsync(['node', 'spendbrief', ...args]);
  if (bytes === 0 && args[0] !== 'sync') throw new Error('no output');
}

const noDb = '/nonexistent/spendbrief-bench.duckdb';
/** A task returns its own time (floors: the faster variant) or nothing (timed from outside). */
const tasks: Record<string, () => Promise<unknown>> = {
  'floor-file': floorFile,
  'floor-readcsv': floorReadCsv,
  'floor-synced': floorSynced,
  drivers: () =>
    cli(['drivers', '--source', a, '--today', b, '--window', '30d', '--format', 'json'], {
      SPENDBRIEF_DB: c ?? noDb,
    }),
  transfer: async () => {
    const { S3Store, createS3Client } = await import('../src/integrations/buckets/s3.js');
    const { parseBucketUrl } = await import('../src/integrations/buckets/location.js');
    const l = parseBucketUrl(a) as Extract<ReturnType<typeof parseBucketUrl>, { provider: 's3' }>;
    const store = new S3Store(l, createS3Client());
    let bytes = 0;
    for (const o of await store.list()) {
      for await (const chunk of await store.read(o.key, { etag: o.etag, offset: 0 }))
        bytes += (chunk as Buffer).length;
    }
    if (bytes === 0) throw new Error('nothing transferred');
  },
  sync: async () => {
    rmSync(b, { force: true });
    rmSync(`${b}.wal`, { force: true });
    rmSync(`${b}.cache`, { recursive: true, force: true });
    await cli(['sync', '--source', a], { SPENDBRIEF_DB: b });
  },
  'floor-load': floorLoad,
  'digest-synced': () =>
    cli(['digest', '--source', a, '--today', b, '--out', mkdtempSync(join(tmpdir(), 'spendbrief-digest-'))], {
      SPENDBRIEF_DB: c!,
    }),
  'sync-again': () => cli(['sync', '--source', a], { SPENDBRIEF_DB: b }),
  digest: () =>
    cli(['digest', '--source', a, '--today', b, '--out', c ?? '/tmp/spendbrief-bench-digest'], {
      SPENDBRIEF_DB: noDb,
    }),
};

const ms: number[] = [];
for (let i = 0; i < reps; i++) {
  const t = performance.now();
  const own = await tasks[mode]!();
  ms.push(typeof own === 'number' ? own : performance.now() - t);
}
process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
