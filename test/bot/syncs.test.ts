import { describe, expect, it } from 'vitest';
import { Syncs } from '../../src/bot/syncs.js';
import type { SyncOutcome } from '../../src/reports/session-options.js';

/** Syncs over a sync that counts its calls (and answers `outcome`, or throws what it throws). */
function counting(outcome: () => SyncOutcome = () => ({ summary: 'ok' }) as SyncOutcome) {
  const clock = { now: new Date('2026-11-30T08:00:00Z') };
  let calls = 0;
  const syncs = new Syncs({
    source: { kind: 'demo' },
    sync: async () => {
      calls += 1;
      return outcome();
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
    const s = counting(() => {
      throw new Error('S3 unreachable');
    });
    await s.syncs.fresh(300_000);
    await s.syncs.fresh(300_000);
    expect(s.calls()).toBe(2);
    expect(s.syncs.status.lastError).toContain('S3 unreachable');
  });
});
