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
import { sqlString } from './duckdb.js';
import { anyOf, dayIn, HOUR_UNITS, KIND_SQL, type Layout, lineSums } from './sql.js';

/** CCF's lists (integrations/carbon-coefficients/ccf.ts). */
export interface FootprintClasses {
  ssdUsageTypes: string[];
  hddUsageTypes: string[];
  networkUsageTypes: string[];
  ssdServices: string[];
  replication: { ebsVolume: number; ebsSnapshot: number; s3: number; default: number };
}

const endsWithAny = (col: string, values: string[]) =>
  values.length ? `(${values.map((v) => `suffix(${col}, ${sqlString(v)})`).join(' OR ')})` : 'FALSE';

export const EC2_COMPUTE_SQL = `((service ILIKE '%Elastic Compute Cloud%' OR ${anyOf('service', ['AmazonEC2', 'Amazon EC2', 'EC2'])})
  AND instance_type <> '' AND NOT (instance_type LIKE 'db.%' OR instance_type LIKE 'cache.%' OR instance_type LIKE '%.search' OR instance_type LIKE '%.elasticsearch'))`;

/** CCF's AWS coefficients apply to AWS rows (Cost Explorer rows carry 'AWS' too). */
export const AWS_PROVIDER_SQL = `(provider = 'AWS' OR provider ILIKE 'Amazon%')`;

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
    ],
    sums: [
      'fsum({cost}) AS cost',
      'COALESCE(fsum(quantity), 0) AS qty',
      // GB-months to GB-hours with the hours of each row's own month, as CCF converts.
      'COALESCE(fsum(quantity * 24 * dayofmonth(last_day(day))), 0) AS gb_hours',
    ],
    where: dayIn(q.range.start, q.range.end),
    lineWhere: `{l}currency = ${sqlString(q.currency)}`,
  });
  const unit = 'lower(unit)';
  const storageUnit = `(${anyOf(unit, STORAGE_UNITS)} OR (unit = '' AND (${endsWithAny('usage_type', c.ssdUsageTypes)} OR ${endsWithAny('usage_type', c.hddUsageTypes)})))`;
  const ssd = `(${endsWithAny('usage_type', c.ssdUsageTypes)} OR ${anyOf('service', c.ssdServices)} OR regexp_matches(description, '\\b(SSD|gp2|gp3|io1|io2|Provisioned IOPS)\\b', 'i'))`;
  const hdd = `(${endsWithAny('usage_type', c.hddUsageTypes)} OR regexp_matches(description, '(HDD|Magnetic|snapshot|\\bst1\\b|\\bsc1\\b|Glacier|log storage|Data Stored|storage)', 'i') OR service ILIKE '%Simple Storage Service%')`;
  const replication = `CASE
    WHEN usage_type ILIKE '%SnapshotUsage%' OR description ILIKE '%snapshot%' THEN ${c.replication.ebsSnapshot}
    WHEN usage_type ILIKE '%VolumeUsage%' OR description ILIKE '%provisioned storage%' THEN ${c.replication.ebsVolume}
    WHEN usage_type ILIKE '%TimedStorage%' OR service ILIKE '%Simple Storage Service%' THEN ${c.replication.s3}
    ELSE ${c.replication.default} END`;
  const network = `((${unit} = 'gb' OR (unit = '' AND ${endsWithAny('usage_type', c.networkUsageTypes)}))
    AND (${endsWithAny('usage_type', c.networkUsageTypes)} OR (description ILIKE '%data transfer%' AND description NOT ILIKE '%data transfer in%'))
    AND service NOT ILIKE '%CloudFront%')`;
  return `WITH ls AS (${ls}),
classified AS (
  SELECT *, ${KIND_SQL} AS kind,
    CASE WHEN ${EC2_COMPUTE_SQL} AND (${anyOf(unit, HOUR_UNITS)} OR unit = '') THEN 'compute'
         WHEN ${storageUnit} AND ${ssd} THEN 'ssd'
         WHEN ${storageUnit} AND ${hdd} THEN 'hdd'
         WHEN ${network} THEN 'network'
         ELSE '' END AS what,
    ${replication} AS replication
  FROM ls)
-- Compute keeps its resources (allocation needs them); storage and network are lines per region.
SELECT what, CASE WHEN what = 'compute' THEN resource ELSE '' END AS resource,
  CASE WHEN what = 'compute' THEN instance_type ELSE '' END AS "instanceType", region,
  CASE WHEN what = 'network' THEN 1 ELSE replication END AS replication,
  fsum(cost) AS cost, fsum(qty) AS quantity, fsum(gb_hours) AS "gbHours"
FROM classified WHERE what <> '' AND kind = 'usage' AND ${AWS_PROVIDER_SQL}
GROUP BY ALL ORDER BY what, cost DESC, resource`;
}
