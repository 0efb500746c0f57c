/** A digest's two carbon weeks: one EC2 listing and one day scan, the same figures as two loads. */
import { describe, expect, it } from 'vitest';
import type { Instance } from '../../../src/analytics/types.js';
import type { Ec2Inventory } from '../../../src/integrations/aws-ec2/inventory.js';
import { loadCarbon, loadCarbonWindows } from '../../../src/reports/carbon/data.js';
import { InstanceSource } from '../../../src/reports/carbon/instances.js';
import { testWarehouses } from '../../helpers/warehouses.js';

/** The same object with each number to 6 decimals: DuckDB's parallel sums differ in the last bits. */
const approx = (x: unknown): unknown =>
  typeof x === 'number'
    ? expect.closeTo(x, 6)
    : Array.isArray(x)
      ? x.map(approx)
      : x && typeof x === 'object'
        ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, approx(v)]))
        : x;

describe('loadCarbonWindows', () => {
  it('lists EC2 once for two windows, and each window equals its own load', async () => {
    let listings = 0;
    const inventory = {
      async listInstances(): Promise<Instance[]> {
        listings++;
        return [
          {
            id: 'i-0a',
            type: 'm5.xlarge',
            state: 'running',
            launchTime: '2026-10-01T00:00:00Z',
            region: 'us-east-1',
          },
        ] as Instance[];
      },
    } as unknown as Ec2Inventory;
    const deps = {
      instances: new InstanceSource({ ec2: async () => inventory, regions: ['us-east-1'] }),
      electricityMaps: null,
    };
    const { warehouses } = testWarehouses();
    const session = await warehouses.open({ kind: 'demo' }, { today: '2026-11-25', purpose: 'report' });
    try {
      const req = {
        instances: { kind: 'ec2' as const },
        today: '2026-11-25',
        basis: 'amortized' as const,
        days: 7,
        teamTag: 'team',
      };
      const [week, before] = await loadCarbonWindows(session.warehouse, deps, req, [0, 7]);
      expect(listings).toBe(1);
      expect(week!.window).toEqual({ start: '2026-11-18', end: '2026-11-24' });
      expect(before!.window).toEqual({ start: '2026-11-11', end: '2026-11-17' });
      expect(week).toEqual(approx(await loadCarbon(session.warehouse, deps, req)));
      expect(before).toEqual(approx(await loadCarbon(session.warehouse, deps, { ...req, offsetDays: 7 })));
      expect(listings).toBe(3);
    } finally {
      await session.close();
    }
  });
});
