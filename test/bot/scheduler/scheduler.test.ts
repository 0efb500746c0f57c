/**
 * Exactly one digest per channel and period on a fake clock: across restarts, after a crash
 * between the platform accepting a post and the record, after failures (retried with back-off),
 * on a spring-forward day, and with a re-subscription during a post.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestDue, periodOf } from '../../../src/bot/scheduler/schedule.js';
import { type DigestPoster, DigestScheduler } from '../../../src/bot/scheduler/scheduler.js';
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

/** One "process": its own database handle on the shared file, its own scheduler (its own boot id). */
async function boot(file: string, clock: { now: Date }, poster: DigestPoster, logs: string[] = []) {
  const db = await DuckDb.open(file);
  const store = new StateStore(db);
  await store.init();
  const scheduler = new DigestScheduler({
    store,
    now: () => clock.now,
    useTimer: false,
    posters: { slack: poster },
    log: (l) => logs.push(l),
  });
  return { db, store, scheduler };
}

const stateFile = () => join(mkdtempSync(join(tmpdir(), 'spendbrief-state-')), 'state.duckdb');

/** A poster that records posts; the platform's record (what a channel's history shows) included. */
function recorder() {
  const posts: { channel: string; today: string; period: string; id: string }[] = [];
  const poster: DigestPoster = {
    async post(s, today, period) {
      const id = `ts-${posts.length + 1}`;
      posts.push({ channel: s.channel, today, period, id });
      return id;
    },
    async find(s, period) {
      return posts.find((p) => p.channel === s.channel && p.period === period)?.id ?? null;
    },
  };
  return { posts, poster };
}

describe('schedule', () => {
  it('the latest due slot in the subscription zone, and its ISO week', () => {
    const due = latestDue(sub, new Date('2026-11-24T12:00:00Z'));
    expect(due.toISO()).toBe('2026-11-23T09:00:00.000+01:00');
    expect(periodOf(due)).toBe('2026-W48');
    expect(latestDue(sub, new Date('2026-11-23T07:59:00Z')).toISODate()).toBe('2026-11-16');
  });

  it('a slot in the spring-forward gap moves to the first valid minute instead of vanishing', () => {
    const night = { ...sub, weekday: 'sun' as const, time: '02:30' };
    // 2027-03-28: Berlin goes from 02:00 CET to 03:00 CEST; 02:30 does not exist.
    const due = latestDue(night, new Date('2027-03-28T01:31:00Z'));
    expect(due.toISO()).toBe('2027-03-28T03:30:00.000+02:00');
    expect(periodOf(due)).toBe('2027-W12');
    expect(latestDue(night, new Date('2027-03-28T01:29:00Z')).toISODate()).toBe('2027-03-21');
  });
});

describe('DigestScheduler', () => {
  it('posts once per period, across a restart, and again the next week', async () => {
    const file = stateFile();
    const clock = { now: new Date('2026-11-20T10:00:00Z') };
    const { posts, poster } = recorder();
    let p = await boot(file, clock, poster);
    await p.scheduler.subscribe(sub);
    expect(await p.scheduler.runDue(sub)).toBe(false); // made after last Monday's slot: nothing owed
    clock.now = new Date('2026-11-23T08:00:00Z'); // Monday 09:00 Berlin
    await p.scheduler.tick();
    await p.scheduler.tick();
    p.db.close();

    clock.now = new Date('2026-11-23T08:30:00Z');
    p = await boot(file, clock, poster);
    await p.scheduler.start(); // restart: catch-up finds the period posted
    clock.now = new Date('2026-11-30T08:00:01Z');
    await p.scheduler.tick();
    expect(posts.map((x) => `${x.channel} ${x.today} ${x.period}`)).toEqual([
      'C1 2026-11-23 2026-W48',
      'C1 2026-11-30 2026-W49',
    ]);
    expect(await p.store.run('C1', '2026-W49')).toMatchObject({ status: 'posted', messageId: 'ts-2' });
    p.db.close();
  });

  it('a post the platform accepted before a crash is found and recorded, never posted again', async () => {
    const file = stateFile();
    const clock = { now: new Date('2026-11-01T10:00:00Z') };
    const { posts, poster } = recorder();
    let p = await boot(file, clock, poster);
    await p.scheduler.subscribe(sub);
    p.db.close();
    // Down over Monday 2026-11-02. The next process posts, and dies before recording it.
    clock.now = new Date('2026-11-03T12:00:00Z');
    p = await boot(file, clock, {
      async post(s, today, period) {
        await poster.post(s, today, period);
        throw new Error('the process died here');
      },
    });
    await p.store.claim('C1', '2026-W45', 'a-boot-that-died', clock.now);
    await poster.post(sub, '2026-11-02', '2026-W45');
    p.db.close();

    const logs: string[] = [];
    p = await boot(file, clock, poster, logs);
    await p.scheduler.start();
    await p.scheduler.tick();
    expect(posts).toHaveLength(1);
    expect(await p.store.run('C1', '2026-W45')).toMatchObject({ status: 'posted', messageId: 'ts-1' });
    expect(logs).toContain('digest C1 2026-W45: had been posted before the restart (ts-1); not posted again');
    p.db.close();
  });

  it('a crash before the platform got the post: the next start posts it', async () => {
    const file = stateFile();
    const clock = { now: new Date('2026-11-01T10:00:00Z') };
    const { posts, poster } = recorder();
    let p = await boot(file, clock, poster);
    await p.scheduler.subscribe(sub);
    clock.now = new Date('2026-11-02T08:00:30Z');
    await p.store.claim('C1', '2026-W45', 'a-boot-that-died', clock.now);
    p.db.close();
    p = await boot(file, clock, poster);
    await p.scheduler.start();
    expect(posts.map((x) => x.period)).toEqual(['2026-W45']);
    p.db.close();
  });

  it('ok:false is logged with Slack’s error code and retried with back-off within the week', async () => {
    const file = stateFile();
    const clock = { now: new Date('2026-11-20T10:00:00Z') };
    const { posts, poster } = recorder();
    let failures = 2;
    const flaky: DigestPoster = {
      async post(s, today, period) {
        if (failures-- > 0)
          throw Object.assign(new Error('An API error occurred: not_in_channel'), {
            data: { ok: false, error: 'not_in_channel' },
          });
        return poster.post(s, today, period);
      },
    };
    const logs: string[] = [];
    const p = await boot(file, clock, flaky, logs);
    await p.scheduler.subscribe(sub);
    clock.now = new Date('2026-11-23T08:00:00Z');
    await p.scheduler.tick();
    expect(logs.at(-1)).toBe(
      'digest C1 2026-W48: failed (attempt 1): Slack said not_in_channel; next try 2026-11-23 08:01 UTC',
    );
    clock.now = new Date('2026-11-23T08:00:40Z');
    await p.scheduler.tick(); // not yet
    expect(logs.filter((l) => l.includes('failed'))).toHaveLength(1);
    clock.now = new Date('2026-11-23T08:01:10Z');
    await p.scheduler.tick();
    expect(logs.at(-1)).toMatch(
      /failed \(attempt 2\): Slack said not_in_channel; next try 2026-11-23 08:03 UTC/,
    );
    clock.now = new Date('2026-11-23T08:03:30Z');
    await p.scheduler.tick();
    expect(posts).toHaveLength(1);
    expect(await p.store.run('C1', '2026-W48')).toMatchObject({ status: 'posted', attempts: 3 });
    p.db.close();
  });

  it('a re-subscription while the digest is being posted does not post a second one', async () => {
    const file = stateFile();
    const clock = { now: new Date('2026-11-20T10:00:00Z') };
    const { posts, poster } = recorder();
    let release = () => {};
    const slow: DigestPoster = {
      async post(s, today, period) {
        await new Promise<void>((r) => {
          release = r;
        });
        return poster.post(s, today, period);
      },
    };
    const p = await boot(file, clock, slow);
    await p.scheduler.subscribe(sub);
    clock.now = new Date('2026-11-23T08:00:00Z');
    const first = p.scheduler.tick();
    await new Promise((r) => setTimeout(r, 50));
    await p.scheduler.subscribe(sub); // the channel types /spend subscribe again meanwhile
    await p.scheduler.runDue(sub);
    release();
    await first;
    await p.scheduler.tick();
    expect(posts).toHaveLength(1);
    p.db.close();
  });

  it('drain waits for a post in flight', async () => {
    const file = stateFile();
    const clock = { now: new Date('2026-11-20T10:00:00Z') };
    const { posts, poster } = recorder();
    const slow: DigestPoster = {
      post: async (s, today, period) => {
        await new Promise((r) => setTimeout(r, 300));
        return poster.post(s, today, period);
      },
    };
    const p = await boot(file, clock, slow);
    await p.scheduler.subscribe(sub);
    clock.now = new Date('2026-11-23T08:00:00Z');
    void p.scheduler.tick();
    await new Promise((r) => setTimeout(r, 20));
    p.scheduler.stop();
    expect(await p.scheduler.drain(5000)).toBe(true);
    expect(posts).toHaveLength(1);
    expect(await p.store.run('C1', '2026-W48')).toMatchObject({ status: 'posted' });
    p.db.close();
  });
});
