/** A digest's two carbon weeks: one EC2 listing and one day scan, the same figures as two loads. */
import { describe, expect, it } from 'vitest';
import type { Instance } from '../../src/analytics/types.js';
import type { Ec2Inventory } from '../../src/integrations/aws-ec2/inventory.js';
import { loadCarbon, loadCarbonWindows } from '../../src/reports/carbon-data.js';
import { InstanceSource } from '../../src/reports/instances.js';
import { testWarehouses } from '../helpers/warehouses.js';

/** Figures to 10 significant digits: DuckDB's parallel sums differ between runs in the last bits. */
const close = (x: unknown) =>
  JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v)));

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
    const session = await warehouses.open({ kind: 'demo' }, { today: '2026-11-25', purpose: 'digest' });
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
      expect(close(week)).toEqual(close(await loadCarbon(session.warehouse, deps, req)));
      expect(close(before)).toEqual(
        close(await loadCarbon(session.warehouse, deps, { ...req, offsetDays: 7 })),
      );
      expect(listings).toBe(3);
    } finally {
      await session.close();
    }
  });
});
