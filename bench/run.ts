/**
 * `npm run bench [-- --quick]`: how fast, how big, how much memory, against the floor, in one run.
 *
 *   1. FOCUS Parquet from the demo generator at 1M (and 10M) rows, cached in bench/data/
 *   2. per size, each in a fresh process: the DuckDB floor, `drivers` end to end, the digest with charts
 *   3. chart rendering alone, per chart (median of 20)
 *   4. Slack ack latency of 50 concurrent signed /spend commands on loopback
 *   5. a table on stdout and bench/results.json (machine, versions, figures, drivers/floor ratio)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { buildContributorsChart } from '../src/charts/contributors.js';
import { renderPng } from '../src/charts/render.js';
import { buildTrendChart } from '../src/charts/trend.js';
import { buildWaterfallChart } from '../src/charts/waterfall.js';
import { demoSql } from '../src/integrations/demo/generate.js';
import { DuckDb } from '../src/integrations/warehouse/duckdb.js';
import { measurePlainHttp, measureSlackAck } from './slack-ack.js';

const ROOT = join(import.meta.dirname, '../..');
const quick = process.argv.includes('--quick');
const TODAY = '2026-11-24';
const END = '2026-11-23';
const DAYS = 150;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const min = (xs: number[]) => Math.min(...xs);

async function parquet(rows: number): Promise<string> {
  const dir = join(ROOT, 'bench/data');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `focus-${rows / 1e6}m.parquet`);
  if (existsSync(file)) return file;
  const db = await DuckDb.open();
  // Rows the demo has at one split (its appearing and disappearing services make days uneven).
  const [{ one }] = await db.all<{ one: number }>(
    `SELECT count(*) AS one FROM (${demoSql({ endDay: END, days: DAYS })})`,
  );
  const splits = Math.ceil(rows / one);
  const t = performance.now();
  await db.run(
    `COPY (${demoSql({ endDay: END, days: DAYS, splits })}) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 122880)`,
  );
  const [{ n }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM '${file}'`);
  db.close();
  console.error(`generated ${file}: ${n} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return file;
}

function child(
  mode: string,
  file: string,
  reps: number,
  extra: string[] = [],
): { ms: number[]; maxRssMb: number } {
  const out = execFileSync('node', [join(ROOT, 'dist-bench/bench/child.js'), mode, file, TODAY, ...extra], {
    env: { ...process.env, BENCH_REPS: String(reps) },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

async function chartTimes() {
  const result = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/drivers-result.json'), 'utf8'));
  const specs = {
    waterfall: buildWaterfallChart(result),
    contributors: buildContributorsChart(result.rows, result.currency, result.by),
    trend: buildTrendChart(result),
  };
  const out: Record<string, { medianMs: number; minMs: number; pngBytes: number }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    await renderPng(spec);
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      bytes = (await renderPng(spec)).length;
      ms.push(performance.now() - t);
    }
    out[name] = { medianMs: median(ms), minMs: min(ms), pngBytes: bytes };
  }
  return out;
}

const duckdbVersion = async () => {
  const db = await DuckDb.open();
  const [{ v }] = await db.all<{ v: string }>('SELECT version() AS v');
  db.close();
  return v;
};

const results: Record<string, unknown> = {
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30) },
  node: process.version,
  duckdb: await duckdbVersion(),
  date: new Date().toISOString(),
  sizes: {} as Record<string, unknown>,
};
const table: string[][] = [['measure', 'rows', 'min ms', 'median ms', 'peak RSS MB', 'vs floor']];
for (const rows of quick ? [1_000_000] : [1_000_000, 10_000_000]) {
  const file = await parquet(rows);
  const reps = rows >= 1e7 ? 3 : 5;
  const floor = child('floor', file, reps);
  const drivers = child('drivers', file, reps);
  const digest = child('digest', file, Math.min(reps, 3), [mkdtempSync(join(tmpdir(), 'bench-digest-'))]);
  const ratio = median(drivers.ms) / median(floor.ms);
  (results.sizes as Record<string, unknown>)[String(rows)] = {
    floor,
    drivers,
    digest,
    driversOverFloor: ratio,
  };
  const label = `${rows / 1e6}M`;
  table.push([
    'DuckDB floor (GROUP BY)',
    label,
    min(floor.ms).toFixed(0),
    median(floor.ms).toFixed(0),
    floor.maxRssMb.toFixed(0),
    '1.00',
  ]);
  table.push([
    'drivers end to end',
    label,
    min(drivers.ms).toFixed(0),
    median(drivers.ms).toFixed(0),
    drivers.maxRssMb.toFixed(0),
    ratio.toFixed(2),
  ]);
  table.push([
    'digest + charts',
    label,
    min(digest.ms).toFixed(0),
    median(digest.ms).toFixed(0),
    digest.maxRssMb.toFixed(0),
    (median(digest.ms) / median(floor.ms)).toFixed(2),
  ]);
}
const charts = await chartTimes();
results.charts = charts;
for (const [name, c] of Object.entries(charts))
  table.push([
    `chart ${name} (${(c.pngBytes / 1024).toFixed(0)} KiB)`,
    '',
    c.minMs.toFixed(0),
    c.medianMs.toFixed(0),
    '',
    '',
  ]);
const plain = await measurePlainHttp(50);
const ack = await measureSlackAck(50);
results.slackAck = { ...ack, floor: plain };
table.push([
  `bare http 200, 50 concurrent (p99 ${plain.p99Ms.toFixed(0)} ms)`,
  '',
  plain.minMs.toFixed(0),
  plain.p50Ms.toFixed(0),
  '',
  '1.00',
]);
table.push([
  `Slack /spend ack, 50 concurrent (p99 ${ack.p99Ms.toFixed(0)} ms)`,
  '',
  ack.minMs.toFixed(0),
  ack.p50Ms.toFixed(0),
  '',
  (ack.p99Ms / plain.p99Ms).toFixed(2),
]);

const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
for (const r of table)
  console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(
  `\n${results.node} · DuckDB ${results.duckdb} · ${cpus().length} × ${cpus()[0]?.model} · written bench/results.json`,
);
