/**
 * The deterministic demo generator, written as one SQL query over `range()` so that DuckDB makes
 * 36 thousand rows for the CLI or ten million for the benchmark in seconds. Pseudo-randomness is
 * `hash(seed, line, day, split)`: the same (seed, endDay, rows) gives the same rows.
 *
 *   1. lines = SKUs x accounts x regions x resources (a bounded set of line keys)
 *   2. x days (growth, weekly seasonality, noise, a price change, a service that appears and one
 *      that disappears) x splits (hourly rows, more of them for a bigger file)
 *   3. plus a daily credit line that shrinks 30 days before the end, a daily tax line, and a
 *      monthly licence fee charged on the 1st for the whole month
 */
import { sqlString } from '../warehouse/duckdb.js';
import { DEMO_ACCOUNTS, DEMO_REGIONS, DEMO_SKUS, DEMO_STORY } from './catalogue.js';

export interface DemoOptions {
  /** Last day with data, `YYYY-MM-DD` (the CLI passes the day before today). */
  endDay: string;
  /** Days of history (default 150). */
  days?: number;
  seed?: number;
  /** Rows per line and day (default 1; the benchmark raises it to reach millions of rows). */
  splits?: number;
}

const num = (n: number | null): string => (n === null ? 'NULL' : String(n));

function values(rows: (string | number | null)[][]): string {
  return rows
    .map((r) => `(${r.map((v) => (typeof v === 'string' ? sqlString(v) : num(v))).join(', ')})`)
    .join(',\n    ');
}

/** Rows per (line, day) before splits, to size a benchmark file. */
export function demoRowsPerDay(): number {
  let n = 0;
  for (const s of DEMO_SKUS) {
    const accounts = DEMO_ACCOUNTS.filter((a) => a.provider === s.provider).length;
    const regions = DEMO_REGIONS.filter((r) => r.provider === s.provider).length;
    n += accounts * regions * s.resources;
  }
  return n + 2;
}

/** SELECT producing FOCUS 1.0 columns (plus x_InstanceType). */
export function demoSql(o: DemoOptions): string {
  const days = o.days ?? 150;
  const seed = o.seed ?? 42;
  const splits = Math.max(1, Math.floor(o.splits ?? 1));
  const skus = values(
    DEMO_SKUS.map((s, i) => [
      i,
      s.provider,
      s.service,
      s.sku,
      s.unit,
      s.price,
      s.baseQty,
      s.growth,
      s.instanceType,
      s.resources,
      s.appearsDaysBeforeEnd,
      s.endsDaysBeforeEnd,
      s.noQuantity ? 1 : 0,
    ]),
  );
  const accounts = values(DEMO_ACCOUNTS.map((a) => [a.provider, a.account, a.team, a.factor]));
  const regions = values(DEMO_REGIONS.map((r) => [r.provider, r.region, r.factor]));
  const end = sqlString(o.endDay);
  return `
WITH skus(sku_id, provider, service, sku, unit, price, base_qty, growth, instance_type, resources, appears, ends, no_qty) AS (VALUES
    ${skus}),
accounts(provider, account, team, af) AS (VALUES
    ${accounts}),
regions(provider, region, rf) AS (VALUES
    ${regions}),
lines AS (
  SELECT s.*, a.account, a.team, a.af, r.region, r.rf, res.n AS res_n,
         hash(${seed}, s.sku_id, a.account, r.region, res.n) AS line_hash
  FROM skus s
  JOIN accounts a ON a.provider = s.provider
  JOIN regions r ON r.provider = s.provider
  CROSS JOIN LATERAL (SELECT n FROM range(0, s.resources) t(n)) res
),
days AS (
  SELECT d AS back, CAST(DATE ${end} - CAST(d AS INTEGER) AS DATE) AS day, ${days - 1} - d AS t FROM range(0, ${days}) r(d)
),
splits AS (SELECT k FROM range(0, ${splits}) r(k)),
usage AS (
  SELECT l.*, dd.day, dd.back, dd.t, sp.k,
    (hash(${seed}, l.line_hash, dd.t, sp.k) % 1000000) / 1000000.0 AS u
  FROM lines l CROSS JOIN days dd CROSS JOIN splits sp
  WHERE (l.appears IS NULL OR dd.back <= l.appears) AND (l.ends IS NULL OR dd.back >= l.ends)
),
priced AS (
  SELECT *,
    base_qty / resources * af * rf * pow(1 + growth, t)
      * (CASE WHEN dayofweek(day) IN (0, 6) THEN 0.85 ELSE 1.0 END)
      * (CASE WHEN account = ${sqlString(DEMO_STORY.teamGrowth.account)} AND back < ${DEMO_STORY.teamGrowth.daysBeforeEnd} THEN ${DEMO_STORY.teamGrowth.factor} ELSE 1 END)
      * (CASE WHEN sku = ${sqlString(DEMO_STORY.spike.sku)} AND service = ${sqlString(DEMO_STORY.spike.service)} AND back = ${DEMO_STORY.spike.daysBeforeEnd} THEN ${DEMO_STORY.spike.factor} ELSE 1 END)
      * (0.94 + 0.12 * u) / ${splits} AS qty,
    price * (CASE WHEN sku = ${sqlString(DEMO_STORY.priceChange.sku)} AND back < ${DEMO_STORY.priceChange.daysBeforeEnd} THEN ${DEMO_STORY.priceChange.factor} ELSE 1 END) AS unit_price
  FROM usage
)
SELECT
  CAST(day AS TIMESTAMP) + to_hours(CAST(k % 24 AS INTEGER)) AS ChargePeriodStart,
  CAST(day AS TIMESTAMP) + to_hours(CAST(k % 24 AS INTEGER) + 1) AS ChargePeriodEnd,
  round(qty * unit_price, 10) AS BilledCost,
  round(qty * unit_price * (CASE WHEN account = '111111111111' AND sku LIKE 'BoxUsage:%' THEN 0.72 ELSE 1 END), 10) AS EffectiveCost,
  CASE WHEN provider = 'AWS' THEN round(qty * unit_price * (CASE WHEN account = '111111111111' AND sku LIKE 'BoxUsage:%' THEN 0.72 ELSE 1 END), 10) END AS ContractedCost,
  round(qty * price, 10) AS ListCost,
  CASE WHEN no_qty = 1 THEN NULL ELSE round(qty, 6) END AS ConsumedQuantity,
  CASE WHEN no_qty = 1 THEN NULL ELSE unit END AS ConsumedUnit,
  'Usage' AS ChargeCategory,
  service AS ServiceName,
  account AS SubAccountId,
  region AS RegionId,
  sku AS SkuId,
  CASE WHEN resources > 1 THEN (CASE WHEN provider = 'AWS' THEN 'i-' ELSE 'vm-' END) || substr(md5(CAST(line_hash AS VARCHAR)), 1, 17) ELSE '' END AS ResourceId,
  -- About one line in ten carries no team tag: the untagged spend of the governance checks.
  CASE WHEN line_hash % 10 = 0 THEN '{"env": "prod"}' ELSE '{"team": "' || team || '", "env": "prod"}' END AS Tags,
  'USD' AS BillingCurrency,
  provider AS ProviderName,
  instance_type AS x_InstanceType,
  sku AS x_UsageType
FROM priced
UNION ALL
SELECT CAST(day AS TIMESTAMP), CAST(day AS TIMESTAMP) + to_hours(24),
  ${DEMO_STORY.credit.perDay}, ${DEMO_STORY.credit.perDay}, ${DEMO_STORY.credit.perDay}, 0.0, NULL, NULL, 'Credit', 'Amazon Elastic Compute Cloud',
  '111111111111', 'us-east-1', '', '', '{"team": "platform"}', 'USD', 'AWS', '', ''
FROM days WHERE back >= ${DEMO_STORY.credit.endsDaysBeforeEnd}
UNION ALL
SELECT CAST(day AS TIMESTAMP), CAST(day AS TIMESTAMP) + to_hours(24),
  round(28 + 0.05 * t, 2), round(28 + 0.05 * t, 2), round(28 + 0.05 * t, 2), round(28 + 0.05 * t, 2), NULL, NULL,
  'Tax', 'Tax', '111111111111', '', '', '', '', 'USD', 'AWS', '', ''
FROM days
UNION ALL
SELECT CAST(day AS TIMESTAMP), CAST(day AS TIMESTAMP) + INTERVAL 1 MONTH,
  ${DEMO_STORY.monthlyFee.amount}, ${DEMO_STORY.monthlyFee.amount}, ${DEMO_STORY.monthlyFee.amount}, ${DEMO_STORY.monthlyFee.amount}, NULL, NULL,
  'Purchase', ${sqlString(DEMO_STORY.monthlyFee.service)}, '111111111111', '', ${sqlString(DEMO_STORY.monthlyFee.sku)}, '', '', 'USD', 'AWS', '', ''
FROM days WHERE dayofmonth(day) = 1`;
}
