/**
 * The version of SPENDBRIEF_DB's layout, and the migrations between versions. The file records
 * its version (`sb_meta.db_version`; a file without one is version 0, spendbrief up to 210ae4b).
 * Opening an older file runs every migration after its version in one transaction (all land, or
 * the file stays as it was); a newer file is refused with both versions named, never read as if
 * it were this one's. A fresh file gets the latest version. Each migration says what it adds;
 * stores still create their own tables if missing, so a migration only has to change what exists.
 */
import { CodedError, ErrorCode } from '../../errors.js';
import type { SqlRunner } from './port.js';

export interface Migration {
  version: number;
  what: string;
  sql: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    what: 'channel scopes; Cost Explorer requests per day fetched',
    sql: [
      `CREATE TABLE IF NOT EXISTS channel_scopes (
        channel VARCHAR PRIMARY KEY, platform VARCHAR NOT NULL, where_json VARCHAR NOT NULL,
        set_by VARCHAR NOT NULL, set_at TIMESTAMPTZ NOT NULL)`,
      'CREATE TABLE IF NOT EXISTS ce_cache_stats (signature VARCHAR PRIMARY KEY, requests BIGINT, days BIGINT)',
    ],
  },
];

/** The layout this spendbrief writes. */
export const DB_VERSION = MIGRATIONS.at(-1)!.version;

type Transactional = SqlRunner & { transaction<T>(fn: () => Promise<T>): Promise<T> };

async function tableCount(sql: SqlRunner): Promise<number> {
  const [r] = await sql.all<{ n: number }>(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = 'main'",
  );
  return Number(r?.n ?? 0);
}

/** The file's version: recorded, 0 for a file of tables without one, null for an empty file. */
export async function dbVersion(sql: SqlRunner): Promise<number | null> {
  if ((await tableCount(sql)) === 0) return null;
  const meta = await sql.all("SELECT 1 FROM duckdb_tables() WHERE table_name = 'sb_meta'");
  if (!meta.length) return 0;
  const [v] = await sql.all<{ value: string }>("SELECT value FROM sb_meta WHERE key = 'db_version'");
  return v ? Number(v.value) : 0;
}

const newerError = (path: string, v: number) =>
  new CodedError(
    ErrorCode.Config,
    `the warehouse ${path} has layout version ${v}, newer than this spendbrief's ${DB_VERSION}: it was written by a later release; upgrade spendbrief, or point SPENDBRIEF_DB at another file (a downgrade cannot read it)`,
  );

/** Refuses a file newer than this spendbrief (a read-only open cannot migrate; older files read). */
export async function checkVersion(sql: SqlRunner, path: string): Promise<void> {
  const v = await dbVersion(sql);
  if (v !== null && v > DB_VERSION) throw newerError(path, v);
}

/** Brings a file to DB_VERSION in one transaction; returns the version it had (null: it was empty). */
export async function migrate(db: Transactional, path: string): Promise<{ from: number | null; to: number }> {
  const from = await dbVersion(db);
  if (from !== null && from > DB_VERSION) throw newerError(path, from);
  if (from === DB_VERSION) return { from, to: DB_VERSION };
  await db.transaction(async () => {
    await db.run('CREATE TABLE IF NOT EXISTS sb_meta (key VARCHAR PRIMARY KEY, value VARCHAR)');
    for (const m of MIGRATIONS) if (m.version > (from ?? 0)) for (const s of m.sql) await db.run(s);
    await db.run(`INSERT OR REPLACE INTO sb_meta VALUES ('db_version', '${DB_VERSION}')`);
  });
  return { from, to: DB_VERSION };
}
