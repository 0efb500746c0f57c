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
import { cents } from '../helpers/numbers.js';

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
     FROM (${demoSql({ endDay: '2026-11-23', days: 400 })}) WHERE ProviderName = 'AWS' GROUP BY ALL`,
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

async function drivers(
  source: string,
  args: string[] = ['--today', '2026-11-24', '--window', '30d'],
): Promise<{ json: Record<string, unknown>; stderr: string }> {
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
    [BIN, 'drivers', '--source', source, ...args, '--by', 'service', '--format', 'json'],
    { env },
  );
  return { json: JSON.parse(stdout), stderr };
}

/** The drivers object without what differs by source only in the last bits of parallel sums. */
const comparable = (j: Record<string, unknown>) => cents(j);

describe('--source ce', () => {
  it('gives the report of the same costs from a FOCUS file, and then fetches only restatable days', async () => {
    const ce = await drivers('ce');
    const focus = await drivers(`focus:${focusFile}`);
    // 30d with its comparison reads 67 days, not SPENDBRIEF_CE_DAYS (365): the cost is said first.
    expect(ce.stderr).toMatch(
      /Cost Explorer: 67 day\(s\) of 2026-09-19\.\.2026-11-24 to fetch \(0 cached\); at least 1 request\(s\)/,
    );
    expect(ce.stderr).toMatch(
      /Cost Explorer: \d+ request\(s\), 67 day\(s\) fetched for 2026-09-19\.\.2026-11-24/,
    );
    expect(comparable(ce.json)).toEqual(comparable(focus.json));
    const wf = (j: Record<string, unknown>) => j.waterfall as { balanced: boolean };
    expect(wf(ce.json).balanced).toBe(true);

    const first = fake.requests.length;
    const again = await drivers('ce');
    expect(comparable(again.json)).toEqual(comparable(ce.json));
    const periods = fake.requests.slice(first).map((r) => r.TimePeriod);
    expect(periods.length).toBeGreaterThan(0);
    // The three restatable days before today, and today itself (End is exclusive).
    for (const p of periods) expect(p).toEqual({ Start: '2026-11-21', End: '2026-11-25' });
  });

  it.each([
    ['ending on --today, whose rows count', ['--today', '2026-11-23', '--window', '2026-10-27..2026-11-23']],
    ['ending the day before --today', ['--today', '2026-11-23', '--window', '2026-10-26..2026-11-22']],
    ['ending a month before --today', ['--today', '2026-11-23', '--window', '2026-09-24..2026-10-23']],
    ["of the issue's example", ['--today', '2026-03-16', '--window', '2026-02-20..2026-03-16']],
  ])('gives the same JSON as the FOCUS file for a window %s', async (_name, args) => {
    const ce = await drivers('ce', [...args, '--compare', 'previous_period']);
    const focus = await drivers(`focus:${focusFile}`, [...args, '--compare', 'previous_period']);
    expect(comparable(ce.json)).toEqual(comparable(focus.json));
    expect((ce.json.kpis as { current: number }).current).toBeGreaterThan(0);
    expect(ce.json.missingDays).toBeNull();
  });

  it('says which days a window reaching past the data lacks, from Cost Explorer as from the file', async () => {
    // The data ends on 2026-11-23; the real date is later, so Cost Explorer is asked to its end.
    const args = ['--today', '2026-11-30', '--window', '2026-11-17..2026-11-30', '--compare', 'none'];
    const ce = await drivers('ce', args);
    const focus = await drivers(`focus:${focusFile}`, args);
    expect(ce.json.missingDays).toEqual({ start: '2026-11-24', end: '2026-11-30' });
    expect(comparable(ce.json)).toEqual(comparable(focus.json));
  });
});
