/**
 * Instance-level cost (allocation-carbon note, "Allocation"):
 *   - exact where cost rows carry the instance's ResourceId (`resource`);
 *   - otherwise runtime-proportional within an instance type over the window
 *     (`runtime-proportional`): instanceCost = typeCost x instanceHours / hours of the type.
 * Only running instances have a reliable runtime; the others are excluded with their reason, and
 * what no instance takes stays unallocated, so allocated + unallocated = type cost.
 */
import type { DateRange, Instance } from '../types.js';

export type AllocationMethod = 'resource' | 'runtime-proportional';

export interface AllocatedInstance {
  instance: Instance;
  hours: number;
  cost: number;
  method: AllocationMethod;
}

export interface Allocation {
  allocated: AllocatedInstance[];
  excluded: { instance: Instance; reason: string }[];
  /** Per instance type: the type's cost, what was allocated, what was not. */
  types: { instanceType: string; cost: number; allocated: number; unallocated: number }[];
}

const HOUR = 3_600_000;

/** Runtime clipped to the window: from max(launch, window start) to min(now, window end + 1 day). */
export function runtimeHours(i: Instance, window: DateRange, now: Date): number {
  const start = Math.max(Date.parse(i.launchTime), Date.parse(`${window.start}T00:00:00Z`));
  const end = Math.min(now.getTime(), Date.parse(`${window.end}T00:00:00Z`) + 24 * HOUR);
  return Math.max(0, (end - start) / HOUR);
}

export function allocate(input: {
  instances: Instance[];
  window: DateRange;
  now: Date;
  /** Cost per ResourceId over the window (exact where present). */
  resourceCosts: Map<string, number>;
  /** Compute cost per instance type over the window (for runtime-proportional allocation). */
  typeCosts: Map<string, number>;
}): Allocation {
  const allocated: AllocatedInstance[] = [];
  const excluded: Allocation['excluded'] = [];
  const proportional = new Map<string, { instance: Instance; hours: number }[]>();
  for (const i of input.instances) {
    const exact = input.resourceCosts.get(i.id);
    if (exact !== undefined) {
      allocated.push({
        instance: i,
        hours: i.state === 'running' ? runtimeHours(i, input.window, input.now) : 0,
        cost: exact,
        method: 'resource',
      });
      continue;
    }
    if (i.state !== 'running') {
      excluded.push({
        instance: i,
        reason: `${i.state}: DescribeInstances gives no reliable runtime for it, so it is not estimated`,
      });
      continue;
    }
    const hours = runtimeHours(i, input.window, input.now);
    if (hours <= 0) {
      excluded.push({ instance: i, reason: 'no runtime inside the window' });
      continue;
    }
    const list = proportional.get(i.type) ?? [];
    list.push({ instance: i, hours });
    proportional.set(i.type, list);
  }
  const types: Allocation['types'] = [];
  for (const [instanceType, cost] of input.typeCosts) {
    const list = proportional.get(instanceType) ?? [];
    const total = list.reduce((s, x) => s + x.hours, 0);
    let given = 0;
    for (const x of list) {
      // instanceCost = typeCost x instanceHours / sum(hours of that type)
      const share = total > 0 ? (cost * x.hours) / total : 0;
      given += share;
      allocated.push({ instance: x.instance, hours: x.hours, cost: share, method: 'runtime-proportional' });
    }
    types.push({ instanceType, cost, allocated: given, unallocated: cost - given });
  }
  for (const [type, list] of proportional) {
    if (!input.typeCosts.has(type))
      for (const x of list)
        allocated.push({ instance: x.instance, hours: x.hours, cost: 0, method: 'runtime-proportional' });
  }
  return { allocated, excluded, types };
}
