/** Property tests: for any lines, the waterfall balances and explained + unexplained = net change. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDrivers } from '../../../src/analytics/drivers/compute.js';
import { DIMENSIONS } from '../../../src/analytics/types.js';
import { input, line } from './fixtures.js';

const money = fc.oneof(
  fc.constant(0),
  fc.double({ min: -5_000, max: 50_000, noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1000, max: 100_000 }).map((c) => c / 100),
);
const qty = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }));
const arbLine = fc
  .record({
    service: fc.constantFrom('EC2', 'S3', 'RDS', ''),
    team: fc.constantFrom('a', 'b', ''),
    sku: fc.constantFrom('x', 'y', ''),
    kind: fc.constantFrom('usage', 'usage', 'credit', 'other'),
    previousSpend: money,
    currentSpend: money,
    previousQuantity: qty,
    currentQuantity: qty,
  })
  .map((r) => line(r as Parameters<typeof line>[0]));

function numbersIn(value: unknown, path = ''): [string, unknown][] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [[path, value]];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  return [];
}

describe('drivers properties', () => {
  it("fast-check's counterexample of 2026-12-07: a subnormal quantity is no quantity, and the waterfall balances", () => {
    const r = computeDrivers(
      input([
        line({
          service: 'EC2',
          team: 'a',
          sku: 'x',
          previousSpend: -0.01,
          currentSpend: 0,
          previousQuantity: 5.5626846462684e-311,
          currentQuantity: 0.01000000000000067,
        }),
      ]),
      { by: 'service', minChange: 0, limit: 10 },
    );
    expect(r.waterfall.balanced).toBe(true);
    expect(numbersIn(r)).toEqual([]);
    expect(r.kpis.explained + r.kpis.unexplained).toBeCloseTo(r.kpis.netChange, 12);
  });

  it('waterfall balances, explained + unexplained = net, and no NaN or Infinity anywhere', () => {
    fc.assert(
      fc.property(fc.array(arbLine, { maxLength: 40 }), fc.constantFrom(...DIMENSIONS), (lines, by) => {
        const r = computeDrivers(input(lines), { by, minChange: 0, limit: 10 });
        expect(r.waterfall.balanced).toBe(true);
        expect(Math.abs(r.waterfall.deltaDifference)).toBeLessThanOrEqual(0.01 + 1e-9);
        const scale = Math.max(1, Math.abs(r.kpis.current), Math.abs(r.kpis.previous));
        expect(Math.abs(r.kpis.explained + r.kpis.unexplained - r.kpis.netChange)).toBeLessThanOrEqual(
          1e-9 * scale,
        );
        expect(numbersIn(r)).toEqual([]);
        const rowsDelta = r.rows.reduce((s, x) => s + Math.abs(x.deltaValue), 0);
        expect(Number.isFinite(rowsDelta)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
