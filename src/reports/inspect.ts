/**
 * `spendbrief sources`: what a source holds and what the next sync would do, without syncing.
 * A bucket: one LIST and the manifests that changed since the warehouse's copy (its periods,
 * refresh times, files, bytes, what would be downloaded). FOCUS files: each file, new, changed or
 * unchanged against the warehouse.
 */
import type { Config } from '../config.js';
import { DownloadCache } from '../integrations/buckets/cache.js';
import type { BucketLocation } from '../integrations/buckets/location.js';
import type { BucketPlan } from '../integrations/buckets/plan.js';
import type { ObjectStore } from '../integrations/buckets/store.js';
import { listFocusFiles } from '../integrations/focus/read-focus.js';
import { DuckDb } from '../integrations/warehouse/duckdb.js';
import { hasSchema, syncedSource } from '../integrations/warehouse/schema.js';
import { describeSource, type SourceSpec } from './source.js';

export interface SourceContents {
  source: string;
  lines: string[];
  json: Record<string, unknown>;
}

/** SPENDBRIEF_DB read-only, or null when it is absent or a sync holds it (then: as if empty). */
async function openKnown(config: Config): Promise<DuckDb | null> {
  if (!DuckDb.exists(config.SPENDBRIEF_DB)) return null;
  return DuckDb.open(config.SPENDBRIEF_DB, { readOnly: true }).catch(() => null);
}

export async function inspectSource(
  spec: SourceSpec,
  o: { config: Config; key: string; bucket: (l: BucketLocation) => Promise<ObjectStore>; cacheDir: string },
): Promise<SourceContents> {
  const what = describeSource(spec);
  if (spec.kind === 'bucket') {
    const { planAgainst } = await import('../integrations/buckets/sync-bucket.js');
    const { describePlan } = await import('../integrations/buckets/plan.js');
    const db = await openKnown(o.config);
    try {
      const plan = await planAgainst(db, await o.bucket(spec.location), new DownloadCache(o.cacheDir));
      return { source: what, lines: describePlan(plan), json: planJson(plan) };
    } finally {
      db?.close();
    }
  }
  if (spec.kind === 'focus') {
    const db = await openKnown(o.config);
    const scratch = db ?? (await DuckDb.open());
    try {
      const known = new Map<string, { size: number; mtime_ms: number }>();
      const source = db && (await hasSchema(db)) ? await syncedSource(db, o.key) : null;
      if (source)
        for (const k of await db!.all<{ path: string; size: number; mtime_ms: number }>(
          'SELECT path, size, mtime_ms FROM sb_files WHERE source_id = ?',
          [source.sourceId],
        ))
          known.set(k.path, k);
      const files = (await listFocusFiles(scratch, spec.path)).map((f) => {
        const k = known.get(f.path);
        const state = !k ? 'new' : k.size === f.size && k.mtime_ms === f.mtimeMs ? 'unchanged' : 'changed';
        return {
          path: f.path,
          format: f.format,
          bytes: f.size,
          modified: new Date(f.mtimeMs).toISOString(),
          state,
        };
      });
      const present = new Set(files.map((f) => f.path));
      const removed = [...known.keys()].filter((p) => !present.has(p));
      const lines = [
        `${what}: ${files.length} file(s), ${(files.reduce((n, f) => n + f.bytes, 0) / 2 ** 20).toFixed(1)} MB${source ? `; synced ${source.syncedAt}` : '; not synced yet'}`,
        ...files.map(
          (f) =>
            `  ${f.path}: ${(f.bytes / 2 ** 20).toFixed(1)} MB, modified ${f.modified.slice(0, 16).replace('T', ' ')} UTC; ${f.state}`,
        ),
        ...removed.map((p) => `  ${p}: gone; the next sync removes its rows`),
      ];
      return {
        source: what,
        lines,
        json: { source: o.key, syncedAt: source?.syncedAt ?? null, files, removed },
      };
    } finally {
      scratch.close();
    }
  }
  const line =
    spec.kind === 'demo'
      ? `${what}: generated on each sync, nothing to list`
      : `${what}: a query source with nothing to list; spendbrief doctor checks it can be reached`;
  return { source: what, lines: [line], json: { source: o.key } };
}

function planJson(p: BucketPlan): Record<string, unknown> {
  return {
    source: p.source,
    listed: p.listed,
    manifestsRead: p.manifestsRead,
    units: p.units.map((u) => ({
      unit: u.candidate.unit,
      kind: u.candidate.kind,
      manifest: u.candidate.manifest?.key ?? null,
      refreshedAt: u.refreshedAt.toISOString(),
      files: u.objects.map((x) => ({ key: x.key, bytes: x.size, etag: x.etag })),
      bytes: u.objects.reduce((n, x) => n + x.size, 0),
      next: u.action,
      download: { files: u.toDownload.length, bytes: u.toDownload.reduce((n, x) => n + x.size, 0) },
      ...(u.reason ? { reason: u.reason } : {}),
    })),
    removed: p.removed.map((r) => r.unit),
  };
}
