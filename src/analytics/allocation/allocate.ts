/**
 * Instance-level cost and hours (allocation-carbon note, "Allocation"):
 *   - exact where cost rows carry the instance's ResourceId (`resource`): its own rows, every
 *     instance type it ran as, its billed hours; also for billed instances the inventory no
 *     longer lists (terminated ones), which keep their own cost and are never given to another;
 *   - otherwise runtime-proportional within an instance type over the window
 *     (`runtime-proportional`): instanceCost = typeCost x instanceHours / hours of the type, where
 *     the type's hours are its billed hours (all its instances, stopped and terminated ones too)
 *     when the cost data has them, so that running instances never absorb the others' cost; what
 *     no listed instance takes is reported as unallocated.
 * A running instance of a type whose every row names its instance, with no rows of its own, has
 * not been billed yet: $0 with that said. Only a type with no cost in the data is unknown (null).
 * Runtime hours: billed hours first; else, for running instances, from max(launch, window start)
 * to min(now, window end). Stopped and terminated instances without billed rows are excluded,
 * with the reason, never estimated.
 */
import type { DateRange, Instance } from '../types.js';

export type AllocationMethod = 'resource' | 'runtime-proportional';

/** Compute cost of EC2 instance rows in the window, per resource (or '' without ids), type and region. */
export interface ComputeCost {
  resource: string;
  instanceType: string;
  region: string;
  cost: number;
  /** Billed instance hours (0 when the data has none). */
  hours: number;
  /** The first day it has rows on (YYYY-MM-DD): orders an instance's types in time. */
  firstDay?: string;
}

export interface Segment {
  instanceType: string;
  region: string;
  hours: number;
  cost: number;
  firstDay?: string;
}

export interface AllocatedInstance {
  instance: Instance;
  /** One per instance type it ran as in the window (an instance can change type). */
  segments: Segment[];
  hours: number;
  cost: number;
  method: AllocationMethod;
  /** Where the hours come from. */
  hoursFrom: 'billed' | 'runtime';
  /** False when the data has no compute cost of the instance's type: its cost is unknown, not 0. */
  costKnown: boolean;
  /** Why a known cost is what it is, where that is not obvious (a new instance with no rows yet). */
  note?: string;
}

export interface TypeAllocation {
  instanceType: string;
  cost: number;
  /** The type's billed hours, all its instances (0 when the data has none). */
  billedHours: number;
  allocated: number;
  unallocated: number;
  /** Set when the denominator had to be the listed instances' runtime (no billed hours). */
  note: string | null;
}

export interface Allocation {
  allocated: AllocatedInstance[];
  excluded: { instance: Instance; reason: string }[];
  /** Per instance type of rows without resource ids: the type's cost, allocated, unallocated. */
  types: TypeAllocation[];
}

const HOUR = 3_600_000;

/** `i-0abc…` from an instance id or an ARN (`arn:aws:ec2:…:instance/i-0abc…`); else the text. */
export const instanceIdOf = (resource: string): string =>
  /(?:^|\/)(i-[0-9a-z]+)$/i.exec(resource)?.[1] ?? resource;

/** Runtime clipped to the window: from max(launch, window start) to min(now, window end + 1 day). */
export function runtimeHours(i: Instance, window: DateRange, now: Date): number {
  const start = Math.max(Date.parse(i.launchTime), Date.parse(`${window.start}T00:00:00Z`));
  const end = Math.min(now.getTime(), Date.parse(`${window.end}T00:00:00Z`) + 24 * HOUR);
  return Math.max(0, (end - start) / HOUR);
}

/** Billed instances as instances, for data that names them (FOCUS ResourceId) and no inventory. */
export function instancesFromCosts(costs: ComputeCost[]): Instance[] {
  const seen = new Map<string, Instance>();
  for (const c of costs) {
    if (c.resource === '') continue;
    const id = instanceIdOf(c.resource);
    if (!seen.has(id))
      seen.set(id, {
        id,
        type: c.instanceType,
        state: 'billed',
        launchTime: '1970-01-01T00:00:00.000Z',
        stateTransitionTime: null,
        region: c.region,
        tags: {},
      });
  }
  return [...seen.values()];
}

export function allocate(input: {
  instances: Instance[];
  window: DateRange;
  now: Date;
  costs: ComputeCost[];
  /** True when the instances came from the bill itself (no inventory to compare with). */
  billed?: boolean;
}): Allocation {
  const allocated: AllocatedInstance[] = [];
  const excluded: Allocation['excluded'] = [];
  const byId = new Map(input.instances.map((i) => [instanceIdOf(i.id), i]));

  // 1. Exact: every billed resource keeps its own rows, in every type it ran as.
  const exact = new Map<string, Segment[]>();
  const pool = new Map<string, { cost: number; hours: number }>();
  for (const c of input.costs) {
    if (c.resource === '') {
      const p = pool.get(c.instanceType) ?? { cost: 0, hours: 0 };
      p.cost += c.cost;
      p.hours += c.hours;
      pool.set(c.instanceType, p);
      continue;
    }
    const id = instanceIdOf(c.resource);
    const segments = exact.get(id) ?? [];
    const same = segments.find((s) => s.instanceType === c.instanceType && s.region === c.region);
    if (same) {
      same.cost += c.cost;
      same.hours += c.hours;
      if (c.firstDay && (!same.firstDay || c.firstDay < same.firstDay)) same.firstDay = c.firstDay;
    } else
      segments.push({
        instanceType: c.instanceType,
        region: c.region,
        hours: c.hours,
        cost: c.cost,
        firstDay: c.firstDay,
      });
    exact.set(id, segments);
  }
  // In the order it ran as them: the last is the type it has now.
  for (const segments of exact.values())
    segments.sort((a, b) => (a.firstDay ?? '').localeCompare(b.firstDay ?? ''));
  for (const [id, segments] of exact) {
    const listed = byId.get(id);
    const instance: Instance = listed ?? {
      id,
      type: segments.at(-1)!.instanceType,
      state: input.billed ? 'billed' : 'not in inventory (billed)',
      launchTime: '1970-01-01T00:00:00.000Z',
      stateTransitionTime: null,
      region: segments[0]!.region,
      tags: {},
    };
    const billedHours = segments.reduce((s, x) => s + x.hours, 0);
    let hoursFrom: AllocatedInstance['hoursFrom'] = 'billed';
    if (billedHours === 0 && listed?.state === 'running') {
      // No hours in the bill: the runtime, shared over the segments by cost.
      const runtime = runtimeHours(listed, input.window, input.now);
      const cost = segments.reduce((s, x) => s + x.cost, 0);
      for (const s of segments) s.hours = cost === 0 ? runtime / segments.length : (runtime * s.cost) / cost;
      hoursFrom = 'runtime';
    }
    allocated.push({
      instance,
      segments,
      hours: segments.reduce((s, x) => s + x.hours, 0),
      cost: segments.reduce((s, x) => s + x.cost, 0),
      method: 'resource',
      hoursFrom,
      costKnown: true,
    });
  }

  // 2. Runtime-proportional: listed instances without their own rows share their type's pool.
  const running = new Map<string, { instance: Instance; hours: number }[]>();
  for (const i of input.instances) {
    if (exact.has(instanceIdOf(i.id))) continue;
    if (i.state !== 'running') {
      excluded.push({
        instance: i,
        reason: `${i.state}: no billed hours of its own and DescribeInstances gives no reliable runtime for it, so it is not estimated`,
      });
      continue;
    }
    const hours = runtimeHours(i, input.window, input.now);
    if (hours <= 0) {
      excluded.push({ instance: i, reason: 'no runtime inside the window' });
      continue;
    }
    const list = running.get(i.type) ?? [];
    list.push({ instance: i, hours });
    running.set(i.type, list);
  }
  const types: TypeAllocation[] = [];
  for (const [instanceType, p] of pool) {
    const list = running.get(instanceType) ?? [];
    const runtime = list.reduce((s, x) => s + x.hours, 0);
    // All instances of the type (billed hours), not only the running ones we can list.
    const denominator = Math.max(p.hours, runtime);
    let given = 0;
    for (const x of list) {
      // instanceCost = typeCost x instanceHours / hours of the type
      const share = denominator > 0 ? (p.cost * x.hours) / denominator : 0;
      given += share;
      allocated.push({
        instance: x.instance,
        segments: [{ instanceType, region: x.instance.region, hours: x.hours, cost: share }],
        hours: x.hours,
        cost: share,
        method: 'runtime-proportional',
        hoursFrom: 'runtime',
        costKnown: true,
      });
    }
    types.push({
      instanceType,
      cost: p.cost,
      billedHours: p.hours,
      allocated: given,
      unallocated: p.cost - given,
      note:
        p.hours === 0 && list.length > 0
          ? 'no billed hours for the type: its cost is shared over the running instances listed'
          : null,
    });
  }
  // Types whose every cost row names its instance: a listed one without rows has not been billed
  // yet (launched after the data's last day), so its cost is 0, not unknown.
  const billedByResource = new Set([...exact.values()].flatMap((ss) => ss.map((x) => x.instanceType)));
  for (const [type, list] of running) {
    if (pool.has(type)) continue;
    const known = billedByResource.has(type);
    for (const x of list)
      allocated.push({
        instance: x.instance,
        segments: [{ instanceType: type, region: x.instance.region, hours: x.hours, cost: 0 }],
        hours: x.hours,
        cost: 0,
        method: known ? 'resource' : 'runtime-proportional',
        hoursFrom: 'runtime',
        costKnown: known,
        ...(known ? { note: 'no billing rows for this instance yet' } : {}),
      });
  }
  return { allocated, excluded, types };
}
