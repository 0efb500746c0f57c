/**
 * `npm run bench [-- --quick]`: how fast, how big, how much memory, against a floor, in one run.
 *
 *   1. datasets, cached in bench/data/: the company export (10M rows of a real company's shape, see
 *      company.ts; Parquet and CSV) and the demo (1M and 10M rows of Parquet)
 *      and a year of a large company (10M rows, 200,000 resources) as one CSV, the worst a user brings
 *   2. per measure a fresh process: the DuckDB floor of the same aggregation, then spendbrief
 *      (one-off Parquet, one-off CSV against pandas, sync of the CSV against DuckDB's read_csv into a
 *      table, questions on the synced warehouse against their floor, the digest with charts)
 *   3. serve: a signed /spend drivers to the posted report, one and ten at once; the ack latency
 *   4. chart rendering alone, per chart
 *   5. a table on stdout and bench/results.json (machine, versions, every repetition, the ratios)
 *
 * `--quick`: the company export at 1M rows and the demo at 1M, the same measures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { buildAnomalyChart } from '../src/charts/anomaly.js';
import { buildEmittersChart } from '../src/charts/carbon.js';
import { buildContributorsChart } from '../src/charts/contributors.js';
import { buildForecastChart } from '../src/charts/forecast.js';
import { renderPng, renderSvg } from '../src/charts/render.js';
import { buildTrendChart } from '../src/charts/trend.js';
import { buildWaterfallChart } from '../src/charts/waterfall.js';
import { demoSql } from '../src/integrations/demo/generate.js';
import { DuckDb } from '../src/integrations/warehouse/duckdb.js';
import {
  type AlertsResults,
  alertsSpeed,
  demoForecastQuality,
  detectionQuality,
  forecastQuality,
  injectedQuality,
  printAlertsQuality,
} from './alerts-quality.js';
import { measureBucketSync } from './bucket-sync.js';
import { COMPANY, COMPANY_DESCRIPTION, companySql } from './company.js';
import { demoSeries } from './demo-series.js';
import { nabSeries } from './detectors.js';
import { measureFanout } from './digest-fanout.js';
import { measureNabCli } from './nab-cli.js';
import { drawGrowth, measureScale, printScale, yearCsv } from './scale.js';
import { measureServe } from './serve-latency.js';
import { measurePlainHttp, measureSlackAck } from './slack-ack.js';

const ROOT = join(import.meta.dirname, '../..');
const DATA = join(ROOT, 'bench/data');
const quick = process.argv.includes('--quick');
const TODAY = '2026-11-24';

type Run = { ms: number[]; maxRssMb: number };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const min = (xs: number[]) => Math.min(...xs);

async function generate(file: string, sql: string, format: 'parquet' | 'csv'): Promise<string> {
  mkdirSync(DATA, { recursive: true });
  if (existsSync(file)) return file;
  const db = await DuckDb.open(':memory:', { memoryLimit: '2GB' });
  const t = performance.now();
  const tmp = `${file}.partial`;
  await db.run(
    format === 'parquet'
      ? `COPY (${sql}) TO '${tmp}' (FORMAT parquet, ROW_GROUP_SIZE 122880)`
      : // ISO 8601 with Z, as AWS writes FOCUS CSV.
        `COPY (SELECT * REPLACE (strftime(ChargePeriodStart, '%Y-%m-%dT%H:%M:%SZ') AS ChargePeriodStart, strftime(ChargePeriodEnd, '%Y-%m-%dT%H:%M:%SZ') AS ChargePeriodEnd) FROM (${sql})) TO '${tmp}' (HEADER)`,
  );
  db.close();
  execFileSync('mv', [tmp, file]);
  console.error(`generated ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return file;
}

/**
 * A floor and the measure it is the floor of, one repetition of each in turn (each in its own
 * process): a shared machine's speed drifts within minutes (the CSV floor took 8.8 s and 12.0 s in
 * two runs an hour apart), and run back to back all floors then all measures met different states.
 */
function paired(a: [string, string[]], b: [string, string[]], reps: number): [Run, Run] {
  const runs: [Run, Run] = [
    { ms: [], maxRssMb: 0 },
    { ms: [], maxRssMb: 0 },
  ];
  for (let i = 0; i < reps; i++)
    for (const [k, [mode, args]] of [a, b].entries()) {
      const r = child(mode, args, 1);
      runs[k]!.ms.push(...r.ms);
      runs[k]!.maxRssMb = Math.max(runs[k]!.maxRssMb, r.maxRssMb);
    }
  return runs;
}

function child(mode: string, args: string[], reps: number, env: NodeJS.ProcessEnv = process.env): Run {
  const out = execFileSync('node', [join(ROOT, 'dist-bench/bench/child.js'), mode, ...args], {
    env: { ...env, BENCH_REPS: String(reps) },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

function pandas(csv: string): Run | null {
  const python = ['/usr/bin/python3', 'python3'].find((p) => {
    try {
      execFileSync(p, ['-c', 'import pandas'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!python) {
    console.error(
      'pandas not installed (Debian: apt-get install python3-pandas): the CSV comparison is skipped',
    );
    return null;
  }
  const out = execFileSync(
    python,
    [join(ROOT, 'bench/pandas_drivers.py'), csv, '2026-10-25', '2026-11-23', '2026-09-25', '2026-10-24'],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim());
}

const rows: string[][] = [['measure', 'data', 'min ms', 'median ms', 'peak RSS MB', 'vs floor']];
// Where the run's time goes (the default run's target: under 10 minutes, build included).
const started = performance.now() - process.uptime() * 1000;
const sections: { name: string; seconds: number }[] = [];
let lapped = performance.now();
const lap = (name: string) => {
  const now = performance.now();
  sections.push({ name, seconds: (now - lapped) / 1000 });
  console.error(`bench: ${name}: ${((now - lapped) / 1000).toFixed(0)} s`);
  lapped = now;
};
const row = (measure: string, data: string, r: Run, floor?: Run, ratio?: string) =>
  rows.push([
    measure,
    data,
    min(r.ms).toFixed(0),
    median(r.ms).toFixed(0),
    r.maxRssMb.toFixed(0),
    ratio ?? (floor ? (median(r.ms) / median(floor.ms)).toFixed(2) : ''),
  ]);

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
  company: { ...COMPANY, shape: COMPANY_DESCRIPTION },
};

// `--scale[=1,10,100]`: only the growth measures (millions of rows), then stop.
const scaleArg = process.argv.find((a) => a.startsWith('--scale'));
if (scaleArg) {
  const sizes = (scaleArg.split('=')[1] ?? '1,10,100').split(',').map((m) => Number(m) * 1e6);
  const work = mkdtempSync(join(tmpdir(), 'spendbrief-scale-'));
  const steps = await measureScale({ data: DATA, work, child, sizes, log: (l) => console.error(l) });
  printScale(steps);
  const chart = join(ROOT, 'docs/images/scale-growth.png');
  await drawGrowth(steps, chart);
  writeFileSync(
    join(ROOT, 'bench/results-scale.json'),
    `${JSON.stringify({ ...results, company: undefined, scale: steps }, null, 2)}\n`,
  );
  console.log(
    `\n${results.node} · DuckDB ${results.duckdb} · ${cpus().length} × ${cpus()[0]?.model} · written bench/results-scale.json and ${chart}`,
  );
  process.exit(0);
}

// 1. The company export.
const shape = { ...COMPANY, rows: quick ? 1_000_000 : COMPANY.rows };
const label = `company ${shape.rows / 1e6}M`;
const companyParquet = await generate(
  join(DATA, `company-${shape.rows / 1e6}m.parquet`),
  companySql(shape),
  'parquet',
);
const companyCsv = await generate(join(DATA, `company-${shape.rows / 1e6}m.csv`), companySql(shape), 'csv');
const reps = shape.rows >= 1e7 ? 3 : 5;
const work = mkdtempSync(join(tmpdir(), 'spendbrief-bench-'));
const syncedDb = join(work, 'synced.duckdb');

const [floorParquet, oneOffParquet] = paired(
  ['floor-file', [companyParquet, TODAY]],
  ['drivers', [`focus:${companyParquet}`, TODAY]],
  reps,
);
row('DuckDB floor: per-line window sums, Parquet', `${label} Parquet`, floorParquet, floorParquet);
row('`drivers` one-off on the Parquet file', `${label} Parquet`, oneOffParquet, floorParquet);

const [floorCsv, oneOffCsv] = paired(
  ['floor-file', [companyCsv, TODAY]],
  ['drivers', [`focus:${companyCsv}`, TODAY]],
  2,
);
const py = pandas(companyCsv);
row('DuckDB floor: per-line window sums, CSV', `${label} CSV`, floorCsv, floorCsv);
if (py) row('pandas script of the same aggregation (bench/pandas_drivers.py)', `${label} CSV`, py, py);
row(
  '`drivers` one-off on the CSV file',
  `${label} CSV`,
  oneOffCsv,
  py ?? undefined,
  py ? `${(median(py.ms) / median(oneOffCsv.ms)).toFixed(1)}x faster` : 'pandas n/a',
);

lap('company 10M: Parquet and CSV one-off questions with their floors');
// Two in turn: one each measured the sync at 1.02x and 1.40x its floor an hour apart (15-20 s a run).
const [floorReadCsv, sync] = paired(
  ['floor-readcsv', [companyCsv, join(work, 'readcsv.duckdb')]],
  ['sync', [`focus:${companyCsv}`, syncedDb]],
  2,
);
row('DuckDB floor: read_csv into a table (file database)', `${label} CSV`, floorReadCsv, floorReadCsv);
row('`sync` of the CSV into SPENDBRIEF_DB', `${label} CSV`, sync, floorReadCsv);

const floorSynced = child('floor-synced', [syncedDb, TODAY], reps);
const synced = child('drivers', [`focus:${companyCsv}`, TODAY, syncedDb], reps);
row('DuckDB floor: the same sums on the synced tables', `${label} synced`, floorSynced, floorSynced);
row('`drivers` on the synced warehouse', `${label} synced`, synced, floorSynced);

lap('company 10M: read_csv floor and sync of the CSV');
// 1c. The worst CSV a user brings: a year of a large company (200,000 resources) as one file.
const year = await yearCsv(DATA, quick ? 1e6 : 1e7);
if (year.generatedMs !== null)
  console.error(`generated ${year.file} in ${(year.generatedMs / 1000).toFixed(0)} s`);
const yearLabel = `year ${quick ? 1 : 10}M, 200,000 resources, one CSV`;
const [floorYearCsv, oneOffYearCsv] = paired(
  ['floor-file', [year.file, year.today]],
  ['drivers', [`focus:${year.file}`, year.today]],
  3,
);
row('DuckDB floor: per-line window sums, CSV', yearLabel, floorYearCsv, floorYearCsv);
row('`drivers` one-off on the CSV file', yearLabel, oneOffYearCsv, floorYearCsv);
const [floorReadYearCsv, syncYearCsv] = paired(
  ['floor-readcsv', [year.file, join(work, 'readcsv-year.duckdb')]],
  ['sync', [`focus:${year.file}`, join(work, 'year.duckdb')]],
  1,
);
row('DuckDB floor: read_csv into a table (file database)', yearLabel, floorReadYearCsv, floorReadYearCsv);
row('`sync` of the CSV into SPENDBRIEF_DB', yearLabel, syncYearCsv, floorReadYearCsv);
for (const f of ['readcsv-year.duckdb', 'year.duckdb']) rmSync(join(work, f), { force: true });
results.yearCsv = {
  rows: quick ? 1e6 : 1e7,
  file: basename(year.file),
  generatedMs: year.generatedMs,
  floor: floorYearCsv,
  oneOff: oneOffYearCsv,
  floorReadCsv: floorReadYearCsv,
  sync: syncYearCsv,
  ratios: {
    oneOffOverFloor: median(oneOffYearCsv.ms) / median(floorYearCsv.ms),
    syncOverReadCsv: median(syncYearCsv.ms) / median(floorReadYearCsv.ms),
  },
};
lap('year 10M as one CSV: one-off question and sync with their floors');
const serveFigures = await measureServe({
  db: syncedDb,
  source: `focus:${companyCsv}`,
  today: TODAY,
});
rows.push([
  'serve: /spend drivers 30d by service -> posted report, 1 command',
  `${label} synced`,
  '',
  serveFigures.oneMs.toFixed(0),
  serveFigures.serverPeakRssMb.toFixed(0),
  '',
]);
rows.push([
  `serve: 10 commands at once (p50 ${serveFigures.p50Ms.toFixed(0)} ms, p99 ${serveFigures.p99Ms.toFixed(0)} ms)`,
  `${label} synced`,
  min(serveFigures.tenMs).toFixed(0),
  serveFigures.p50Ms.toFixed(0),
  '',
  '',
]);
lap('serve: one command, ten at once');
// 200 channels, each scoped to its own account and region, their digests due at one minute.
const fanout = await measureFanout({
  db: syncedDb,
  source: `focus:${companyCsv}`,
  day: TODAY,
  images: 'url',
});
if (fanout)
  rows.push([
    `serve: 200 scoped digests due at one minute (${fanout.exactlyOnce} exactly once, ${fanout.confined} confined, ${fanout.rateLimited} 429s; last at ${fanout.lastDigestSeconds.toFixed(0)} s)`,
    `${label} synced`,
    '',
    (fanout.lastDigestSeconds * 1000).toFixed(0),
    fanout.serverPeakRssMb.toFixed(0),
    '',
  ]);
results.company = {
  ...(results.company as object),
  fanout,
  rows: shape.rows,
  floorParquet,
  oneOffParquet,
  floorCsv,
  oneOffCsv,
  pandas: py,
  floorReadCsv,
  sync,
  floorSynced,
  synced,
  serve: serveFigures,
  ratios: {
    oneOffParquetOverFloor: median(oneOffParquet.ms) / median(floorParquet.ms),
    pandasOverOneOffCsv: py ? median(py.ms) / median(oneOffCsv.ms) : null,
    syncOverReadCsv: median(sync.ms) / median(floorReadCsv.ms),
    syncedOverFloor: median(synced.ms) / median(floorSynced.ms),
  },
};

lap('serve: 200 scoped digests');
// 1b. The same export in a bucket (moto's S3), split by billing period, against a local folder.
const bucket = await measureBucketSync({ companyParquet, work, child, reps: 1 });
if (bucket) {
  const data = `${label} Parquet, ${bucket.files} periods, ${(bucket.bytes / 2 ** 20).toFixed(0)} MB`;
  row('floor: `sync` of the same files from a local folder', data, bucket.localSync, bucket.localSync);
  row(
    'floor: raw transfer of the objects from moto (S3 SDK, discarded)',
    data,
    bucket.transfer,
    bucket.transfer,
  );
  row(
    '`sync --source s3://…` from moto (download to the cache, then land)',
    data,
    bucket.bucketSync,
    undefined,
    `${bucket.ratio.toFixed(2)} of local + transfer`,
  );
  results.bucket = bucket;
}

lap('bucket sync (moto) against a local folder');
// 2. The demo company, as before.
const demo: Record<string, unknown> = {};
for (const n of quick ? [1_000_000] : [1_000_000, 10_000_000]) {
  const db = await DuckDb.open();
  const [{ one }] = await db.all<{ one: number }>(
    `SELECT count(*) AS one FROM (${demoSql({ endDay: '2026-11-23', days: 150 })})`,
  );
  db.close();
  const file = await generate(
    join(DATA, `demo-${n / 1e6}m.parquet`),
    demoSql({ endDay: '2026-11-23', days: 150, splits: Math.ceil(n / one) }),
    'parquet',
  );
  const r = n >= 1e7 ? 3 : 5;
  const floor = child('floor-file', [file, TODAY], r);
  const drivers = child('drivers', [`focus:${file}`, TODAY], r);
  const digest = child(
    'digest',
    [`focus:${file}`, TODAY, mkdtempSync(join(tmpdir(), 'bench-digest-'))],
    Math.min(r, 3),
  );
  row('DuckDB floor', `demo ${n / 1e6}M Parquet`, floor, floor);
  row('`drivers` one-off', `demo ${n / 1e6}M Parquet`, drivers, floor);
  row('`digest --out` one-off, every chart rendered', `demo ${n / 1e6}M Parquet`, digest, floor);
  demo[String(n)] = { floor, drivers, digest };
}
results.demo = demo;

// 3. Charts alone, and the Slack ack.
async function chartTimes() {
  const result = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/drivers-result.json'), 'utf8'));
  // A scope's 10 weeks with a spike, and a forecast: the alerts' charts on data of their shape.
  const days = Array.from({ length: 70 }, (_, i) =>
    new Date(Date.parse('2026-09-16') + i * 86_400_000).toISOString().slice(0, 10),
  );
  const series = {
    key: 'Amazon EC2',
    start: days[0]!,
    values: days.map((_, i) => (i === 66 ? 900 : 500 + (i % 7 >= 5 ? -80 : 0) + (i % 3) * 7)),
  };
  const specs = {
    waterfall: buildWaterfallChart(result),
    contributors: buildContributorsChart(result.rows, result.currency, result.by),
    trend: buildTrendChart(result),
    carbon: buildEmittersChart(
      ['t3 (192 instances)', 'HDD storage', 'm5 (96 instances)', 'SSD storage', 'data transfer out'].map(
        (label, i) => ({ label, operationalKg: 100 / (i + 1), embodiedKg: i % 2 ? 0 : 40 / (i + 1) }),
      ),
      '2026-11-17..2026-11-23 · grid: CCF annual factor, direct',
      'Footprint by kind (kg CO2e)',
    ),
    anomaly: buildAnomalyChart(
      series,
      { day: days[66]!, lastDay: days[66]!, direction: 'spike' },
      { currency: 'USD', sensitivity: 'medium', title: 'Amazon EC2: spike' },
    ),
    forecast: buildForecastChart({
      actual: days.slice(-42).map((day, i) => ({ day, value: 1500 + 10 * i })),
      points: Array.from({ length: 6 }, (_, i) => ({
        day: `2026-11-${25 + i}`,
        value: 2000,
        lower80: 1900 - 10 * i,
        upper80: 2100 + 10 * i,
        lower95: 1800 - 20 * i,
        upper95: 2200 + 20 * i,
      })),
      currency: 'USD',
      title: 'Daily spend and forecast',
      subtitle: 'MSTL · bands: 80 % and 95 %',
    }),
  };
  const out: Record<string, { medianMs: number; minMs: number; pngBytes: number; svgMedianMs: number }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    await renderPng(spec);
    const ms: number[] = [];
    const svg: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 20; i++) {
      let t = performance.now();
      bytes = (await renderPng(spec)).length;
      ms.push(performance.now() - t);
      t = performance.now();
      await renderSvg(spec);
      svg.push(performance.now() - t);
    }
    out[name] = { medianMs: median(ms), minMs: min(ms), pngBytes: bytes, svgMedianMs: median(svg) };
  }
  return out;
}
lap('demo 1M and 10M: questions and digests');
const charts = await chartTimes();
results.charts = charts;
for (const [name, c] of Object.entries(charts))
  rows.push([
    `chart ${name} (${(c.pngBytes / 1024).toFixed(0)} KiB PNG)`,
    `spec -> PNG; floor spec -> SVG ${c.svgMedianMs.toFixed(0)} ms`,
    c.minMs.toFixed(0),
    c.medianMs.toFixed(0),
    '',
    (c.medianMs / c.svgMedianMs).toFixed(2),
  ]);
// 4. The alerts: quality on public data (where ../shared is) and on the demo; speed at 200 scopes.
{
  lap('charts');
  const speed = await alertsSpeed();
  lap('alerts: 200 scopes');
  const forecast = await forecastQuality();
  lap('alerts: forecast quality');
  const detection = detectionQuality();
  const nab = nabSeries();
  const nabCli = nab ? await measureNabCli(nab) : null;
  lap('alerts: detection quality, NAB through the CLI');
  const { total: demoTotal, services: demoServices } = await demoSeries();
  const demoForecast = await demoForecastQuality([demoTotal, ...demoServices]);
  const injected = injectedQuality(demoTotal);
  results.alerts = { speed, forecast, demoForecast, detection, nabCli, injected };
  rows.push([
    'anomalies, 200 scopes x 365 days',
    'every day judged',
    '',
    speed.anomaliesMs.toFixed(0),
    '',
    '',
  ]);
  rows.push([
    'forecast, 200 scopes (with backtests)',
    `worker threads; one thread ${speed.forecastOneThreadMs.toFixed(0)} ms`,
    '',
    speed.forecastMs.toFixed(0),
    '',
    '',
  ]);
}
lap('alerts: demo series');
const plain = await measurePlainHttp(50);
const ack = await measureSlackAck(50);
results.slackAck = { ...ack, floor: plain };
rows.push([
  `bare http 200, 50 concurrent (p99 ${plain.p99Ms.toFixed(0)} ms)`,
  '',
  plain.minMs.toFixed(0),
  plain.p50Ms.toFixed(0),
  '',
  '1.00',
]);
rows.push([
  `Slack /spend ack, 50 concurrent (p99 ${ack.p99Ms.toFixed(0)} ms)`,
  '',
  ack.minMs.toFixed(0),
  ack.p50Ms.toFixed(0),
  '',
  (ack.p99Ms / plain.p99Ms).toFixed(2),
]);

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows)
  console.log(r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
printAlertsQuality(results.alerts as AlertsResults);
lap('Slack ack');
results.sections = sections;
console.log(
  `\nsections (s): ${sections.map((x) => `${x.name} ${x.seconds.toFixed(0)}`).join(' · ')}; whole run ${((performance.now() - started) / 1000 / 60).toFixed(1)} min`,
);
writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(
  `\n${results.node} · DuckDB ${results.duckdb} · ${cpus().length} × ${cpus()[0]?.model} · written bench/results.json`,
);
