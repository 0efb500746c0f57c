/**
 * The server's syncs of its source: at start-up, on SPENDBRIEF_SYNC_CRON, and just before a
 * digest. One at a time (a second request joins the one under way); the status answers a question
 * that arrives before the first sync landed.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { describeError } from '../errors.js';
import type { SyncOutcome } from '../reports/session.js';
import { describeSource, type SourceSpec } from '../reports/source.js';

export interface SyncStatus {
  running: boolean;
  startedAt: Date | null;
  lastError: string | null;
}

export class Syncs {
  readonly status: SyncStatus = { running: false, startedAt: null, lastError: null };
  private current: Promise<void> | null = null;
  private task: ScheduledTask | null = null;
  /** When the last successful sync finished. */
  private landedAt: number | null = null;

  constructor(
    private readonly o: {
      source: SourceSpec;
      sync: (o: { today: string; progress: (line: string) => void }) => Promise<SyncOutcome>;
      now: () => Date;
      log: (line: string) => void;
      /** After a sync that succeeded (the alerts): awaited before the sync counts as done. */
      after?: () => Promise<void>;
    },
  ) {}

  /** Runs a sync now, or joins the one under way. Never rejects: failures are logged and kept. */
  now(): Promise<void> {
    if (!this.current) {
      Object.assign(this.status, { running: true, startedAt: this.o.now() });
      const what = describeSource(this.o.source);
      this.current = this.o
        .sync({ today: this.o.now().toISOString().slice(0, 10), progress: this.o.log })
        .then(async (r) => {
          this.status.lastError = null;
          this.landedAt = this.o.now().getTime();
          this.o.log(`sync: ${what}: ${r.summary}`);
          try {
            await this.o.after?.();
          } catch (e) {
            this.o.log(`sync: after ${what}: ${describeError(e)}`);
          }
        })
        .catch((e: unknown) => {
          this.status.lastError = describeError(e);
          this.o.log(`sync: ${what} failed: ${describeError(e)}`);
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

  schedule(expression: string): void {
    this.task = cron.schedule(expression, () => void this.now(), { name: 'sync' });
  }

  /** Stops the schedule and waits for a sync under way (up to `ms`). */
  async stop(ms: number): Promise<void> {
    void this.task?.stop();
    if (this.current) await Promise.race([this.current, new Promise((r) => setTimeout(r, ms).unref())]);
  }
}
