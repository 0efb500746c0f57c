/**
 * Weekly digests, exactly once per channel and week, by design rather than by timing:
 *
 *   every minute (and at start-up) each subscription's latest due slot is computed from the stored
 *   subscription with luxon in its own zone (DST-correct: a slot in a spring-forward gap moves to
 *   the first valid minute). A slot whose run is not `posted` is owed:
 *     - no run, or a `failed` run whose retry time has come: claim, post, mark posted
 *     - a `posting` run of another boot (a crash cut it short): ask the platform whether the digest
 *       went out (Slack: the message's metadata in the channel's history); mark it posted if so,
 *       post it otherwise
 *     - a run this process is posting right now: nothing (the in-flight set is the lock)
 *   A missed tick, a stall across the due minute or a restart is caught up at the next tick. A
 *   failure (`ok: false`, retries run out) is logged with the platform's error code and retried with
 *   back-off (1, 2, 4 … 60 minutes) within the same week.
 */
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { describeError } from '../../errors.js';
import type { Log } from '../../log.js';
import { latestDue, periodOf, todayOf } from './schedule.js';
import type { StateStore, Subscription } from './store.js';

export interface DigestPoster {
  /** Posts the digest of a period; returns the platform's message id. */
  post(subscription: Subscription, today: string, period: string): Promise<string>;
  /** The message id of this period's digest if it was posted at or after `since` (crash recovery); null if not. */
  find?(subscription: Subscription, period: string, since: Date): Promise<string | null>;
}

export interface SchedulerOptions {
  store: StateStore;
  posters: Partial<Record<Subscription['platform'], DigestPoster>>;
  now?: () => Date;
  log?: Log;
  /** Off in tests that drive `tick` with a fake clock. */
  useTimer?: boolean;
  /** Milliseconds between ticks (default: at every whole minute of the clock). */
  intervalMs?: number;
  /** Told of each digest posted (how late after its minute) or failed. */
  observe?: {
    posted(platform: Subscription['platform'], lateSeconds: number): void;
    failed(platform: Subscription['platform']): void;
  };
}

/** The platform's own error code where there is one (Slack's `data.error`, an HTTP status). */
export function platformError(e: unknown): string {
  const data = (e as { data?: { error?: string } })?.data;
  if (data?.error) return `Slack said ${data.error}`;
  const status =
    (e as { statusCode?: number; status?: number })?.statusCode ?? (e as { status?: number })?.status;
  return status ? `HTTP ${status}: ${describeError(e)}` : describeError(e);
}

const DIGESTS_AT_ONCE = 2;

const backoffMinutes = (attempts: number) => Math.min(60, 2 ** Math.max(0, attempts - 1));

export class DigestScheduler {
  /** This process's id in the runs it claims (a run of another boot was cut short). */
  readonly boot = randomUUID();
  private readonly now: () => Date;
  private readonly log: Log;
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly o: SchedulerOptions) {
    this.now = o.now ?? (() => new Date());
    this.log = o.log ?? (() => {});
  }

  /**
   * Catches up at once, then at every whole minute of the clock (a digest due at 09:00 is looked
   * for at 09:00:00, not up to a minute later as a timer started at boot would).
   */
  async start(): Promise<void> {
    // A server closed before its first sync ended never starts (its database is about to close).
    if (this.stopped) return;
    await this.tick();
    if (this.stopped || this.o.useTimer === false) return;
    if (this.o.intervalMs) {
      this.timer = setInterval(() => void this.tick(), this.o.intervalMs);
      return;
    }
    const next = () => {
      if (this.stopped) return;
      // The injected clock decides what a minute is (a shifted clock in tests, the real one here).
      const ms = 60_000 - (this.now().getTime() % 60_000);
      this.timer = setTimeout(() => {
        void this.tick();
        next();
      }, ms + 5);
    };
    next();
  }

  /** Stops taking new work; `drain` waits for what is in flight. */
  stop(): void {
    this.stopped = true;
    if (this.timer) {
      clearInterval(this.timer);
      clearTimeout(this.timer);
    }
    this.timer = null;
  }

  /** Resolves when every digest in flight is posted and recorded (or `ms` have passed). */
  async drain(ms = 20_000): Promise<boolean> {
    const all = Promise.allSettled([this.ticking, ...this.inFlight.values()]).then(() => true);
    return Promise.race([all, new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  }

  async subscribe(s: Subscription): Promise<void> {
    await this.o.store.subscribe(s, this.now());
  }

  async unsubscribe(channel: string): Promise<boolean> {
    return this.o.store.unsubscribe(channel);
  }

  /** One pass over every subscription: posts what is due and not yet posted. */
  tick(): Promise<void> {
    if (this.stopped) return this.ticking ?? Promise.resolve();
    this.ticking ??= (async () => {
      try {
        // Two channels' digests at once: the report assistant computes two reports at a time,
        // so one at a time left a core idle (200 digests at one minute: 186 s one by one).
        const limit = pLimit(DIGESTS_AT_ONCE);
        await Promise.all(
          (await this.o.store.subscriptions()).map((s) =>
            limit(async () => {
              if (!this.stopped) await this.runDue(s);
            }),
          ),
        );
      } catch (e) {
        this.log(`digests: tick failed: ${describeError(e)}`);
      } finally {
        this.ticking = null;
      }
    })();
    return this.ticking;
  }

  /** Posts the latest due digest of one subscription unless it is posted or being posted. */
  async runDue(s: Subscription): Promise<boolean> {
    if (this.inFlight.has(s.channel)) return false;
    const job = this.owed(s);
    this.inFlight.set(s.channel, job);
    try {
      return await job;
    } finally {
      this.inFlight.delete(s.channel);
    }
  }

  private async owed(s: Subscription): Promise<boolean> {
    const current = await this.o.store.subscription(s.channel);
    if (!current) return false;
    const now = this.now();
    const due = latestDue(current, now);
    // A subscription made after this week's slot waits for the next one.
    if (current.createdAt && due.toMillis() < Date.parse(current.createdAt)) return false;
    const period = periodOf(due);
    const run = await this.o.store.run(current.channel, period);
    if (run?.status === 'posted') return false;
    if (run?.status === 'failed' && run.nextAttemptAt && Date.parse(run.nextAttemptAt) > now.getTime())
      return false;
    const poster = this.o.posters[current.platform];
    if (!poster) {
      this.log(`digest ${current.channel} ${period}: no ${current.platform} connection configured`);
      return false;
    }
    const where = `digest ${current.channel} ${period}`;
    if (run?.status === 'posting' && run.owner !== this.boot && poster.find) {
      // A previous process was posting this one when it stopped: did it go out?
      try {
        const found = await poster.find(current, period, new Date(Date.parse(run.claimedAt ?? '') - 60_000));
        if (found) {
          await this.o.store.markPosted(current.channel, period, found, this.now());
          this.log(`${where}: had been posted before the restart (${found}); not posted again`);
          return false;
        }
      } catch (e) {
        this.log(
          `${where}: could not check whether it went out before the restart (${platformError(e)}); posting it`,
        );
      }
    }
    await this.o.store.claim(current.channel, period, this.boot, now);
    try {
      const id = await poster.post(current, todayOf(due), period);
      await this.o.store.markPosted(current.channel, period, id, this.now());
      const late = Math.max(0, (this.now().getTime() - due.toMillis()) / 1000);
      this.o.observe?.posted(current.platform, late);
      this.log(`${where}: posted`, {
        channel: current.channel,
        period,
        platform: current.platform,
        lateSeconds: Math.round(late),
      });
      return true;
    } catch (e) {
      const attempts = (run?.attempts ?? 0) + 1;
      const retryAt = new Date(this.now().getTime() + backoffMinutes(attempts) * 60_000);
      await this.o.store.markFailed(current.channel, period, platformError(e), retryAt).catch(() => {});
      this.o.observe?.failed(current.platform);
      this.log(
        `${where}: failed (attempt ${attempts}): ${platformError(e)}; next try ${retryAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        { level: 'warn', channel: current.channel, period, platform: current.platform, attempt: attempts },
      );
      return false;
    }
  }
}
