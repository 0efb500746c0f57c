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
 * One-off FOCUS files: session-files.ts; the billed sources (Cost Explorer, Athena): session-billed.ts;
 * what a session is asked and gives: session-options.ts.
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodedError, ErrorCode } from '../errors.js';
import { DownloadCache } from '../integrations/buckets/cache.js';
import { syncDemo } from '../integrations/demo/source.js';
import { describeFocusSync, syncFocus } from '../integrations/focus/sync-focus.js';
import { DuckDb } from '../integrations/warehouse/duckdb.js';
import { DuckDbWarehouse } from '../integrations/warehouse/duckdb-warehouse.js';
import { checkVersion, migrate } from '../integrations/warehouse/migrations.js';
import type { CostWarehouse } from '../integrations/warehouse/port.js';
import { hasSchema, syncedSource } from '../integrations/warehouse/schema.js';
import { hasSummaries } from '../integrations/warehouse/weeks.js';
import { syncAthenaTable, syncCostExplorer } from './session-billed.js';
import { openFilesOneOff, staleness } from './session-files.js';
import {
  type OpenOptions,
  type SourceSession,
  type SyncOutcome,
  sourceKey,
  type WarehousesOptions,
} from './session-options.js';
import { describeSource, type SourceSpec } from './source.js';

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
        const sync = await syncCostExplorer(this.o, db, o.today, o.need);
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
    return openFilesOneOff(
      {
        o: this.o,
        dbOptions: this.dbOptions(),
        observed: (w) => this.observed(w),
        star: (...a) => this.star(...a),
      },
      spec,
      o,
    );
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
      const scan = await syncAthenaTable(this.o, db, spec, today);
      return { ...(await this.star(db, scan.sourceId, label, [], () => db.close())), scan };
    } catch (e) {
      db.close();
      throw e;
    }
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
        const notes = await staleness(db, sid, spec.path, at);
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
        const r = await syncCostExplorer(this.o, db, o.today);
        return {
          spec: key,
          summary: `Cost Explorer: ${r.fetchedDays} day(s) fetched with ${r.requests} request(s)`,
          failed: [],
        };
      }
      if (spec.kind === 'athena') {
        const r = await syncAthenaTable(this.o, db, spec, o.today);
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
