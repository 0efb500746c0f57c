/**
 * `spendbrief drivers --source ce` through the real SDK against a Cost Explorer on loopback gives the
 * same report as the same costs loaded from a FOCUS file; a second run fetches only restatable days.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSql } from '../../src/integrations/demo/generate.js';
import { DuckDb } from '../../src/integrations/warehouse/duckdb.js';
import { type CeCost, FakeCostExplorer } from '../helpers/fake-cost-explorer.js';

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'spendbrief-ce-'));
let fake: FakeCostExplorer;
let focusFile: string;

beforeAll(async () => {
  const db = await DuckDb.open();
  const costs = await db.all<CeCost>(
    `SELECT strftime(CAST(ChargePeriodStart AS DATE), '%Y-%m-%d') AS day, ServiceName AS service, SkuId AS "usageType",
       CASE ChargeCategory WHEN 'Usage' THEN 'Usage' WHEN 'Credit' THEN 'Credit' ELSE 'Tax' END AS "recordType",
       fsum(BilledCost) AS unblended, fsum(EffectiveCost) AS amortized, fsum(ContractedCost) AS net, COALESCE(fsum(ConsumedQuantity), 0) AS quantity
     FROM (${demoSql({ endDay: '2026-11-23' })}) WHERE ProviderName = 'AWS' GROUP BY ALL`,
  );
  db.close();
  focusFile = join(dir, 'same-costs.csv');
  const category = (rt: string) => (rt === 'Usage' ? 'Usage' : rt);
  writeFileSync(
    focusFile,
    [
      'ChargePeriodStart,BilledCost,EffectiveCost,ContractedCost,ConsumedQuantity,ChargeCategory,ServiceName,SkuId,BillingCurrency,ProviderName',
      ...costs.map((c) =>
        [
          c.day,
          c.unblended,
          c.amortized,
          c.net,
          c.quantity,
          category(c.recordType),
          `"${c.service}"`,
          `"${c.usageType}"`,
          'USD',
          'AWS',
        ].join(','),
      ),
    ].join('\n'),
  );
  fake = await new FakeCostExplorer(costs).start();
  fake.pageSize = 500;
});
afterAll(async () => fake?.stop());

async function drivers(source: string): Promise<{ json: Record<string, unknown>; stderr: string }> {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'eu-central-1',
    AWS_ENDPOINT_URL_COST_EXPLORER: fake.url,
    SPENDBRIEF_DB: join(dir, 'cache.duckdb'),
  };
  const { stdout, stderr } = await promisify(execFile)(
    'node',
    [
      BIN,
      'drivers',
      '--source',
      source,
      '--today',
      '2026-11-24',
      '--window',
      '30d',
      '--by',
      'service',
      '--format',
      'json',
    ],
    { env },
  );
  return { json: JSON.parse(stdout), stderr };
}

describe('--source ce', () => {
  it('gives the report of the same costs from a FOCUS file, and then fetches only restatable days', async () => {
    const ce = await drivers('ce');
    const focus = await drivers(`focus:${focusFile}`);
    expect(ce.stderr).toMatch(
      /Cost Explorer: \d+ request\(s\), 365 day\(s\) fetched for 2025-11-24\.\.2026-11-23/,
    );
    expect(ce.json.window).toEqual(focus.json.window);
    const k = (j: Record<string, unknown>) => j.kpis as Record<string, number>;
    for (const name of ['previous', 'current', 'netChange', 'explained', 'unexplained'])
      expect(k(ce.json)[name]).toBeCloseTo(k(focus.json)[name]!, 6);
    const wf = (j: Record<string, unknown>) =>
      j.waterfall as { steps: unknown; end: number; balanced: boolean };
    expect(wf(ce.json).steps).toEqual(wf(focus.json).steps);
    expect(wf(ce.json).end).toBeCloseTo(wf(focus.json).end, 6);
    expect(wf(ce.json).balanced).toBe(true);
    const rows = (j: Record<string, unknown>) =>
      (j.rows as { key: string; deltaValue: number; driverType: string }[]).map((r) => [
        r.key,
        r.deltaValue.toFixed(6),
        r.driverType,
      ]);
    expect(rows(ce.json)).toEqual(rows(focus.json));

    const first = fake.requests.length;
    const again = await drivers('ce');
    expect(k(again.json).current).toBeCloseTo(k(ce.json).current!, 6);
    const periods = fake.requests.slice(first).map((r) => r.TimePeriod);
    expect(periods.length).toBeGreaterThan(0);
    for (const p of periods) expect(p).toEqual({ Start: '2026-11-21', End: '2026-11-24' });
  });
});
