/** The EC2 inventory is listed once for reports asked together (a digest's two weeks), not per window. */
import { describe, expect, it } from 'vitest';
import type { Instance } from '../../src/analytics/types.js';
import type { Ec2Inventory } from '../../src/integrations/aws-ec2/inventory.js';
import { INVENTORY_TTL_MS, InstanceSource } from '../../src/reports/instances.js';

const instance = {
  id: 'i-1',
  type: 't3.small',
  state: 'running',
  launchTime: '2026-11-01T00:00:00Z',
  region: 'eu-west-1',
};

function source(fail = 0) {
  let now = 0;
  let calls = 0;
  const inventory = {
    async listInstances(regions: string[]) {
      calls++;
      if (calls <= fail) throw new Error('DescribeInstances: throttled');
      return regions.map((region) => ({ ...instance, region })) as unknown as Instance[];
    },
  } as unknown as Ec2Inventory;
  const s = new InstanceSource({ ec2: async () => inventory, regions: ['eu-west-1'], now: () => now });
  return { s, calls: () => calls, advance: (ms: number) => (now += ms) };
}

describe('InstanceSource', () => {
  it('two windows within a minute share one listing; a later report lists again', async () => {
    const { s, calls, advance } = source();
    const [a, b] = await Promise.all([s.load({ kind: 'ec2' }, []), s.load({ kind: 'ec2' }, [])]);
    expect(a).toEqual(b);
    advance(30_000);
    await s.load({ kind: 'ec2' }, []);
    expect(calls()).toBe(1);
    advance(INVENTORY_TTL_MS);
    await s.load({ kind: 'ec2' }, []);
    expect(calls()).toBe(2);
  });

  it('a failed listing is not kept: the next report asks again', async () => {
    const { s, calls } = source(1);
    await expect(s.load({ kind: 'ec2' }, [])).rejects.toThrow('throttled');
    expect(await s.load({ kind: 'ec2' }, [])).toHaveLength(1);
    expect(calls()).toBe(2);
  });
});
