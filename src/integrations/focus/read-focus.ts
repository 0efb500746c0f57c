/**
 * FOCUS files (CSV or Parquet; a file, a folder or a glob, formats mixed) as one normalised SQL
 * relation, read by DuckDB's own readers:
 *
 *   1. list the files (a folder means every .csv, .csv.gz and .parquet under it)
 *   2. read each file's header (CSV: every cell as text, the cost columns as DOUBLE; Parquet: its
 *      types); a Contract Commitment file or a file without the required columns is skipped or
 *      refused with a word
 *   3. files of one format and one header share a reader; the normalised SELECTs are UNION ALL'd
 *
 * Nothing is copied: the relation is read where it lies, typed in one pass. A cell that does not
 * parse stops that pass with DuckDB's error, which `describeReadError` turns into file, row,
 * column and the value.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CodedError, ErrorCode, quote } from '../../errors.js';
import { type DuckDb, firstLine, quoteIdent, sqlString } from '../warehouse/duckdb.js';
import { anyOf, HOUR_UNITS } from '../warehouse/sql.js';
import {
  ACCEPTED_FORMATS,
  CONTRACT_COMMITMENT_MARKERS,
  type ColumnSpec,
  FOCUS_COLUMNS,
  INSTANCE_TYPE_SOURCES,
  type NormalisedColumn,
} from './columns.js';

export type FocusFormat = 'csv' | 'parquet';

export interface FocusFile {
  path: string;
  format: FocusFormat;
  size: number;
  mtimeMs: number;
  /** A CSV that is not comma-separated with double quotes (FOCUS's RFC 4180): its dialect sniffed. */
  sniffed?: boolean;
}

/**
 * FOCUS CSV is RFC 4180 (comma, double quote), as AWS, Azure and OCI write it: named, the reader
 * skips DuckDB's dialect sniffer, which costs about 0.3 ms a line up to its sample (0.6 s of a
 * 1,900-line file's 0.7 s). A file it cannot split (one column) is read again with the sniffer.
 */
const RFC4180 = `delim = ',', quote = '"', escape = '"'`;
const csvOptions = (sniffed?: boolean) =>
  `header = true, all_varchar = true, nullstr = ['NULL', '']${sniffed ? '' : `, ${RFC4180}`}`;

export interface Column {
  name: string;
  type: string;
}

export function formatOf(file: string): FocusFormat | null {
  const f = file.toLowerCase();
  if (f.endsWith('.parquet')) return 'parquet';
  if (f.endsWith('.csv') || f.endsWith('.csv.gz')) return 'csv';
  return null;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (formatOf(e.name)) out.push(p);
  }
  return out;
}

/** The FOCUS files a source names: one file, every export file under a folder, or a glob. */
export async function listFocusFiles(db: DuckDb, pathOrGlob: string): Promise<FocusFile[]> {
  let paths: string[];
  const s = await stat(pathOrGlob).catch(() => null);
  if (s?.isDirectory()) paths = await walk(pathOrGlob);
  else if (s?.isFile()) paths = [pathOrGlob];
  else
    paths = (await db.all<{ file: string }>('SELECT file FROM glob(?) ORDER BY file', [pathOrGlob])).map(
      (r) => r.file,
    );
  if (paths.length === 0) {
    throw new CodedError(
      ErrorCode.SourceMissing,
      `no file matches ${quote(pathOrGlob, 200)}; expected a file, a folder or a glob of ${ACCEPTED_FORMATS}`,
    );
  }
  const files: FocusFile[] = [];
  for (const path of [...paths].sort()) {
    const format = formatOf(path);
    if (!format) {
      throw new CodedError(
        ErrorCode.SourceInvalid,
        `${basename(path)}: not a .csv, .csv.gz or .parquet file; expected ${ACCEPTED_FORMATS}`,
      );
    }
    const st = await stat(path);
    files.push({ path, format, size: st.size, mtimeMs: Math.round(st.mtimeMs) });
  }
  return files;
}

/** The cost and quantity columns a CSV reader types as DOUBLE while reading (fast, and exact errors). */
const NUMERIC_NAMES = FOCUS_COLUMNS.filter((c) => c.kind === 'number').flatMap((c) => c.names);

/** A reader over files of one format (CSV: all text but the numbers, `NULL` and '' as null). */
export function readerSql(
  format: FocusFormat,
  paths: string[],
  numeric: string[] = NUMERIC_NAMES,
  sniffed = false,
): string {
  const list = `[${paths.map(sqlString).join(', ')}]`;
  if (format === 'parquet') return `read_parquet(${list}, union_by_name = true)`;
  const types = numeric.map((n) => `${sqlString(n)}: 'DOUBLE'`).join(', ');
  return `read_csv(${list}, ${csvOptions(sniffed)}, union_by_name = true${types ? `, types = {${types}}` : ''})`;
}

/** The reader of files of one format with these columns (a CSV's DOUBLE columns typed in it). */
export function columnsReader(format: FocusFormat, paths: string[], cols: Column[], sniffed = false): string {
  const doubles = format === 'csv' ? cols.filter((c) => c.type === 'DOUBLE').map((c) => c.name) : [];
  return readerSql(format, paths, doubles, sniffed);
}

/** Each file's columns; the numeric FOCUS columns a CSV has are typed in its reader. */
export async function describeFile(db: DuckDb, file: FocusFile): Promise<Column[]> {
  const describe = (sniffed?: boolean) =>
    db.all<{ column_name: string; column_type: string }>(
      `DESCRIBE SELECT * FROM ${file.format === 'csv' ? `read_csv(${sqlString(file.path)}, ${csvOptions(sniffed)})` : `read_parquet(${sqlString(file.path)})`}`,
    );
  try {
    let rows = await describe(file.sniffed).catch((e) => {
      if (file.format !== 'csv' || file.sniffed) throw e;
      return [];
    });
    if (file.format === 'csv' && !file.sniffed && rows.length <= 1) {
      // Not comma-separated (a semicolon export from a spreadsheet): let DuckDB find its dialect.
      file.sniffed = true;
      rows = await describe(true);
    }
    const cols = rows.map((r) => ({ name: r.column_name, type: r.column_type }));
    if (file.format === 'csv') {
      const numeric = new Set(NUMERIC_NAMES.map((n) => n.toLowerCase()));
      for (const c of cols) if (numeric.has(c.name.toLowerCase())) c.type = 'DOUBLE';
    }
    return cols;
  } catch (e) {
    throw new CodedError(
      ErrorCode.SourceInvalid,
      `${basename(file.path)}: cannot be read as ${ACCEPTED_FORMATS}: ${firstLine(e)}`,
      { cause: e },
    );
  }
}

export type Resolution = Map<NormalisedColumn, Column>;

/** Why a file is not a FOCUS cost and usage file (null when it is one). */
export function notCostAndUsage(cols: Column[]): string | null {
  const names = new Set(cols.map((c) => c.name.toLowerCase()));
  if (CONTRACT_COMMITMENT_MARKERS.some((m) => names.has(m.toLowerCase())) && !names.has('billedcost'))
    return 'a FOCUS Contract Commitment file (commitments, not charges): skipped';
  return null;
}

/** Map each spec to the file's column (case-insensitive), or fail on a missing required one. */
export function resolveColumns(source: string, present: Column[]): Resolution {
  const byLower = new Map(present.map((c) => [c.name.toLowerCase(), c]));
  const resolved: Resolution = new Map();
  for (const spec of FOCUS_COLUMNS) {
    const hit = spec.names.map((n) => byLower.get(n.toLowerCase())).find(Boolean);
    if (hit) resolved.set(spec.target, hit);
    else if (spec.required) {
      const has = present.map((c) => c.name).slice(0, 12);
      throw new CodedError(
        ErrorCode.SourceInvalid,
        `${source}: required FOCUS column ${spec.names.join(' or ')} is missing (the file has: ${has.join(', ')}${present.length > has.length ? ', ...' : ''}); required: ${FOCUS_COLUMNS.filter(
          (s) => s.required,
        )
          .map((s) => s.names[0])
          .join(', ')}`,
      );
    }
  }
  return resolved;
}

/**
 * A timestamp as its UTC day. Typed zone-less timestamps are UTC (FOCUS says so); zoned ones are
 * converted by arithmetic on the epoch (a calendar cast through ICU costs ten times more). Text
 * in UTC (`Z` or no offset; OCI's `2024-09-18T22:00Z` without seconds too) is parsed as a plain
 * timestamp; text with another offset goes through TIMESTAMPTZ.
 */
export function dayExpression(c: string, type: string): string {
  const fromZoned = (x: string) => `(DATE '1970-01-01' + CAST(epoch_us(${x}) // 86400000000 AS INTEGER))`;
  if (type === 'DATE') return c;
  if (type === 'TIMESTAMP WITH TIME ZONE') return fromZoned(c);
  if (type.startsWith('TIMESTAMP')) return `CAST(${c} AS DATE)`;
  const text = type === 'VARCHAR' ? c : `CAST(${c} AS VARCHAR)`;
  const utc = `(right(${text}, 1) = 'Z' OR NOT (contains(substr(${text}, 17), '+') OR contains(substr(${text}, 17), '-')))`;
  const minutesOnly = (t: string) =>
    `CASE WHEN length(${t}) = 16 OR length(${t}) = 17 THEN left(${t}, 16) || ':00' ELSE ${t} END`;
  // RFC 3339 allows a lower-case z, which DuckDB's timestamp cast takes for an unknown zone.
  const lowerZ = `left(${text}, length(${text}) - 1)`;
  return `CASE WHEN ${text} IS NULL THEN NULL WHEN right(${text}, 1) = 'z' THEN CAST(CAST(${minutesOnly(lowerZ)} AS TIMESTAMP) AS DATE)
    WHEN ${utc} THEN CAST(CAST(${minutesOnly(text)} AS TIMESTAMP) AS DATE) ELSE ${fromZoned(`CAST(${text} AS TIMESTAMPTZ)`)} END`;
}

/**
 * Text as it is, NULL included: consumers fill '' after they aggregate (a COALESCE on every row
 * costs a tenth of a 10M-row question and stops DuckDB from hashing dictionary-encoded strings).
 */
const asText = (c: string, type: string) => (type === 'VARCHAR' ? c : `CAST(${c} AS VARCHAR)`);

/** SQL that turns a raw column into its normalised value. */
function normalise(spec: ColumnSpec, col: Column | undefined): string {
  if (!col)
    return spec.kind === 'text' || spec.kind === 'json' ? 'CAST(NULL AS VARCHAR)' : 'CAST(NULL AS DOUBLE)';
  const c = quoteIdent(col.name);
  switch (spec.kind) {
    case 'day':
      return dayExpression(c, col.type);
    case 'number':
      // Already-typed columns are read as they are: a no-op cast still costs a pass over 10M values.
      return col.type === 'DOUBLE' ? c : `CAST(${c} AS DOUBLE)`;
    case 'json':
      return col.type === 'VARCHAR' || col.type === 'JSON'
        ? asText(c, col.type)
        : `CAST(to_json(${c}) AS VARCHAR)`;
    default:
      return asText(c, col.type);
  }
}

/** An EC2-style instance type inside a text: c5.2xlarge, t3.micro, m7g.metal-48xl. */
export const INSTANCE_TYPE_PATTERN =
  '([a-z][a-z0-9-]*[0-9][a-z0-9-]*\\.(?:nano|micro|small|medium|large|[0-9]*xlarge|metal(?:-[0-9]+xl)?))';

/** Each source of an instance type as text (NULL where absent), in INSTANCE_TYPE_SOURCES' order. */
interface InstanceTypeInputs {
  direct?: string;
  details?: string;
  usage?: string;
  description?: string;
}

/** The instance type from its inputs' text: the first that names one. */
function instanceTypeOf(i: InstanceTypeInputs, unit: string): string {
  const parts: string[] = [];
  if (i.direct) parts.push(`NULLIF(${i.direct}, '')`);
  if (i.details)
    parts.push(
      `NULLIF(json_extract_string(CASE WHEN json_valid(${i.details}) THEN ${i.details} END, '$.InstanceType'), '')`,
    );
  if (i.usage)
    parts.push(
      `NULLIF(regexp_extract(COALESCE(${i.usage}, ''), '(?:Box|Spot|Dedicated|Host|SchedUsage|Reservation)Usage:${INSTANCE_TYPE_PATTERN}', 1), '')`,
    );
  if (i.description)
    parts.push(`NULLIF(regexp_extract(COALESCE(${i.description}, ''), ' ${INSTANCE_TYPE_PATTERN} ', 1), '')`);
  if (parts.length === 0) return "''";
  // Only hour-like usage names an instance; other rows (storage, requests) never carry one.
  return `CASE WHEN ${anyOf(`lower(COALESCE(${unit}, ''))`, HOUR_UNITS)} THEN COALESCE(${parts.join(', ')}, '') ELSE '' END`;
}

/** The raw columns an instance type is read from, as text, for the ones the file has. */
function instanceTypeInputs(cols: Column[]): InstanceTypeInputs {
  const byLower = new Map(cols.map((c) => [c.name.toLowerCase(), c]));
  const find = (names: readonly string[]) => names.map((n) => byLower.get(n.toLowerCase())).find(Boolean);
  const text = (c: Column | undefined) => c && asText(quoteIdent(c.name), c.type);
  const details = find([INSTANCE_TYPE_SOURCES.skuPriceDetails]);
  return {
    direct: text(find(INSTANCE_TYPE_SOURCES.direct)),
    details:
      details &&
      (details.type === 'VARCHAR' || details.type === 'JSON'
        ? quoteIdent(details.name)
        : `CAST(to_json(${quoteIdent(details.name)}) AS VARCHAR)`),
    usage: text(find(INSTANCE_TYPE_SOURCES.usageType)),
    description: text(find([INSTANCE_TYPE_SOURCES.description])),
  };
}

/** The instance type, from the first source the file has (see INSTANCE_TYPE_SOURCES). */
export function instanceTypeExpression(cols: Column[], unit: string): string {
  return instanceTypeOf(instanceTypeInputs(cols), unit);
}

/**
 * With normalisedSelect's `instanceTypeLater`: the columns that stand in for the instance type in
 * a row, and the SQL that derives it from them and the row's other normalised columns. A sync keys
 * rows by these and derives the type once per line: a regular expression on each of a month's
 * 8.5M descriptions was 1 s of its 3.5 s scan (and it ran in both of its scans).
 */
export const INSTANCE_TYPE_LATER = {
  inputs: ['it_direct', 'it_details'] as const,
  sql: instanceTypeOf(
    { direct: 'it_direct', details: 'it_details', usage: 'usage_type', description: 'description' },
    'unit',
  ),
};

/**
 * What a stage (warehouse/ingest.ts) reads: the normalised columns with the instance type's inputs
 * in its place, and how the type is derived from them (the two only make sense together).
 */
export interface StagingRelation {
  sql: string;
  instanceType: typeof INSTANCE_TYPE_LATER;
}

/** The staging relation over one reader of files with these columns. */
export function stagingRelation(source: string, cols: Column[], reader: string): StagingRelation {
  return {
    sql: `SELECT ${normalisedSelect(source, cols, { instanceTypeLater: true })}\nFROM ${reader}`,
    instanceType: INSTANCE_TYPE_LATER,
  };
}

/**
 * The normalised SELECT list over one reader (see NORMALISED_COLUMNS); with `dayRaw`, also the
 * charge period start as the file has it (`day_raw`), so that a question can group on the raw
 * value and convert a few thousand distinct values instead of ten million.
 */
export function normalisedSelect(
  source: string,
  cols: Column[],
  o: { dayRaw?: boolean; instanceTypeLater?: boolean } = {},
): string {
  const resolution = resolveColumns(source, cols);
  const exprs = new Map<string, string>();
  for (const spec of FOCUS_COLUMNS) exprs.set(spec.target, normalise(spec, resolution.get(spec.target)));
  if (o.instanceTypeLater) {
    const i = instanceTypeInputs(cols);
    exprs.set('instance_type', 'CAST(NULL AS VARCHAR)');
    exprs.set('it_direct', i.direct ?? 'CAST(NULL AS VARCHAR)');
    exprs.set('it_details', i.details ?? 'CAST(NULL AS VARCHAR)');
  } else exprs.set('instance_type', instanceTypeExpression(cols, exprs.get('unit')!));
  if (o.dayRaw) exprs.set('day_raw', quoteIdent(resolution.get('day')!.name));
  return [...exprs].map(([target, expr]) => `${expr} AS ${target}`).join(',\n  ');
}

/** The type of the raw charge period start, when every file agrees on it (else null). */
export function commonDayType(groups: { cols: Column[] }[]): string | null {
  const types = new Set(groups.map((g) => resolveColumns('', g.cols).get('day')!.type));
  return types.size === 1 ? [...types][0]! : null;
}

export interface FocusRelation {
  /** A SELECT producing the normalised columns, over every file that was readable. */
  sql: string;
  /** The same for staging: the instance type's inputs in its place (INSTANCE_TYPE_LATER). */
  staging: StagingRelation;
  /** SQL turning `day_raw` into the day, when the relation has that column (see normalisedSelect). */
  dayFromRaw: string | null;
  /** The type of `day_raw` (every file's charge period start), when there is that column. */
  dayRawType: string | null;
  files: FocusFile[];
  /** Files left out, with the word that says why. */
  skipped: { file: string; reason: string }[];
}

/** One normalised relation over many files; files of one format and header share one reader. */
export async function focusRelation(db: DuckDb, files: FocusFile[], label: string): Promise<FocusRelation> {
  const groups = new Map<
    string,
    { format: FocusFormat; cols: Column[]; files: FocusFile[]; sniffed?: boolean }
  >();
  const skipped: FocusRelation['skipped'] = [];
  for (const f of files) {
    const cols = await describeFile(db, f);
    const why = notCostAndUsage(cols);
    if (why) {
      skipped.push({ file: f.path, reason: why });
      continue;
    }
    resolveColumns(basename(f.path), cols);
    const key = `${f.format}\u0000${f.sniffed ? 'sniffed' : ''}\u0000${cols.map((c) => `${c.name}:${c.type}`).join(',')}`;
    const g = groups.get(key) ?? { format: f.format, cols, files: [], sniffed: f.sniffed };
    g.files.push(f);
    groups.set(key, g);
  }
  if (groups.size === 0) {
    throw new CodedError(
      ErrorCode.SourceInvalid,
      `${label}: no cost and usage file among ${files.length} (${skipped.map((s) => `${basename(s.file)}: ${s.reason}`).join('; ')}); expected ${ACCEPTED_FORMATS}`,
    );
  }
  const dayType = commonDayType([...groups.values()]);
  const named = [...groups.values()].map((g) => ({
    source: g.files.length === 1 ? basename(g.files[0]!.path) : label,
    cols: g.cols,
    reader: columnsReader(
      g.format,
      g.files.map((f) => f.path),
      g.cols,
      g.sniffed,
    ),
  }));
  const union = (selects: string[]) => selects.join('\nUNION ALL\n');
  return {
    sql: union(
      named.map(
        (g) => `SELECT ${normalisedSelect(g.source, g.cols, { dayRaw: dayType !== null })}\nFROM ${g.reader}`,
      ),
    ),
    staging: {
      sql: union(named.map((g) => stagingRelation(g.source, g.cols, g.reader).sql)),
      instanceType: INSTANCE_TYPE_LATER,
    },
    dayFromRaw: dayType === null ? null : dayExpression('day_raw', dayType),
    dayRawType: dayType,
    files: [...groups.values()].flatMap((g) => g.files),
    skipped,
  };
}

const CSV_CONVERSION =
  /CSV Error on Line: (\d+)[\s\S]*?Error when converting column "([^"]+)"\. Could not convert string "([^"]*)" to '(\w+)'[\s\S]*?file = (\S+)/;

/**
 * A read that failed, as one line: file, row, column and value where DuckDB's CSV reader said
 * them; otherwise the first cell of a timestamp or number column that does not parse, found by a
 * second, diagnostic read of each file.
 */
export async function describeReadError(db: DuckDb, e: unknown, files: FocusFile[]): Promise<CodedError> {
  const message = e instanceof Error ? e.message : String(e);
  // Not the file's fault: say so, and what to change (scanning it for a bad cell would not help).
  if (/Out of Memory Error/.test(message)) {
    const where = files.length === 1 ? basename(files[0]!.path) : `${files.length} files`;
    const limit = /\/\s*([\d.]+\s*[KMGT]i?B) used/.exec(message)?.[1];
    return new CodedError(
      ErrorCode.OutOfMemory,
      `${where}: ran out of memory at DuckDB's limit${limit ? ` (${limit})` : ''} while reading it; the file is not at fault: raise SPENDBRIEF_MEMORY_LIMIT (e.g. 1GB), or sync exports this large from the athena: source`,
      { cause: e },
    );
  }
  const m = CSV_CONVERSION.exec(message);
  if (m) {
    const [, line, column, value, type] = m;
    return new CodedError(
      ErrorCode.SourceInvalid,
      `${basename(m[5]!)}, line ${line}, column ${column}: ${quote(value!)} is not ${type === 'DOUBLE' ? 'a number such as 12.34' : `a ${type}`}`,
      { cause: e },
    );
  }
  for (const f of files) {
    const bad = await firstBadCell(db, f).catch(() => null);
    if (bad)
      return new CodedError(
        ErrorCode.SourceInvalid,
        `${basename(f.path)}, row ${bad.row}${f.format === 'csv' ? ` (line ${bad.row + 1})` : ''}, column ${bad.column}: ${quote(bad.value)} is not ${bad.what}`,
        { cause: e },
      );
  }
  const where = files.length === 1 ? basename(files[0]!.path) : `${files.length} files`;
  return new CodedError(
    ErrorCode.SourceInvalid,
    `${where}: cannot be read as ${ACCEPTED_FORMATS}: ${firstLine(e)}`,
    {
      cause: e,
    },
  );
}

/** The first cell of a date or number column that does not parse, with its 1-based data row. */
async function firstBadCell(
  db: DuckDb,
  f: FocusFile,
): Promise<{ row: number; column: string; value: string; what: string } | null> {
  const cols = await describeFile(db, f);
  const resolution = resolveColumns(basename(f.path), cols);
  const raw =
    f.format === 'csv'
      ? `read_csv(${sqlString(f.path)}, ${csvOptions(f.sniffed)})`
      : `read_parquet(${sqlString(f.path)}, file_row_number = true)`;
  for (const spec of FOCUS_COLUMNS) {
    const col = resolution.get(spec.target);
    if (!col || (spec.kind !== 'day' && spec.kind !== 'number')) continue;
    if (f.format === 'parquet' && col.type !== 'VARCHAR') continue;
    const c = quoteIdent(col.name);
    const check =
      spec.kind === 'day'
        ? `(${dayExpression(c, 'VARCHAR').replaceAll('CAST(', 'TRY_CAST(')}) IS NULL`
        : `TRY_CAST(${c} AS DOUBLE) IS NULL`;
    await db.run('SET preserve_insertion_order = true');
    try {
      const rows = await db.all<{ row: number; value: string }>(
        `SELECT row, value FROM (SELECT ${f.format === 'csv' ? 'row_number() OVER ()' : 'file_row_number + 1'} AS row, ${c} AS value FROM ${raw})
         WHERE value IS NOT NULL AND ${check.replaceAll(c, 'value')} ORDER BY row LIMIT 1`,
      );
      if (rows[0])
        return {
          ...rows[0],
          column: col.name,
          what:
            spec.kind === 'day'
              ? 'a date-time such as 2024-09-18 22:00:00 or 2024-09-18T22:00:00Z'
              : 'a number such as 12.34',
        };
    } finally {
      await db.run('SET preserve_insertion_order = false');
    }
  }
  return null;
}
