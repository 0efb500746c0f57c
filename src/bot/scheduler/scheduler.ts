/**
 * Weekly digests: one node-cron task per subscription in its time zone, and a catch-up at
 * start-up for a digest that fell due while the app was down. Every path goes through
 * `runDue`, which posts at most once per channel and period (see store.ts).
 */
import cron, { type ScheduledTask } from 'node-cron';
import { describeError } from '../../errors.js';
import { cronExpression, latestDue, periodOf, todayOf } from './schedule.js';
import type { StateStore, Subscription } from './store.js';

export interface DigestPoster {
  /** Posts the digest for a subscription; returns the platform's message id. */
  post(subscription: Subscription, today: string): Promise<string>;
}

export interface SchedulerOptions {
  store: StateStore;
  posters: Partial<Record<Subscription['platform'], DigestPoster>>;
  now?: () => Date;
  log?: (line: string) => void;
  /** Off in tests that drive `runDue` with a fake clock. */
  useCron?: boolean;
}

export class DigestScheduler {
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly now: () => Date;
  private readonly log: (line: string) => void;

  constructor(private readonly o: SchedulerOptions) {
    this.now = o.now ?? (() => new Date());
    this.log = o.log ?? (() => {});
  }

  /** Catch up on missed digests, then schedule every subscription. */
  async start(): Promise<void> {
    for (const s of await this.o.store.subscriptions()) {
      await this.runDue(s);
      this.schedule(s);
    }
  }

  stop(): void {
    for (const t of this.tasks.values()) void t.stop();
    this.tasks.clear();
  }

  async subscribe(s: Subscription): Promise<void> {
    await this.o.store.subscribe(s, this.now());
    this.schedule(s);
  }

  async unsubscribe(channel: string): Promise<boolean> {
    void this.tasks.get(channel)?.stop();
    this.tasks.delete(channel);
    return this.o.store.unsubscribe(channel);
  }

  private schedule(s: Subscription): void {
    void this.tasks.get(s.channel)?.stop();
    if (this.o.useCron === false) return;
    const task = cron.schedule(cronExpression(s), () => void this.runDue(s), {
      timezone: s.zone,
      name: `digest:${s.channel}`,
    });
    this.tasks.set(s.channel, task);
  }

  /** Posts the digest of the latest due period unless it was already posted. Returns whether it posted. */
  async runDue(s: Subscription): Promise<boolean> {
    const current = await this.o.store.subscription(s.channel);
    if (!current) return false;
    const due = latestDue(current, this.now());
    // A subscription made after this week's slot waits for the next one.
    if (current.createdAt && due.toMillis() < Date.parse(current.createdAt)) return false;
    const period = periodOf(due);
    if (!(await this.o.store.claim(current.channel, period, this.now()))) return false;
    const poster = this.o.posters[s.platform];
    if (!poster) {
      this.log(`digest ${s.channel} ${period}: no ${s.platform} connection configured`);
      return false;
    }
    try {
      const id = await poster.post(current, todayOf(due));
      await this.o.store.markPosted(s.channel, period, id, this.now());
      this.log(`digest ${s.channel} ${period}: posted`);
      return true;
    } catch (e) {
      // The run stays 'posting' and is retried at the next start-up or tick.
      this.log(`digest ${s.channel} ${period}: failed: ${describeError(e)}`);
      return false;
    }
  }

  /** Cron expressions and zones of the scheduled tasks (for start-up logs and tests). */
  scheduled(): string[] {
    return [...this.tasks.keys()];
  }
}
