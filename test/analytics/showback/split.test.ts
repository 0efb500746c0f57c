import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsThatAddUp, type ShowbackRules, showback } from '../../../src/analytics/showback/split.js';

const rules: ShowbackRules = {
  shared: [
    { name: 'support', match: [{ dimension: 'service', values: ['Support'] }], split: 'proportional' },
    {
      name: 'platform',
      match: [{ dimension: 'account', values: ['1'] }],
      split: { fixed: { a: 50, b: 30, c: 20 } },
    },
    { name: 'tooling', match: [{ dimension: 'service', values: ['Tools'] }], split: 'even' },
  ],
  untagged: 'proportional',
};

describe('showback split', () => {
  it('splits each pool by its rule and the untagged cost by the policy, by hand', () => {
    // a 300 and b 100 own; support 40 (a 30, b 10); platform 100 (a 50, b 30, c 20); tooling 10 (a 5, b 5);
    // untagged 20 proportional (a 15, b 5). c has no own cost but a fixed share.
    const r = showback(
      {
        direct: [
          { owner: 'a', cost: 300 },
          { owner: 'b', cost: 100 },
        ],
        untagged: 20,
        pools: [40, 100, 10],
        others: null,
      },
      rules,
    );
    expect(r.owners.map((o) => [o.key, o.direct, o.shared, o.total])).toEqual([
      ['a', 300, 100, 400],
      ['b', 100, 50, 150],
      ['c', 0, 20, 20],
    ]);
    expect(r.total).toBe(570);
    expect(r.unallocated).toBe(0);
    expect(r.sharedRules.map((s) => [s.name, s.split, s.amount])).toEqual([
      ['support', 'proportional', 40],
      ['platform', 'fixed', 100],
      ['tooling', 'even', 10],
    ]);
  });

  it('a pool with no owner to take it, and untagged left unallocated, stay in sight', () => {
    const r = showback(
      { direct: [], untagged: 7, pools: [40, 0, 10], others: null },
      { ...rules, untagged: 'unallocated' },
    );
    expect(r.unallocated).toBe(57);
    expect(r.total).toBe(57);
    expect(r.owners).toEqual([]);
  });

  it('a scoped view: its owner by name, the others as two aggregates; its figures equal the whole view', () => {
    const direct = [
      { owner: 'a', cost: 300 },
      { owner: 'b', cost: 100 },
      { owner: 'd', cost: -5 },
    ];
    const whole = showback({ direct, untagged: 20, pools: [40, 100, 10], others: null }, rules);
    const scoped = showback(
      {
        direct: [{ owner: 'b', cost: 100 }],
        untagged: 20,
        pools: [40, 100, 10],
        others: { listed: ['b'], positive: 300, active: 2 },
      },
      rules,
    );
    const b = whole.owners.find((o) => o.key === 'b')!;
    expect(scoped.owners).toHaveLength(1);
    expect(scoped.owners[0]!.direct).toBeCloseTo(b.direct, 9);
    expect(scoped.owners[0]!.shared).toBeCloseTo(b.shared, 9);
    expect(scoped.total).toBeCloseTo(b.total, 9);
  });

  it('a tiny weight still takes its whole pool (fast-check found the pool lost to underflow)', () => {
    const r = showback(
      {
        direct: [{ owner: 'a', cost: 5e-324 }],
        untagged: 0,
        pools: [-4.999999987376215e-7, 512, 0],
        others: null,
      },
      rules,
    );
    expect(r.sharedRules[0]!.toOwners).toEqual([{ key: 'a', amount: -4.999999987376215e-7 }]);
    const owners = r.owners.reduce((s, o) => s + o.total, 0);
    expect(owners + r.unallocated).toBeCloseTo(512 - 4.999999987376215e-7, 9);
  });

  it('property: owners + unallocated = total = everything read, for any costs and rules', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            owner: fc.constantFrom('a', 'b', 'c'),
            cost: fc.double({ min: -50, max: 500, noNaN: true }),
          }),
        ),
        fc.double({ min: -10, max: 100, noNaN: true }),
        fc.array(fc.double({ min: -10, max: 1000, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.constantFrom('proportional', 'even', 'unallocated') as fc.Arbitrary<ShowbackRules['untagged']>,
        (direct, untagged, pools, policy) => {
          const r = showback({ direct, untagged, pools, others: null }, { ...rules, untagged: policy });
          const all = direct.reduce((s, d) => s + d.cost, 0) + untagged + pools.reduce((s, p) => s + p, 0);
          const owners = r.owners.reduce((s, o) => s + o.total, 0);
          expect(owners + r.unallocated).toBeCloseTo(r.total, 6);
          expect(r.total).toBeCloseTo(all, 6);
          for (const o of r.owners) expect(Number.isFinite(o.total)).toBe(true);
        },
      ),
    );
  });

  it('cents that add up: rounded shares sum to the rounded total', () => {
    expect(centsThatAddUp([1 / 3, 1 / 3, 1 / 3], 1)).toEqual([0.34, 0.33, 0.33]);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (xs) => {
          const total = xs.reduce((a, b) => a + b, 0);
          const c = centsThatAddUp(xs, total);
          expect(Math.round(c.reduce((a, b) => a + b, 0) * 100)).toBe(Math.round(total * 100));
        },
      ),
    );
  });
});
