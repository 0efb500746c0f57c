/**
 * The persistent warehouse in SPENDBRIEF_DB (and, for one-off runs, the same tables in memory):
 *
 *   sb_sources    one row per synced source (`focus:<glob>`, `ce:<signature>`, `demo`)
 *   sb_files      FOCUS files by path, size and modification time, with the id of their rows
 *   sb_deliveries per bucket source and unit (a billing period, or a plain file): the manifest and
 *                 the objects (key, ETag, size, file id) whose rows the warehouse holds
 *   charge_days   per source, file, UTC day and line: the three cost bases and the quantity
 *   charge_weeks  the same summed per week (weeks.ts): what a question over whole weeks reads
 *   charge_lines  per source and line: the attributes (service, account, region, sku, resource,
 *                 tags, category, currency, provider, instance type, unit, usage type, description)
 *   day_totals    per source, file, day, currency and provider: the three bases (the cheap
 *                 first question of every report: which days, which currency)
 *
 * A line is the hash of its attributes, computed as rows are read, so that rows roll up to one
 * row per line and day without a join, and a question groups by one integer.
 */

import type { SqlRunner } from './port.js';
import { ensureWeeks } from './weeks.js';

/** Line attributes, in hash order. Changing the list or order changes every line id: bump SCHEMA_VERSION. */
export const LINE_ATTRIBUTES = [
  'category',
  'service',
  'account',
  'region',
  'sku',
  'resource',
  'tags',
  'currency',
  'provider',
  'instance_type',
  'unit',
  'usage_type',
  'description',
] as const;
export type LineAttribute = (typeof LINE_ATTRIBUTES)[number];

/**
 * 4: weekly sums (weeks.ts); 5: days and weeks refer to a line by its dense number (`line_no`).
 * An older warehouse syncs its sources again.
 */
export const SCHEMA_VERSION = 5;

/** Per-row cost of each basis (cost-drivers note, "Data in"). */
export const BASIS_OF_ROW = {
  actual: 'billed',
  amortized: 'COALESCE(effective, billed)',
  net: 'COALESCE(contracted, effective, billed)',
} as const;

export async function ensureSchema(sql: SqlRunner): Promise<void> {
  await sql.run('CREATE TABLE IF NOT EXISTS sb_meta (key VARCHAR PRIMARY KEY, value VARCHAR)');
  const [v] = await sql.all<{ value: string }>("SELECT value FROM sb_meta WHERE key = 'schema'");
  if (v && Number(v.value) !== SCHEMA_VERSION) {
    // An older layout: its synced rows are dropped and the next sync reads the sources again.
    for (const t of [
      'charge_days',
      'charge_weeks',
      'charge_lines',
      'day_totals',
      'sb_files',
      'sb_deliveries',
      'sb_sources',
    ])
      await sql.run(`DROP TABLE IF EXISTS ${t}`);
  }
  await sql.run(`INSERT OR REPLACE INTO sb_meta VALUES ('schema', '${SCHEMA_VERSION}')`);
  await sql.run(`CREATE TABLE IF NOT EXISTS sb_sources (
    source_id INTEGER PRIMARY KEY, spec VARCHAR NOT NULL UNIQUE, synced_at TIMESTAMPTZ, detail VARCHAR)`);
  await sql.run(`CREATE TABLE IF NOT EXISTS sb_files (
    source_id INTEGER NOT NULL, file_id INTEGER NOT NULL, path VARCHAR NOT NULL, size BIGINT NOT NULL,
    mtime_ms BIGINT NOT NULL, row_count BIGINT NOT NULL, synced_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (source_id, path))`);
  await sql.run(`CREATE TABLE IF NOT EXISTS sb_deliveries (
    source_id INTEGER NOT NULL, unit VARCHAR NOT NULL, kind VARCHAR NOT NULL, manifest VARCHAR,
    manifest_etag VARCHAR, refreshed_at TIMESTAMPTZ NOT NULL, objects VARCHAR NOT NULL,
    synced_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (source_id, unit))`);
  await sql.run(`CREATE TABLE IF NOT EXISTS charge_days (
    source_id INTEGER NOT NULL, file_id INTEGER NOT NULL, day DATE NOT NULL, line_no INTEGER NOT NULL,
    actual DOUBLE, amortized DOUBLE, net DOUBLE, quantity DOUBLE)`);
  await sql.run(`CREATE TABLE IF NOT EXISTS charge_lines (
    source_id INTEGER NOT NULL, line UBIGINT NOT NULL, line_no INTEGER NOT NULL,
    ${LINE_ATTRIBUTES.map((a) => `${a} VARCHAR NOT NULL`).join(', ')})`);
  await ensureWeeks(sql);
  await sql.run(`CREATE TABLE IF NOT EXISTS day_totals (
    source_id INTEGER NOT NULL, file_id INTEGER NOT NULL, day DATE NOT NULL, currency VARCHAR NOT NULL,
    provider VARCHAR NOT NULL, actual DOUBLE, amortized DOUBLE, net DOUBLE)`);
}

/** The id of a source, created on first use. */
export async function sourceId(sql: SqlRunner, spec: string): Promise<number> {
  const found = await sql.all<{ source_id: number }>('SELECT source_id FROM sb_sources WHERE spec = ?', [
    spec,
  ]);
  if (found[0]) return found[0].source_id;
  await sql.run(
    'INSERT INTO sb_sources (source_id, spec) SELECT COALESCE(max(source_id), 0) + 1, ? FROM sb_sources',
    [spec],
  );
  return (await sql.all<{ source_id: number }>('SELECT source_id FROM sb_sources WHERE spec = ?', [spec]))[0]!
    .source_id;
}

export interface SyncedSource {
  sourceId: number;
  spec: string;
  syncedAt: string | null;
  detail: string | null;
}

/** A source that has been synced (its rows are complete as of `syncedAt`), or null. */
export async function syncedSource(sql: SqlRunner, spec: string): Promise<SyncedSource | null> {
  const rows = await sql.all<{
    source_id: number;
    spec: string;
    synced_at: string | null;
    detail: string | null;
  }>(
    `SELECT source_id, spec, strftime(synced_at, '%Y-%m-%dT%H:%M:%SZ') AS synced_at, detail FROM sb_sources WHERE spec = ? AND synced_at IS NOT NULL`,
    [spec],
  );
  const r = rows[0];
  return r ? { sourceId: r.source_id, spec: r.spec, syncedAt: r.synced_at, detail: r.detail } : null;
}

/** Whether the database has the warehouse tables at all (a fresh or foreign file has not). */
export async function hasSchema(sql: SqlRunner): Promise<boolean> {
  const rows = await sql.all("SELECT 1 FROM duckdb_tables() WHERE table_name = 'sb_sources'");
  return rows.length > 0;
}
