/**
 * A consistent copy of SPENDBRIEF_DB: the whole database copied into a new DuckDB file in one
 * transaction (one snapshot, whatever a sync writes meanwhile), written under a temporary name and
 * renamed, so a copy is complete or absent.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { CodedError, ErrorCode } from '../../errors.js';
import { type DuckDb, sqlString } from './duckdb.js';

export async function backupTo(db: DuckDb, target: string): Promise<{ path: string; tables: number }> {
  const path = resolve(target);
  if (existsSync(path))
    throw new CodedError(ErrorCode.BadInput, `backup ${path}: the file exists; give a new file name`);
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  const [{ name }] = await db.all<{ name: string }>('SELECT current_database() AS name');
  const alias = 'sb_backup';
  await db.run(`ATTACH ${sqlString(partial)} AS ${alias}`);
  try {
    await db.transaction(() => db.run(`COPY FROM DATABASE "${name!.replaceAll('"', '""')}" TO ${alias}`));
    const [{ n }] = await db.all<{ n: number }>(
      `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = '${alias}'`,
    );
    await db.run(`DETACH ${alias}`);
    renameSync(partial, path);
    return { path, tables: Number(n) };
  } catch (e) {
    await db.run(`DETACH ${alias}`).catch(() => {});
    rmSync(partial, { force: true });
    throw e;
  }
}

/** Where a running server says how to reach it for a backup (its port and a token), or null. */
export const adminFileOf = (db: string): string | null =>
  db === ':memory:' ? null : `${resolve(db)}.admin.json`;
