/**
 * The server's syncs of its source: at start-up, on SPENDBRIEF_SYNC_CRON, and just before a
 * digest. One at a time (a second request joins the one under way); the status answers a question
 * that arrives before the first sync landed.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { describeError } from '../errors.js';
import type { Log } from '../log.js';
import type { SyncOutcome } from '../reports/session-options.js';
import { describeSource, type SourceSpec } from '../reports/source.js';

export interface SyncStatus {
  running: boolean;
  startedAt: Date | null;
  lastError: string | null;
  /** When the first sync of this process landed (null: not yet; the server is not ready). */
  firstLandedAt: Date | null;
  /** The last progress line of the sync under way (files, MB). */
  progress: string | null;
}

export class Syncs {
  readonly status: SyncStatus = {
    running: false,
    startedAt: null,
    lastError: null,
    firstLandedAt: null,
    progress: null,
  };
  private current: Promise<void> | null = null;
  private task: ScheduledTask | null = null;
  /** When the last successful sync finished. */
  private landedAt: number | null = null;
  private firstLanded!: () => void;
  /** Resolves when the first sync of this process lands. */
  readonly landed = new Promise<void>((resolve) => {
    this.firstLanded = resolve;
  });

  constructor(
    private readonly o: {
      source: SourceSpec;
      sync: (o: { today: string; progress: (line: string) => void }) => Promise<SyncOutcome>;
      now: () => Date;
      log: Log;
      /** After a sync that succeeded (the alerts): awaited before the sync counts as done. */
      after?: () => Promise<void>;
      /** Told of every sync that ended: its outcome, how long it took and the rows it read. */
      observe?: (o: { outcome: 'ok' | 'failed'; seconds: number; rows?: number }) => void;
    },
  ) {}

  /** Runs a sync now, or joins the one under way. Never rejects: failures are logged and kept. */
  now(): Promise<void> {
    if (!this.current) {
      Object.assign(this.status, { running: true, startedAt: this.o.now() });
      const what = describeSource(this.o.source);
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      this.current = this.o
        .sync({
          today: this.o.now().toISOString().slice(0, 10),
          progress: (line) => {
            this.status.progress = line;
            this.o.log(line, { source: what });
          },
        })
        .then(async (r) => {
          this.status.lastError = null;
          this.landedAt = this.o.now().getTime();
          if (this.status.firstLandedAt === null) {
            this.status.firstLandedAt = this.o.now();
            this.firstLanded();
          }
          this.o.observe?.({ outcome: 'ok', seconds: seconds(), rows: r.rows });
          this.o.log(`sync: ${what}: ${r.summary}`, {
            source: what,
            outcome: 'ok',
            durationMs: Math.round(seconds() * 1000),
            rows: r.rows,
            failedFiles: r.failed.length,
          });
          try {
            await this.o.after?.();
          } catch (e) {
            this.o.log(`sync: after ${what}: ${describeError(e)}`);
          }
        })
        .catch((e: unknown) => {
          this.status.lastError = describeError(e);
          this.o.observe?.({ outcome: 'failed', seconds: seconds() });
          this.o.log(`sync: ${what} failed: ${describeError(e)}`, {
            level: 'error',
            source: what,
            outcome: 'failed',
            durationMs: Math.round(seconds() * 1000),
          });
        })
        .finally(() => {
          this.status.running = false;
          this.current = null;
        });
    }
    return this.current;
  }

  /**
   * A sync unless one landed within `ms` (joins one under way): digests due in the same minute
   * share one sync instead of each running its own (on Athena, each a billed scan).
   */
  fresh(ms: number): Promise<void> {
    if (!this.current && this.landedAt !== null && this.o.now().getTime() - this.landedAt < ms)
      return Promise.resolve();
    return this.now();
  }

  /**
   * Waits up to `ms` for the first sync to land: true when it has; false at once when no sync is
   * under way (the last one failed), or when `ms` pass first.
   */
  async waitLanded(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.status.firstLandedAt) {
      const left = deadline - Date.now();
      if (!this.current || left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.current, new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
    }
    return true;
  }

  schedule(expression: string): void {
    this.task = cron.schedule(expression, () => void this.now(), { name: 'sync' });
  }

  /** Stops the schedule and waits for a sync under way (up to `ms`). */
  async stop(ms: number): Promise<void> {
    void this.task?.stop();
    if (this.current) await Promise.race([this.current, new Promise((r) => setTimeout(r, ms).unref())]);
  }
}
