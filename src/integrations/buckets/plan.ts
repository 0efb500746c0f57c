/**
 * What a bucket sync would do, from one LIST and the manifests that changed: per unit (billing
 * period or plain file) whether it is unchanged, new, replaced, or held (a refresh being written,
 * a manifest that names a missing or truncated file), what it would download, and which units the
 * warehouse holds that the bucket no longer has. `spendbrief sources` prints it; the sync runs it.
 */
import { describeError } from '../../errors.js';
import type { DownloadCache } from './cache.js';
import { type Candidate, findCandidates, manifestObjects } from './exports.js';
import { bucketUrl, objectUrl } from './location.js';
import type { ObjectStore, StoredObject } from './store.js';

/** A unit as the warehouse holds it (sb_deliveries). */
export interface KnownDelivery {
  unit: string;
  kind: string;
  manifest: string | null;
  manifestEtag: string | null;
  refreshedAt: string;
  objects: { key: string; etag: string; size: number; fileId: number; rows: number }[];
}

export type UnitAction = 'unchanged' | 'new' | 'replace' | 'touch' | 'hold';

export interface UnitPlan {
  candidate: Candidate;
  action: UnitAction;
  /** The unit's files in its latest refresh (a held unit: as far as they could be read). */
  objects: StoredObject[];
  /** Those of them not yet in the cache. */
  toDownload: StoredObject[];
  refreshedAt: Date;
  /** Why a unit is held (its previous rows are kept). */
  reason?: string;
}

export interface BucketPlan {
  source: string;
  listed: number;
  manifestsRead: number;
  units: UnitPlan[];
  /** Units the warehouse holds that the bucket no longer has: their rows go. */
  removed: KnownDelivery[];
}

const sameObjects = (a: { key: string; etag: string }[], b: { key: string; etag: string }[]) =>
  a.length === b.length && a.every((o) => b.some((p) => p.key === o.key && p.etag === o.etag));

export async function planBucketSync(
  store: ObjectStore,
  cache: DownloadCache,
  known: Map<string, KnownDelivery>,
): Promise<BucketPlan> {
  const listing = await store.list();
  const byKey = new Map(listing.map((o) => [o.key, o]));
  const candidates = findCandidates(listing);
  const plan: BucketPlan = {
    source: bucketUrl(store.location),
    listed: listing.length,
    manifestsRead: 0,
    units: [],
    removed: [],
  };
  for (const c of candidates) {
    const k = known.get(c.unit);
    const unit = await planUnit(store, c, k, byKey, plan);
    unit.toDownload = [];
    if (unit.action === 'new' || unit.action === 'replace')
      for (const o of unit.objects) if (!(await cache.cached(store, o))) unit.toDownload.push(o);
    plan.units.push(unit);
  }
  const present = new Set(candidates.map((c) => c.unit));
  plan.removed = [...known.values()].filter((k) => !present.has(k.unit));
  return plan;
}

async function planUnit(
  store: ObjectStore,
  c: Candidate,
  k: KnownDelivery | undefined,
  listing: Map<string, StoredObject>,
  plan: BucketPlan,
): Promise<UnitPlan> {
  const base = { candidate: c, toDownload: [] as StoredObject[] };
  if (c.kind === 'file') {
    const o = c.objects![0]!;
    const same = k && k.objects.length === 1 && k.objects[0]!.etag === o.etag;
    return {
      ...base,
      action: same ? 'unchanged' : k ? 'replace' : 'new',
      objects: [o],
      refreshedAt: o.modified,
    };
  }
  const m = c.manifest!;
  if (k && k.manifest === m.key && k.manifestEtag === m.etag) {
    const current = k.objects.map((o) => listing.get(o.key));
    if (current.every((o, i) => o && o.etag === k.objects[i]!.etag))
      return { ...base, action: 'unchanged', objects: current as StoredObject[], refreshedAt: m.modified };
    return {
      ...base,
      action: 'hold',
      objects: [],
      refreshedAt: m.modified,
      reason: `period ${c.unit}: its files changed after its manifest ${objectUrl(store.location, m.key)} (a refresh is being written); the previous rows stay until its manifest is rewritten`,
    };
  }
  let objects: StoredObject[];
  try {
    plan.manifestsRead++;
    objects = manifestObjects(store.location, c, await store.text(m.key, m.etag), listing);
  } catch (e) {
    return {
      ...base,
      action: 'hold',
      objects: [],
      refreshedAt: m.modified,
      reason: `period ${c.unit}: ${describeError(e)}; its previous rows are kept`,
    };
  }
  if (k && sameObjects(objects, k.objects))
    return { ...base, action: 'touch', objects, refreshedAt: m.modified };
  return { ...base, action: k ? 'replace' : 'new', objects, refreshedAt: m.modified };
}

/** The plan as lines for people (`spendbrief sources`). */
export function describePlan(p: BucketPlan): string[] {
  const MB = 1024 * 1024;
  const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
  const lines = [
    `${p.source}: ${p.listed} object${p.listed === 1 ? '' : 's'} listed, ${p.manifestsRead} manifest(s) read`,
  ];
  for (const u of p.units) {
    const bytes = u.objects.reduce((n, o) => n + o.size, 0);
    const down = u.toDownload.reduce((n, o) => n + o.size, 0);
    const what =
      u.candidate.kind === 'file'
        ? u.candidate.unit
        : `period ${u.candidate.unit} (${u.candidate.kind === 'aws' ? 'AWS' : 'Azure'} manifest)`;
    const next =
      u.action === 'unchanged'
        ? 'unchanged'
        : u.action === 'touch'
          ? 'manifest rewritten, same files: nothing to download'
          : u.action === 'hold'
            ? `held: ${u.reason}`
            : `${u.action === 'new' ? 'new' : 'changed'}: the next sync downloads ${u.toDownload.length} file(s), ${mb(down)}`;
    lines.push(
      `  ${what}: refreshed ${u.refreshedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${u.objects.length} file(s), ${mb(bytes)}; ${next}`,
    );
  }
  for (const r of p.removed)
    lines.push(`  ${r.unit}: no longer in the bucket; the next sync removes its rows`);
  if (p.units.length === 0) lines.push('  no FOCUS export found (no manifest, no CSV or Parquet object)');
  return lines;
}
