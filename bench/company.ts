/**
 * The benchmark's second dataset: a real company's export, not the demo. 10M rows over 120 days,
 * 40 services (skewed: a few carry most spend), 20 accounts, 10 regions, 8 team tags (and 6 %
 * untagged), 2,000 SKUs (50 per service), 50,000 resources (one or two usage lines each), `Tags`
 * as JSON on every row (team, env, cost centre), 1.5 % credit rows and 0.5 % tax rows, hourly
 * charge periods, ChargeDescription text. Deterministic (DuckDB's `hash`), written as one query.
 */

export interface CompanyShape {
  rows: number;
  days: number;
  endDay: string;
  /** Distinct resources (default 50,000). */
  resources?: number;
  /** SKUs per service, 40 services (default 50: 2,000 SKUs). */
  skusPerService?: number;
}

/** A year of a large company (issue 27): 365 days, 200,000 resources, 5,000 SKUs. */
export const LARGE_COMPANY: Omit<CompanyShape, 'rows'> = {
  days: 365,
  endDay: '2026-11-30',
  resources: 200_000,
  skusPerService: 125,
};

export const COMPANY: CompanyShape = { rows: 10_000_000, days: 120, endDay: '2026-11-23' };

export const COMPANY_DESCRIPTION =
  '120 days, 40 services, 20 accounts, 10 regions, 8 team tags (6 % untagged), 2,000 SKUs, 50,000 resources, Tags JSON on every row, 1.5 % credits, 0.5 % tax, hourly periods';

/** SELECT producing FOCUS 1.2-style columns, ChargePeriodStart/End as TIMESTAMP. */
export function companySql(o: CompanyShape = COMPANY, days?: { from: string; to: string }): string {
  const perDay = Math.ceil(o.rows / o.days);
  const resources = o.resources ?? 50_000;
  const skus = o.skusPerService ?? 50;
  // Only these days' rows (a billing month's file), generated without the others.
  const back = (d: string) => Math.round((Date.parse(o.endDay) - Date.parse(d)) / 86_400_000);
  const from = days ? Math.max(0, back(days.to)) : 0;
  const to = days ? Math.min(o.days - 1, back(days.from)) : o.days - 1;
  const usage = Math.floor(perDay * 0.98);
  const credits = Math.floor(perDay * 0.015);
  return `
WITH r AS (
  SELECT i, i // ${perDay} AS back, i % ${perDay} AS j FROM range(${from * perDay}, ${(to + 1) * perDay}) t(i)
),
r2 AS (
  SELECT *, CAST(DATE '${o.endDay}' - CAST(back AS INTEGER) AS DATE) AS day, ${o.days - 1} - back AS t,
    CASE WHEN j < ${usage} THEN 'Usage' WHEN j < ${usage + credits} THEN 'Credit' ELSE 'Tax' END AS cat,
    CASE WHEN j < ${usage} THEN j ELSE (j * 7919) % ${usage} END AS line
  FROM r
),
r3 AS (
  SELECT *, line % ${resources} AS res, line // ${resources} AS variant, hash(line % ${resources}) AS rh FROM r2
),
r4 AS (
  SELECT *, CAST(floor(40 * pow((rh % 100000) / 100000.0, 2)) AS INTEGER) AS svc,
    (rh // 7) % 20 AS acct, (rh // 131) % 10 AS reg, (rh // 1009) % 8 AS team, (rh // 17) % 100 AS untag,
    CAST((rh // 3) % 3 AS BIGINT) AS env, (rh // 11) % 10 AS cc
  FROM r3
)
SELECT
  CAST(day AS TIMESTAMP) + to_hours(CAST(j % 24 AS INTEGER)) AS ChargePeriodStart,
  CAST(day AS TIMESTAMP) + to_hours(CAST(j % 24 AS INTEGER) + 1) AS ChargePeriodEnd,
  CASE WHEN cat = 'Usage' THEN round((1 + (rh % 1000) / 100.0) * (1 + 0.002 * t) * (0.95 + (hash(i) % 100) / 1000.0), 10)
       WHEN cat = 'Credit' THEN -round(0.5 + (hash(i) % 100) / 50.0, 10) ELSE round(2 + (hash(i) % 100) / 20.0, 10) END AS BilledCost,
  BilledCost * 0.9 AS EffectiveCost,
  BilledCost * 0.9 AS ContractedCost,
  BilledCost AS ListCost,
  CASE WHEN cat = 'Usage' THEN round((1 + (rh % 1000) / 100.0) * (1 + 0.002 * t) * 10, 6) END AS ConsumedQuantity,
  CASE WHEN cat = 'Usage' THEN 'Hours' END AS ConsumedUnit,
  cat AS ChargeCategory,
  'Service ' || lpad(CAST(svc AS VARCHAR), 2, '0') AS ServiceName,
  lpad(CAST(100000000000 + acct AS VARCHAR), 12, '0') AS SubAccountId,
  'region-' || reg AS RegionId,
  'SKU' || lpad(CAST(svc * ${skus} + (hash(res, variant) % ${skus}) AS VARCHAR), 5, '0') AS SkuId,
  CASE WHEN cat = 'Tax' THEN '' ELSE 'arn:aws:svc:region-' || reg || ':' || lpad(CAST(100000000000 + acct AS VARCHAR), 12, '0') || ':resource/r-' || lpad(CAST(res AS VARCHAR), 6, '0') END AS ResourceId,
  CASE WHEN untag < 6 THEN '{"env":"' || ['prod','staging','dev'][env + 1] || '"}'
       ELSE '{"team":"team-' || team || '","env":"' || ['prod','staging','dev'][env + 1] || '","cost-center":"cc-' || cc || '"}' END AS Tags,
  'USD' AS BillingCurrency,
  'AWS' AS ProviderName,
  'Usage of SKU ' || svc * ${skus} + (hash(res, variant) % ${skus}) || ' in region-' || reg AS ChargeDescription
FROM r4`;
}
