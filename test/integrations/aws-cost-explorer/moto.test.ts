/** Cost Explorer through the real SDK against moto_server's canned get_cost_and_usage results. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CostExplorerSource,
  createCostExplorerClient,
} from '../../../src/integrations/aws-cost-explorer/source.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';
import { Moto, requireMoto } from '../../helpers/moto.js';

const run = requireMoto();
let moto: Moto;
const saved = { ...process.env };

const result = (groups: { Keys: string[]; amount: string }[]) => ({
  ResultsByTime: [
    {
      TimePeriod: { Start: '2026-11-02', End: '2026-11-03' },
      Total: {},
      Groups: groups.map((g) => ({
        Keys: g.Keys,
        Metrics: {
          UnblendedCost: { Amount: g.amount, Unit: 'USD' },
          AmortizedCost: { Amount: g.amount, Unit: 'USD' },
          NetAmortizedCost: { Amount: g.amount, Unit: 'USD' },
          UsageQuantity: { Amount: '3', Unit: 'N/A' },
        },
      })),
      Estimated: false,
    },
  ],
});

describe.runIf(run)('CostExplorerSource against moto_server', () => {
  beforeAll(async () => {
    moto = await new Moto().start();
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL_COST_EXPLORER: moto.url,
    });
  });
  afterAll(async () => {
    process.env = saved;
    await moto?.stop();
  });

  it('reads moto canned results for the usage and the other-record-types requests', async () => {
    const queue = {
      results: [
        result([{ Keys: ['Amazon Elastic Compute Cloud - Compute', 'BoxUsage:t3.small'], amount: '12.5' }]),
        result([
          { Keys: ['Credit', 'Amazon Elastic Compute Cloud - Compute'], amount: '-2.25' },
          { Keys: ['Tax', 'Tax'], amount: '1.10' },
        ]),
      ],
    };
    const res = await fetch(`${moto.url}/moto-api/static/ce/cost-and-usage-results`, {
      method: 'POST',
      body: JSON.stringify(queue),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.ok).toBe(true);
    const db = await DuckDb.open();
    const ce = new CostExplorerSource({ client: createCostExplorerClient(), db });
    const { sourceId } = await ce.sync({ start: '2026-11-02', end: '2026-11-02' }, '2026-11-24');
    const rows = await db.all<{ category: string; service: string; sku: string; billed: number }>(
      `SELECT l.category, l.service, l.sku, d.actual AS billed FROM charge_days d
       JOIN charge_lines l ON l.source_id = d.source_id AND l.line_no = d.line_no WHERE d.source_id = ? ORDER BY billed DESC`,
      [sourceId],
    );
    expect(rows.map((r) => [r.category, r.service, r.sku, r.billed])).toEqual([
      ['Usage', 'Amazon Elastic Compute Cloud - Compute', 'BoxUsage:t3.small', 12.5],
      ['Tax', 'Tax', '', 1.1],
      ['Credit', 'Amazon Elastic Compute Cloud - Compute', '', -2.25],
    ]);
    expect(ce.requestCount).toBe(2);
    db.close();
  });
});
