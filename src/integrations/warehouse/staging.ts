/**
 * Where a stage's tables live (ingest.ts): temporary tables of the connection, or a staging
 * database attached beside the warehouse file (`openStaging`), named by a catalog in the stage's
 * name (`sb_staging_1.f0`).
 */
import { rmSync } from 'node:fs';
import { sqlString } from './duckdb.js';
import type { SqlRunner } from './port.js';

const table = (name: string, suffix: string) => {
  const dot = name.indexOf('.');
  return dot < 0
    ? `sb_stage_${name}${suffix}`
    : `${name.slice(0, dot)}.sb_stage_${name.slice(dot + 1)}${suffix}`;
};
/** The tables of a stage named `name` (see ingest.ts), and how to create them. */
export const stagedTables = {
  facts: (name: string) => table(name, '_days'),
  lines: (name: string) => table(name, '_lines'),
  stagedWeeks: (name: string) => table(name, '_weeks'),
  /** The one-scan form's result before it is split. */
  both: (name: string) => table(name, ''),
  /** A name with a catalog stages into it, else into temporary tables. */
  create: (name: string) => (name.includes('.') ? 'CREATE OR REPLACE TABLE' : 'CREATE OR REPLACE TEMP TABLE'),
};

/**
 * Where a sync into a warehouse file stages several files: a database file beside it, removed
 * afterwards. A temporary table lives uncompressed in memory and spills as it is, so a year of
 * 100M rows staged whole (its months land together, in one transaction) spilled 5 GB and read it
 * back: 121 s for the sync against 105 s staged in a file, whose blocks the warehouse's own tables
 * never reuse (staged in the warehouse itself, its file grew from 2.9 to 6.6 GB). One file (a
 * day's restated month, one CSV) stays in temporary tables: its rows are one file's, and writing
 * them compressed cost more than it saved (the 10M CSV's sync 1.27x `read_csv` against 1.04x). A
 * sync killed half-way leaves the file; the next one removes it. In memory, staging stays in
 * temporary tables.
 */
export async function openStaging(
  db: SqlRunner & { path: string },
  sourceId: number,
  files: number,
): Promise<{ name: (base: string) => string; close: () => Promise<void> }> {
  const file = `${db.path}.staging-${sourceId}`;
  const remove = () => {
    for (const f of [file, `${file}.wal`]) rmSync(f, { force: true });
  };
  if (db.path === ':memory:' || files < 2) {
    if (db.path !== ':memory:') remove();
    return { name: (base) => base, close: async () => {} };
  }
  const alias = `sb_staging_${sourceId}`;
  remove();
  await db.run(`ATTACH ${sqlString(file)} AS ${alias}`);
  return {
    name: (base) => `${alias}.${base}`,
    close: async () => {
      await db.run(`DETACH ${alias}`);
      remove();
    },
  };
}
