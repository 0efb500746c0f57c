import { describe, expect, it } from 'vitest';
import { Syncs } from '../../src/bot/syncs.js';
import type { SyncOutcome } from '../../src/reports/session.js';

function counting() {
  const clock = { now: new Date('2026-11-30T08:00:00Z') };
  let calls = 0;
  const syncs = new Syncs({
    source: { kind: 'demo' } as never,
    sync: async () => {
      calls += 1;
      return { summary: 'ok' } as SyncOutcome;
    },
    now: () => clock.now,
    log: () => {},
  });
  return { syncs, clock, calls: () => calls };
}

describe('syncs', () => {
  it('digests due together share one sync; a later one syncs again', async () => {
    const s = counting();
    await Promise.all([s.syncs.fresh(300_000), s.syncs.fresh(300_000)]);
    await s.syncs.fresh(300_000);
    expect(s.calls()).toBe(1);
    s.clock.now = new Date('2026-11-30T08:06:00Z');
    await s.syncs.fresh(300_000);
    expect(s.calls()).toBe(2);
    // now() always syncs (start-up, the schedule).
    await s.syncs.now();
    expect(s.calls()).toBe(3);
  });

  it('a failed sync is not fresh: the next digest tries again', async () => {
    const clock = { now: new Date('2026-11-30T08:00:00Z') };
    let calls = 0;
    const syncs = new Syncs({
      source: { kind: 'demo' } as never,
      sync: async () => {
        calls += 1;
        throw new Error('S3 unreachable');
      },
      now: () => clock.now,
      log: () => {},
    });
    await syncs.fresh(300_000);
    await syncs.fresh(300_000);
    expect(calls).toBe(2);
    expect(syncs.status.lastError).toContain('S3 unreachable');
  });
});
