/**
 * Where a report's data comes from, decided once per run: the synced copy of its source in
 * SPENDBRIEF_DB, or (for one-off CLI runs) the source itself.
 *
 *   synced     the star tables in SPENDBRIEF_DB; nothing is read but the warehouse
 *   one-off    demo: generated in memory; FOCUS files: a view over them for a drivers question
 *              (`question`: two column-pruned scans of Parquet where the data lies; one scan of
 *              CSV, its likely windows' lines summed with its days, kept-lines.ts), or read once into an
 *              in-memory warehouse for every other report (`report`: one scan, however many
 *              anomalies it explains or windows it compares); Cost Explorer: synced into
 *              SPENDBRIEF_DB first (its cache is the point of the file)
 *   server     the server's open database; a question before the first sync is refused politely
 *
 * `sync` brings a source into SPENDBRIEF_DB; `spendbrief sync` and the server's schedule call it.
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { DateTime } from 'luxon';
import type { ResolvedWindows } from '../analytics/periods/types.js';
import type { DateRange } from '../analytics/types.js';
import type { Config } from '../config.js';
import { CodedError, ErrorCode } from '../errors.js';
import { DownloadCache } from '../integrations/buckets/cache.js';
import { type BucketLocation, bucketUrl } from '../integrations/buckets/location.js';
import type { ObjectStore } from '../integrations/buckets/store.js';
import { DEMO_SPEC, syncDemo } from '../integrations/demo/source.js';
import {
  describeReadError,
  focusRelation,
  INSTANCE_TYPE_LATER,
  listFocusFiles,
} from '../integrations/focus/read-focus.js';
import { sampledLatestDay } from '../integrations/focus/sample-days.js';
import { describeFocusSync, syncFocus } from '../integrations/focus/sync-focus.js';
import { DuckDb } from '../integrations/warehouse/duckdb.js';
import { DuckDbWarehouse } from '../integrations/warehouse/duckdb-warehouse.js';
import { dropStage, land, stage } from '../integrations/warehouse/ingest.js';
import { checkVersion, migrate } from '../integrations/warehouse/migrations.js';
import type { CostWarehouse } from '../integrations/warehouse/port.js';
import { ensureSchema, hasSchema, sourceId, syncedSource } from '../integrations/warehouse/schema.js';
import { hasSummaries } from '../integrations/warehouse/weeks.js';
import { describeSource, type SourceSpec } from './source.js';

export interface SourceSession {
  warehouse: CostWarehouse;
  /** What the data is, for the period line ("FOCUS export …", "demo data"). */
  label: string;
  /** Lines worth a user's attention about the data itself (a stale sync, files skipped). */
  notes: string[];
  /** What this run had Athena scan (one-off Athena runs): reported with the report. */
  scan?: AthenaScan;
  close(): Promise<void>;
}

export interface AthenaScan {
  queryId: string;
  bytesScanned: number;
  /** At SPENDBRIEF_ATHENA_PRICE_PER_TB (Athena's list price is 5 USD per TB). */
  costUsd: number;
  rows: number;
}

/** `question`: one drivers question (a view over one-off files); `report`: read once, asked many. */
export type Purpose = 'question' | 'report';

/** An observer of a warehouse's questions: the method and its arguments. */
export type QueryObserver = (method: string, args: unknown[]) => void;

export interface OpenOptions {
  today: string;
  purpose: Purpose;
  /** The days this question reads (drivers): a paid source fetches only those. */
  need?: DateRange;
  /** The windows of this question (drivers) when the data's latest day is `latest` (null: no guess). */
  windowsAt?: (latest: string) => ResolvedWindows | null;
}

/** Cost Explorer's price per GetCostAndUsage request (USD). */
const CE_REQUEST_USD = 0.01;

export interface WarehousesOptions {
  config: Config;
  /** The server's open database (serve); CLI runs open SPENDBRIEF_DB themselves. */
  shared?: DuckDb;
  /** The Cost Explorer client, built once by the composition root when first needed. */
  costExplorer: () => Promise<CostExplorerClient>;
  /** The Athena client, likewise. */
  athena: () => Promise<AthenaClient>;
  /** The store of a bucket source (S3 or Azure), built when first needed. */
  bucket: (l: BucketLocation) => Promise<ObjectStore>;
  now: () => Date;
  log: (line: string) => void;
  /** Called on every scan of a one-off source's files (tests count them: one per report). */
  onSourceRead?: (spec: SourceSpec) => void;
  /** Told of every question a session's warehouse answers, with its arguments (tests check scopes). */
  observe?: QueryObserver;
  /** The server's syncs, for the answer to a question that arrives before the first one landed. */
  syncStatus?: () => { running: boolean; startedAt: Date | null; lastError: string | null };
}

export interface SyncOutcome {
  spec: string;
  summary: string;
  /** Rows read from the source (files and Athena; the demo and Cost Explorer say 0). */
  rows?: number;
  failed: { file: string; error: string }[];
  /** An Athena sync: what it scanned. */
  athena?: AthenaScan;
  /** A bucket sync: the bytes it downloaded. */
  bytes?: number;
}

/** The warehouse key of a source: paths resolved, so a sync and a later question agree. */
export function sourceKey(spec: SourceSpec, config: Config): string {
  if (spec.kind === 'demo') return DEMO_SPEC;
  if (spec.kind === 'focus') return `focus:${resolve(spec.path)}`;
  if (spec.kind === 'athena') return `athena:${spec.database}.${spec.table}`;
  if (spec.kind === 'bucket') return bucketUrl(spec.location);
  return `ce:${JSON.stringify({ groupBy: config.SPENDBRIEF_CE_GROUP_BY, excludeServices: config.SPENDBRIEF_CE_EXCLUDE_SERVICES })}`;
}

/**
 * The days a sync of a remote source covers: `days` ending on the report's `today` (rows of that
 * day count, as they do in a FOCUS file), never after the real date (no source has later days).
 * With `need` (the days one question reads), only those of them.
 */
export function syncRange(today: string, days: number, realToday: string, need?: DateRange): DateRange {
  const end = [today, realToday].sort()[0]!;
  const start = DateTime.fromISO(end, { zone: 'utc' })
    .minus({ days: days - 1 })
    .toISODate()!;
  if (!need) return { start, end };
  return { start: [start, need.start].sort()[1]!, end: [end, need.end].sort()[0]! };
}

export class Warehouses {
  constructor(private readonly o: WarehousesOptions) {}

  private dbOptions() {
    return { memoryLimit: this.o.config.SPENDBRIEF_MEMORY_LIMIT };
  }

  /** Opens a source for one run's questions. */
  async open(spec: SourceSpec, o: OpenOptions): Promise<SourceSession> {
    if (this.o.shared) return this.openShared(spec);
    const label = describeSource(spec);
    if (spec.kind === 'demo') {
      const db = await DuckDb.open(':memory:', this.dbOptions());
      try {
        const { sourceId: sid } = await syncDemo(db, { today: o.today, now: this.o.now() });
        return await this.star(db, sid, label, [], () => db.close());
      } catch (e) {
        db.close();
        throw e;
      }
    }
    if (spec.kind === 'ce') {
      const db = await DuckDb.open(this.o.config.SPENDBRIEF_DB, this.dbOptions());
      try {
        await migrate(db, this.o.config.SPENDBRIEF_DB);
        const sync = await this.syncCostExplorer(db, o.today, o.need);
        return await this.star(db, sync.sourceId, label, [], () => db.close());
      } catch (e) {
        db.close();
        throw e;
      }
    }
    if (spec.kind === 'athena') return this.openAthena(spec, o.today);
    if (spec.kind === 'bucket') return this.openBucket(spec);
    const synced = await this.openSyncedFile(spec);
    if (synced) return synced;
    return this.openFilesOneOff(spec, o);
  }

  /** An Athena table: its synced days in SPENDBRIEF_DB, else one aggregation query into memory. */
  private async openAthena(
    spec: Extract<SourceSpec, { kind: 'athena' }>,
    today: string,
  ): Promise<SourceSession> {
    const label = describeSource(spec);
    // Busy (a sync is writing): an error, not a paid query in its place.
    const synced = await this.openSynced(sourceKey(spec, this.o.config), label, false);
    if (synced) return synced;
    const db = await DuckDb.open(':memory:', this.dbOptions());
    try {
      const scan = await this.syncAthena(db, spec, today);
      return { ...(await this.star(db, scan.sourceId, label, [], () => db.close())), scan };
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private async syncAthena(
    db: DuckDb,
    spec: Extract<SourceSpec, { kind: 'athena' }>,
    today: string,
  ): Promise<AthenaScan & { sourceId: number }> {
    const { syncAthena } = await import('../integrations/athena/source.js');
    const c = this.o.config;
    const range = await athenaRange(
      db,
      sourceKey(spec, c),
      syncRange(today, c.SPENDBRIEF_ATHENA_DAYS, this.realToday()),
      today,
    );
    const r = await syncAthena(db, {
      spec: sourceKey(spec, c),
      table: spec,
      range,
      now: this.o.now(),
      athena: {
        client: await this.o.athena(),
        workGroup: c.SPENDBRIEF_ATHENA_WORKGROUP,
        outputLocation: c.SPENDBRIEF_ATHENA_OUTPUT,
        timeoutMs: c.SPENDBRIEF_ATHENA_TIMEOUT * 1000,
      },
    });
    const costUsd = (r.bytesScanned / 1e12) * c.SPENDBRIEF_ATHENA_PRICE_PER_TB;
    this.o.log(
      `Athena: query ${r.queryId} scanned ${(r.bytesScanned / 1e9).toFixed(3)} GB (${costUsd.toFixed(4)} USD at ${c.SPENDBRIEF_ATHENA_PRICE_PER_TB} USD/TB) for ${range.start}..${range.end}; ${r.rows} aggregated rows`,
    );
    return { sourceId: r.sourceId, queryId: r.queryId, bytesScanned: r.bytesScanned, costUsd, rows: r.rows };
  }

  /** What a source holds and what its next sync would do (`spendbrief sources`). */
  async inspect(spec: SourceSpec) {
    const { inspectSource } = await import('./inspect.js');
    return inspectSource(spec, {
      config: this.o.config,
      key: sourceKey(spec, this.o.config),
      bucket: this.o.bucket,
      cacheDir: this.cacheDir(),
    });
  }

  /** Where bucket downloads are kept for SPENDBRIEF_DB. */
  private cacheDir(): string {
    return this.o.config.SPENDBRIEF_CACHE ?? `${this.o.config.SPENDBRIEF_DB}.cache`;
  }

  /**
   * An export in a bucket: its synced copy in SPENDBRIEF_DB, else synced into memory for this run
   * (downloads in SPENDBRIEF_CACHE when set, else in a temporary folder removed afterwards).
   */
  private async openBucket(spec: Extract<SourceSpec, { kind: 'bucket' }>): Promise<SourceSession> {
    const label = describeSource(spec);
    // Busy (a sync is writing): an error, not the whole export downloaded again in its place.
    const synced = await this.openSynced(sourceKey(spec, this.o.config), label, false);
    if (synced) return synced;
    const shared = this.o.config.SPENDBRIEF_CACHE;
    const dir = shared ?? (await mkdtemp(join(tmpdir(), 'spendbrief-cache-')));
    const cleanup = () => (shared ? undefined : rmSync(dir, { recursive: true, force: true }));
    const db = await DuckDb.open(':memory:', this.dbOptions());
    try {
      const { syncBucket, describeBucketSync } = await import('../integrations/buckets/sync-bucket.js');
      this.o.onSourceRead?.(spec);
      const r = await syncBucket(db, {
        store: await this.o.bucket(spec.location),
        cache: new DownloadCache(dir),
        now: this.o.now(),
        progress: (line) => this.o.log(line),
        prune: false,
      });
      this.o.log(describeBucketSync(r));
      const notes = r.failed.map((f) => f.error);
      return await this.star(db, r.sourceId, label, notes, () => {
        db.close();
        cleanup();
      });
    } catch (e) {
      db.close();
      cleanup();
      throw e;
    }
  }

  /** A FOCUS source synced into an existing SPENDBRIEF_DB, or null (not synced, or the file is busy). */
  private openSyncedFile(spec: Extract<SourceSpec, { kind: 'focus' }>): Promise<SourceSession | null> {
    return this.openSynced(
      sourceKey(spec, this.o.config),
      describeSource(spec),
      true,
      async (db, sid, at) => {
        const notes = await this.staleness(db, sid, spec.path, at);
        for (const n of notes) this.o.log(`note: ${n}`);
        return notes;
      },
    );
  }

  /**
   * A source synced into SPENDBRIEF_DB, read-only; null when the file or the source is not there,
   * or (with `busyIsNull`) when a sync holds the file. The handle is closed on every other way out.
   */
  private async openSynced(
    key: string,
    label: string,
    busyIsNull: boolean,
    notesFor: (db: DuckDb, sid: number, syncedAt: string | null) => Promise<string[]> = async () => [],
  ): Promise<SourceSession | null> {
    const path = this.o.config.SPENDBRIEF_DB;
    if (!DuckDb.exists(path)) return null;
    let db: DuckDb;
    try {
      db = await DuckDb.open(path, { ...this.dbOptions(), readOnly: true });
    } catch (e) {
      if (busyIsNull && (e as CodedError).code === ErrorCode.Busy) {
        this.o.log(`note: ${(e as Error).message.split(';')[0]}; reading the files directly`);
        return null;
      }
      throw e;
    }
    try {
      await checkVersion(db, path);
      const source = (await hasSchema(db)) ? await syncedSource(db, key) : null;
      if (!source) {
        db.close();
        return null;
      }
      const notes = await notesFor(db, source.sourceId, source.syncedAt);
      return await this.star(db, source.sourceId, `${label} (synced ${source.syncedAt ?? ''})`, notes, () =>
        db.close(),
      );
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Files added, changed or removed since the last sync (the warehouse answers from the older copy). */
  private async staleness(db: DuckDb, sid: number, path: string, syncedAt: string | null): Promise<string[]> {
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
  private async openFilesOneOff(
    spec: Extract<SourceSpec, { kind: 'focus' }>,
    { purpose, today, windowsAt }: OpenOptions,
  ): Promise<SourceSession> {
    const db = await DuckDb.open(':memory:', this.dbOptions());
    try {
      const files = await listFocusFiles(db, spec.path);
      const rel = await focusRelation(db, files, spec.path);
      const notes = rel.skipped.map((s) => `${basename(s.file)}: ${s.reason}`);
      for (const n of notes) this.o.log(`note: ${n}`);
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
          warehouse: this.observed(
            readErrorsExplained(warehouse, db, rel.files, () => this.o.onSourceRead?.(spec)),
          ),
          label,
          notes,
          close: () => warehouse.close(),
        };
      }
      await ensureSchema(db);
      const sid = await sourceId(db, sourceKey(spec, this.o.config));
      try {
        this.o.onSourceRead?.(spec);
        await stage(db, rel.stagingSql, 'oneoff', {
          scans: rel.files.every((f) => f.format === 'parquet') ? 2 : 1,
          instanceType: INSTANCE_TYPE_LATER,
        });
      } catch (e) {
        throw await describeReadError(db, e, rel.files);
      }
      await db.transaction(() => land(db, { sourceId: sid, fileId: 1, name: 'oneoff' }));
      await dropStage(db, 'oneoff');
      return await this.star(db, sid, label, notes, () => db.close());
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private async openShared(spec: SourceSpec): Promise<SourceSession> {
    const db = await this.o.shared!.fork();
    try {
      const source = (await hasSchema(db)) ? await syncedSource(db, sourceKey(spec, this.o.config)) : null;
      if (!source) {
        const status = this.o.syncStatus?.();
        if (status && !status.running && status.lastError)
          throw new CodedError(
            ErrorCode.Busy,
            `there is no data yet: the last sync of ${describeSource(spec)} failed (${status.lastError}); the server log has the details`,
          );
        const since = status?.startedAt
          ? ` (started ${status.startedAt.toISOString().slice(11, 16)} UTC)`
          : '';
        throw new CodedError(
          ErrorCode.Busy,
          `the first sync of ${describeSource(spec)} is still running${since}; ask again in a minute`,
        );
      }
      return await this.star(db, source.sourceId, describeSource(spec), [], () => db.close());
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private async star(
    db: DuckDb,
    sid: number,
    label: string,
    notes: string[],
    close: () => void,
  ): Promise<SourceSession> {
    const layout = { kind: 'star', sourceId: sid, summaries: await hasSummaries(db) } as const;
    const warehouse = this.observed(new DuckDbWarehouse(db, layout, async () => close()));
    return { warehouse, label, notes, close: () => warehouse.close() };
  }

  private observed(w: CostWarehouse): CostWarehouse {
    const observe = this.o.observe;
    if (!observe) return w;
    return new Proxy(w, {
      get(target, name, receiver) {
        const v = Reflect.get(target, name, receiver);
        if (typeof v !== 'function' || name === 'close') return typeof v === 'function' ? v.bind(target) : v;
        return (...args: unknown[]) => {
          observe(String(name), args);
          return v.apply(target, args);
        };
      },
    });
  }

  private realToday(): string {
    return this.o.now().toISOString().slice(0, 10);
  }

  private async syncCostExplorer(db: DuckDb, today: string, need?: DateRange) {
    // The AWS SDK loads only for runs that call AWS (a third of a second of start-up otherwise).
    const { CostExplorerSource } = await import('../integrations/aws-cost-explorer/source.js');
    const ce = new CostExplorerSource({
      client: await this.o.costExplorer(),
      db,
      groupBy: this.o.config.SPENDBRIEF_CE_GROUP_BY,
      excludeServices: this.o.config.SPENDBRIEF_CE_EXCLUDE_SERVICES,
      now: this.o.now,
    });
    const range = syncRange(today, this.o.config.SPENDBRIEF_CE_DAYS, this.realToday(), need);
    const r = await ce.sync(range, today, (p) => {
      // Cost Explorer bills every request: what this one will cost is said before it runs.
      if (p.days > 0)
        this.o.log(
          `Cost Explorer: ${p.days} day(s) of ${range.start}..${range.end} to fetch (${p.cached} cached); ${p.estimated ? 'about' : 'at least'} ${p.requests} request(s) at ${CE_REQUEST_USD} USD each (~${(p.requests * CE_REQUEST_USD).toFixed(2)} USD)${need ? '' : ' (SPENDBRIEF_CE_DAYS sets how far back a sync reaches)'}`,
        );
    });
    this.o.log(
      `Cost Explorer: ${r.requests} request(s), ${r.fetchedDays} day(s) fetched for ${range.start}..${range.end}; the rest from ${db.path}`,
    );
    return r;
  }

  /** Brings a source into SPENDBRIEF_DB (the server's database when it has one). */
  async sync(
    spec: SourceSpec,
    o: { today: string; progress?: (line: string) => void },
  ): Promise<SyncOutcome> {
    const own = !this.o.shared;
    const db = own
      ? await DuckDb.open(this.o.config.SPENDBRIEF_DB, this.dbOptions())
      : await this.o.shared!.fork();
    try {
      if (own) await migrate(db, this.o.config.SPENDBRIEF_DB);
      const key = sourceKey(spec, this.o.config);
      if (spec.kind === 'demo') {
        const r = await syncDemo(db, { today: o.today, now: this.o.now() });
        return {
          spec: key,
          summary: r.changed ? 'demo data generated' : 'nothing to do: demo data is current',
          failed: [],
        };
      }
      if (spec.kind === 'ce') {
        const r = await this.syncCostExplorer(db, o.today);
        return {
          spec: key,
          summary: `Cost Explorer: ${r.fetchedDays} day(s) fetched with ${r.requests} request(s)`,
          failed: [],
        };
      }
      if (spec.kind === 'athena') {
        const r = await this.syncAthena(db, spec, o.today);
        return {
          spec: key,
          summary: `Athena: ${r.rows} aggregated rows; ${(r.bytesScanned / 1e9).toFixed(3)} GB scanned (${r.costUsd.toFixed(4)} USD)`,
          failed: [],
          athena: r,
          rows: r.rows,
        };
      }
      if (spec.kind === 'bucket') {
        const { syncBucket, describeBucketSync } = await import('../integrations/buckets/sync-bucket.js');
        const r = await syncBucket(db, {
          store: await this.o.bucket(spec.location),
          cache: new DownloadCache(this.cacheDir()),
          now: this.o.now(),
          progress: o.progress,
        });
        return {
          spec: key,
          summary: describeBucketSync(r),
          failed: r.failed,
          rows: r.rows,
          bytes: r.downloaded,
        };
      }
      const r = await syncFocus(db, {
        spec: key,
        pathOrGlob: spec.path,
        now: this.o.now(),
        progress: o.progress,
      });
      return { spec: key, summary: describeFocusSync(r), failed: r.failed, rows: r.rows };
    } finally {
      db.close();
    }
  }
}

/**
 * What an Athena sync asks for. The first time, the whole configured range; after that only the
 * billing periods the export may still restate (the previous month and this one), reaching back
 * to the last sync's end if that is older: every Athena query is billed by the months it scans,
 * and the server syncs hourly. A range wider than the last one (a larger SPENDBRIEF_ATHENA_DAYS)
 * is asked whole.
 */
async function athenaRange(db: DuckDb, key: string, full: DateRange, today: string): Promise<DateRange> {
  const last = (await hasSchema(db)) ? await syncedSource(db, key) : null;
  const lastRange = last?.detail ? (JSON.parse(last.detail) as { range?: DateRange }).range : undefined;
  if (!lastRange || lastRange.start > full.start) return full;
  const previousMonth = DateTime.fromISO(today, { zone: 'utc' })
    .minus({ months: 1 })
    .startOf('month')
    .toISODate()!;
  const from = [previousMonth, lastRange.end].sort()[0]!;
  return { start: [full.start, from].sort()[1]!, end: full.end };
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
