/**
 * What the carbon footprint reads from billing data, aggregated in the engine:
 *
 *   compute   EC2 instance rows (an EC2 service, an instance type, hour units): cost and billed
 *             hours per resource, type and region. RDS, ElastiCache and OpenSearch instances are
 *             not EC2 compute and stay out.
 *   storage   rows billed per GB-month: GB-hours (GB-months x the hours of the row's month), SSD
 *             or HDD and CCF's replication factor, told apart by the usage type where the data has
 *             one (CCF's lists) and by ChargeDescription otherwise
 *   network   data sent out (GB), CloudFront left out, as CCF does
 * Only AWS rows: the coefficients are CCF's AWS ones (the report names other providers' spend).
 */

import type { Where } from '../../analytics/scope.js';
import { sqlString } from './duckdb.js';
import type { FootprintClasses } from './port.js';
import { anyOf, dayIn, HOUR_UNITS, KIND_SQL, type Layout, lineSums, whereSql } from './sql.js';

const endsWithAny = (col: string, values: string[]) =>
  values.length ? `(${values.map((v) => `suffix(${col}, ${sqlString(v)})`).join(' OR ')})` : 'FALSE';

export const EC2_COMPUTE_SQL = `((service ILIKE '%Elastic Compute Cloud%' OR ${anyOf('service', ['AmazonEC2', 'Amazon EC2', 'EC2'])})
  AND instance_type <> '' AND NOT (instance_type LIKE 'db.%' OR instance_type LIKE 'cache.%' OR instance_type LIKE '%.search' OR instance_type LIKE '%.elasticsearch'))`;

/**
 * CCF's AWS coefficients apply to AWS rows: a provider name that starts with "AWS" or "Amazon" in
 * any case (FOCUS exports say "AWS" or "Amazon Web Services"; Cost Explorer rows carry "AWS").
 * The SQL and the JS form are one rule: what the footprint leaves out, the report names.
 */
export const AWS_PROVIDER_SQL = `(provider ILIKE 'AWS%' OR provider ILIKE 'Amazon%')`;
export const isAwsProvider = (provider: string): boolean => /^(AWS|Amazon)/i.test(provider);

const STORAGE_UNITS = [
  'gb-mo',
  'gb-month',
  'gb-months',
  'gb/month',
  'gib-mo',
  'gib-month',
  'gib-months',
  'gigabyte month',
];

export function carbonUsageSql(
  layout: Layout,
  q: {
    range: { start: string; end: string };
    basis: 'actual' | 'amortized' | 'net';
    currency: string;
    classes: FootprintClasses;
    where?: Where;
    teamTag: string;
  },
): string {
  const c = q.classes;
  const ls = lineSums(layout, {
    basis: q.basis,
    attrs: [
      'resource',
      'instance_type',
      'region',
      'service',
      'category',
      'unit',
      'usage_type',
      'provider',
      'description',
      'currency',
    ],
    sums: [
      'fsum({cost}) AS cost',
      'COALESCE(fsum(quantity), 0) AS qty',
      // GB-months to GB-hours with the hours of each row's own month, as CCF converts.
      'COALESCE(fsum(quantity * 24 * dayofmonth(last_day(day))), 0) AS gb_hours',
      // When each line first ran in the window: an instance's types in the order it ran as them.
      'min(day) AS first_day',
    ],
    where: dayIn(q.range.start, q.range.end),
    lineWhere: (l) => whereSql(q.where, q.teamTag, l),
  });
  const unit = 'lower(unit)';
  const storageUnit = `(${anyOf(unit, STORAGE_UNITS)} OR (unit = '' AND (${endsWithAny('usage_type', c.ssdUsageTypes)} OR ${endsWithAny('usage_type', c.hddUsageTypes)})))`;
  // SSD: CCF's usage types and services (by product code); without a usage type, the description.
  const ssd = `(${endsWithAny('usage_type', c.ssdUsageTypes)} OR ${anyOf('code', c.ssdServices)}
    OR (usage_type = '' AND regexp_matches(description, '\\b(SSD|gp2|gp3|io1|io2|Provisioned IOPS)\\b', 'i')))`;
  // Network: CCF's usage types; without one, a description of data sent out, never received.
  const network = `((${unit} = 'gb' OR (unit = '' AND ${endsWithAny('usage_type', c.networkUsageTypes)}))
    AND (${endsWithAny('usage_type', c.networkUsageTypes)}
      OR (usage_type = '' AND regexp_matches(description, 'data transfer (out|to)|to (the )?internet', 'i')))
    AND code <> 'AmazonCloudFront')`;
  return `WITH ls AS (${ls}),
coded AS (SELECT *, ${serviceCodeSql(c.serviceCodes)} AS code FROM ls),
classified AS (
  SELECT *, ${KIND_SQL} AS kind,
    CASE WHEN ${EC2_COMPUTE_SQL} AND (${anyOf(unit, HOUR_UNITS)} OR unit = '') THEN 'compute'
         WHEN ${storageUnit} AND ${ssd} THEN 'ssd'
         WHEN ${storageUnit} THEN 'hdd'
         WHEN ${network} THEN 'network'
         ELSE '' END AS what,
    ${replicationSql(c.replication)} AS replication
  FROM coded)
-- Compute keeps its resources (allocation needs them); storage and network are lines per region.
SELECT what, CASE WHEN what = 'compute' THEN resource ELSE '' END AS resource,
  CASE WHEN what = 'compute' THEN instance_type ELSE '' END AS "instanceType", region,
  CASE WHEN what = 'network' THEN 1 ELSE replication END AS replication,
  -- Energy does not depend on the currency: every row counts; its cost only in the report's.
  fsum(cost) FILTER (WHERE currency = ${sqlString(q.currency)}) AS cost,
  string_agg(DISTINCT currency, ',') FILTER (WHERE currency <> ${sqlString(q.currency)}) AS "otherCurrencies",
  fsum(qty) AS quantity, fsum(gb_hours) AS "gbHours", strftime(min(first_day), '%Y-%m-%d') AS "firstDay"
FROM classified WHERE what <> '' AND kind = 'usage' AND ${AWS_PROVIDER_SQL}
GROUP BY ALL ORDER BY what, cost DESC NULLS LAST, resource, "firstDay", "instanceType"`;
}

/** AWS's display names to the product codes CCF's rules use (a code stays a code). */
function serviceCodeSql(codes: Record<string, string>): string {
  return `CASE ${Object.entries(codes)
    .map(([name, code]) => `WHEN service = ${sqlString(name)} THEN ${sqlString(code)}`)
    .join(' ')} WHEN service ILIKE 'Amazon Elastic Compute Cloud%' THEN 'AmazonEC2' ELSE service END`;
}

/**
 * CCF's replication factor of a storage row (aws/lib/ReplicationFactors.ts), by product code and
 * usage type; rows without a usage type (FOCUS exports that carry none) read the description.
 */
function replicationSql(r: Record<string, number>): string {
  const f = (k: string) => String(r[k] ?? r.DEFAULT ?? 1);
  const has = (s: string) => `(usage_type ILIKE ${sqlString(`%${s}%`)})`;
  const says = (s: string) => `(usage_type = '' AND description ILIKE ${sqlString(`%${s}%`)})`;
  return `CASE
    WHEN code = 'AmazonS3' THEN CASE WHEN ${has('TimedStorage-ZIA')} OR ${has('EarlyDelete-ZIA')} OR ${has('TimedStorage-RRS')} OR ${says('One Zone')} OR ${says('Reduced Redundancy')} THEN ${f('S3_ONE_ZONE_REDUCED_REDUNDANCY')}
      WHEN ${has('TimedStorage')} OR ${has('EarlyDelete')} OR usage_type = '' THEN ${f('S3')} ELSE ${f('DEFAULT')} END
    WHEN code = 'AmazonEC2' THEN CASE WHEN ${has('VolumeUsage')} OR ${says('provisioned storage')} THEN ${f('EC2_EBS_VOLUME')}
      WHEN ${has('SnapshotUsage')} OR ${says('snapshot')} THEN ${f('EC2_EBS_SNAPSHOT')} ELSE ${f('DEFAULT')} END
    WHEN code = 'AmazonEFS' THEN CASE WHEN ${has('ZIA')} OR ${says('One Zone')} THEN ${f('EFS_ONE_ZONE')} ELSE ${f('EFS')} END
    WHEN code = 'AmazonRDS' THEN CASE WHEN ${has('BackupUsage')} OR ${says('backup')} THEN ${f('RDS_BACKUP')}
      WHEN ${has('Aurora')} OR ${says('Aurora')} THEN ${f('RDS_AURORA')} WHEN ${has('Multi-AZ')} OR ${says('Multi-AZ')} THEN ${f('RDS_MULTI_AZ')} ELSE ${f('DEFAULT')} END
    WHEN code = 'AmazonDocDB' THEN CASE WHEN ${has('BackupUsage')} OR ${says('backup')} THEN ${f('DOCUMENT_DB_BACKUP')} ELSE ${f('DOCUMENT_DB_STORAGE')} END
    WHEN code = 'AmazonDynamoDB' THEN ${f('DYNAMO_DB')}
    WHEN code = 'AmazonECR' THEN CASE WHEN ${has('TimedStorage')} OR usage_type = '' THEN ${f('ECR_STORAGE')} ELSE ${f('DEFAULT')} END
    WHEN code = 'AmazonElastiCache' THEN CASE WHEN ${has('BackupUsage')} OR ${says('backup')} THEN ${f('DOCUMENT_ELASTICACHE_BACKUP')} ELSE ${f('DEFAULT')} END
    WHEN code = 'AmazonSimpleDB' THEN CASE WHEN ${has('TimedStorage')} OR usage_type = '' THEN ${f('SIMPLE_DB')} ELSE ${f('DEFAULT')} END
    ELSE ${f('DEFAULT')} END`;
}
