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
import {
  type Allocation,
  allocate,
  type ComputeCost,
  type TypeAllocation,
} from '../analytics/allocation/allocate.js';
import {
  type EnergyCoefficients,
  emissionsKg,
  type Footprint,
  instanceFootprint,
  monthlyScaled,
  networkKwh,
  storageKwh,
} from '../analytics/carbon/footprint.js';
import { chooseReportCurrency } from '../analytics/periods/windows.js';
import type { Basis, DateRange } from '../analytics/types.js';
import { CodedError, ErrorCode } from '../errors.js';
import { type CcfCoefficients, ccfCoefficients } from '../integrations/carbon-coefficients/ccf.js';
import {
  type ElectricityMapsClient,
  type GridIntensity,
  GridIntensityProvider,
} from '../integrations/electricitymaps/client.js';
import type { CostWarehouse } from '../integrations/warehouse/port.js';
import type { FxConversion } from './carbon-fx.js';
import type { InstanceSource, InstancesSpec } from './instances.js';

export type { InstancesSpec } from './instances.js';
export { InstanceSource, parseInstancesSpec } from './instances.js';

export interface CarbonInstance {
  id: string;
  /** The type, or every type it ran as in the window (`m5.large → m5.xlarge`). */
  type: string;
  region: string;
  state: string;
  method: Allocation['allocated'][number]['method'];
  hoursFrom: 'billed' | 'runtime';
  /** Null when the cost data has no compute cost of its type (see `costNote`). */
  cost: number | null;
  costNote: string | null;
  hours: number;
  /** Null when not estimated (see `notEstimated`). */
  footprint:
    | (Omit<Footprint, 'hours' | 'gridGramsPerKwh' | 'wattsPerVcpu' | 'vcpuHours'> & {
        gridGramsPerKwh: number;
      })
    | null;
  gridSource: string | null;
  /** `average coefficients` where CCF does not map the type's processors. */
  coefficients: string | null;
  notEstimated: string | null;
}

export interface FootprintLine {
  what: 'SSD storage' | 'HDD storage' | 'data transfer out';
  region: string;
  replication: number | null;
  /** GB-months (storage, as billed) or GB (data transfer). */
  quantity: number;
  unit: 'GB-months' | 'GB';
  /** Storage: the GB-hours CCF's coefficient applies to (GB-months x the hours of their month). */
  gbHours: number | null;
  cost: number;
  kwh: number;
  kgCo2e: number | null;
  gridSource: string | null;
}

export interface CarbonData {
  window: DateRange;
  currency: string;
  cpuUtilisationPercent: number;
  instances: CarbonInstance[];
  excluded: { id: string; type: string; state: string; reason: string }[];
  allocation: TypeAllocation[];
  lines: FootprintLine[];
  /** What the figure covers and leaves out, in words ("compute and storage; network not in this data"). */
  coverage: string;
  /** What a reader must know about the data (no instance types, types without billed hours). */
  notes: string[];
  /** Set when money was converted from the billing currency (reports/carbon-fx.ts). */
  fx: (FxConversion & { from: string }) | null;
  sources: {
    coefficients: string;
    pue: number;
    lifespanHours: number;
    grid: {
      region: string;
      gramsPerKwh: number;
      kind: GridIntensity['kind'];
      source: string;
      emissions: GridIntensity['emissions'];
    }[];
  };
}

export interface CarbonDeps {
  instances: InstanceSource;
  electricityMaps: ElectricityMapsClient | null;
}

/** `days` calendar days ending `offsetDays` before `lastDay` (the last full day with data). */
export function windowEnding(lastDay: string, days: number, offsetDays = 0): DateRange {
  const end = DateTime.fromISO(lastDay, { zone: 'utc' }).minus({ days: offsetDays });
  return { start: end.minus({ days: days - 1 }).toISODate()!, end: end.toISODate()! };
}

export interface CarbonRequest {
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
  // The window ends on the last full day with data (like drivers' Nd), so an export of a past
  // month is read where its data is, not as an empty window before today.
  const yesterday = DateTime.fromISO(req.today, { zone: 'utc' }).minus({ days: 1 }).toISODate()!;
  const days = await warehouse.daySummary({ basis: req.basis, today: yesterday, teamTag: req.teamTag });
  const lastDay =
    days
      .map((d) => d.day)
      .sort()
      .at(-1) ?? '';
  if (lastDay === '')
    throw new CodedError(ErrorCode.NoData, `the source has no billing days before ${req.today}`);
  const window = windowEnding(lastDay, req.days ?? 30, req.offsetDays ?? 0);
  const cpu = req.cpuUtilisationPercent ?? 50;
  const per = new Map<string, number>();
  for (const d of days)
    if (d.day >= window.start && d.day <= window.end)
      per.set(d.currency, (per.get(d.currency) ?? 0) + d.spend);
  const currency = chooseReportCurrency([...per].map(([c, spend]) => ({ currency: c, spend })));
  const ccf = await ccfCoefficients();
  const usage = await warehouse.carbonUsage({ range: window, basis: req.basis, currency, classes: ccf });
  const costs: ComputeCost[] = usage
    .filter((u) => u.what === 'compute')
    .map((u) => ({
      resource: u.resource,
      instanceType: u.instanceType,
      region: u.region,
      cost: u.cost,
      hours: u.quantity,
    }));
  const instances = await deps.instances.load(req.instances, costs);
  const now = new Date(Date.parse(`${window.end}T00:00:00Z`) + 86_400_000);
  const allocation = allocate({ instances, window, now, costs, billed: req.instances.kind === 'billed' });

  const grid = new GridIntensityProvider({
    annual: (r) => ccf.gridGramsPerKwh(r),
    live: deps.electricityMaps,
    window,
  });
  const energy: EnergyCoefficients = {
    pue: ccf.pue,
    memoryKwhPerGbHour: ccf.memoryKwhPerGbHour,
    lifespanHours: ccf.lifespanHours,
  };
  const used = new Map<string, GridIntensity>();
  const instancesOut: CarbonInstance[] = [];
  for (const a of allocation.allocated) instancesOut.push(await instanceRow(a, ccf, grid, energy, cpu, used));
  instancesOut.sort(
    (x, y) => (y.footprint?.kgCo2e ?? -1) - (x.footprint?.kgCo2e ?? -1) || (y.cost ?? 0) - (x.cost ?? 0),
  );

  const lines: FootprintLine[] = [];
  for (const u of usage) {
    if (u.what === 'compute') continue;
    const g = u.region ? await grid.intensity(u.region) : null;
    if (g) used.set(u.region, g);
    const kwh =
      u.what === 'network'
        ? networkKwh(u.quantity, ccf.networkKwhPerGb, ccf.pue)
        : storageKwh(
            u.gbHours,
            u.what === 'ssd' ? ccf.ssdWhPerTbHour : ccf.hddWhPerTbHour,
            u.replication,
            ccf.pue,
          );
    lines.push({
      what: u.what === 'network' ? 'data transfer out' : u.what === 'ssd' ? 'SSD storage' : 'HDD storage',
      region: u.region,
      replication: u.what === 'network' ? null : u.replication,
      quantity: u.quantity,
      unit: u.what === 'network' ? 'GB' : 'GB-months',
      gbHours: u.what === 'network' ? null : u.gbHours,
      cost: u.cost,
      kwh,
      kgCo2e: g ? emissionsKg(kwh, g.gramsPerKwh) : null,
      gridSource: g?.source ?? null,
    });
  }
  const unknown = [...new Set(allocation.allocated.filter((a) => !a.costKnown).map((a) => a.instance.type))];
  const otherProviders = new Map<string, number>();
  for (const d of days)
    if (d.day >= window.start && d.day <= window.end && !/^(AWS|Amazon)/i.test(d.provider))
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
      compute: costs.length > 0 || instances.length > 0,
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

async function instanceRow(
  a: Allocation['allocated'][number],
  ccf: CcfCoefficients,
  grid: GridIntensityProvider,
  energy: EnergyCoefficients,
  cpu: number,
  used: Map<string, GridIntensity>,
): Promise<CarbonInstance> {
  const types = [...new Set(a.segments.map((s) => s.instanceType))];
  const base = {
    id: a.instance.id,
    type: types.join(' → '),
    region: a.instance.region || a.segments[0]?.region || '',
    state: a.instance.state,
    method: a.method,
    hoursFrom: a.hoursFrom,
    cost: a.costKnown ? a.cost : null,
    costNote: a.costKnown
      ? null
      : `no compute cost of ${a.segments[0]?.instanceType ?? 'its type'} in the data`,
    hours: a.hours,
  };
  let total: CarbonInstance['footprint'] = null;
  const reasons: string[] = [];
  let sources: string | null = null;
  let coefficients: string | null = null;
  for (const s of a.segments) {
    const c = ccf.instance(s.instanceType);
    const region = s.region || a.instance.region;
    const g = region ? await grid.intensity(region) : null;
    if (!c) reasons.push(`no CCF coefficients for ${s.instanceType}`);
    else if (!g) reasons.push(`no grid factor for region "${region}" (never an average)`);
    else if (s.hours <= 0) reasons.push('no hours in the window');
    if (!c || !g || s.hours <= 0) continue;
    used.set(region, g);
    sources = g.source;
    coefficients = c.averageCoefficients
      ? 'average coefficients (CCF maps no processor for this type)'
      : c.processors.join(', ');
    const f = instanceFootprint(c, s.hours, {
      cpuUtilisationPercent: cpu,
      gridGramsPerKwh: g.gramsPerKwh,
      energy,
    });
    total = total
      ? {
          computeKwh: total.computeKwh + f.computeKwh,
          memoryKwh: total.memoryKwh + f.memoryKwh,
          kwh: total.kwh + f.kwh,
          gridGramsPerKwh: g.gramsPerKwh,
          kgCo2e: total.kgCo2e + f.kgCo2e,
          embodiedKgCo2e:
            total.embodiedKgCo2e === null || f.embodiedKgCo2e === null
              ? null
              : total.embodiedKgCo2e + f.embodiedKgCo2e,
          monthlyKgCo2e: null,
        }
      : { ...f };
  }
  if (total) total.monthlyKgCo2e = monthlyScaled(total.kgCo2e, a.hours);
  return {
    ...base,
    footprint: total,
    gridSource: sources,
    coefficients,
    notEstimated: total ? null : (reasons[0] ?? 'not estimated'),
  };
}
