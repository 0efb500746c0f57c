/**
 * Rows of a normalised relation (focus/columns.ts, NORMALISED_COLUMNS) into the warehouse, in two
 * steps so that a sync lands whole or not at all while a bad file is only skipped:
 *
 *   stage  (outside any transaction, into a staging database beside the warehouse file, see
 *          openStaging, or into connection-local temporary tables in memory) every row rolled up
 *          to one row per day and key (its line, the hash of its attributes, or what that is
 *          derived from) with the three bases and the quantity summed (never rounded),
 *          and one row per key with its line and attributes.
 *          A row-oriented source (CSV, a generated relation) is read once with two grouping sets:
 *          a second CSV read cost 6 of a 10M-row file's 21 s. A Parquet file is scanned twice,
 *          each scan reading only its columns: two plain aggregations take 9 s for a month of 8.5M
 *          rows where the grouping sets took 21 s (and ran out of 512MB on two threads).
 *   land   (inside the caller's one transaction) staged rows move into charge_days, day_totals
 *          and charge_lines. Nothing here reads a source, so nothing here can fail on its data.
 */

import type { SqlRunner } from './port.js';
import { BASIS_OF_ROW, LINE_ATTRIBUTES } from './schema.js';
import { stagedTables } from './staging.js';
import { rebuildWeeks, weekRollup } from './weeks.js';

const ATTRS = LINE_ATTRIBUTES.join(', ');
export const LINE_HASH = `hash(${ATTRS})`;

export interface StageStats {
  rows: number;
  lines: number;
  days: number;
  /** Rows without a charge period start (never summed). */
  undated: number;
}

/**
 * The staged tables: day rows (day, key, the sums, row_count), lines (key, line and attributes)
 * and weekly sums by key (source and file ids 0 until they land). Apart, not one table with a
 * flag: in memory a temporary table is not compressed, and thirteen empty attributes on each of a
 * month's 8.5M day rows were 1.7 GB to spill. A row's key is its line, or with a derived instance
 * type the hash of what the type is derived from: several keys can then be one line.
 */
const { facts, lines, stagedWeeks, both, create } = stagedTables;

/**
 * An instance type derived once per line instead of once per row (read-focus.ts,
 * INSTANCE_TYPE_LATER): the relation carries `inputs` in its place, `sql` derives it.
 */
export interface DerivedInstanceType {
  inputs: readonly string[];
  sql: string;
}

/** How rows are keyed and their lines made, with or without a derived instance type. */
function keying(derived: DerivedInstanceType | undefined) {
  const attrs = derived
    ? [...LINE_ATTRIBUTES.filter((a) => a !== 'instance_type'), ...derived.inputs]
    : [...LINE_ATTRIBUTES];
  const key = `hash(${attrs.join(', ')})`;
  return {
    attrs: attrs.join(', '),
    key,
    /** Lines from distinct rows of the key's attributes. */
    lines: (distinct: string) =>
      derived
        ? `SELECT key, ${LINE_HASH} AS line, ${ATTRS} FROM (SELECT *, ${derived.sql} AS instance_type FROM (SELECT ${key} AS key, * FROM (${distinct})))`
        : `SELECT line AS key, line, ${ATTRS} FROM (SELECT ${LINE_HASH} AS line, ${ATTRS} FROM (${distinct}))`,
  };
}
type Keying = ReturnType<typeof keying>;

/** Reads a relation into a staging table named after `name` (letters, digits, _). */
export async function stage(
  sql: SqlRunner,
  source: string,
  name: string,
  o: { scans?: 1 | 2; instanceType?: DerivedInstanceType } = {},
): Promise<StageStats> {
  // A missing attribute is '' in the warehouse (a line's key must not depend on NULL vs '').
  const relation = `SELECT * REPLACE (${LINE_ATTRIBUTES.map((a) => `COALESCE(${a}, '') AS ${a}`).join(', ')}) FROM (${source})`;
  const k = keying(o.instanceType);
  try {
    await withOneThreadIfOutOfMemory(sql, () =>
      o.scans === 2 ? stageTwoScans(sql, relation, name, k) : stageOneScan(sql, relation, name, k),
    );
    await withOneThreadIfOutOfMemory(sql, () => stageSummaries(sql, name));
    const [s] = await sql.all<StageStats>(
      `SELECT COALESCE(sum(row_count), 0) AS rows, (SELECT count(DISTINCT line) FROM ${lines(name)}) AS lines,
         count(DISTINCT day) AS days, COALESCE(sum(row_count) FILTER (WHERE day IS NULL), 0) AS undated
       FROM ${facts(name)}`,
    );
    return s!;
  } catch (e) {
    await dropStage(sql, name);
    throw e;
  }
}

/**
 * Each DuckDB thread aggregates into its own hash tables before they spill: a month of a large
 * company (8.5M rows, 270,000 lines a day) ran out of a 512MB limit on 2 threads and fits on one
 * (631 MB peak RSS, half the speed). So a stage that runs out of memory is tried once more on one
 * thread, and the thread count put back.
 */
export async function withOneThreadIfOutOfMemory(sql: SqlRunner, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (!/Out of Memory Error/.test(e instanceof Error ? e.message : String(e))) throw e;
    const [{ threads }] = (await sql.all<{ threads: string }>(
      "SELECT current_setting('threads')::VARCHAR AS threads",
    )) as [{ threads: string }];
    if (Number(threads) <= 1) throw e;
    await sql.run('SET threads = 1');
    try {
      await run();
    } finally {
      await sql.run(`SET threads = ${Number(threads)}`);
    }
  }
}

/**
 * Plain sums, not Kahan's (`fsum`): a day and key has one row in a daily export and 24 in an
 * hourly one, where compensation changes nothing a cent can show, and its larger state made the
 * month's hash table spill (2.0 s against 2.3 s a month at 100M rows). Questions sum the staged
 * sums with `fsum`, where millions of them add up.
 */
const SUMS = `sum(${BASIS_OF_ROW.actual}) AS actual, sum(${BASIS_OF_ROW.amortized}) AS amortized,
  sum(${BASIS_OF_ROW.net}) AS net, sum(quantity) AS quantity, count(*) AS row_count`;

async function stageOneScan(sql: SqlRunner, relation: string, name: string, k: Keying): Promise<void> {
  // GROUPING(day) is 1 in the per-key set; a day that is NULL (undated rows) stays in the other.
  // Currency and provider are line attributes: day totals take them from the lines at land.
  await sql.run(`${create(name)} ${both(name)} AS
      SELECT GROUPING(day) = 1 AS by_line, day, key, ${k.attrs}, ${SUMS}
      FROM (SELECT *, ${k.key} AS key FROM (${relation}))
      GROUP BY GROUPING SETS ((day, key), (key, ${k.attrs}))`);
  try {
    await sql.run(`${create(name)} ${facts(name)} AS
        SELECT day, key, actual, amortized, net, quantity, row_count FROM ${both(name)} WHERE NOT by_line`);
    await sql.run(`${create(name)} ${lines(name)} AS
        ${k.lines(`SELECT ${k.attrs} FROM ${both(name)} WHERE by_line`)}`);
  } finally {
    await sql.run(`DROP TABLE IF EXISTS ${both(name)}`);
  }
}

async function stageTwoScans(sql: SqlRunner, relation: string, name: string, k: Keying): Promise<void> {
  await sql.run(`${create(name)} ${facts(name)} AS
      SELECT day, key, ${SUMS} FROM (SELECT *, ${k.key} AS key FROM (${relation})) GROUP BY day, key`);
  // Distinct attributes first, hashed after: the hash runs per line, not per row.
  await sql.run(`${create(name)} ${lines(name)} AS
      ${k.lines(`SELECT DISTINCT ${k.attrs} FROM (${relation})`)}`);
}

/** The weekly sums of the staged rows (weeks.ts), before any transaction (an OOM can retry). */
async function stageSummaries(sql: SqlRunner, name: string): Promise<void> {
  const days = `(SELECT 0 AS source_id, 0 AS file_id, day, key, actual, amortized, net, quantity FROM ${facts(name)})`;
  await sql.run(`${create(name)} ${stagedWeeks(name)} AS ${weekRollup(days, 'key')}`);
}

/**
 * Moves staged rows into the warehouse as one source's file (call inside a transaction). New lines
 * are numbered after the source's last (`line_no`): days and weeks refer to a line by that small
 * dense integer, which DuckDB joins by direct lookup (a perfect hash join) where the 64-bit hash
 * needed a hash table: a year's daily series by service over 100M rows, 8.4 s -> see ADR 0009.
 * Where several keys are one line, their days and weeks are summed into one row per line.
 */
export async function land(
  sql: SqlRunner,
  o: { sourceId: number; fileId: number; name: string; summaries?: boolean },
): Promise<void> {
  const { sourceId, fileId, name } = o;
  // `merged`: several keys are one line; `one`: one currency and provider (see the day totals).
  const [{ merged, one }] = (await sql.all<{ merged: boolean; one: boolean }>(
    `SELECT count(*) > count(DISTINCT line) AS merged, count(DISTINCT (currency, provider)) = 1 AS one
     FROM ${lines(name)}`,
  )) as [{ merged: boolean; one: boolean }];
  const newLines = merged ? `(SELECT DISTINCT ON (line) line, ${ATTRS} FROM ${lines(name)})` : lines(name);
  await sql.run(
    `INSERT INTO charge_lines SELECT ${sourceId}, line,
       (SELECT COALESCE(max(line_no), -1) FROM charge_lines WHERE source_id = ${sourceId}) + row_number() OVER (),
       ${ATTRS} FROM ${newLines}
     WHERE line NOT IN (SELECT line FROM charge_lines WHERE source_id = ${sourceId})`,
  );
  const numbered = `(SELECT s.key, n.line_no FROM ${lines(name)} s JOIN charge_lines n ON n.source_id = ${sourceId} AND n.line = s.line)`;
  const sums = (t: string) =>
    merged
      ? `fsum(${t}.actual), fsum(${t}.amortized), fsum(${t}.net), fsum(${t}.quantity)`
      : `${t}.actual, ${t}.amortized, ${t}.net, ${t}.quantity`;
  const perLine = (by: string) => (merged ? ` GROUP BY ${by}, n.line_no` : '');
  await sql.run(
    `INSERT INTO charge_days SELECT ${sourceId}, ${fileId}, f.day, n.line_no, ${sums('f')}
     FROM ${facts(name)} f JOIN ${numbered} n USING (key) WHERE f.day IS NOT NULL${perLine('f.day')}`,
  );
  if (o.summaries !== false)
    await sql.run(
      `INSERT INTO charge_weeks SELECT ${sourceId}, ${fileId}, w.week, n.line_no, ${sums('w')}
       FROM ${stagedWeeks(name)} w JOIN ${numbered} n USING (key)${perLine('w.week')}`,
    );
  // One currency and provider (most exports): the day totals need no join to the lines, whose
  // hash table outgrows the cache at 270,000 lines a month (0.33 s against 0.08 s a month at 100M).
  const labelled = one
    ? `${facts(name)} f CROSS JOIN (SELECT DISTINCT currency, provider FROM ${lines(name)}) l`
    : `${facts(name)} f JOIN ${lines(name)} l USING (key)`;
  await sql.run(
    `INSERT INTO day_totals SELECT ${sourceId}, ${fileId}, f.day, l.currency, l.provider, fsum(f.actual), fsum(f.amortized), fsum(f.net)
     FROM ${labelled} WHERE f.day IS NOT NULL GROUP BY f.day, l.currency, l.provider`,
  );
}

export async function dropStage(sql: SqlRunner, name: string): Promise<void> {
  for (const t of [both(name), facts(name), lines(name), stagedWeeks(name)])
    await sql.run(`DROP TABLE IF EXISTS ${t}`);
}

/** Lines whose rows were removed, in this connection: what pruneLines looks at. */
const PRUNE = 'sb_prune_candidates';

/** Removes one file's rows (a restated or deleted export file); its lines may be pruned after. */
export async function removeFileRows(sql: SqlRunner, sourceId: number, fileId: number): Promise<void> {
  await sql.run(`CREATE TEMP TABLE IF NOT EXISTS ${PRUNE} (source_id INTEGER, line_no INTEGER)`);
  await sql.run(
    `INSERT INTO ${PRUNE} SELECT DISTINCT source_id, line_no FROM charge_days WHERE source_id = ${sourceId} AND file_id = ${fileId}`,
  );
  await sql.run(`DELETE FROM charge_days WHERE source_id = ${sourceId} AND file_id = ${fileId}`);
  await sql.run(`DELETE FROM day_totals WHERE source_id = ${sourceId} AND file_id = ${fileId}`);
  await sql.run(`DELETE FROM charge_weeks WHERE source_id = ${sourceId} AND file_id = ${fileId}`);
}

/** Removes every row of a source (the demo regenerated for a new day). */
export async function removeSourceRows(sql: SqlRunner, sourceId: number): Promise<void> {
  for (const t of ['charge_days', 'charge_weeks', 'day_totals', 'charge_lines', 'sb_files', 'sb_deliveries'])
    await sql.run(`DELETE FROM ${t} WHERE source_id = ${sourceId}`);
}

/**
 * Lines no row refers to any more, after files were replaced or removed (call in the transaction
 * that removed them; `landedFrom`: the first file id it gave, file ids only grow). Only the removed rows' lines can be orphans,
 * and of those only the ones the landed files do not use: both are read by file (DuckDB skips the
 * other files' row groups). The source's other rows are read only when some remain: a restated
 * month keeps its lines, and checking every row cost 1.3 s of a 9 s daily sync at 100M rows.
 */
export async function pruneLines(sql: SqlRunner, sourceId: number, landedFrom: number): Promise<void> {
  await sql.run(`CREATE TEMP TABLE IF NOT EXISTS ${PRUNE} (source_id INTEGER, line_no INTEGER)`);
  const mine = `SELECT line_no FROM ${PRUNE} WHERE source_id = ${sourceId}`;
  await sql.run(
    `DELETE FROM ${PRUNE} WHERE source_id = ${sourceId} AND line_no IN
     (SELECT line_no FROM charge_days WHERE source_id = ${sourceId} AND file_id >= ${landedFrom})`,
  );
  const [{ n }] = (await sql.all<{ n: number }>(`SELECT count(*) AS n FROM (${mine})`)) as [{ n: number }];
  if (n > 0)
    await sql.run(
      `DELETE FROM charge_lines WHERE source_id = ${sourceId} AND line_no IN (${mine})
       AND line_no NOT IN (SELECT line_no FROM charge_days WHERE source_id = ${sourceId} AND line_no IN (${mine}))`,
    );
  await sql.run(`DELETE FROM ${PRUNE} WHERE source_id = ${sourceId}`);
}

/** Stage, then land in one transaction: for sources read as a whole (demo, Cost Explorer days). */
export async function ingestWhole(
  db: SqlRunner & { transaction<T>(fn: () => Promise<T>): Promise<T> },
  o: { sourceId: number; relation: string; replace: () => Promise<void>; after?: () => Promise<void> },
): Promise<StageStats> {
  const name = `whole_${o.sourceId}`;
  const stats = await stage(db, o.relation, name);
  try {
    await db.transaction(async () => {
      await o.replace();
      // Days replaced, not files: the source's weeks are summed again from its days.
      await land(db, { sourceId: o.sourceId, fileId: 0, name, summaries: false });
      await rebuildWeeks(db, o.sourceId);
      await o.after?.();
    });
  } finally {
    await dropStage(db, name);
  }
  return stats;
}
