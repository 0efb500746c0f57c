/**
 * Instances, their cost and their footprint over one window:
 *
 *   1. instance costs from the warehouse (per resource where the data has ids, per type otherwise)
 *   2. instances: the EC2 inventory, a JSON file, or (FOCUS and demo data) the billed resources
 *   3. allocation (exact or runtime-proportional), then power x hours x PUE x grid intensity
 */
import { readFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import { type Allocation, allocate } from '../analytics/allocation/allocate.js';
import { type Footprint, footprint } from '../analytics/carbon/footprint.js';
import { chooseReportCurrency } from '../analytics/periods/windows.js';
import type { Basis, DateRange, Instance } from '../analytics/types.js';
import { CodedError, ErrorCode } from '../errors.js';
import type { Ec2Inventory } from '../integrations/aws-ec2/inventory.js';
import { CarbonCoefficients, COEFFICIENTS_SOURCE } from '../integrations/carbon-coefficients/coefficients.js';
import { type ElectricityMapsClient, GridIntensityProvider } from '../integrations/electricitymaps/client.js';
import type { CostWarehouse, InstanceCost } from '../integrations/warehouse/port.js';

export type InstancesSpec = { kind: 'ec2' } | { kind: 'json'; path: string } | { kind: 'billed' };

export function parseInstancesSpec(text: string): InstancesSpec {
  return text === 'ec2'
    ? { kind: 'ec2' }
    : text === 'billed'
      ? { kind: 'billed' }
      : { kind: 'json', path: text };
}

export interface CarbonRow {
  id: string;
  type: string;
  region: string;
  state: string;
  method: 'resource' | 'runtime-proportional';
  cost: number;
  footprint: Footprint | null;
  gridSource: string | null;
  coefficientBasis: string | null;
  notEstimated: string | null;
}

export interface CarbonData {
  window: DateRange;
  currency: string;
  rows: CarbonRow[];
  excluded: { id: string; type: string; state: string; reason: string }[];
  allocation: Allocation['types'];
  gridSources: string[];
  coefficients: string;
}

/** The last `days` full days before `today`. */
export function windowBefore(today: string, days: number, offsetDays = 0): DateRange {
  const end = DateTime.fromISO(today, { zone: 'utc' }).minus({ days: 1 + offsetDays });
  return { start: end.minus({ days: days - 1 }).toISODate()!, end: end.toISODate()! };
}

/** Billed resources as instances: running when billed on the window's last day, else gone since. */
export function instancesFromCosts(costs: InstanceCost[], window: DateRange): Instance[] {
  return costs
    .filter((c) => c.resource !== '')
    .map((c) => ({
      id: c.resource,
      type: c.instanceType,
      state: c.lastDay >= window.end ? 'running' : 'terminated',
      launchTime: `${c.firstDay}T00:00:00.000Z`,
      stateTransitionTime: c.lastDay >= window.end ? null : `${c.lastDay}T23:59:59.000Z`,
      region: c.region,
      tags: {},
    }));
}

/** Instances from where a request says: the billed resources, the EC2 inventory or a JSON file. */
export class InstanceSource {
  constructor(private readonly o: { ec2: () => Promise<Ec2Inventory>; regions: string[] }) {}

  async load(spec: InstancesSpec, costs: InstanceCost[], window: DateRange): Promise<Instance[]> {
    if (spec.kind === 'billed') return instancesFromCosts(costs, window);
    if (spec.kind === 'ec2') {
      if (this.o.regions.length === 0)
        throw new CodedError(
          ErrorCode.Config,
          '--instances ec2 needs AWS_REGION (one region or a comma-separated list)',
        );
      return (await this.o.ec2()).listInstances(this.o.regions);
    }
    return readInstancesFile(spec.path);
  }
}

async function readInstancesFile(path: string): Promise<Instance[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new CodedError(
      ErrorCode.SourceInvalid,
      `${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(e as Error).message})`}; expected an array of instances {id, type, state, launchTime, region}`,
    );
  }
  if (!Array.isArray(parsed))
    throw new CodedError(ErrorCode.SourceInvalid, `${path}: expected a JSON array of instances`);
  return parsed.map((x, i) => {
    const o = x as Partial<Instance>;
    if (
      !o.id ||
      !o.type ||
      !o.state ||
      !o.launchTime ||
      !o.region ||
      Number.isNaN(Date.parse(o.launchTime))
    ) {
      throw new CodedError(
        ErrorCode.SourceInvalid,
        `${path}, item ${i}: needs id, type, state, launchTime (ISO date-time) and region`,
      );
    }
    return {
      id: o.id,
      type: o.type,
      state: o.state,
      launchTime: o.launchTime,
      stateTransitionTime: o.stateTransitionTime ?? null,
      region: o.region,
      tags: o.tags ?? {},
    };
  });
}

export interface CarbonDeps {
  instances: InstanceSource;
  electricityMaps: ElectricityMapsClient | null;
}

export async function loadCarbon(
  warehouse: CostWarehouse,
  deps: CarbonDeps,
  req: {
    instances: InstancesSpec;
    today: string;
    basis: Basis;
    days?: number;
    offsetDays?: number;
    teamTag: string;
  },
): Promise<CarbonData> {
  const window = windowBefore(req.today, req.days ?? 30, req.offsetDays ?? 0);
  const per = new Map<string, number>();
  for (const d of await warehouse.daySummary({ basis: req.basis, today: window.end, teamTag: req.teamTag })) {
    if (d.day >= window.start && d.day <= window.end)
      per.set(d.currency, (per.get(d.currency) ?? 0) + d.spend);
  }
  const currency = chooseReportCurrency([...per].map(([c, spend]) => ({ currency: c, spend })));
  const costs = await warehouse.instanceCosts({ range: window, basis: req.basis, currency });
  const instances = await deps.instances.load(req.instances, costs, window);
  // Exact where an instance's own id is billed; every other cost of a type (no resource id, as from
  // Cost Explorer, or ids no listed instance has) is shared by runtime within the type.
  const ids = new Set(instances.map((i) => i.id));
  const resourceCosts = new Map(costs.filter((c) => ids.has(c.resource)).map((c) => [c.resource, c.cost]));
  const typeCosts = new Map<string, number>();
  for (const c of costs)
    if (!ids.has(c.resource)) typeCosts.set(c.instanceType, (typeCosts.get(c.instanceType) ?? 0) + c.cost);
  const now = new Date(`${window.end}T00:00:00Z`);
  now.setUTCDate(now.getUTCDate() + 1);
  const allocation = allocate({ instances, window, now, resourceCosts, typeCosts });

  const coefficients = await CarbonCoefficients.load();
  const grid = new GridIntensityProvider((r) => coefficients.gridFactor(r), deps.electricityMaps);
  const rows: CarbonRow[] = [];
  for (const a of allocation.allocated) {
    const c = coefficients.instance(a.instance.type);
    const g = await grid.intensity(a.instance.region);
    const notEstimated = !c
      ? `no power coefficients for ${a.instance.type}`
      : !g
        ? `no grid factor for region "${a.instance.region}"`
        : a.hours <= 0
          ? 'no runtime in the window'
          : null;
    rows.push({
      id: a.instance.id,
      type: a.instance.type,
      region: a.instance.region,
      state: a.instance.state,
      method: a.method,
      cost: a.cost,
      footprint: notEstimated ? null : footprint(c!, a.hours, g!.gramsPerKwh),
      gridSource: g?.source ?? null,
      coefficientBasis: c?.basis ?? null,
      notEstimated,
    });
  }
  rows.sort((a, b) => (b.footprint?.kgCo2e ?? -1) - (a.footprint?.kgCo2e ?? -1) || b.cost - a.cost);
  return {
    window,
    currency,
    rows,
    excluded: allocation.excluded.map((e) => ({
      id: e.instance.id,
      type: e.instance.type,
      state: e.instance.state,
      reason: e.reason,
    })),
    allocation: allocation.types,
    gridSources: [...new Set(rows.map((r) => r.gridSource).filter((s): s is string => !!s))],
    coefficients: COEFFICIENTS_SOURCE,
  };
}
