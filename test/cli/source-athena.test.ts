/**
 * `--source athena:<database>.<table>` through the real SDK against moto's Athena on loopback.
 * The numbers: the aggregation's own text runs on DuckDB over a table laid out as AWS's FOCUS export
 * (lower-case columns, `tags` a map, `billing_period` the partition); moto answers with those rows;
 * `sync` then `drivers` gives the same JSON as `--source focus:` on the same data, to the cent.
 * The protocol: results paged, a failed query, a query stopped at the time limit, throttling.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateSql } from '../../src/integrations/athena/source.js';
import { demoSql } from '../../src/integrations/demo/generate.js';
import { DuckDb } from '../../src/integrations/warehouse/duckdb.js';
import { AthenaProxy } from '../helpers/athena-proxy.js';
import { Moto, requireMoto } from '../helpers/moto.js';
import { cents } from '../helpers/numbers.js';

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'spendbrief-athena-'));
const parquet = join(dir, 'export.parquet');
const TODAY = '2026-11-24';
// 70 days: 30 against the 30 before, and room; a slice of the demo's resources (moto answers every
// page with the whole result, so a smaller result keeps the test quick).
const RANGE = { start: '2026-09-16', end: '2026-11-24' };
const DAYS = '70';

let moto: Moto;
let proxy: AthenaProxy;
let seed: { rows: { Data: { VarCharValue?: string }[] }[]; column_info: { Name: string; Type: string }[] };

const withMoto = requireMoto();

async function seedResults(times = 1): Promise<void> {
  const res = await fetch(`${moto.url}/moto-api/static/athena/query-results`, {
    method: 'POST',
    body: JSON.stringify({
      account_id: '123456789012',
      region: 'us-east-1',
      results: Array.from({ length: times }, () => seed),
    }),
  });
  expect(res.status).toBe(201);
}

const run = (args: string[], env: Record<string, string> = {}, db = join(dir, 'warehouse.duckdb')) =>
  promisify(execFile)('node', [BIN, ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_ATHENA: proxy.url,
      SPENDBRIEF_DB: db,
      SPENDBRIEF_ATHENA_OUTPUT: 's3://athena-results/spendbrief/',
      ...env,
    },
  });

beforeAll(async () => {
  if (!withMoto) return;
  moto = await new Moto().start();
  proxy = await new AthenaProxy(moto.url).start();
  // The demo company, as AWS's Data Exports would put it behind Athena, and as a FOCUS Parquet file.
  const db = await DuckDb.open();
  await db.run(
    `CREATE TABLE demo AS SELECT * FROM (${demoSql({ endDay: RANGE.end, days: 70 })}) WHERE ResourceId = '' OR hash(ResourceId) % 30 = 0`,
  );
  await db.run(`COPY demo TO '${parquet}' (FORMAT parquet)`);
  await db.run('CREATE SCHEMA focus');
  await db.run(`CREATE TABLE focus.export AS SELECT
      CAST(ChargePeriodStart AS TIMESTAMP) AS chargeperiodstart, BilledCost AS billedcost, EffectiveCost AS effectivecost,
      ContractedCost AS contractedcost, ConsumedQuantity AS consumedquantity, ConsumedUnit AS consumedunit,
      ChargeCategory AS chargecategory, ServiceName AS servicename, SubAccountId AS subaccountid, RegionId AS regionid,
      SkuId AS skuid, ResourceId AS resourceid, BillingCurrency AS billingcurrency, ProviderName AS providername,
      CAST(NULL AS VARCHAR) AS chargedescription, x_UsageType AS x_usagetype,
      CASE WHEN Tags = '' THEN NULL ELSE CAST(json(Tags) AS MAP(VARCHAR, VARCHAR)) END AS tags, strftime(ChargePeriodStart, '%Y-%m') AS billing_period
    FROM demo`);
  // The very query spendbrief sends to Athena, run by DuckDB (the dialect map's one difference).
  const rows = await db.all<Record<string, unknown>>(
    aggregateSql({ database: 'focus', table: 'export' }, RANGE, 'duckdb'),
  );
  db.close();
  const names = Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? {} : { VarCharValue: String(v) });
  seed = {
    column_info: names.map((n) => ({ Name: n, Type: /cost|quantity/.test(n) ? 'double' : 'varchar' })),
    rows: [
      { Data: names.map((n) => ({ VarCharValue: n })) },
      ...rows.map((r) => ({ Data: names.map((n) => cell(r[n])) })),
    ],
  };
});
afterAll(async () => {
  await proxy?.stop();
  await moto?.stop();
});

describe.runIf(withMoto)('--source athena: against moto', { timeout: 120_000 }, () => {
  it('sync brings the day-by-line sums; drivers then equals drivers on the same data as FOCUS Parquet, to the cent', async () => {
    await seedResults();
    proxy.pageSize = 1000;
    const sync = await run(
      ['sync', '--source', 'athena:focus.export', '--today', TODAY, '--format', 'json'],
      { SPENDBRIEF_ATHENA_DAYS: DAYS },
    );
    const outcome = JSON.parse(sync.stdout);
    expect(outcome.athena).toMatchObject({
      rows: seed.rows.length - 1,
      bytesScanned: expect.any(Number),
      costUsd: expect.any(Number),
    });
    expect(sync.stderr).toMatch(
      /Athena: query \S+ scanned [\d.]+ GB \([\d.]+ USD at 5 USD\/TB\) for 2026-09-16\.\.2026-11-24/,
    );
    // Paged: moto answers everything at once; the proxy hands it out 1,000 rows a page.
    expect(proxy.calls.filter((c) => c === 'GetQueryResults').length).toBeGreaterThan(3);
    const calls = proxy.calls.length;
    const args = ['drivers', '--today', TODAY, '--window', '30d', '--by', 'service', '--format', 'json'];
    const athena = JSON.parse((await run([...args, '--source', 'athena:focus.export'])).stdout);
    // Answered from the warehouse: Athena is not asked again.
    expect(proxy.calls.length).toBe(calls);
    const focus = JSON.parse(
      (await run([...args, '--source', `focus:${parquet}`], {}, join(dir, 'none', 'x.duckdb'))).stdout,
    );
    expect(cents(athena)).toEqual(cents(focus));
    expect(athena.kpis.current).toBeGreaterThan(1000);

    // The next sync asks only for the months the export may still restate (October, November),
    // and replaces exactly those days: the answer stays the same. (moto answers it with the same
    // 70 days; only the asked range lands.)
    await seedResults();
    const again = await run(
      ['sync', '--source', 'athena:focus.export', '--today', TODAY, '--format', 'json'],
      { SPENDBRIEF_ATHENA_DAYS: DAYS },
    );
    expect(again.stderr).toMatch(/ for 2026-10-01\.\.2026-11-24/);
    expect(cents(JSON.parse((await run([...args, '--source', 'athena:focus.export'])).stdout))).toEqual(
      cents(focus),
    );
    const whole = JSON.parse(
      (
        await run([
          'drivers',
          '--today',
          TODAY,
          '--window',
          '60d',
          '--format',
          'json',
          '--source',
          'athena:focus.export',
        ])
      ).stdout,
    );
    const wholeFocus = JSON.parse(
      (
        await run(
          [
            'drivers',
            '--today',
            TODAY,
            '--window',
            '60d',
            '--format',
            'json',
            '--source',
            `focus:${parquet}`,
          ],
          {},
          join(dir, 'none', 'x.duckdb'),
        )
      ).stdout,
    );
    expect(cents(whole.kpis)).toEqual(cents(wholeFocus.kpis));
  });

  it('a one-off run queries Athena once and reports what it scanned in its JSON', async () => {
    await seedResults();
    const started = () => proxy.calls.filter((c) => c === 'StartQueryExecution').length;
    const before = started();
    const j = JSON.parse(
      (
        await run(
          ['drivers', '--source', 'athena:focus.export', '--today', TODAY, '--format', 'json'],
          { SPENDBRIEF_ATHENA_DAYS: DAYS },
          join(dir, 'oneoff', 'x.duckdb'),
        )
      ).stdout,
    );
    expect(j.athena).toMatchObject({
      queryId: expect.any(String),
      bytesScanned: expect.any(Number),
      rows: seed.rows.length - 1,
    });
    expect(started() - before).toBe(1);
  });

  it('a FAILED query is one line with Athena reason', async () => {
    await seedResults();
    proxy.state = {
      State: 'FAILED',
      StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'x_usagetype' cannot be resolved",
    };
    try {
      const e = await run(
        ['drivers', '--source', 'athena:focus.export', '--today', TODAY],
        {},
        join(dir, 'failed', 'x.duckdb'),
      ).catch((x) => x);
      expect(e.code).toBeGreaterThan(0);
      expect(e.stderr.trim().split('\n')).toHaveLength(1);
      expect(e.stderr).toMatch(
        /Athena query \S+ failed: COLUMN_NOT_FOUND: line 1:8: Column 'x_usagetype' cannot be resolved/,
      );
    } finally {
      proxy.state = null;
    }
  });

  it('a query past the time limit is stopped, never left running', async () => {
    await seedResults();
    proxy.state = { State: 'RUNNING' };
    try {
      const before = proxy.calls.filter((c) => c === 'StopQueryExecution').length;
      const e = await run(
        ['drivers', '--source', 'athena:focus.export', '--today', TODAY],
        { SPENDBRIEF_ATHENA_TIMEOUT: '1.5' },
        join(dir, 'slow', 'x.duckdb'),
      ).catch((x) => x);
      expect(e.stderr).toMatch(/Athena query \S+ ran past 2 s and was stopped/);
      expect(proxy.calls.filter((c) => c === 'StopQueryExecution').length).toBe(before + 1);
    } finally {
      proxy.state = null;
    }
  });

  it('throttling is retried by the SDK, and the answer is the same', async () => {
    await seedResults();
    proxy.throttle = [
      { op: 'StartQueryExecution' },
      { op: 'GetQueryExecution' },
      { op: 'GetQueryResults', type: 'TooManyRequestsException' },
    ];
    const j = JSON.parse(
      (
        await run(
          ['drivers', '--source', 'athena:focus.export', '--today', TODAY, '--format', 'json'],
          { SPENDBRIEF_ATHENA_DAYS: DAYS },
          join(dir, 'throttled', 'x.duckdb'),
        )
      ).stdout,
    );
    expect(proxy.throttle).toEqual([]);
    expect(j.kpis.current).toBeGreaterThan(1000);
  });

  it('a bad source name is one line saying what is accepted', async () => {
    const e = await run(['drivers', '--source', 'athena:focus']).catch((x) => x);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('athena: takes <database>.<table>');
  });
});
