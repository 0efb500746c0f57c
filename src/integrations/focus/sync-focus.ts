/**
 * `spendbrief sync` of FOCUS files: the files a source names, remembered by path, size and
 * modification time.
 *
 *   1. list the files and compare with what the warehouse has: new, changed, removed, unchanged
 *   2. stage each new or changed file (one typed read; a file that fails to parse is reported with
 *      file, row and column and left out, its previous rows kept)
 *   3. one transaction: removed files' rows go, changed files' rows are replaced, new files' rows
 *      are added, the file list is updated. A sync killed at any point leaves the warehouse as it
 *      was before it started.
 */
import { basename } from 'node:path';
import { CodedError, describeError, ErrorCode } from '../../errors.js';
import type { DuckDb } from '../warehouse/duckdb.js';
import { dropStage, land, pruneLines, removeFileRows, stage } from '../warehouse/ingest.js';
import { ensureSchema, sourceId } from '../warehouse/schema.js';
import { openStaging } from '../warehouse/staging.js';
import {
  columnsReader,
  describeFile,
  describeReadError,
  type FocusFile,
  listFocusFiles,
  notCostAndUsage,
  stagingRelation,
} from './read-focus.js';

export interface FocusSyncResult {
  sourceId: number;
  added: string[];
  replaced: string[];
  removed: string[];
  unchanged: number;
  /** Files that could not be read, with the one line that says where and why. */
  failed: { file: string; error: string }[];
  /** Files that are not cost and usage data (Contract Commitment files). */
  skipped: { file: string; reason: string }[];
  rows: number;
  bytes: number;
  ms: number;
}

interface KnownFile {
  path: string;
  size: number;
  mtime_ms: number;
  file_id: number;
}

const MB = 1024 * 1024;

export async function syncFocus(
  db: DuckDb,
  o: { spec: string; pathOrGlob: string; now: Date; progress?: (line: string) => void },
): Promise<FocusSyncResult> {
  const started = performance.now();
  await ensureSchema(db);
  const sid = await sourceId(db, o.spec);
  const files = await listFocusFiles(db, o.pathOrGlob);
  const known = new Map(
    (
      await db.all<KnownFile>('SELECT path, size, mtime_ms, file_id FROM sb_files WHERE source_id = ?', [sid])
    ).map((k) => [k.path, k]),
  );
  const present = new Set(files.map((f) => f.path));
  const removed = [...known.values()].filter((k) => !present.has(k.path));
  const todo = files.filter((f) => {
    const k = known.get(f.path);
    return !k || k.size !== f.size || k.mtime_ms !== f.mtimeMs;
  });
  const result: FocusSyncResult = {
    sourceId: sid,
    added: [],
    replaced: [],
    removed: removed.map((r) => r.path),
    unchanged: files.length - todo.length,
    failed: [],
    skipped: [],
    rows: 0,
    bytes: 0,
    ms: 0,
  };

  const staged: { file: FocusFile; name: string; rows: number }[] = [];
  const staging = todo.length > 0 ? await openStaging(db, sid, todo.length) : null;
  try {
    for (const [i, f] of todo.entries()) {
      const t = performance.now();
      const name = staging!.name(`f${i}`);
      try {
        const stats = await stageFocusFile(db, f, name);
        if ('skipped' in stats) {
          result.skipped.push({ file: f.path, reason: stats.skipped });
          o.progress?.(`sync: ${basename(f.path)}: ${stats.skipped}`);
          continue;
        }
        staged.push({ file: f, name, rows: stats.rows });
        const s = (performance.now() - t) / 1000;
        o.progress?.(
          `sync: ${i + 1}/${todo.length} ${basename(f.path)}: ${stats.rows.toLocaleString('en-US')} rows, ${(f.size / MB).toFixed(0)} MB in ${s.toFixed(1)} s (${(f.size / MB / Math.max(s, 0.001)).toFixed(0)} MB/s)${stats.undated ? `; ${stats.undated} rows without ChargePeriodStart left out` : ''}`,
        );
      } catch (e) {
        result.failed.push({ file: f.path, error: describeError(e) });
        o.progress?.(`sync: ${basename(f.path)}: not synced: ${describeError(e)}`);
      }
    }

    // Every changed file failed and nothing else changed: say so, land nothing (previous rows stay).
    if (staged.length === 0 && removed.length === 0 && result.failed.length > 0)
      throw new CodedError(
        ErrorCode.SourceInvalid,
        result.failed.length === 1
          ? result.failed[0]!.error
          : `${result.failed.length} files could not be read: ${result.failed.map((f) => f.error).join('; ')}`,
      );
    // A source whose files all stayed the same (and that synced before) has nothing to land.
    const [source] = await db.all<{ synced: boolean }>(
      'SELECT synced_at IS NOT NULL AS synced FROM sb_sources WHERE source_id = ?',
      [sid],
    );
    if (staged.length === 0 && removed.length === 0 && source?.synced) {
      result.ms = performance.now() - started;
      return result;
    }

    await db.transaction(async () => {
      for (const r of removed) {
        await removeFileRows(db, sid, r.file_id);
        await db.run('DELETE FROM sb_files WHERE source_id = ? AND path = ?', [sid, r.path]);
      }
      const [{ next }] = await db.all<{ next: number }>(
        'SELECT COALESCE(max(file_id), 0) + 1 AS next FROM sb_files WHERE source_id = ?',
        [sid],
      );
      let fileId = next!;
      for (const s of staged) {
        const old = known.get(s.file.path);
        if (old) await removeFileRows(db, sid, old.file_id);
        await land(db, { sourceId: sid, fileId, name: s.name });
        await db.run(
          'INSERT OR REPLACE INTO sb_files (source_id, file_id, path, size, mtime_ms, row_count, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [sid, fileId, s.file.path, s.file.size, s.file.mtimeMs, s.rows, o.now.toISOString()],
        );
        (old ? result.replaced : result.added).push(s.file.path);
        result.rows += s.rows;
        result.bytes += s.file.size;
        fileId++;
      }
      if (removed.length > 0 || result.replaced.length > 0) await pruneLines(db, sid, next!);
      await db.run('UPDATE sb_sources SET synced_at = ?, detail = ? WHERE source_id = ?', [
        o.now.toISOString(),
        JSON.stringify({ files: files.length, failed: result.failed.length }),
        sid,
      ]);
    });
  } finally {
    for (const s of staged) await dropStage(db, s.name);
    await staging?.close();
  }
  result.ms = performance.now() - started;
  return result;
}

/**
 * One file into a staging table named `name` (one typed read), or why it is not cost and usage
 * data. `label` names the file in messages (a bucket's object URL for a cached download).
 */
export async function stageFocusFile(
  db: DuckDb,
  f: FocusFile,
  name: string,
  label = basename(f.path),
): Promise<Awaited<ReturnType<typeof stage>> | { skipped: string }> {
  const cols = await describeFile(db, f);
  const why = notCostAndUsage(cols);
  if (why) return { skipped: why };
  const relation = stagingRelation(label, cols, columnsReader(f.format, [f.path], cols, f.sniffed));
  try {
    // Parquet is columnar: two scans, each of its own columns, beat one scan with grouping sets.
    return await stage(db, relation.sql, name, {
      scans: f.format === 'parquet' ? 2 : 1,
      instanceType: relation.instanceType,
    });
  } catch (e) {
    throw await describeReadError(db, e, [f]);
  }
}

/** The sync's outcome in one or two lines for people. */
export function describeFocusSync(r: FocusSyncResult): string {
  const changed = r.added.length + r.replaced.length + r.removed.length;
  if (changed === 0 && r.failed.length === 0)
    return `nothing to do: ${r.unchanged} file${r.unchanged === 1 ? '' : 's'} unchanged since the last sync`;
  const parts = [
    r.added.length ? `${r.added.length} added` : '',
    r.replaced.length ? `${r.replaced.length} replaced` : '',
    r.removed.length ? `${r.removed.length} removed` : '',
    r.unchanged ? `${r.unchanged} unchanged` : '',
    r.skipped.length ? `${r.skipped.length} skipped` : '',
    r.failed.length ? `${r.failed.length} FAILED (previous rows kept)` : '',
  ].filter(Boolean);
  const mb = r.bytes / MB;
  return `synced ${parts.join(', ')}: ${r.rows.toLocaleString('en-US')} rows, ${mb.toFixed(0)} MB in ${(r.ms / 1000).toFixed(1)} s${mb > 0 ? ` (${(mb / Math.max(r.ms / 1000, 0.001)).toFixed(0)} MB/s)` : ''}`;
}
