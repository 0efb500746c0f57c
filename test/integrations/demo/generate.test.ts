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
        "SELECT count(*) AS v FROM demo WHERE ChargeCategory = 'Usage' AND ServiceName <> 'AWS Support (Business)' AND (ConsumedQuantity IS NULL OR SkuId = '')",
      ),
    ).toBe(0);
    expect(await one("SELECT fsum(BilledCost) AS v FROM demo WHERE ChargeCategory = 'Credit'")).toBeLessThan(
      0,
    );
    expect(await one("SELECT fsum(BilledCost) AS v FROM demo WHERE ChargeCategory = 'Tax'")).toBeGreaterThan(
      0,
    );
  });

  it("tells its story in the digest's week: a new service, a removal, a price change, an expiring credit, a team's growth, a spike", async () => {
    // The last day is 2026-11-23: the week is 11-17..11-23, the one before 11-10..11-16.
    expect(
      await one(
        "SELECT min(CAST(ChargePeriodStart AS DATE))::VARCHAR AS v FROM demo WHERE ServiceName = 'Amazon Bedrock'",
      ),
    ).toBe('2026-11-19');
    expect(
      await one(
        "SELECT max(CAST(ChargePeriodStart AS DATE))::VARCHAR AS v FROM demo WHERE ServiceName = 'Amazon ElastiCache'",
      ),
    ).toBe('2026-11-16');
    expect(
      await one(
        "SELECT max(CAST(ChargePeriodStart AS DATE))::VARCHAR AS v FROM demo WHERE ChargeCategory = 'Credit'",
      ),
    ).toBe('2026-11-20');
    const rates = await db.all<{ before: number; after: number }>(
      `SELECT avg(BilledCost / ConsumedQuantity) FILTER (WHERE ChargePeriodStart < DATE '2026-11-19') AS before,
              avg(BilledCost / ConsumedQuantity) FILTER (WHERE ChargePeriodStart >= DATE '2026-11-19') AS after
       FROM demo WHERE SkuId = 'BoxUsage:m5.xlarge'`,
    );
    expect(rates[0]!.after / rates[0]!.before).toBeCloseTo(1.12, 6);
    const team = await one<number>(
      `SELECT fsum(ConsumedQuantity) FILTER (WHERE ChargePeriodStart >= DATE '2026-11-18') / 6
            / (fsum(ConsumedQuantity) FILTER (WHERE ChargePeriodStart BETWEEN DATE '2026-11-11' AND DATE '2026-11-16') / 6) AS v
       FROM demo WHERE SubAccountId = '444444444444' AND SkuId = 'Request' AND ChargePeriodStart >= DATE '2026-11-11'`,
    );
    expect(team).toBeGreaterThan(1.3);
    const spike = await db.all<{ day: string; gb: number }>(
      `SELECT CAST(ChargePeriodStart AS DATE)::VARCHAR AS day, fsum(ConsumedQuantity) AS gb FROM demo
       WHERE SkuId = 'DataTransfer-Out-Bytes' AND ServiceName = 'Amazon Elastic Compute Cloud' AND ChargePeriodStart >= DATE '2026-11-17'
       GROUP BY 1 ORDER BY gb DESC`,
    );
    expect(spike[0]!.day).toBe('2026-11-21');
    expect(spike[0]!.gb / spike[1]!.gb).toBeGreaterThan(4);
    // A fee without quantities: the method can only call its change mix.
    expect(
      await one(
        "SELECT count(*) AS v FROM demo WHERE ServiceName = 'AWS Support (Business)' AND ConsumedQuantity IS NOT NULL",
      ),
    ).toBe(0);
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
    // Support, tax and the monthly fee are one line per charge, not split.
    const fees = await one<number>("SELECT count(*) AS v FROM demo WHERE ServiceName = 'AWS Marketplace'");
    expect(fees).toBeGreaterThan(0);
    expect(n).toBe((await one<number>('SELECT count(*) AS v FROM demo')) * 3 - 2 * (147 + 150 + fees));
    expect(keys).toBe(
      await one(
        'SELECT count(DISTINCT (ServiceName, SubAccountId, RegionId, SkuId, ResourceId, ChargeCategory)) AS v FROM demo',
      ),
    );
  });
});
