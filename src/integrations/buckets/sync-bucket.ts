/**
 * `spendbrief sync` of an export in a bucket:
 *
 *   1. plan (plan.ts): one LIST; the manifests that changed are read; per unit unchanged, new,
 *      replaced or held
 *   2. each new or replaced unit's files are downloaded into the cache (streamed, resumable) and
 *      staged one by one; a unit with a file that fails to download or parse is held whole,
 *      naming the object, and keeps its previous rows
 *   3. one transaction: every replaced unit's rows go and its new rows land, units gone from the
 *      bucket go, sb_deliveries records what is held. A sync killed at any point leaves the
 *      warehouse as it was; its downloads stay in the cache for the next one
 *   4. the cache is pruned to the files the warehouse's units are made of
 */
import { basename } from 'node:path';
import { CodedError, describeError, ErrorCode } from '../../errors.js';
import { formatOf } from '../focus/read-focus.js';
import { stageFocusFile } from '../focus/sync-focus.js';
import type { DuckDb } from '../warehouse/duckdb.js';
import { dropStage, land, pruneLines, removeFileRows } from '../warehouse/ingest.js';
import { ensureSchema, sourceId } from '../warehouse/schema.js';
import { openStaging } from '../warehouse/staging.js';
import type { DownloadCache } from './cache.js';
import { type BucketLocation, bucketUrl, objectUrl, parseBucketUrl } from './location.js';
import { type BucketPlan, type KnownDelivery, planBucketSync, type UnitPlan } from './plan.js';
import type { ObjectStore, StoredObject } from './store.js';

export interface BucketSyncResult {
  sourceId: number;
  plan: BucketPlan;
  /** Units landed (new or replaced) and removed. */
  landed: string[];
  removed: string[];
  /** Units whose previous rows were kept, with the one line that says why. */
  failed: { file: string; error: string }[];
  /** Files not cost and usage data (Contract Commitment). */
  skipped: { file: string; reason: string }[];
  objects: number;
  /** Bytes transferred by this sync (resumed downloads count what was missing only). */
  downloaded: number;
  fromCache: number;
  rows: number;
  ms: number;
}

const MB = 1024 * 1024;

async function knownDeliveries(db: DuckDb, sid: number): Promise<Map<string, KnownDelivery>> {
  const rows = await db.all<{
    unit: string;
    kind: string;
    manifest: string | null;
    manifest_etag: string | null;
    refreshed_at: string;
    objects: string;
  }>(
    `SELECT unit, kind, manifest, manifest_etag, strftime(refreshed_at, '%Y-%m-%dT%H:%M:%SZ') AS refreshed_at, objects
     FROM sb_deliveries WHERE source_id = ?`,
    [sid],
  );
  return new Map(
    rows.map((r) => [
      r.unit,
      {
        unit: r.unit,
        kind: r.kind,
        manifest: r.manifest,
        manifestEtag: r.manifest_etag,
        refreshedAt: r.refreshed_at,
        objects: JSON.parse(r.objects),
      },
    ]),
  );
}

/** What a sync of this store would do against the warehouse's copy (an empty warehouse: everything). */
export async function planAgainst(
  db: DuckDb | null,
  store: ObjectStore,
  cache: DownloadCache,
): Promise<BucketPlan> {
  let known = new Map<string, KnownDelivery>();
  if (db) {
    const [has] = await db.all<{ n: number }>(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'sb_deliveries'",
    );
    if (Number(has?.n) > 0) {
      const [s] = await db.all<{ source_id: number }>('SELECT source_id FROM sb_sources WHERE spec = ?', [
        bucketUrl(store.location),
      ]);
      if (s) known = await knownDeliveries(db, s.source_id);
    }
  }
  return planBucketSync(store, cache, known);
}

/** Download progress on stderr: objects, MB and MB/s, at most once a second and at the end. */
class Progress {
  private done = 0;
  private bytes = 0;
  private last = 0;
  private readonly started = performance.now();
  constructor(
    private readonly objects: number,
    private readonly total: number,
    private readonly say?: (line: string) => void,
  ) {}
  add(n: number): void {
    this.bytes += n;
    this.tick(false);
  }
  object(): void {
    this.done++;
    this.tick(this.done === this.objects);
  }
  private tick(force: boolean): void {
    const now = performance.now();
    if (!this.say || (!force && now - this.last < 1000)) return;
    this.last = now;
    const s = Math.max((now - this.started) / 1000, 0.001);
    this.say(
      `download: ${this.done}/${this.objects} objects, ${(this.bytes / MB).toFixed(1)}/${(this.total / MB).toFixed(1)} MB, ${(this.bytes / MB / s).toFixed(1)} MB/s`,
    );
  }
}

interface StagedUnit {
  plan: UnitPlan;
  files: { object: StoredObject; name: string; rows: number }[];
}

export async function syncBucket(
  db: DuckDb,
  o: {
    store: ObjectStore;
    cache: DownloadCache;
    now: Date;
    progress?: (line: string) => void;
    /** Prune the cache to the warehouse's units (not for a one-off warehouse sharing a cache). */
    prune?: boolean;
  },
): Promise<BucketSyncResult> {
  const started = performance.now();
  const { store, cache } = o;
  const spec = bucketUrl(store.location);
  await ensureSchema(db);
  const sid = await sourceId(db, spec);
  const known = await knownDeliveries(db, sid);
  const plan = await planBucketSync(store, cache, known);
  const result: BucketSyncResult = {
    sourceId: sid,
    plan,
    landed: [],
    removed: plan.removed.map((r) => r.unit),
    failed: [],
    skipped: [],
    objects: 0,
    downloaded: 0,
    fromCache: 0,
    rows: 0,
    ms: 0,
  };
  for (const u of plan.units)
    if (u.action === 'hold') {
      result.failed.push({ file: u.candidate.unit, error: u.reason! });
      o.progress?.(`sync: ${u.reason}`);
    }
  const todo = plan.units.filter((u) => u.action === 'new' || u.action === 'replace');
  const progress = new Progress(
    todo.reduce((n, u) => n + u.toDownload.length, 0),
    todo.reduce((n, u) => n + u.toDownload.reduce((b, x) => b + x.size, 0), 0),
    o.progress,
  );
  const staged: StagedUnit[] = [];
  let stageNo = 0;
  // The next object downloads while this one is staged: the sync takes about the longer of
  // transfer and reading, not their sum. One ahead keeps the disk the cache needs small.
  const queue = todo.flatMap((u) => u.objects);
  const fetches = new Map<number, Promise<Awaited<ReturnType<DownloadCache['fetch']>>>>();
  const fetchAt = (i: number) => {
    if (i >= queue.length) return undefined;
    let p = fetches.get(i);
    if (!p) {
      p = cache.fetch(store, queue[i]!, (n) => progress.add(n));
      // Awaited where it is used; a unit that failed first may never await it.
      p.catch(() => {});
      fetches.set(i, p);
    }
    return p;
  };
  let at = 0;
  const staging =
    todo.length > 0
      ? await openStaging(
          db,
          sid,
          todo.reduce((n, u) => n + u.objects.length, 0),
        )
      : null;
  try {
    for (const u of todo) {
      const unit: StagedUnit = { plan: u, files: [] };
      const first = at;
      at += u.objects.length;
      try {
        for (const [j, object] of u.objects.entries()) {
          const url = objectUrl(store.location, object.key);
          const wasMissing = u.toDownload.includes(object);
          const got = (await fetchAt(first + j))!;
          fetchAt(first + j + 1);
          if (wasMissing) progress.object();
          else result.fromCache++;
          result.downloaded += got.downloaded;
          result.objects++;
          const name = staging!.name(`b${stageNo++}`);
          const format = formatOf(object.key)!;
          const file = { path: got.path, format, size: object.size, mtimeMs: +object.modified };
          let stats: Awaited<ReturnType<typeof stageFocusFile>>;
          try {
            stats = await stageFocusFile(db, file, name, url);
          } catch (e) {
            // The reader names the cached copy; the user knows the object.
            const m = describeError(e).replaceAll(basename(got.path), url);
            throw new CodedError(ErrorCode.SourceInvalid, m.startsWith(url) ? m : `${url}: ${m}`, {
              cause: e,
            });
          }
          if ('skipped' in stats) {
            result.skipped.push({ file: url, reason: stats.skipped });
            continue;
          }
          unit.files.push({ object, name, rows: stats.rows });
        }
        staged.push(unit);
      } catch (e) {
        for (const f of unit.files) await dropStage(db, f.name);
        const what = u.candidate.kind === 'file' ? '' : `period ${u.candidate.unit}: `;
        const error = `${what}${describeError(e)}; ${u.action === 'replace' ? 'its previous rows are kept' : 'not synced'}`;
        result.failed.push({ file: u.candidate.unit, error });
        o.progress?.(`sync: ${error}`);
      }
    }

    const touched = plan.units.filter((u) => u.action === 'touch');
    const [source] = await db.all<{ synced: boolean }>(
      'SELECT synced_at IS NOT NULL AS synced FROM sb_sources WHERE source_id = ?',
      [sid],
    );
    if (staged.length === 0 && plan.removed.length === 0 && result.failed.length > 0 && !source?.synced)
      throw new CodedError(
        ErrorCode.SourceInvalid,
        result.failed.length === 1
          ? result.failed[0]!.error
          : `${result.failed.length} units could not be read: ${result.failed.map((f) => f.error).join('; ')}`,
      );
    if (staged.length === 0 && plan.removed.length === 0 && touched.length === 0 && source?.synced) {
      result.ms = performance.now() - started;
      return result;
    }
    await db.transaction(async () => {
      const [{ next }] = await db.all<{ next: number }>(
        'SELECT COALESCE(max(file_id), 0) + 1 AS next FROM sb_files WHERE source_id = ?',
        [sid],
      );
      let fileId = next!;
      const drop = async (k: KnownDelivery, keep: Set<string>) => {
        for (const x of k.objects) {
          await removeFileRows(db, sid, x.fileId);
          if (!keep.has(x.key))
            await db.run('DELETE FROM sb_files WHERE source_id = ? AND path = ?', [
              sid,
              objectUrl(store.location, x.key),
            ]);
        }
      };
      for (const r of plan.removed) {
        await drop(r, new Set());
        await db.run('DELETE FROM sb_deliveries WHERE source_id = ? AND unit = ?', [sid, r.unit]);
      }
      for (const s of staged) {
        const old = known.get(s.plan.candidate.unit);
        if (old) await drop(old, new Set(s.files.map((f) => f.object.key)));
        const objects: KnownDelivery['objects'] = [];
        for (const f of s.files) {
          await land(db, { sourceId: sid, fileId, name: f.name });
          await db.run(
            'INSERT OR REPLACE INTO sb_files (source_id, file_id, path, size, mtime_ms, row_count, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [
              sid,
              fileId,
              objectUrl(store.location, f.object.key),
              f.object.size,
              +f.object.modified,
              f.rows,
              o.now.toISOString(),
            ],
          );
          objects.push({ key: f.object.key, etag: f.object.etag, size: f.object.size, fileId, rows: f.rows });
          result.rows += f.rows;
          fileId++;
        }
        await record(db, sid, s.plan, objects, o.now);
        result.landed.push(s.plan.candidate.unit);
      }
      // A manifest rewritten over the same files: the rows stand, the record follows the manifest.
      for (const t of touched) await record(db, sid, t, known.get(t.candidate.unit)!.objects, o.now);
      if (plan.removed.length > 0 || staged.some((s) => known.has(s.plan.candidate.unit)))
        await pruneLines(db, sid, next!);
      await db.run('UPDATE sb_sources SET synced_at = ?, detail = ? WHERE source_id = ?', [
        o.now.toISOString(),
        JSON.stringify({ units: plan.units.length, failed: result.failed.length }),
        sid,
      ]);
    });
  } finally {
    for (const s of staged) for (const f of s.files) await dropStage(db, f.name);
    await staging?.close();
  }
  if (o.prune !== false) await pruneCache(db, cache, plan);
  result.ms = performance.now() - started;
  return result;
}

async function record(
  db: DuckDb,
  sid: number,
  u: UnitPlan,
  objects: KnownDelivery['objects'],
  now: Date,
): Promise<void> {
  await db.run(
    'INSERT OR REPLACE INTO sb_deliveries (source_id, unit, kind, manifest, manifest_etag, refreshed_at, objects, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [
      sid,
      u.candidate.unit,
      u.candidate.kind,
      u.candidate.manifest?.key ?? null,
      u.candidate.manifest?.etag ?? null,
      u.refreshedAt.toISOString(),
      JSON.stringify(objects),
      now.toISOString(),
    ],
  );
}

/** The cache keeps what any bucket source's units are made of, and this sync's held downloads. */
async function pruneCache(db: DuckDb, cache: DownloadCache, plan: BucketPlan): Promise<void> {
  const rows = await db.all<{ spec: string; objects: string }>(
    'SELECT s.spec, d.objects FROM sb_deliveries d JOIN sb_sources s USING (source_id)',
  );
  const keep = new Set<string>();
  for (const r of rows) {
    const location: BucketLocation | null = parseBucketUrl(r.spec);
    if (!location) continue;
    for (const x of JSON.parse(r.objects) as { key: string; etag: string }[])
      keep.add(cache.pathOf(bucketUrl(location), x));
  }
  for (const u of plan.units) for (const x of u.objects) keep.add(cache.pathOf(plan.source, x));
  await cache.prune(keep);
}

/** The sync's outcome in one line for people. */
export function describeBucketSync(r: BucketSyncResult): string {
  const p = r.plan;
  const units = p.units.length;
  const unchanged = p.units.filter((u) => u.action === 'unchanged' || u.action === 'touch').length;
  const noun = p.units.some((u) => u.candidate.kind !== 'file') ? 'period' : 'file';
  const parts = [
    r.landed.length ? `${r.landed.length} ${noun}(s) landed` : '',
    unchanged ? `${unchanged} unchanged` : '',
    r.removed.length ? `${r.removed.length} removed` : '',
    r.failed.length ? `${r.failed.length} HELD (previous rows kept)` : '',
    r.skipped.length ? `${r.skipped.length} file(s) skipped` : '',
  ].filter(Boolean);
  const s = r.ms / 1000;
  return `${p.source}: ${units} ${noun}(s): ${parts.join(', ') || 'nothing to do'}; ${r.rows.toLocaleString('en-US')} rows; ${(r.downloaded / MB).toFixed(1)} MB downloaded (${r.objects - r.fromCache} object(s); ${r.fromCache} from the cache) in ${s.toFixed(1)} s${r.downloaded > 0 ? ` (${(r.downloaded / MB / Math.max(s, 0.001)).toFixed(1)} MB/s)` : ''}`;
}
