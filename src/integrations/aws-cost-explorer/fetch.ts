/**
 * GetCostAndUsage, DAILY, for one contiguous range of days -> normalised charge rows.
 * `TimePeriod.End` is exclusive: a range ending on D is requested with End = D + 1.
 * All three cost metrics are fetched in one call, so every basis reads from the same rows.
 */
import {
  type CostExplorerClient,
  type Expression,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandOutput,
  type GroupDefinition,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import { DateTime } from 'luxon';
import type { DateRange } from '../../analytics/types.js';
import { CodedError, ErrorCode } from '../../errors.js';
import { describeAwsError } from '../aws-errors.js';
import type { ChargeRow } from '../warehouse/port.js';
import { chargeCategory, USAGE_RECORD_TYPES } from './record-types.js';

/** A GroupBy key: a dimension or `TAG:<key>`. */
export type GroupKey =
  | 'SERVICE'
  | 'USAGE_TYPE'
  | 'LINKED_ACCOUNT'
  | 'REGION'
  | 'INSTANCE_TYPE'
  | `TAG:${string}`;

export const METRICS = ['UnblendedCost', 'AmortizedCost', 'NetAmortizedCost', 'UsageQuantity'] as const;

export interface FetchPlan {
  groupBy: [GroupKey, GroupKey];
  excludeServices: string[];
}

export const exclusiveEnd = (lastDay: string): string =>
  DateTime.fromISO(lastDay, { zone: 'utc' }).plus({ days: 1 }).toISODate()!;

const groupDef = (k: GroupKey): GroupDefinition =>
  k.startsWith('TAG:') ? { Type: 'TAG', Key: k.slice(4) } : { Type: 'DIMENSION', Key: k };

function and(...parts: (Expression | null)[]): Expression | undefined {
  const p = parts.filter((x): x is Expression => x !== null);
  return p.length === 0 ? undefined : p.length === 1 ? p[0] : { And: p };
}

function amount(metric: { Amount?: string } | undefined, where: string): number {
  const raw = metric?.Amount ?? '0';
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n))
    throw new CodedError(
      ErrorCode.Upstream,
      `Cost Explorer returned a non-numeric amount "${raw}" for ${where}`,
    );
  return n;
}

/** One group's keys -> the row's dimensions (tags come back as `key$value`). */
function applyKey(row: ChargeRow, key: GroupKey, value: string): void {
  if (key === 'SERVICE') row.service = value;
  else if (key === 'USAGE_TYPE') {
    row.sku = value;
    row.usageType = value;
    // EC2 instance hours name their type: `BoxUsage:m5.large`, `USE1-SpotUsage:c5.xlarge`,
    // `SchedUsage:m5.large` (HostUsage names only a family: a host, not an instance).
    const m = /(?:^|-)(?:Box|Spot|Dedicated|Sched)Usage:([a-z][a-z0-9-]*\.[a-z0-9]+)$/.exec(value);
    if (m) {
      row.instanceType = m[1]!;
      row.unit = 'Hrs';
    }
  } else if (key === 'LINKED_ACCOUNT') row.account = value;
  else if (key === 'REGION') row.region = value === 'NoRegion' ? '' : value;
  else if (key === 'INSTANCE_TYPE') {
    row.instanceType = value === 'NoInstanceType' ? '' : value;
    // Cost Explorer's quantity of an instance-type group is its instance hours.
    if (row.instanceType) row.unit = 'Hrs';
  } else {
    const tag = value.includes('$') ? value.slice(value.indexOf('$') + 1) : value;
    if (tag !== '') row.tags = { ...(row.tags ?? {}), [key.slice(4)]: tag };
  }
}

function rowsOf(
  results: ResultByTime[],
  keys: GroupKey[],
  category: (group: string[]) => string,
): ChargeRow[] {
  const out: ChargeRow[] = [];
  for (const r of results) {
    const day = r.TimePeriod?.Start ?? '';
    for (const g of r.Groups ?? []) {
      const where = `${day} ${(g.Keys ?? []).join(' / ')}`;
      const m = g.Metrics ?? {};
      const row: ChargeRow = {
        day,
        billed: amount(m.UnblendedCost, where),
        effective: amount(m.AmortizedCost, where),
        contracted: amount(m.NetAmortizedCost, where),
        quantity: amount(m.UsageQuantity, where),
        category: category(g.Keys ?? []),
        service: '',
        account: '',
        region: '',
        sku: '',
        resource: '',
        tags: null,
        currency: m.UnblendedCost?.Unit ?? 'USD',
        provider: 'AWS',
        instanceType: '',
      };
      (g.Keys ?? []).forEach((v, i) => {
        const k = keys[i];
        if (k && k !== ('RECORD_TYPE' as GroupKey)) applyKey(row, k, v);
      });
      out.push(row);
    }
  }
  return out;
}

export async function fetchRange(
  client: CostExplorerClient,
  range: DateRange,
  plan: FetchPlan,
  onRequest: () => void,
): Promise<ChargeRow[]> {
  const notExcluded: Expression | null = plan.excludeServices.length
    ? { Not: { Dimensions: { Key: 'SERVICE', Values: plan.excludeServices } } }
    : null;
  const usageFamily: Expression = { Dimensions: { Key: 'RECORD_TYPE', Values: USAGE_RECORD_TYPES } };
  const queries = [
    { filter: and(usageFamily, notExcluded), keys: plan.groupBy as GroupKey[], category: () => 'Usage' },
    // Credits, refunds, tax, fees...: grouped by record type so each gets its category.
    {
      filter: and({ Not: usageFamily }, notExcluded),
      keys: ['RECORD_TYPE' as GroupKey, 'SERVICE' as GroupKey],
      category: (k: string[]) => chargeCategory(k[0] ?? ''),
    },
  ];
  const rows: ChargeRow[] = [];
  for (const q of queries) {
    let token: string | undefined;
    do {
      onRequest();
      let res: GetCostAndUsageCommandOutput;
      try {
        res = await client.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: range.start, End: exclusiveEnd(range.end) },
            Granularity: 'DAILY',
            Metrics: [...METRICS],
            GroupBy: q.keys.map(groupDef),
            Filter: q.filter,
            NextPageToken: token,
          }),
        );
      } catch (e) {
        throw describeAwsError(e, { service: 'Cost Explorer', permission: 'ce:GetCostAndUsage' });
      }
      rows.push(...rowsOf(res.ResultsByTime ?? [], q.keys, q.category));
      token = res.NextPageToken;
    } while (token);
  }
  return rows;
}
