/**
 * FOCUS files as a report's source without a sync: a view over them for one drivers question, or
 * read once into an in-memory warehouse for any other report; and, for a synced copy, which files
 * changed since it was made.
 */
import { basename } from 'node:path';
import { CodedError } from '../errors.js';
import { describeReadError, focusRelation, listFocusFiles } from '../integrations/focus/read-focus.js';
import { sampledLatestDay } from '../integrations/focus/sample-days.js';
import { DuckDb } from '../integrations/warehouse/duckdb.js';
import { DuckDbWarehouse } from '../integrations/warehouse/duckdb-warehouse.js';
import { dropStage, land, stage } from '../integrations/warehouse/ingest.js';
import type { CostWarehouse } from '../integrations/warehouse/port.js';
import { ensureSchema, sourceId } from '../integrations/warehouse/schema.js';
import {
  type OpenOptions,
  type SourceSession,
  sourceKey,
  type WarehousesOptions,
} from './session-options.js';
import { describeSource, type SourceSpec } from './source.js';

/** What a one-off session needs of the Warehouses that opens it. */
export interface SessionContext {
  o: WarehousesOptions;
  dbOptions: { memoryLimit: string };
  /** The warehouse wrapped for the session's observer (tests). */
  observed: (w: CostWarehouse) => CostWarehouse;
  /** A session over a star source `sid` in `db`. */
  star: (
    db: DuckDb,
    sid: number,
    label: string,
    notes: string[],
    close: () => void,
  ) => Promise<SourceSession>;
}

/** Files added, changed or removed since the last sync (the warehouse answers from the older copy). */
export async function staleness(
  db: DuckDb,
  sid: number,
  path: string,
  syncedAt: string | null,
): Promise<string[]> {
  const known = new Map(
    (
      await db.all<{ path: string; size: number; mtime_ms: number }>(
        'SELECT path, size, mtime_ms FROM sb_files WHERE source_id = ?',
        [sid],
      )
    ).map((k) => [k.path, k]),
  );
  const files = await listFocusFiles(db, path).catch(() => []);
  const changed = files.filter((f) => {
    const k = known.get(f.path);
    return !k || k.size !== f.size || k.mtime_ms !== f.mtimeMs;
  }).length;
  const gone = [...known.keys()].filter((p) => !files.some((f) => f.path === p)).length;
  if (changed + gone === 0) return [];
  return [
    `${changed + gone} file${changed + gone === 1 ? '' : 's'} changed since the last sync (${syncedAt}); this report uses the synced copy: run spendbrief sync --source focus:${path}`,
  ];
}

/** FOCUS files without a sync: a view for one question, or one read into memory for a digest. */
export async function openFilesOneOff(
  ctx: SessionContext,
  spec: Extract<SourceSpec, { kind: 'focus' }>,
  { purpose, today, windowsAt }: OpenOptions,
): Promise<SourceSession> {
  const db = await DuckDb.open(':memory:', ctx.dbOptions);
  try {
    const files = await listFocusFiles(db, spec.path);
    const rel = await focusRelation(db, files, spec.path);
    const notes = rel.skipped.map((s) => `${basename(s.file)}: ${s.reason}`);
    for (const n of notes) ctx.o.log(`note: ${n}`);
    const label = describeSource(spec);
    if (purpose === 'question') {
      await db.run(`CREATE TEMP VIEW sb_rows AS ${rel.sql}`);
      // A CSV is parsed whole on every scan: the day scan sums the likely windows' lines too.
      const csv = !rel.files.every((f) => f.format === 'parquet');
      const latest = csv && windowsAt ? await sampledLatestDay(db, rel.files, today) : null;
      const warehouse = new DuckDbWarehouse(
        db,
        {
          kind: 'flat',
          rows: 'sb_rows',
          dayFromRaw: rel.dayFromRaw,
          dayRawType: rel.dayFromRaw && rel.dayRawType,
        },
        async () => db.close(),
        (latest && windowsAt?.(latest)) || undefined,
      );
      return {
        warehouse: ctx.observed(
          readErrorsExplained(warehouse, db, rel.files, () => ctx.o.onSourceRead?.(spec)),
        ),
        label,
        notes,
        close: () => warehouse.close(),
      };
    }
    await ensureSchema(db);
    const sid = await sourceId(db, sourceKey(spec, ctx.o.config));
    try {
      ctx.o.onSourceRead?.(spec);
      await stage(db, rel.staging.sql, 'oneoff', {
        scans: rel.files.every((f) => f.format === 'parquet') ? 2 : 1,
        instanceType: rel.staging.instanceType,
      });
    } catch (e) {
      throw await describeReadError(db, e, rel.files);
    }
    await db.transaction(() => land(db, { sourceId: sid, fileId: 1, name: 'oneoff' }));
    await dropStage(db, 'oneoff');
    return await ctx.star(db, sid, label, notes, () => db.close());
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * A flat view reads its files at query time: a bad cell is reported with file, row and column, and
 * every question is a scan of the files (counted).
 */
function readErrorsExplained(
  w: DuckDbWarehouse,
  db: DuckDb,
  files: Parameters<typeof describeReadError>[2],
  onRead: () => void,
): CostWarehouse {
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>, reads: (...a: A) => boolean = () => true) =>
    async (...a: A): Promise<R> => {
      if (reads(...a)) onRead();
      try {
        return await fn(...a);
      } catch (e) {
        if (e instanceof CodedError) throw e;
        throw await describeReadError(db, e, files);
      }
    };
  return {
    daySummary: wrap((q) => w.daySummary(q)),
    lineSummary: wrap(
      (q) => w.lineSummary(q),
      (q) => w.readsRows(q),
    ),
    lineAggregates: wrap((q) => w.lineAggregates(q)),
    carbonUsage: wrap((q) => w.carbonUsage(q)),
    dailyByKey: wrap((q) => w.dailyByKey(q)),
    resolveKey: wrap((d, h, t, where) => w.resolveKey(d, h, t, where)),
    dimensionValues: wrap((q) => w.dimensionValues(q)),
    ownerCosts: wrap((q) => w.ownerCosts(q)),
    close: () => w.close(),
  };
}
