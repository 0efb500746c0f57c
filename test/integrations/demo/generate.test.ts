/** The demo company: deterministic, and with every feature the method needs to show. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSql } from '../../../src/integrations/demo/generate.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';

let db: DuckDb;
beforeAll(async () => {
  db = await DuckDb.open();
  await db.run(`CREATE TABLE demo AS ${demoSql({ endDay: '2026-11-23', seed: 42 })}`);
});
afterAll(() => db.close());

const one = async <T>(sql: string): Promise<T> => (await db.all<{ v: T }>(sql))[0]!.v;

describe('demo data', () => {
  it('is deterministic for a seed and differs for another', async () => {
    const digest = (table: string) =>
      `SELECT fsum(BilledCost * hash(ResourceId, SkuId, ChargePeriodStart) % 997) AS v FROM ${table}`;
    await db.run(`CREATE TABLE again AS ${demoSql({ endDay: '2026-11-23', seed: 42 })}`);
    await db.run(`CREATE TABLE other AS ${demoSql({ endDay: '2026-11-23', seed: 7 })}`);
    expect(await one(digest('again'))).toBe(await one(digest('demo')));
    expect(await one(digest('other'))).not.toBe(await one(digest('demo')));
  });

  it('has 150 days, 12+ services, 4 AWS accounts, 3 AWS regions and 2 providers', async () => {
    expect(await one('SELECT count(DISTINCT CAST(ChargePeriodStart AS DATE)) AS v FROM demo')).toBe(150);
    expect(
      await one("SELECT count(DISTINCT ServiceName) AS v FROM demo WHERE ChargeCategory = 'Usage'"),
    ).toBeGreaterThanOrEqual(12);
    expect(await one("SELECT count(DISTINCT SubAccountId) AS v FROM demo WHERE ProviderName = 'AWS'")).toBe(
      4,
    );
    expect(
      await one(
        "SELECT count(DISTINCT RegionId) AS v FROM demo WHERE ProviderName = 'AWS' AND RegionId <> ''",
      ),
    ).toBe(3);
    expect(await one('SELECT count(DISTINCT ProviderName) AS v FROM demo')).toBe(2);
  });

  it('has untagged spend, SKUs with quantities, a credit line and a tax line', async () => {
    const untagged = await one<number>(
      `SELECT 100 * fsum(BilledCost) FILTER (WHERE Tags NOT LIKE '%"team"%') / fsum(BilledCost) AS v FROM demo WHERE ChargeCategory = 'Usage'`,
    );
    expect(untagged).toBeGreaterThan(3);
    expect(untagged).toBeLessThan(20);
    expect(
      await one(
        "SELECT count(*) AS v FROM demo WHERE ChargeCategory = 'Usage' AND (ConsumedQuantity IS NULL OR SkuId = '')",
      ),
    ).toBe(0);
    expect(await one("SELECT fsum(BilledCost) AS v FROM demo WHERE ChargeCategory = 'Credit'")).toBeLessThan(
      0,
    );
    expect(await one("SELECT fsum(BilledCost) AS v FROM demo WHERE ChargeCategory = 'Tax'")).toBeGreaterThan(
      0,
    );
  });

  it('has a service that appears, one that disappears, a price change and usage growth', async () => {
    expect(
      await one(
        "SELECT min(CAST(ChargePeriodStart AS DATE))::VARCHAR AS v FROM demo WHERE ServiceName = 'Amazon OpenSearch Service'",
      ),
    ).toBe('2026-11-03');
    expect(
      await one(
        "SELECT max(CAST(ChargePeriodStart AS DATE))::VARCHAR AS v FROM demo WHERE ServiceName = 'Amazon ElastiCache'",
      ),
    ).toBe('2026-10-14');
    const rates = await db.all<{ before: number; after: number }>(
      `SELECT avg(BilledCost / ConsumedQuantity) FILTER (WHERE ChargePeriodStart < DATE '2026-10-29') AS before,
              avg(BilledCost / ConsumedQuantity) FILTER (WHERE ChargePeriodStart >= DATE '2026-10-30') AS after
       FROM demo WHERE SkuId = 'BoxUsage:m5.xlarge'`,
    );
    expect(rates[0]!.after / rates[0]!.before).toBeCloseTo(1.15, 6);
    const growth = await one<number>(
      `SELECT fsum(ConsumedQuantity) FILTER (WHERE ChargePeriodStart >= DATE '2026-11-01') / fsum(ConsumedQuantity) FILTER (WHERE ChargePeriodStart < DATE '2026-07-20') AS v
       FROM demo WHERE ServiceName = 'AWS Lambda'`,
    );
    expect(growth).toBeGreaterThan(1.5);
  });

  it('scales by splits for the benchmark without adding line keys', async () => {
    const big = demoSql({ endDay: '2026-11-23', seed: 42, splits: 3 });
    const n = await one<number>(`SELECT count(*) AS v FROM (${big})`);
    const keys = await one<number>(
      `SELECT count(DISTINCT (ServiceName, SubAccountId, RegionId, SkuId, ResourceId, ChargeCategory)) AS v FROM (${big})`,
    );
    expect(n).toBe((await one<number>('SELECT count(*) AS v FROM demo')) * 3 - 2 * 150 * 2);
    expect(keys).toBe(
      await one(
        'SELECT count(DISTINCT (ServiceName, SubAccountId, RegionId, SkuId, ResourceId, ChargeCategory)) AS v FROM demo',
      ),
    );
  });
});
