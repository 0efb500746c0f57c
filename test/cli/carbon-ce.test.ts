/**
 * `spendbrief allocate --source ce` through the real SDK against a Cost Explorer on loopback: the
 * instance types come from the usage types (the default grouping) or INSTANCE_TYPE; without either
 * the report says the cost is unknown instead of showing $0.00; RDS instance hours are not EC2.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CeCost, FakeCostExplorer } from '../helpers/fake-cost-explorer.js';

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'spendbrief-carbon-ce-'));
let fake: FakeCostExplorer;
const inventory = join(dir, 'inventory.json');

const days = Array.from({ length: 60 }, (_, i) =>
  new Date(Date.parse('2026-09-25T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10),
);

beforeAll(async () => {
  const costs: CeCost[] = days.flatMap((day) => [
    // Two m5.xlarge all day, one of them listed.
    {
      day,
      service: 'Amazon Elastic Compute Cloud - Compute',
      usageType: 'EUC1-BoxUsage:m5.xlarge',
      recordType: 'Usage',
      unblended: 9.216,
      amortized: 9.216,
      net: 9.216,
      quantity: 48,
      instanceType: 'm5.xlarge',
    },
    {
      day,
      service: 'Amazon Relational Database Service',
      usageType: 'EUC1-InstanceUsage:db.r6g.large',
      recordType: 'Usage',
      unblended: 5.4,
      amortized: 5.4,
      net: 5.4,
      quantity: 24,
      instanceType: 'db.r6g.large',
    },
    {
      day,
      service: 'Amazon Simple Storage Service',
      usageType: 'EUC1-TimedStorage-ByteHrs',
      recordType: 'Usage',
      unblended: 1.5,
      amortized: 1.5,
      net: 1.5,
      quantity: 65,
    },
  ]);
  fake = await new FakeCostExplorer(costs).start();
  writeFileSync(
    inventory,
    JSON.stringify([
      {
        id: 'i-0aaa',
        type: 'm5.xlarge',
        state: 'running',
        launchTime: '2026-01-01T00:00:00Z',
        region: 'eu-central-1',
      },
      {
        id: 'i-0db',
        type: 'r6g.large',
        state: 'running',
        launchTime: '2026-01-01T00:00:00Z',
        region: 'eu-central-1',
      },
    ]),
  );
});
afterAll(async () => fake?.stop());

async function allocate(groupBy: string | undefined, db: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'eu-central-1',
    AWS_ENDPOINT_URL_COST_EXPLORER: fake.url,
    SPENDBRIEF_DB: join(dir, db),
  };
  if (groupBy) env.SPENDBRIEF_CE_GROUP_BY = groupBy;
  else delete env.SPENDBRIEF_CE_GROUP_BY;
  const { stdout } = await promisify(execFile)(
    'node',
    [
      BIN,
      'allocate',
      '--source',
      'ce',
      '--instances',
      inventory,
      '--today',
      '2026-11-24',
      '--format',
      'json',
    ],
    { env },
  );
  return JSON.parse(stdout);
}

describe('allocate --source ce', () => {
  it('the default grouping (SERVICE, USAGE_TYPE) names instance types: the type is shared by billed hours', async () => {
    const j = await allocate(undefined, 'default.duckdb');
    const a = j.instances.find((i: { id: string }) => i.id === 'i-0aaa');
    // Half of the m5.xlarge hours (two instances billed all month, one listed).
    expect(a.cost).toBeCloseTo((30 * 9.216) / 2, 9);
    expect(j.allocation).toEqual([expect.objectContaining({ instanceType: 'm5.xlarge', billedHours: 1440 })]);
    expect(j.notes.join(' ')).toMatch(/No EC2 compute cost of r6g\.large/);
  });

  it('with INSTANCE_TYPE: RDS instance hours stay out of EC2 compute', async () => {
    const j = await allocate('SERVICE,INSTANCE_TYPE', 'instance-type.duckdb');
    expect(j.allocation.map((t: { instanceType: string }) => t.instanceType)).toEqual(['m5.xlarge']);
    expect(j.totals.allocatedCost + j.totals.unallocatedCost).toBeCloseTo(30 * 9.216, 6);
  });

  it('without instance types the cost is unknown, and the report says which setting brings it', async () => {
    const j = await allocate('SERVICE,LINKED_ACCOUNT', 'no-types.duckdb');
    for (const i of j.instances)
      expect(i).toMatchObject({ cost: null, costNote: expect.stringMatching(/no compute cost of/) });
    expect(j.notes.join(' ')).toMatch(/SPENDBRIEF_CE_GROUP_BY needs USAGE_TYPE or INSTANCE_TYPE/);
  });
});
