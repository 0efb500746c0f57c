/**
 * Loads FOCUS CSV or Parquet (a file or a glob) into the normalised `charges` relation, with
 * DuckDB's own readers. Parquet stays on disk behind a view (a 10M-row export is never copied);
 * CSV is read once as text into a temporary table so that a bad cell can be reported with its
 * file, row and column before anything is summed.
 */
import { basename } from 'node:path';
import { CodedError, ErrorCode } from '../../errors.js';
import { type DuckDb, sqlString } from '../warehouse/duckdb.js';
import { ACCEPTED_FORMATS, type ColumnSpec, FOCUS_COLUMNS } from './columns.js';

type Format = 'csv' | 'parquet';

function formatOf(file: string): Format | null {
  const f = file.toLowerCase();
  if (f.endsWith('.parquet')) return 'parquet';
  if (f.endsWith('.csv') || f.endsWith('.csv.gz')) return 'csv';
  return null;
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

async function matchingFiles(db: DuckDb, pathOrGlob: string): Promise<{ files: string[]; format: Format }> {
  const rows = await db.all<{ file: string }>('SELECT file FROM glob(?) ORDER BY file', [pathOrGlob]);
  if (rows.length === 0) {
    throw new CodedError(
      ErrorCode.SourceMissing,
      `no file matches "${pathOrGlob}"; expected ${ACCEPTED_FORMATS}`,
    );
  }
  const files = rows.map((r) => r.file);
  const formats = new Set(files.map(formatOf));
  const format = formats.size === 1 ? [...formats][0] : null;
  if (!format) {
    const odd = files.find((f) => formatOf(f) === null) ?? files[0]!;
    throw new CodedError(
      ErrorCode.SourceInvalid,
      `${basename(odd)}: not a .csv or .parquet file (one format per source); expected ${ACCEPTED_FORMATS}`,
    );
  }
  return { files, format };
}

/** DuckDB's own error, prefixed with the source it concerns. */
function readError(source: string, e: unknown): CodedError {
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  return new CodedError(
    ErrorCode.SourceInvalid,
    `${source}: cannot be read as ${ACCEPTED_FORMATS}: ${message}`,
    { cause: e },
  );
}

/** Map each spec to the file's actual column name (case-insensitive), or fail on a missing required one. */
function resolveColumns(
  source: string,
  present: { name: string; type: string }[],
): Map<ColumnSpec, { name: string; type: string }> {
  const byLower = new Map(present.map((c) => [c.name.toLowerCase(), c]));
  const resolved = new Map<ColumnSpec, { name: string; type: string }>();
  for (const spec of FOCUS_COLUMNS) {
    const hit = spec.names.map((n) => byLower.get(n.toLowerCase())).find(Boolean);
    if (hit) resolved.set(spec, hit);
    else if (spec.required) {
      const has = present
        .map((c) => c.name)
        .filter((n) => !['filename', 'file_row_number', 'file_row'].includes(n))
        .slice(0, 12)
        .join(', ');
      throw new CodedError(
        ErrorCode.SourceInvalid,
        `${source}: required FOCUS column ${spec.names.join(' or ')} is missing (the file has: ${has}${present.length > 14 ? ', ...' : ''}); required: ${FOCUS_COLUMNS.filter(
          (s) => s.required,
        )
          .map((s) => s.names[0])
          .join(', ')}`,
      );
    }
  }
  return resolved;
}

/** SQL that turns a raw column into its normalised value. */
function normalise(spec: ColumnSpec, col: { name: string; type: string } | undefined): string {
  if (!col) return spec.kind === 'text' || spec.kind === 'json' ? "''" : 'NULL::DOUBLE';
  const c = quoteIdent(col.name);
  switch (spec.kind) {
    case 'day':
      // Typed timestamps need no parsing (zone-less ones are UTC, as FOCUS specifies); text may carry
      // an offset, so it is read as TIMESTAMPTZ and converted in the session's UTC zone.
      if (col.type === 'DATE' || (col.type.startsWith('TIMESTAMP') && !col.type.includes('TIME ZONE')))
        return `CAST(${c} AS DATE)`;
      return `CAST(CAST(${c} AS TIMESTAMPTZ) AS DATE)`;
    case 'number':
      // Already-typed columns are read as they are: a no-op cast still costs a pass over 10M values.
      return col.type === 'DOUBLE' ? c : `CAST(${c} AS DOUBLE)`;
    case 'json':
      return col.type === 'VARCHAR'
        ? `COALESCE(${c}, '')`
        : col.type === 'JSON'
          ? `COALESCE(CAST(${c} AS VARCHAR), '')`
          : `COALESCE(CAST(to_json(${c}) AS VARCHAR), '')`;
    default:
      return col.type === 'VARCHAR' ? `COALESCE(${c}, '')` : `COALESCE(CAST(${c} AS VARCHAR), '')`;
  }
}

/** The first cell of a numeric or date column that does not parse, with its row, or null. */
async function firstBadCell(
  db: DuckDb,
  raw: string,
  rowExpr: string,
  spec: ColumnSpec,
  col: { name: string; type: string },
): Promise<{ file: string; row: number; value: string } | null> {
  if (spec.kind !== 'day' && spec.kind !== 'number') return null;
  // Typed Parquet columns parsed already; only text needs checking.
  if (col.type !== 'VARCHAR') return null;
  const c = quoteIdent(col.name);
  const target = spec.kind === 'day' ? 'TIMESTAMPTZ' : 'DOUBLE';
  const rows = await db.all<{ file: string; row: number; value: string }>(
    `SELECT filename AS file, ${rowExpr} AS row, ${c} AS value FROM ${raw}
     WHERE ${c} IS NOT NULL AND TRY_CAST(${c} AS ${target}) IS NULL ORDER BY file, row LIMIT 1`,
  );
  return rows[0] ?? null;
}

/** Drops `charges`, whichever of a table or a view it is. */
export async function dropCharges(db: DuckDb): Promise<void> {
  const found = await db.all<{ t: string }>(
    "SELECT 'VIEW' AS t FROM duckdb_views() WHERE view_name = 'charges' UNION ALL SELECT 'TABLE' FROM duckdb_tables() WHERE table_name = 'charges'",
  );
  for (const f of found) await db.run(`DROP ${f.t} charges`);
}

/**
 * Creates (or replaces) `charges` from any relation with FOCUS columns: checks the required
 * columns, reports the first unparseable number or date, then normalises.
 */
export async function createCharges(
  db: DuckDb,
  o: { raw: string; rowExpr: string; source: string; line: boolean; kind: 'TABLE' | 'VIEW' },
): Promise<void> {
  let described: { column_name: string; column_type: string }[];
  try {
    described = await db.all(`DESCRIBE SELECT * FROM ${o.raw}`);
  } catch (e) {
    throw readError(o.source, e);
  }
  const columns = resolveColumns(
    o.source,
    described.map((d) => ({ name: d.column_name, type: d.column_type })),
  );
  for (const [spec, col] of columns) {
    const bad = await firstBadCell(db, o.raw, o.rowExpr, spec, col);
    if (bad) {
      const what =
        spec.kind === 'day'
          ? 'a date-time such as 2024-09-18 22:00:00 or 2024-09-18T22:00:00Z'
          : 'a number such as 12.34';
      throw new CodedError(
        ErrorCode.SourceInvalid,
        `${basename(bad.file)}, row ${bad.row}${o.line ? ` (line ${bad.row + 1})` : ''}, column ${col.name}: "${bad.value}" is not ${what}`,
      );
    }
  }
  const select = FOCUS_COLUMNS.map((spec) => `${normalise(spec, columns.get(spec))} AS ${spec.target}`).join(
    ',\n  ',
  );
  try {
    await dropCharges(db);
    await db.run(`CREATE TEMP ${o.kind} charges AS SELECT\n  ${select}\nFROM ${o.raw}`);
  } catch (e) {
    throw readError(o.source, e);
  }
}

/** Creates (or replaces) `charges` from the FOCUS files; returns the files read. */
export async function loadFocus(db: DuckDb, pathOrGlob: string): Promise<string[]> {
  const { files, format } = await matchingFiles(db, pathOrGlob);
  const list = `[${files.map(sqlString).join(', ')}]`;
  const source = files.length === 1 ? basename(files[0]!) : `${pathOrGlob} (${files.length} files)`;
  let raw: string;
  let rowExpr: string;
  try {
    if (format === 'csv') {
      // Every cell as text first: a bad number or date is then reported by row and column.
      await db.run(
        `CREATE OR REPLACE TEMP TABLE focus_raw AS SELECT * FROM read_csv(${list}, header = true, all_varchar = true,
           nullstr = ['NULL', ''], union_by_name = true, filename = true)`,
      );
      // rowid follows insertion order: the row within its file is rowid - first rowid of the file + 1.
      raw = '(SELECT *, rowid - MIN(rowid) OVER (PARTITION BY filename) + 1 AS file_row FROM focus_raw)';
      rowExpr = 'file_row';
    } else {
      raw = `read_parquet(${list}, union_by_name = true, filename = true, file_row_number = true)`;
      rowExpr = 'file_row_number + 1';
    }
  } catch (e) {
    throw readError(source, e);
  }
  await createCharges(db, {
    raw,
    rowExpr,
    source,
    line: format === 'csv',
    kind: format === 'csv' ? 'TABLE' : 'VIEW',
  });
  return files;
}
