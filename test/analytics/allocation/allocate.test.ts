import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  type ComputeCost,
  instanceIdOf,
  runtimeHours,
} from '../../../src/analytics/allocation/allocate.js';
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
const cost = (o: Partial<ComputeCost>): ComputeCost => ({
  resource: '',
  instanceType: 't3.small',
  region: 'eu-central-1',
  cost: 0,
  hours: 0,
  ...o,
});
const of = (a: ReturnType<typeof allocate>, id: string) => a.allocated.find((x) => x.instance.id === id)!;
/** Billed rows only, no inventory. */
const billedOnly = (costs: ComputeCost[]) => allocate({ instances: [], window, now, billed: true, costs });

describe('allocation', () => {
  it("an instance's types are in the order it ran as them, whatever order the costs come in: the last is its type", () => {
    const a = billedOnly([
      cost({ resource: 'i-9', instanceType: 'm5.xlarge', cost: 9, hours: 10, firstDay: '2026-11-11' }),
      cost({ resource: 'i-9', instanceType: 'm5.large', cost: 2, hours: 10, firstDay: '2026-11-01' }),
      cost({ resource: 'i-9', instanceType: 'm5.large', cost: 1, hours: 5, firstDay: '2026-11-03' }),
    ]);
    const i = of(a, 'i-9');
    expect(i.segments.map((s) => [s.instanceType, s.hours, s.firstDay])).toEqual([
      ['m5.large', 15, '2026-11-01'],
      ['m5.xlarge', 10, '2026-11-11'],
    ]);
    expect(i.instance.type).toBe('m5.xlarge');
  });

  it('clips runtime to the window: from max(launch, start) to min(now, end)', () => {
    expect(runtimeHours(inst({}), window, now)).toBe(19 * 24);
    expect(runtimeHours(inst({ launchTime: '2026-11-10T12:00:00Z' }), window, now)).toBe(9.5 * 24);
    expect(runtimeHours(inst({}), window, new Date('2027-01-01T00:00:00Z'))).toBe(30 * 24);
    expect(
      runtimeHours(inst({ launchTime: '2026-12-05T00:00:00Z' }), window, new Date('2027-01-01T00:00:00Z')),
    ).toBe(0);
  });

  it('reads instance ids from ARNs', () => {
    expect(instanceIdOf('arn:aws:ec2:us-east-1:123456789012:instance/i-0abc123')).toBe('i-0abc123');
    expect(instanceIdOf('i-0abc123')).toBe('i-0abc123');
    expect(instanceIdOf('vol-1')).toBe('vol-1');
  });

  it('the type cost is divided by the hours of all its instances: running ones never absorb stopped and terminated ones', () => {
    // Three t3.small ran 456 h each (billed), one of them is still running and listed.
    const a = allocate({
      instances: [inst({ id: 'a' }), inst({ id: 'c', state: 'stopped' })],
      window,
      now,
      costs: [cost({ cost: 300, hours: 3 * 456 })],
    });
    expect(of(a, 'a').cost).toBeCloseTo(100, 10);
    expect(a.types).toEqual([
      {
        instanceType: 't3.small',
        cost: 300,
        billedHours: 1368,
        allocated: of(a, 'a').cost,
        unallocated: 200,
        note: null,
      },
    ]);
    expect(a.excluded.map((e) => [e.instance.id, e.reason])).toEqual([
      ['c', expect.stringMatching(/^stopped: .*not estimated/)],
    ]);
  });

  it('without billed hours, the listed running instances share the type by runtime, and the report says so', () => {
    const a = allocate({
      instances: [
        inst({ id: 'a' }),
        inst({ id: 'b', launchTime: '2026-11-10T12:00:00Z' }),
        inst({ id: 'd', type: 'm5.large' }),
      ],
      window,
      now,
      costs: [cost({ cost: 100 }), cost({ instanceType: 'r6g.large', cost: 40 })],
    });
    expect(of(a, 'a').cost).toBeCloseTo((100 * 19) / 28.5, 10);
    expect(of(a, 'b').cost).toBeCloseTo((100 * 9.5) / 28.5, 10);
    expect(a.types.find((t) => t.instanceType === 't3.small')!.note).toMatch(/no billed hours/);
    expect(a.types.find((t) => t.instanceType === 'r6g.large')).toMatchObject({
      cost: 40,
      allocated: 0,
      unallocated: 40,
    });
    expect(of(a, 'd')).toMatchObject({ cost: 0, costKnown: false });
  });

  it("a terminated instance's own cost (an ARN in the data) stays its own; a new instance never gets it", () => {
    const a = allocate({
      instances: [inst({ id: 'i-0new', launchTime: '2026-11-18T00:00:00Z' })],
      window,
      now,
      costs: [
        cost({ resource: 'arn:aws:ec2:eu-central-1:123456789012:instance/i-0old', cost: 57.6, hours: 400 }),
      ],
    });
    expect(of(a, 'i-0old')).toMatchObject({
      cost: 57.6,
      hours: 400,
      method: 'resource',
      hoursFrom: 'billed',
    });
    expect(of(a, 'i-0old').instance.state).toBe('not in inventory (billed)');
    // Every t3.small row names its instance: the new one has not been billed yet, it is $0 and said so.
    expect(of(a, 'i-0new')).toMatchObject({
      cost: 0,
      costKnown: true,
      note: 'no billing rows for this instance yet',
    });
  });

  it('a type with no cost in the data stays unknown for a listed instance (null, not $0)', () => {
    const a = allocate({ instances: [inst({ id: 'i-0new', type: 'm5.large' })], window, now, costs: [] });
    expect(of(a, 'i-0new')).toMatchObject({ cost: 0, costKnown: false });
    expect(of(a, 'i-0new').note).toBeUndefined();
  });

  it('an instance that changed type keeps both rows: $44.93 + $34.56 = $79.49', () => {
    const a = allocate({
      instances: [inst({ id: 'i-1', type: 'm5.xlarge' })],
      window,
      now,
      costs: [
        cost({ resource: 'i-1', instanceType: 'm5.large', cost: 44.93, hours: 468 }),
        cost({ resource: 'i-1', instanceType: 'm5.xlarge', cost: 34.56, hours: 180 }),
      ],
    });
    expect(of(a, 'i-1').cost).toBeCloseTo(79.49, 10);
    expect(of(a, 'i-1').hours).toBe(648);
    expect(of(a, 'i-1').segments.map((s) => [s.instanceType, s.hours])).toEqual([
      ['m5.large', 468],
      ['m5.xlarge', 180],
    ]);
  });

  it('billed hours come first: a restarted instance has its 720 h, not the hours since its last start', () => {
    const a = allocate({
      instances: [inst({ id: 'i-r', launchTime: '2026-11-25T00:00:00Z' })],
      window,
      now: new Date('2026-12-01T00:00:00Z'),
      costs: [cost({ resource: 'i-r', cost: 15, hours: 720 })],
    });
    expect(of(a, 'i-r')).toMatchObject({ hours: 720, hoursFrom: 'billed' });
  });

  it('billed 8 hours a day are 240 h; an instance that ended early keeps its billed hours', () => {
    const a = billedOnly([
      cost({ resource: 'i-8h', cost: 5, hours: 240 }),
      cost({ resource: 'i-ended', cost: 2, hours: 100 }),
    ]);
    expect(of(a, 'i-8h').hours).toBe(240);
    expect(of(a, 'i-ended')).toMatchObject({ hours: 100, cost: 2 });
    expect(of(a, 'i-ended').instance.state).toBe('billed');
  });

  it('a listed instance with its own rows but no hours in them falls back to its runtime', () => {
    const a = allocate({
      instances: [inst({ id: 'i-x' })],
      window,
      now,
      costs: [cost({ resource: 'i-x', cost: 9 })],
    });
    expect(of(a, 'i-x')).toMatchObject({ hours: 19 * 24, hoursFrom: 'runtime', cost: 9 });
  });

  it('property: exact + allocated + unallocated = all compute cost, for any instances and rows', () => {
    const arbInstance = fc.record({
      id: fc.constantFrom('i-1', 'i-2', 'i-3', 'i-4', 'i-5', 'i-6'),
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
    const arbCost = fc.record({
      resource: fc.constantFrom('', '', 'i-1', 'i-2', 'arn:aws:ec2:us-east-1:1:instance/i-9'),
      instanceType: fc.constantFrom('t3.small', 'm5.large'),
      region: fc.constant('us-east-1'),
      cost: fc.double({ min: 0, max: 1e5, noNaN: true }),
      hours: fc.constantFrom(0, 24, 720, 1000),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(arbInstance, { selector: (i) => i.id, maxLength: 6 }),
        fc.array(arbCost, { maxLength: 12 }),
        (instances, costs) => {
          const a = allocate({ instances, window, now, costs });
          const total = costs.reduce((s, c) => s + c.cost, 0);
          const given = a.allocated.reduce((s, x) => s + x.cost, 0);
          const unallocated = a.types.reduce((s, t) => s + t.unallocated, 0);
          expect(Math.abs(given + unallocated - total)).toBeLessThan(1e-6 * Math.max(1, total));
          for (const t of a.types) expect(t.unallocated).toBeGreaterThanOrEqual(-1e-6);
          expect(a.allocated.every((x) => Number.isFinite(x.cost) && Number.isFinite(x.hours))).toBe(true);
          // Every listed instance is allocated or excluded, once.
          const seen = [...a.allocated.map((x) => x.instance.id), ...a.excluded.map((x) => x.instance.id)];
          for (const i of instances) expect(seen.filter((s) => s === i.id)).toHaveLength(1);
        },
      ),
      { numRuns: 400 },
    );
  });
});
