/**
 * Where one machine stops (`npm run bench -- --scale`): a year of a large company (365 days,
 * 200,000 resources, 5,000 SKUs, Tags JSON on every row) at 1M, 10M and 100M rows, as Parquet split
 * by billing month as the providers deliver it, generated month by month in bounded memory into
 * bench/data/ (never committed). For each size, in fresh processes (peak RSS their own):
 *   sync              `spendbrief sync` of the folder, against DuckDB's own load of the same files
 *                     into a table of a file database
 *   synced question   `drivers` on the warehouse, against the same sums in one bare query
 *   synced digest     `digest --out` on the warehouse, every chart rendered
 *   one-off question  `drivers` on the folder without a sync, against the bare query on the files
 *   daily sync        the open month's file restated (every cost of it changed), synced again
 * and draws time and peak RSS against rows (log-log, one line per operation).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { renderPng } from '../src/charts/render.js';
import { DuckDb } from '../src/integrations/warehouse/duckdb.js';
import { type CompanyShape, companySql, LARGE_COMPANY } from './company.js';

type Run = { ms: number[]; maxRssMb: number };
type Child = (mode: string, args: string[], reps: number) => Run;

export interface ScaleStep {
  rows: number;
  files: number;
  generatedMs: number | null;
  floorLoad: Run;
  sync: Run;
  floorSynced: Run;
  synced: Run;
  digest: Run;
  floorOneOff: Run;
  oneOff: Run;
  dailySync: Run;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The billing months of the shape's days: [first day, last day] of each, clipped to the data. */
function months(shape: CompanyShape): { month: string; from: string; to: string }[] {
  const end = new Date(`${shape.endDay}T00:00:00Z`);
  const start = new Date(end.getTime() - (shape.days - 1) * 86_400_000);
  const out: { month: string; from: string; to: string }[] = [];
  for (let d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1)); d <= end; ) {
    const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    const from = d < start ? start : d;
    const last = new Date(next.getTime() - 86_400_000);
    const to = last > end ? end : last;
    out.push({
      month: d.toISOString().slice(0, 7),
      from: from.toISOString().slice(0, 10),
      to: to.toISOString().slice(0, 10),
    });
    d = next;
  }
  return out;
}

/** One Parquet file per billing month, each generated alone (bounded memory); null if there. */
async function generate(dir: string, shape: CompanyShape): Promise<number | null> {
  if (existsSync(join(dir, 'complete'))) return null;
  mkdirSync(dir, { recursive: true });
  const t = performance.now();
  const db = await DuckDb.open(':memory:', { memoryLimit: '1GB' });
  try {
    for (const m of months(shape)) {
      const file = join(dir, `${m.month}.parquet`);
      await db.run(
        `COPY (${companySql(shape, m)}) TO '${file}.partial' (FORMAT parquet, ROW_GROUP_SIZE 122880)`,
      );
      renameSync(`${file}.partial`, file);
    }
  } finally {
    db.close();
  }
  writeFileSync(join(dir, 'complete'), '');
  return performance.now() - t;
}

/**
 * The year of `rows` rows as one CSV in day order, as a user exports it (ISO 8601 with Z, as AWS
 * writes FOCUS CSV), from its monthly Parquet files (generated first if absent); the file, the
 * `--today` after its last day, and the seconds it took to make (null if it was there).
 */
export async function yearCsv(
  data: string,
  rows: number,
): Promise<{ file: string; today: string; generatedMs: number | null }> {
  const shape: CompanyShape = { ...LARGE_COMPANY, rows };
  const dir = join(data, `year-${rows / 1e6}m`);
  const file = join(data, `year-${rows / 1e6}m-z.csv`);
  const today = new Date(Date.parse(`${shape.endDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  if (existsSync(file)) return { file, today, generatedMs: null };
  const t = performance.now();
  await generate(dir, shape);
  const db = await DuckDb.open(':memory:', { memoryLimit: '1GB' });
  try {
    await db.run(
      `COPY (SELECT * REPLACE (strftime(ChargePeriodStart, '%Y-%m-%dT%H:%M:%SZ') AS ChargePeriodStart,
          strftime(ChargePeriodEnd, '%Y-%m-%dT%H:%M:%SZ') AS ChargePeriodEnd)
        FROM read_parquet('${join(dir, '*.parquet')}') ORDER BY ChargePeriodStart) TO '${file}.partial' (HEADER)`,
    );
  } finally {
    db.close();
  }
  renameSync(`${file}.partial`, file);
  return { file, today, generatedMs: performance.now() - t };
}

/** Restates the open month (every cost x 1.01), returning how to put the original back. */
async function restateOpenMonth(dir: string): Promise<() => void> {
  const last = readdirSync(dir)
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .at(-1)!;
  const file = join(dir, last);
  const orig = join(dir, `${last}.orig`);
  cpSync(file, orig);
  const db = await DuckDb.open(':memory:', { memoryLimit: '1GB' });
  await db.run(
    `COPY (SELECT * REPLACE (BilledCost * 1.01 AS BilledCost, EffectiveCost * 1.01 AS EffectiveCost) FROM read_parquet('${orig}')) TO '${file}.partial' (FORMAT parquet, ROW_GROUP_SIZE 122880)`,
  );
  db.close();
  renameSync(`${file}.partial`, file);
  return () => renameSync(orig, file);
}

export async function measureScale(o: {
  data: string;
  work: string;
  child: Child;
  sizes: number[];
  log: (line: string) => void;
}): Promise<ScaleStep[]> {
  const steps: ScaleStep[] = [];
  for (const rows of o.sizes) {
    const shape: CompanyShape = { ...LARGE_COMPANY, rows };
    const dir = join(o.data, `year-${rows / 1e6}m`);
    const generatedMs = await generate(dir, shape);
    const files = readdirSync(dir).filter((f) => f.endsWith('.parquet')).length;
    if (generatedMs !== null) o.log(`generated ${rows / 1e6}M rows in ${(generatedMs / 1000).toFixed(0)} s`);
    const today = new Date(Date.parse(`${shape.endDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const reps = rows >= 1e8 ? 1 : 2;
    const db = join(o.work, `year-${rows / 1e6}m.duckdb`);
    const src = `focus:${dir}`;
    const glob = join(dir, '*.parquet');
    const floorLoad = o.child('floor-load', [glob, join(o.work, 'load.duckdb')], reps);
    const sync = o.child('sync', [src, db], reps);
    const floorSynced = o.child('floor-synced', [db, today], reps);
    const synced = o.child('drivers', [src, today, db], reps);
    const digest = o.child('digest-synced', [src, today, db], reps);
    const floorOneOff = o.child('floor-file', [dir, today], reps);
    const oneOff = o.child('drivers', [src, today], reps);
    const restore = await restateOpenMonth(dir);
    let dailySync: Run;
    try {
      dailySync = o.child('sync-again', [src, db], 1);
    } finally {
      restore();
    }
    rmSync(db, { force: true });
    rmSync(`${db}.cache`, { recursive: true, force: true });
    rmSync(join(o.work, 'load.duckdb'), { force: true });
    const step = {
      rows,
      files,
      generatedMs,
      floorLoad,
      sync,
      floorSynced,
      synced,
      digest,
      floorOneOff,
      oneOff,
      dailySync,
    };
    o.log(
      `${rows / 1e6}M: sync ${(median(sync.ms) / 1000).toFixed(1)} s (load ${(median(floorLoad.ms) / 1000).toFixed(1)} s), synced drivers ${median(synced.ms).toFixed(0)} ms (floor ${median(floorSynced.ms).toFixed(0)}), digest ${median(digest.ms).toFixed(0)} ms, one-off ${median(oneOff.ms).toFixed(0)} ms (floor ${median(floorOneOff.ms).toFixed(0)}), daily sync ${median(dailySync.ms).toFixed(0)} ms`,
    );
    steps.push(step);
  }
  return steps;
}

const OPERATIONS = [
  ['floorLoad', "DuckDB's own load of the files (sync's floor)"],
  ['sync', 'sync'],
  ['synced', 'question on the warehouse'],
  ['digest', 'digest on the warehouse'],
  ['oneOff', 'one-off question on the Parquet files'],
  ['dailySync', 'daily sync (open month restated)'],
] as const;

/** Time and peak RSS against rows, log-log, one line per operation. */
export function growthSpec(steps: ScaleStep[]): TopLevelSpec {
  const values = steps.flatMap((s) =>
    OPERATIONS.map(([k, operation]) => ({
      rows: s.rows,
      operation,
      seconds: median(s[k].ms) / 1000,
      rssMb: s[k].maxRssMb,
    })),
  );
  const x = {
    field: 'rows',
    type: 'quantitative',
    scale: { type: 'log' },
    axis: { values: steps.map((s) => s.rows), format: '~s', grid: false },
    title: 'rows',
  } as const;
  const color = {
    field: 'operation',
    type: 'nominal',
    title: null,
    legend: { orient: 'bottom', columns: 2, labelLimit: 320 },
  } as const;
  /** A dashed line at a limit the targets name (3 s for a question, 1 GiB of RSS). */
  const limit = (value: number, field: string) => ({
    data: { values: [{ [field]: value }] },
    mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
    encoding: { y: { field, type: 'quantitative' } },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Cost as data grows: a year of a large company, 2 cores',
    data: { values },
    hconcat: [
      {
        width: 260,
        height: 220,
        layer: [
          {
            mark: { type: 'line', point: true },
            encoding: {
              x,
              y: {
                field: 'seconds',
                type: 'quantitative',
                scale: { type: 'log' },
                title: 'seconds (median)',
              },
              color,
            },
          },
          limit(3, 'seconds'),
        ],
      },
      {
        width: 260,
        height: 220,
        layer: [
          {
            mark: { type: 'line', point: true },
            encoding: {
              x,
              y: { field: 'rssMb', type: 'quantitative', scale: { type: 'log' }, title: 'peak RSS (MB)' },
              color,
            },
          },
          limit(1024, 'rssMb'),
        ],
      },
    ],
  } as TopLevelSpec;
}

export async function drawGrowth(steps: ScaleStep[], file: string): Promise<void> {
  writeFileSync(file, await renderPng(growthSpec(steps)));
}

/** The scale table: each operation's median, peak RSS and ratio to its floor, by size. */
export function printScale(steps: ScaleStep[]): void {
  const s = (ms: number[]) => (median(ms) / 1000).toFixed(2);
  console.log(
    '\nrows  | sync s (load s, ratio) | synced drivers s (floor, ratio) | digest s | one-off s (floor, ratio) | daily sync s | peak RSS MB sync / synced / digest / one-off',
  );
  for (const x of steps)
    console.log(
      `${x.rows / 1e6}M | ${s(x.sync.ms)} (${s(x.floorLoad.ms)}, ${(median(x.sync.ms) / median(x.floorLoad.ms)).toFixed(2)}) | ${s(x.synced.ms)} (${s(x.floorSynced.ms)}, ${(median(x.synced.ms) / median(x.floorSynced.ms)).toFixed(2)}) | ${s(x.digest.ms)} | ${s(x.oneOff.ms)} (${s(x.floorOneOff.ms)}, ${(median(x.oneOff.ms) / median(x.floorOneOff.ms)).toFixed(2)}) | ${s(x.dailySync.ms)} | ${x.sync.maxRssMb.toFixed(0)} / ${x.synced.maxRssMb.toFixed(0)} / ${x.digest.maxRssMb.toFixed(0)} / ${x.oneOff.maxRssMb.toFixed(0)}`,
    );
  // Each step's growth against its rows' (at most linear: no more than the rows grew).
  for (const [a, b] of steps.slice(1).map((b, i) => [steps[i]!, b] as const))
    console.log(
      `growth ${a.rows / 1e6}M -> ${b.rows / 1e6}M (${b.rows / a.rows}x rows): ${OPERATIONS.map(([k]) => `${k} ${(median(b[k].ms) / median(a[k].ms)).toFixed(1)}x`).join(', ')}`,
    );
}
