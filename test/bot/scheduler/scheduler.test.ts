/** Exactly one digest per channel and period, across restarts and crashes, on a fake clock. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cronExpression, latestDue, periodOf } from '../../../src/bot/scheduler/schedule.js';
import { DigestScheduler } from '../../../src/bot/scheduler/scheduler.js';
import { StateStore, type Subscription } from '../../../src/bot/scheduler/store.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';

const sub: Subscription = {
  channel: 'C1',
  platform: 'slack',
  weekday: 'mon',
  time: '09:00',
  zone: 'Europe/Berlin',
  reference: null,
};

/** One "process": its own database handle on the shared file, its own scheduler. */
async function boot(file: string, clock: { now: Date }, posts: string[], fail = false) {
  const db = await DuckDb.open(file);
  const store = new StateStore(db);
  await store.init();
  const scheduler = new DigestScheduler({
    store,
    now: () => clock.now,
    useCron: false,
    posters: {
      slack: {
        async post(s, today) {
          if (fail) throw new Error('crash before the platform answered');
          posts.push(`${s.channel} ${today}`);
          return `ts-${posts.length}`;
        },
      },
    },
  });
  return { db, store, scheduler };
}

describe('schedule', () => {
  it('cron in the subscription zone, latest due occurrence and ISO-week period', () => {
    expect(cronExpression(sub)).toBe('0 9 * * 1');
    const due = latestDue(sub, new Date('2026-11-24T12:00:00Z'));
    expect(due.toISO()).toBe('2026-11-23T09:00:00.000+01:00');
    expect(periodOf(due)).toBe('2026-W48');
    expect(latestDue(sub, new Date('2026-11-23T07:59:00Z')).toISODate()).toBe('2026-11-16');
  });
});

describe('DigestScheduler', () => {
  it('posts once per period, across a restart, and again the next week', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'spendbrief-state-')), 'state.duckdb');
    const clock = { now: new Date('2026-11-20T10:00:00Z') };
    const posts: string[] = [];
    let p = await boot(file, clock, posts);
    await p.scheduler.subscribe(sub);
    expect(await p.scheduler.runDue(sub)).toBe(false); // made after last Monday's slot: nothing owed
    clock.now = new Date('2026-11-23T08:00:00Z'); // Monday 09:00 Berlin
    expect(await p.scheduler.runDue(sub)).toBe(true);
    expect(await p.scheduler.runDue(sub)).toBe(false);
    p.db.close();

    clock.now = new Date('2026-11-23T08:30:00Z');
    p = await boot(file, clock, posts);
    await p.scheduler.start(); // restart: catch-up finds the period posted
    expect(posts).toEqual(['C1 2026-11-23']);
    clock.now = new Date('2026-11-30T08:00:01Z');
    expect(await p.scheduler.runDue(sub)).toBe(true);
    expect(posts).toEqual(['C1 2026-11-23', 'C1 2026-11-30']);
    expect(await p.store.run('C1', '2026-W49')).toEqual({ status: 'posted', messageId: 'ts-2' });
    p.db.close();
  });

  it('a digest due while the app was down is posted once at start-up; a crashed post is re-sent', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'spendbrief-state-')), 'state.duckdb');
    const clock = { now: new Date('2026-11-01T10:00:00Z') };
    const posts: string[] = [];
    let p = await boot(file, clock, posts);
    await p.scheduler.subscribe(sub);
    p.db.close();

    // Down over Monday 2026-11-02; the process that comes up crashes mid-post.
    clock.now = new Date('2026-11-03T12:00:00Z');
    p = await boot(file, clock, posts, true);
    await p.scheduler.start();
    expect(await p.store.run('C1', '2026-W45')).toEqual({ status: 'posting', messageId: null });
    p.db.close();

    p = await boot(file, clock, posts);
    await p.scheduler.start();
    await p.scheduler.start();
    expect(posts).toEqual(['C1 2026-11-02']);
    p.db.close();
  });

  it('schedules a node-cron task per subscription in its zone, and unsubscribes', async () => {
    const db = await DuckDb.open();
    const store = new StateStore(db);
    await store.init();
    const scheduler = new DigestScheduler({ store, posters: {} });
    await scheduler.subscribe(sub);
    expect(scheduler.scheduled()).toEqual(['C1']);
    expect(await scheduler.unsubscribe('C1')).toBe(true);
    expect(scheduler.scheduled()).toEqual([]);
    expect(await store.subscriptions()).toEqual([]);
    scheduler.stop();
    db.close();
  });
});
