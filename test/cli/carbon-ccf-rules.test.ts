/**
 * The carbon footprint's storage and networking rules held against CCF's own code: the replication
 * factor and SSD/HDD class of each (service, usage type) as CCF's AWS package decides them, inbound
 * transfer left out, every billed compute hour estimated (pools and unlisted instances included),
 * hours of a type CCF does not know named instead of spread, and usage billed in another currency.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const noDeprecation = process.noDeprecation;
process.noDeprecation = true;
const {
  AWS_REPLICATION_FACTORS_FOR_SERVICES: CCF_REPLICATION,
} = require('@cloud-carbon-footprint/aws/dist/lib/ReplicationFactors.js');
const {
  SSD_SERVICES,
  SSD_USAGE_TYPES,
} = require('@cloud-carbon-footprint/aws/dist/lib/CostAndUsageTypes.js');
process.noDeprecation = noDeprecation;

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'spendbrief-ccf-rules-'));
const NO_DB = join(dir, 'none', 'none.duckdb');
const json = async (args: string[]) =>
  JSON.parse(
    (
      await promisify(execFile)('node', [BIN, ...args, '--format', 'json'], {
        env: { ...process.env, SPENDBRIEF_DB: NO_DB },
      })
    ).stdout,
  );

const HEAD =
  'ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,ConsumedQuantity,ConsumedUnit,ChargeCategory,ServiceName,RegionId,ResourceId,ChargeDescription,BillingCurrency,ProviderName,x_UsageType';
interface Row {
  cost?: number;
  qty: number;
  unit: string;
  service: string;
  usageType: string;
  description?: string;
  resource?: string;
  currency?: string;
}
function csv(name: string, rows: Row[], days = 30): string {
  const lines = [HEAD];
  for (let d = 1; d <= days; d++)
    for (const r of rows)
      lines.push(
        [
          `2026-11-${String(d).padStart(2, '0')}T00:00:00Z`,
          `2026-11-${String(d).padStart(2, '0')}T23:59:59Z`,
          r.cost ?? 1,
          r.cost ?? 1,
          r.qty,
          r.unit,
          'Usage',
          `"${r.service}"`,
          'eu-central-1',
          r.resource ?? '',
          `"${r.description ?? 'x'}"`,
          r.currency ?? 'USD',
          'AWS',
          r.usageType,
        ].join(','),
      );
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe("storage as CCF's AWS package classifies and replicates it", () => {
  const cases = [
    ['Amazon Simple Storage Service', 'AmazonS3', 'EUC1-TimedStorage-ByteHrs'],
    ['Amazon Simple Storage Service', 'AmazonS3', 'EUC1-TimedStorage-ZIA-ByteHrs'],
    ['Amazon Elastic Compute Cloud', 'AmazonEC2', 'EUC1-EBS:VolumeUsage.gp3'],
    ['EC2 - Other', 'AmazonEC2', 'EUC1-EBS:SnapshotUsage'],
    ['Amazon Elastic File System', 'AmazonEFS', 'EUC1-TimedStorage-ByteHrs'],
    ['Amazon Elastic File System', 'AmazonEFS', 'EUC1-TimedStorage-ZIA-ByteHrs'],
    ['Amazon DynamoDB', 'AmazonDynamoDB', 'EUC1-TimedStorage-ByteHrs'],
    ['Amazon Relational Database Service', 'AmazonRDS', 'EUC1-Aurora:StorageUsage'],
    ['Amazon Relational Database Service', 'AmazonRDS', 'EUC1-RDS:Multi-AZ-GP2-Storage'],
    ['Amazon Elastic Container Registry', 'AmazonECR', 'EUC1-TimedStorage-ByteHrs'],
  ] as const;

  it.each(cases)('%s, %s usage type %s', async (service, code, usageType) => {
    const file = csv(`storage-${code}-${usageType.replace(/[^A-Za-z0-9]/g, '')}.csv`, [
      { qty: 100 / 30, unit: 'GB-Mo', service, usageType },
    ]);
    const j = await json(['carbon', '--source', `focus:${file}`, '--today', '2026-12-02']);
    expect(j.lines).toHaveLength(1);
    const line = j.lines[0];
    expect(line.replication).toBe(CCF_REPLICATION[code](usageType));
    const ccfSsd =
      SSD_SERVICES.includes(code) || (SSD_USAGE_TYPES as string[]).some((t) => usageType.includes(t));
    expect(line.what).toBe(ccfSsd ? 'SSD storage' : 'HDD storage');
  });

  it('inbound transfer is not data sent out; outbound is', async () => {
    const file = csv('network.csv', [
      {
        qty: 10,
        unit: 'GB',
        service: 'Amazon Elastic Compute Cloud',
        usageType: 'EUC1-USE1-AWS-In-Bytes',
        description: 'EU (Frankfurt) data transfer from US East',
      },
      {
        qty: 4,
        unit: 'GB',
        service: 'Amazon Elastic Compute Cloud',
        usageType: 'EUC1-DataTransfer-Out-Bytes',
        description: 'data transfer out to the internet',
      },
    ]);
    const j = await json(['carbon', '--source', `focus:${file}`, '--today', '2026-12-02']);
    expect(j.lines.map((l: { what: string; quantity: number }) => [l.what, l.quantity])).toEqual([
      ['data transfer out', 120],
    ]);
  });
});

describe('compute hours, all of them', () => {
  it('a pool without instance ids is estimated as unlisted hours; a listed instance takes its share', async () => {
    const file = csv('pool.csv', [
      {
        cost: 6.12,
        qty: 72,
        unit: 'Hours',
        service: 'Amazon Elastic Compute Cloud',
        usageType: 'EUC1-BoxUsage:c5.large',
      },
    ]);
    const billed = await json(['carbon', '--source', `focus:${file}`, '--today', '2026-12-02']);
    expect(billed.lines).toEqual([
      expect.objectContaining({
        kind: 'compute',
        what: 'c5.large (instances not listed)',
        quantity: 2160,
        unit: 'hours',
      }),
    ]);
    expect(billed.totals.computeKgCo2e).toBeGreaterThan(0);
    expect(billed.totals.computeKgCo2e).toBeCloseTo(billed.lines[0].kgCo2e, 12);
    const inventory = join(dir, 'inv.json');
    writeFileSync(
      inventory,
      JSON.stringify([
        {
          id: 'i-1',
          type: 'c5.large',
          state: 'running',
          launchTime: '2026-01-01T00:00:00Z',
          region: 'eu-central-1',
        },
      ]),
    );
    const listed = await json([
      'carbon',
      '--source',
      `focus:${file}`,
      '--instances',
      inventory,
      '--today',
      '2026-12-02',
    ]);
    expect(listed.instances.map((i: { id: string; hours: number }) => [i.id, i.hours])).toEqual([
      ['i-1', 720],
    ]);
    expect(listed.lines[0]).toMatchObject({ quantity: 1440 });
    // The same hours, so the same footprint, however they are split.
    expect(listed.totals.computeKgCo2e).toBeCloseTo(billed.totals.computeKgCo2e, 9);
  });

  it('hours of a type CCF does not know are named, and the monthly figure scales over the rest', async () => {
    const file = join(dir, 'changed.csv');
    const rows = [HEAD];
    for (let d = 1; d <= 30; d++) {
      const type = d <= 15 ? 'm5.large' : 'm7i-flex.xlarge';
      rows.push(
        `2026-11-${String(d).padStart(2, '0')}T00:00:00Z,2026-11-${String(d).padStart(2, '0')}T23:59:59Z,2,2,24,Hours,Usage,"Amazon Elastic Compute Cloud",eu-central-1,i-0chg,"x",USD,AWS,EUC1-BoxUsage:${type}`,
      );
    }
    writeFileSync(file, `${rows.join('\n')}\n`);
    const j = await json(['carbon', '--source', `focus:${file}`, '--today', '2026-12-02']);
    const i = j.instances[0];
    expect(i).toMatchObject({ type: 'm5.large → m7i-flex.xlarge', hours: 720, estimatedHours: 360 });
    expect(i.notEstimated).toBe('360 of 720 h not estimated: no CCF coefficients for m7i-flex.xlarge');
    expect(i.monthlyKgCo2e).toBeCloseTo(i.kgCo2e * 2, 12);
  });

  it('usage billed in another currency counts for carbon; its cost is unknown in the report currency, not 0', async () => {
    const file = csv('two-currencies.csv', [
      {
        cost: 4,
        qty: 24,
        unit: 'Hours',
        service: 'Amazon Elastic Compute Cloud',
        usageType: 'EUC1-BoxUsage:m5.xlarge',
        resource: 'i-0usd',
      },
      {
        cost: 2,
        qty: 24,
        unit: 'Hours',
        service: 'Amazon Elastic Compute Cloud',
        usageType: 'EUC1-BoxUsage:m5.large',
        resource: 'i-0eur',
        currency: 'EUR',
      },
    ]);
    const j = await json(['carbon', '--source', `focus:${file}`, '--today', '2026-12-02']);
    const eur = j.instances.find((i: { id: string }) => i.id === 'i-0eur');
    expect(eur).toMatchObject({ cost: null, costNote: 'billed in EUR: not in the USD figures', hours: 720 });
    expect(eur.kgCo2e).toBeGreaterThan(0);
    expect(j.notes.join(' ')).toContain('billed in EUR');
  });
});
