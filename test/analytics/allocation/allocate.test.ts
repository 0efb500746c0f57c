import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, runtimeHours } from '../../../src/analytics/allocation/allocate.js';
import type { Instance } from '../../../src/analytics/types.js';

const window = { start: '2026-11-01', end: '2026-11-30' };
const now = new Date('2026-11-20T00:00:00Z');
const inst = (o: Partial<Instance>): Instance => ({
  id: 'i-1',
  type: 't3.small',
  state: 'running',
  launchTime: '2026-01-01T00:00:00Z',
  stateTransitionTime: null,
  region: 'eu-central-1',
  tags: {},
  ...o,
});

describe('allocation', () => {
  it('clips runtime to the window: from max(launch, start) to min(now, end)', () => {
    expect(runtimeHours(inst({}), window, now)).toBe(19 * 24);
    expect(runtimeHours(inst({ launchTime: '2026-11-10T12:00:00Z' }), window, now)).toBe(9.5 * 24);
    expect(runtimeHours(inst({}), window, new Date('2027-01-01T00:00:00Z'))).toBe(30 * 24);
    expect(
      runtimeHours(inst({ launchTime: '2026-12-05T00:00:00Z' }), window, new Date('2027-01-01T00:00:00Z')),
    ).toBe(0);
  });

  it('source example: cost shared by runtime within a type; stopped instances excluded; the rest unallocated', () => {
    const a = allocate({
      instances: [
        inst({ id: 'a' }),
        inst({ id: 'b', launchTime: '2026-11-10T12:00:00Z' }),
        inst({ id: 'c', state: 'stopped' }),
        inst({ id: 'd', type: 'm5.large' }),
      ],
      window,
      now,
      resourceCosts: new Map(),
      typeCosts: new Map([
        ['t3.small', 100],
        ['r6g.large', 40],
      ]),
    });
    const cost = (id: string) => a.allocated.find((x) => x.instance.id === id)!.cost;
    expect(cost('a')).toBeCloseTo((100 * 19) / 28.5, 10);
    expect(cost('b')).toBeCloseTo((100 * 9.5) / 28.5, 10);
    expect(a.excluded.map((e) => e.instance.id)).toEqual(['c']);
    expect(a.excluded[0]!.reason).toMatch(/^stopped: .* not estimated/);
    expect(a.types.find((t) => t.instanceType === 'r6g.large')).toEqual({
      instanceType: 'r6g.large',
      cost: 40,
      allocated: 0,
      unallocated: 40,
    });
    expect(a.allocated.find((x) => x.instance.id === 'd')!.cost).toBe(0);
  });

  it('exact resource cost where the data carries the instance id', () => {
    const a = allocate({
      instances: [inst({ id: 'i-x', state: 'terminated' })],
      window,
      now,
      resourceCosts: new Map([['i-x', 12.34]]),
      typeCosts: new Map(),
    });
    expect(a.allocated).toEqual([expect.objectContaining({ cost: 12.34, method: 'resource' })]);
  });

  it('property: allocated + unallocated = type cost to the cent, for any instances', () => {
    const arbInstance = fc.record({
      id: fc.uuid(),
      type: fc.constantFrom('t3.small', 'm5.large'),
      state: fc.constantFrom('running', 'running', 'stopped', 'terminated'),
      launchTime: fc
        .date({
          min: new Date('2026-09-01T00:00:00Z'),
          max: new Date('2026-12-31T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString()),
      stateTransitionTime: fc.constant(null),
      region: fc.constant('us-east-1'),
      tags: fc.constant({}),
    });
    fc.assert(
      fc.property(
        fc.array(arbInstance, { maxLength: 30 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        (instances, t3, m5) => {
          const a = allocate({
            instances,
            window,
            now,
            resourceCosts: new Map(),
            typeCosts: new Map([
              ['t3.small', t3],
              ['m5.large', m5],
            ]),
          });
          for (const t of a.types) {
            const given = a.allocated
              .filter((x) => x.instance.type === t.instanceType)
              .reduce((s, x) => s + x.cost, 0);
            expect(Math.abs(given + t.unallocated - t.cost)).toBeLessThan(0.005);
            expect(t.unallocated).toBeGreaterThanOrEqual(-1e-6);
          }
          expect(a.allocated.every((x) => Number.isFinite(x.cost))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
