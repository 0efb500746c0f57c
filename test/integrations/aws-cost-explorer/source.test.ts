/** Cost Explorer through the real AWS SDK against a Cost Explorer of our own on loopback. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CostExplorerSource,
  createCostExplorerClient,
  runsOf,
} from '../../../src/integrations/aws-cost-explorer/source.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';
import { type CeCost, FakeCostExplorer } from '../../helpers/fake-cost-explorer.js';

const day = (i: number) =>
  new Date(Date.parse('2026-11-01T00:00:00Z') + i * 86400000).toISOString().slice(0, 10);
const COSTS: CeCost[] = [];
for (let i = -5; i < 30; i++) {
  for (const [service, usageType] of [
    ['Amazon EC2', 'BoxUsage:m5.large'],
    ['Amazon EC2', 'EBS:VolumeUsage'],
    ['Amazon S3', 'TimedStorage'],
    ['Amazon Cognito', 'MAU'],
  ]) {
    COSTS.push({
      day: day(i),
      service: service!,
      usageType: usageType!,
      recordType: 'Usage',
      unblended: 10 + i,
      amortized: 9 + i,
      net: 8 + i,
      quantity: 100,
    });
  }
  COSTS.push({
    day: day(i),
    service: 'Amazon EC2',
    usageType: '',
    recordType: 'Credit',
    unblended: -2,
    amortized: -2,
    net: -2,
    quantity: 0,
  });
  COSTS.push({
    day: day(i),
    service: 'Tax',
    usageType: '',
    recordType: 'Tax',
    unblended: 1.5,
    amortized: 1.5,
    net: 1.5,
    quantity: 0,
  });
}

let fake: FakeCostExplorer;
const saved = { ...process.env };
beforeAll(async () => {
  fake = await new FakeCostExplorer(COSTS).start();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_COST_EXPLORER: fake.url,
  });
});
afterAll(async () => {
  process.env = saved;
  await fake.stop();
});
afterEach(() => {
  fake.requests.length = 0;
  fake.pageSize = 100;
  fake.failWith = null;
  fake.failMessage = null;
});

interface SyncedRow {
  day: string;
  service: string;
  sku: string;
  category: string;
  provider: string;
  currency: string;
  tags: string;
  billed: number;
  effective: number;
  contracted: number;
  quantity: number;
}

async function source(options: Partial<ConstructorParameters<typeof CostExplorerSource>[0]> = {}) {
  const db = await DuckDb.open();
  const ce = new CostExplorerSource({ client: createCostExplorerClient({ maxAttempts: 4 }), db, ...options });
  return {
    db,
    ce,
    /** Syncs the range, then reads back what landed in the warehouse for it. */
    async rows(range: { start: string; end: string }, today: string): Promise<SyncedRow[]> {
      const { sourceId } = await ce.sync(range, today);
      return db.all<SyncedRow>(
        `SELECT strftime(d.day, '%Y-%m-%d') AS day, l.service, l.sku, l.category, l.provider, l.currency, l.tags,
           d.actual AS billed, d.amortized AS effective, d.net AS contracted, d.quantity
         FROM charge_days d JOIN charge_lines l ON l.source_id = d.source_id AND l.line_no = d.line_no
         WHERE d.source_id = ? AND d.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) ORDER BY ALL`,
        [sourceId, range.start, range.end],
      );
    },
  };
}

describe('CostExplorerSource', () => {
  it('the SDK itself reads AWS_ENDPOINT_URL_COST_EXPLORER, and End is exclusive: the last day is neither lost nor shifted', async () => {
    const { db, rows: synced } = await source();
    const rows = await synced({ start: '2026-11-01', end: '2026-11-03' }, '2026-11-24');
    expect(fake.requests.length).toBe(2);
    expect(fake.requests[0]).toMatchObject({
      TimePeriod: { Start: '2026-11-01', End: '2026-11-04' },
      Granularity: 'DAILY',
    });
    expect(fake.requests[0]!.Metrics).toEqual([
      'UnblendedCost',
      'AmortizedCost',
      'NetAmortizedCost',
      'UsageQuantity',
    ]);
    expect([...new Set(rows.map((r) => r.day))].sort()).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    const total = rows.reduce((s, r) => s + r.billed, 0);
    const expected = COSTS.filter((c) => c.day >= '2026-11-01' && c.day <= '2026-11-03').reduce(
      (s, c) => s + c.unblended,
      0,
    );
    expect(total).toBeCloseTo(expected, 9);
    db.close();
  });

  it('maps record types to categories and usage types to SKUs', async () => {
    const { db, rows: synced } = await source();
    const rows = await synced({ start: '2026-11-05', end: '2026-11-05' }, '2026-11-24');
    expect(rows.find((r) => r.category === 'Credit')).toMatchObject({ service: 'Amazon EC2', billed: -2 });
    expect(rows.find((r) => r.category === 'Tax')).toMatchObject({ service: 'Tax', billed: 1.5 });
    expect(rows.find((r) => r.sku === 'BoxUsage:m5.large')).toMatchObject({
      category: 'Usage',
      billed: 14,
      effective: 13,
      contracted: 12,
      quantity: 100,
      provider: 'AWS',
      currency: 'USD',
    });
    db.close();
  });

  it('follows NextPageToken to the end', async () => {
    fake.pageSize = 7;
    const { db, rows: synced } = await source();
    const rows = await synced({ start: '2026-11-01', end: '2026-11-10' }, '2026-11-24');
    expect(rows).toHaveLength(60);
    expect(fake.requests.length).toBeGreaterThan(6);
    expect(fake.requests.some((r) => r.NextPageToken === '7')).toBe(true);
    db.close();
  });

  it('a ThrottlingException is retried by the SDK', async () => {
    fake.throttleNext = 2;
    const { db, ce, rows: synced } = await source();
    const rows = await synced({ start: '2026-11-01', end: '2026-11-01' }, '2026-11-24');
    expect(rows).toHaveLength(6);
    expect(fake.requests.length).toBe(4);
    expect(ce.requestCount).toBe(2);
    db.close();
  });

  it('sends excluded services as a filter', async () => {
    const { db, rows: synced } = await source({ excludeServices: ['Tax', 'Amazon Cognito'] });
    const rows = await synced({ start: '2026-11-01', end: '2026-11-02' }, '2026-11-24');
    expect(JSON.stringify(fake.requests[0]!.Filter)).toContain(
      '"Not":{"Dimensions":{"Key":"SERVICE","Values":["Tax","Amazon Cognito"]}}',
    );
    expect(rows.some((r) => r.service === 'Tax' || r.service === 'Amazon Cognito')).toBe(false);
    db.close();
  });

  it('caches days: an identical second run fetches only the days that can still change', async () => {
    const { db, ce, rows: synced } = await source();
    await synced({ start: '2026-11-01', end: '2026-11-23' }, '2026-11-24');
    expect(ce.requestCount).toBe(2);
    fake.requests.length = 0;
    const again = await synced({ start: '2026-11-01', end: '2026-11-23' }, '2026-11-24');
    expect(ce.requestCount).toBe(4);
    expect(fake.requests.map((r) => r.TimePeriod)).toEqual([
      { Start: '2026-11-21', End: '2026-11-24' },
      { Start: '2026-11-21', End: '2026-11-24' },
    ]);
    expect(again).toHaveLength(23 * 6);
    db.close();
  });

  it.each([
    ['AccessDeniedException', 'the AWS identity needs the ce:GetCostAndUsage permission'],
    ['ExpiredTokenException', 'AWS credentials are missing, invalid or expired'],
    ['DataUnavailableException', 'enable Cost Explorer in the Billing console and allow 24 hours'],
  ])('%s gives one line saying what to do', async (type, text) => {
    fake.failWith = type;
    const { db, rows: synced } = await source();
    await expect(synced({ start: '2026-11-01', end: '2026-11-01' }, '2026-11-24')).rejects.toThrow(text);
    db.close();
  });

  it('an unactivated cost-allocation tag says where to activate it', async () => {
    fake.failWith = 'ValidationException';
    fake.failMessage = 'Tag key team is not activated for cost allocation';
    const { db, rows: synced } = await source({ groupBy: ['SERVICE', 'TAG:team'] });
    await expect(synced({ start: '2026-11-01', end: '2026-11-01' }, '2026-11-24')).rejects.toThrow(
      /activate it under Billing > Cost allocation tags/,
    );
    db.close();
  });

  it('throttling that outlasts the SDK retries is one line, after every attempt was made', async () => {
    fake.throttleNext = 100;
    const { db, rows: synced } = await source();
    await expect(synced({ start: '2026-11-01', end: '2026-11-01' }, '2026-11-24')).rejects.toThrow(
      'Cost Explorer is throttling requests even after retries: try again in a minute',
    );
    expect(fake.requests.length).toBe(4);
    fake.throttleNext = 0;
    db.close();
  });

  it('groups needed days into contiguous runs', () => {
    expect(runsOf(['2026-11-03', '2026-11-01', '2026-11-02', '2026-11-05'])).toEqual([
      { start: '2026-11-01', end: '2026-11-03' },
      { start: '2026-11-05', end: '2026-11-05' },
    ]);
  });
});

describe('SPENDBRIEF_CE_GROUP_BY', () => {
  it('takes two keys, tags included, and names what it accepts otherwise', async () => {
    const { loadConfig } = await import('../../../src/config.js');
    expect(loadConfig({}).SPENDBRIEF_CE_GROUP_BY).toEqual(['SERVICE', 'USAGE_TYPE']);
    expect(loadConfig({ SPENDBRIEF_CE_GROUP_BY: 'LINKED_ACCOUNT, TAG:team' }).SPENDBRIEF_CE_GROUP_BY).toEqual(
      ['LINKED_ACCOUNT', 'TAG:team'],
    );
    expect(() => loadConfig({ SPENDBRIEF_CE_GROUP_BY: 'SERVICE' })).toThrow(
      /environment variable SPENDBRIEF_CE_GROUP_BY "SERVICE" is not two of SERVICE, USAGE_TYPE/,
    );
  });

  it('a tag grouping becomes the row tags (team ownership from Cost Explorer)', async () => {
    const { db, rows: synced } = await source({ groupBy: ['SERVICE', 'TAG:team'] });
    const rows = await synced({ start: '2026-11-01', end: '2026-11-01' }, '2026-11-24');
    expect(fake.requests[0]!.GroupBy).toEqual([
      { Type: 'DIMENSION', Key: 'SERVICE' },
      { Type: 'TAG', Key: 'team' },
    ]);
    expect(
      rows
        .filter((r) => r.category === 'Usage')
        .every((r) => r.tags === '' || typeof JSON.parse(r.tags).team === 'string'),
    ).toBe(true);
    db.close();
  });
});
