/**
 * Instances, their cost and the footprint of compute, storage and data transfer over one window:
 *
 *   1. from the warehouse: EC2 compute (cost and billed hours per resource, type and region),
 *      storage (GB-hours, SSD or HDD, replication) and data sent out (GB)
 *   2. instances: the billed resources, the EC2 inventory or a JSON file; allocation (exact by
 *      resource id, else runtime-proportional within a type)
 *   3. CCF's method per instance type the instance ran as, the grid intensity of the window (the
 *      average of ElectricityMaps' history, else CCF's annual factor); storage and network lines
 */
import { DateTime } from 'luxon';
import { allocate, type ComputeCost, instanceIdOf } from '../../analytics/allocation/allocate.js';
import { chooseReportCurrency } from '../../analytics/periods/windows.js';
import type { Where } from '../../analytics/scope.js';
import type { Basis, DateRange, Instance } from '../../analytics/types.js';
import { CodedError, ErrorCode } from '../../errors.js';
import { ccfCoefficients } from '../../integrations/carbon-coefficients/ccf.js';
import {
  type ElectricityMapsClient,
  GridIntensityProvider,
} from '../../integrations/electricitymaps/client.js';
import { isAwsProvider } from '../../integrations/warehouse/carbon-sql.js';
import type { CostWarehouse, DayTotal } from '../../integrations/warehouse/port.js';
import { noLineMatches, type Scoped } from '../scope.js';
import type { InstanceSource, InstancesSpec } from './instances.js';
import { instanceRow, type RowContext, unlistedRows, usageLine } from './rows.js';
import type { CarbonData, CarbonInstance, FootprintLine } from './types.js';

export interface CarbonDeps {
  instances: InstanceSource;
  electricityMaps: ElectricityMapsClient | null;
}

/** `days` calendar days ending `offsetDays` before `lastDay` (the last full day with data). */
export function windowEnding(lastDay: string, days: number, offsetDays = 0): DateRange {
  const end = DateTime.fromISO(lastDay, { zone: 'utc' }).minus({ days: offsetDays });
  return { start: end.minus({ days: days - 1 }).toISODate()!, end: end.toISODate()! };
}

export interface CarbonRequest extends Scoped {
  instances: InstancesSpec;
  today: string;
  basis: Basis;
  teamTag: string;
  days?: number;
  offsetDays?: number;
  /** CPU utilisation for CCF's watts (default 50 %). */
  cpuUtilisationPercent?: number;
}

function coverageOf(has: { compute: boolean; storage: boolean; network: boolean }): string {
  const parts = (['compute', 'storage', 'network'] as const).filter((k) => has[k]);
  const missing = (['compute', 'storage', 'network'] as const).filter((k) => !has[k]);
  const list = (xs: readonly string[]) =>
    xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;
  return parts.length === 0
    ? 'nothing this footprint can estimate is in this data'
    : `${list(parts)}${missing.length ? `; ${list(missing)} not in this data` : ''}`;
}

export async function loadCarbon(
  warehouse: CostWarehouse,
  deps: CarbonDeps,
  req: CarbonRequest,
): Promise<CarbonData> {
  return (await loadCarbonWindows(warehouse, deps, req, [req.offsetDays ?? 0]))[0]!;
}

/**
 * The footprint of several windows of `req.days` ending `offsets` days before the last full day
 * (a digest's this week and last): one day scan and one instance listing serve them all.
 */
export async function loadCarbonWindows(
  warehouse: CostWarehouse,
  deps: CarbonDeps,
  req: CarbonRequest,
  offsets: number[],
): Promise<CarbonData[]> {
  // The window ends on the last full day with data (like drivers' Nd), so an export of a past
  // month is read where its data is, not as an empty window before today.
  const yesterday = DateTime.fromISO(req.today, { zone: 'utc' }).minus({ days: 1 }).toISODate()!;
  const days = await warehouse.daySummary({
    basis: req.basis,
    today: yesterday,
    teamTag: req.teamTag,
    where: req.where,
  });
  if (req.where?.length && days.length === 0)
    throw await noLineMatches(warehouse, req, { today: yesterday, basis: req.basis, teamTag: req.teamTag });
  const lastDay =
    days
      .map((d) => d.day)
      .sort()
      .at(-1) ?? '';
  if (lastDay === '')
    throw new CodedError(ErrorCode.NoData, `the source has no billing days before ${req.today}`);
  // EC2 or a file lists the same instances for every window; billed ones come from each window's costs.
  const listed = req.instances.kind === 'billed' ? null : await deps.instances.load(req.instances, []);
  const out: CarbonData[] = [];
  for (const offset of offsets)
    out.push(
      await carbonOfWindow(warehouse, deps, req, days, windowEnding(lastDay, req.days ?? 30, offset), listed),
    );
  return out;
}

async function carbonOfWindow(
  warehouse: CostWarehouse,
  deps: CarbonDeps,
  req: CarbonRequest,
  days: DayTotal[],
  window: DateRange,
  listed: Instance[] | null,
): Promise<CarbonData> {
  const cpu = req.cpuUtilisationPercent ?? 50;
  const per = new Map<string, number>();
  for (const d of days)
    if (d.day >= window.start && d.day <= window.end)
      per.set(d.currency, (per.get(d.currency) ?? 0) + d.spend);
  const currency = chooseReportCurrency([...per].map(([c, spend]) => ({ currency: c, spend })));
  const ccf = await ccfCoefficients();
  const usage = await warehouse.carbonUsage({
    range: window,
    basis: req.basis,
    currency,
    classes: ccf,
    where: req.where,
    teamTag: req.teamTag,
  });
  const computeRows = usage.filter((u) => u.what === 'compute');
  const costs: ComputeCost[] = computeRows.map((u) => ({
    resource: u.resource,
    instanceType: u.instanceType,
    region: u.region,
    cost: u.cost ?? 0,
    hours: u.quantity,
    firstDay: u.firstDay,
  }));
  const instances = listed
    ? instancesInScope(listed, req.where, req.teamTag, costs)
    : await deps.instances.load(req.instances, costs);
  const now = new Date(Date.parse(`${window.end}T00:00:00Z`) + 86_400_000);
  const allocation = allocate({ instances, window, now, costs, billed: req.instances.kind === 'billed' });

  const ctx: RowContext = {
    ccf,
    grid: new GridIntensityProvider({
      annual: (r) => ccf.gridGramsPerKwh(r),
      live: deps.electricityMaps,
      window,
    }),
    energy: { pue: ccf.pue, memoryKwhPerGbHour: ccf.memoryKwhPerGbHour, lifespanHours: ccf.lifespanHours },
    cpu,
    used: new Map(),
  };
  const instancesOut: CarbonInstance[] = [];
  for (const a of allocation.allocated) instancesOut.push(await instanceRow(a, ctx));
  // Billed only in another currency: the cost is not known in this one (never shown as 0).
  const foreignOnly = new Map(
    computeRows
      .filter((u) => u.cost === null && u.resource)
      .map((u) => [instanceIdOf(u.resource), u.otherCurrencies]),
  );
  for (const i of instancesOut)
    if (foreignOnly.has(i.id) && i.cost === 0) {
      i.cost = null;
      i.costNote = `billed in ${foreignOnly.get(i.id)}: not in the ${currency} figures`;
    }
  instancesOut.sort(
    (x, y) => (y.footprint?.kgCo2e ?? -1) - (x.footprint?.kgCo2e ?? -1) || (y.cost ?? 0) - (x.cost ?? 0),
  );

  // Pool hours by type and region: where the hours no listed instance took ran.
  const regionHours = new Map<string, Map<string, number>>();
  for (const c of costs)
    if (c.resource === '') {
      const m = regionHours.get(c.instanceType) ?? new Map<string, number>();
      m.set(c.region, (m.get(c.region) ?? 0) + c.hours);
      regionHours.set(c.instanceType, m);
    }
  const lines: FootprintLine[] = await unlistedRows(allocation.types, allocation.allocated, regionHours, ctx);
  for (const u of usage) if (u.what !== 'compute') lines.push(await usageLine(u, ctx));
  const used = ctx.used;
  const foreign = [...new Set(usage.flatMap((u) => (u.otherCurrencies ? u.otherCurrencies.split(',') : [])))];
  const unknown = [...new Set(allocation.allocated.filter((a) => !a.costKnown).map((a) => a.instance.type))];
  const otherProviders = new Map<string, number>();
  for (const d of days)
    if (d.day >= window.start && d.day <= window.end && !isAwsProvider(d.provider))
      otherProviders.set(
        d.provider || 'unnamed',
        (otherProviders.get(d.provider || 'unnamed') ?? 0) + d.spend,
      );
  const notes = [
    ...(otherProviders.size
      ? [
          `Not covered: ${[...otherProviders.keys()].join(', ')} spend in this window (the coefficients are CCF's AWS ones).`,
        ]
      : []),
    ...(unknown.length
      ? [
          `No EC2 compute cost of ${unknown.join(', ')} in the data, so those instances' cost is unknown, not zero${
            costs.length === 0
              ? ' (on Cost Explorer, SPENDBRIEF_CE_GROUP_BY needs USAGE_TYPE or INSTANCE_TYPE to name instance types)'
              : ''
          }.`,
        ]
      : []),
    ...allocation.types.filter((t) => t.note).map((t) => `${t.instanceType}: ${t.note}.`),
    ...(foreign.length
      ? [
          `Some usage is billed in ${foreign.join(', ')}: its footprint is counted, its cost is not in the ${currency} figures.`,
        ]
      : []),
  ];
  return {
    window,
    currency,
    cpuUtilisationPercent: cpu,
    notes,
    fx: null,
    instances: instancesOut,
    excluded: allocation.excluded.map((e) => ({
      id: e.instance.id,
      type: e.instance.type,
      state: e.instance.state,
      reason: e.reason,
    })),
    allocation: allocation.types,
    lines,
    coverage: coverageOf({
      compute: computeRows.length > 0 || instances.length > 0,
      storage: usage.some((u) => u.what === 'ssd' || u.what === 'hdd'),
      network: usage.some((u) => u.what === 'network'),
    }),
    sources: {
      coefficients: ccf.source,
      pue: ccf.pue,
      lifespanHours: ccf.lifespanHours,
      grid: [...used].map(([region, g]) => ({
        region,
        gramsPerKwh: g.gramsPerKwh,
        kind: g.kind,
        source: g.source,
        emissions: g.emissions,
      })),
    },
  };
}

/**
 * Listed instances (EC2, a file) inside a scope: by the tags and region they carry. A clause an
 * instance cannot show (account, service, sku, provider) keeps only instances billed in the scope,
 * so another team's instances never enter its footprint.
 */
export function instancesInScope(
  instances: Instance[],
  where: Where | undefined,
  teamTag: string,
  costs: ComputeCost[],
): Instance[] {
  if (!where?.length) return instances;
  const billed = new Set(costs.filter((c) => c.resource).map((c) => instanceIdOf(c.resource)));
  return instances.filter((i) =>
    where.every((c) => {
      if (c.dimension === 'region') return c.values.includes(i.region);
      if (c.dimension === 'team') return c.values.includes(i.tags[teamTag] ?? '');
      if (c.dimension.startsWith('tag:')) return c.values.includes(i.tags[c.dimension.slice(4)] ?? '');
      return billed.has(instanceIdOf(i.id));
    }),
  );
}
