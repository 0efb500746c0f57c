/**
 * The rows of a carbon report from allocated instances and usage aggregates, with CCF's method:
 *
 *   instanceRow   one instance, summed over the types it ran as; hours CCF cannot estimate (a type
 *                 it does not know, a region without a factor) are named, never spread over the rest
 *   unlistedRows  billed compute hours no listed instance takes (a pool without instance ids, or
 *                 instances the inventory no longer lists): estimated per type and region
 *   usageLine     storage (GB-months by SSD/HDD, CCF's replication) and data sent out (GB)
 */
import type { Allocation, TypeAllocation } from '../../analytics/allocation/allocate.js';
import {
  type EnergyCoefficients,
  emissionsKg,
  instanceFootprint,
  monthlyScaled,
  networkKwh,
  storageKwh,
} from '../../analytics/carbon/footprint.js';
import type { CcfCoefficients } from '../../integrations/carbon-coefficients/ccf.js';
import type { GridIntensity, GridIntensityProvider } from '../../integrations/electricitymaps/client.js';
import type { CarbonUsageRow } from '../../integrations/warehouse/port.js';
import { formatAmount } from '../format.js';
import type { CarbonInstance, FootprintLine } from './types.js';

export interface RowContext {
  ccf: CcfCoefficients;
  grid: GridIntensityProvider;
  energy: EnergyCoefficients;
  cpu: number;
  /** Grid intensities used, by region (for the sources of the report). */
  used: Map<string, GridIntensity>;
}

async function gridOf(ctx: RowContext, region: string): Promise<GridIntensity | null> {
  const g = region ? await ctx.grid.intensity(region) : null;
  if (g) ctx.used.set(region, g);
  return g;
}

const coefficientsText = (c: NonNullable<ReturnType<CcfCoefficients['instance']>>) =>
  c.averageCoefficients
    ? 'average coefficients (CCF maps no processor for this type)'
    : c.processors.join(', ');

export async function instanceRow(
  a: Allocation['allocated'][number],
  ctx: RowContext,
): Promise<CarbonInstance> {
  const types = [...new Set(a.segments.map((s) => s.instanceType))];
  let footprint: CarbonInstance['footprint'] = null;
  let estimatedHours = 0;
  const missing: { hours: number; why: string }[] = [];
  const sources = new Set<string>();
  const coefficients = new Set<string>();
  for (const s of a.segments) {
    // A segment without hours has no footprint: no grid lookup (a paid API call) for it.
    if (s.hours <= 0) continue;
    const c = ctx.ccf.instance(s.instanceType);
    const region = s.region || a.instance.region;
    const g = c ? await gridOf(ctx, region) : null;
    if (!c || !g) {
      missing.push({
        hours: s.hours,
        why: !c
          ? `no CCF coefficients for ${s.instanceType}`
          : `no grid factor for region "${region}" (never an average)`,
      });
      continue;
    }
    sources.add(g.source);
    coefficients.add(coefficientsText(c));
    const f = instanceFootprint(c, s.hours, {
      cpuUtilisationPercent: ctx.cpu,
      gridGramsPerKwh: g.gramsPerKwh,
      energy: ctx.energy,
    });
    estimatedHours += s.hours;
    footprint = footprint
      ? {
          computeKwh: footprint.computeKwh + f.computeKwh,
          memoryKwh: footprint.memoryKwh + f.memoryKwh,
          kwh: footprint.kwh + f.kwh,
          gridGramsPerKwh: 0,
          kgCo2e: footprint.kgCo2e + f.kgCo2e,
          embodiedKgCo2e:
            footprint.embodiedKgCo2e === null || f.embodiedKgCo2e === null
              ? null
              : footprint.embodiedKgCo2e + f.embodiedKgCo2e,
          monthlyKgCo2e: null,
        }
      : { ...f };
  }
  if (footprint) {
    // Over several segments: the intensity the whole figure was made with (kWh-weighted).
    footprint.gridGramsPerKwh = footprint.kwh > 0 ? (footprint.kgCo2e * 1000) / footprint.kwh : 0;
    // Scaled over the hours actually estimated, not the ones left out.
    footprint.monthlyKgCo2e = monthlyScaled(footprint.kgCo2e, estimatedHours);
  }
  const missingHours = missing.reduce((s, m) => s + m.hours, 0);
  return {
    id: a.instance.id,
    type: types.join(' → '),
    region: a.instance.region || a.segments[0]?.region || '',
    state: a.instance.state,
    method: a.method,
    hoursFrom: a.hoursFrom,
    cost: a.costKnown ? a.cost : null,
    costNote: a.costKnown
      ? (a.note ?? null)
      : `no compute cost of ${a.segments[0]?.instanceType ?? 'its type'} in the data`,
    hours: a.hours,
    estimatedHours,
    footprint,
    gridSource: [...sources].join('; ') || null,
    coefficients: [...coefficients].join('; ') || null,
    notEstimated:
      missing.length === 0
        ? footprint || a.hours > 0
          ? null
          : 'no hours in the window'
        : footprint
          ? `${formatAmount(missingHours)} of ${formatAmount(a.hours)} h not estimated: ${[...new Set(missing.map((m) => m.why))].join('; ')}`
          : [...new Set(missing.map((m) => m.why))].join('; '),
  };
}

/**
 * Billed hours of a type that no listed instance took: the type's billed hours less the hours of
 * the listed instances it was shared over, spread over the regions by their billed hours.
 */
export async function unlistedRows(
  pools: TypeAllocation[],
  allocated: Allocation['allocated'],
  regionHours: Map<string, Map<string, number>>,
  ctx: RowContext,
): Promise<FootprintLine[]> {
  const out: FootprintLine[] = [];
  for (const t of pools) {
    const listed = allocated
      .filter(
        (a) =>
          a.method === 'runtime-proportional' && a.segments.some((s) => s.instanceType === t.instanceType),
      )
      .reduce((s, a) => s + a.hours, 0);
    const hours = t.billedHours - listed;
    if (hours <= 1e-9) continue;
    const regions = regionHours.get(t.instanceType) ?? new Map([['', t.billedHours]]);
    const all = [...regions.values()].reduce((a, b) => a + b, 0) || 1;
    const c = ctx.ccf.instance(t.instanceType);
    for (const [region, billed] of regions) {
      const h = (hours * billed) / all;
      const g = c ? await gridOf(ctx, region) : null;
      const f =
        c && g
          ? instanceFootprint(c, h, {
              cpuUtilisationPercent: ctx.cpu,
              gridGramsPerKwh: g.gramsPerKwh,
              energy: ctx.energy,
            })
          : null;
      out.push({
        kind: 'compute',
        what: `${t.instanceType} (instances not listed)`,
        region,
        replication: null,
        quantity: h,
        unit: 'hours',
        gbHours: null,
        cost: (t.unallocated * billed) / all,
        kwh: f?.kwh ?? 0,
        kgCo2e: f?.kgCo2e ?? null,
        embodiedKgCo2e: f?.embodiedKgCo2e ?? null,
        gridSource: g?.source ?? null,
        notEstimated: f
          ? null
          : !c
            ? `no CCF coefficients for ${t.instanceType}`
            : `no grid factor for region "${region}"`,
      });
    }
  }
  return out;
}

export async function usageLine(u: CarbonUsageRow, ctx: RowContext): Promise<FootprintLine> {
  const { ccf } = ctx;
  const g = await gridOf(ctx, u.region);
  const network = u.what === 'network';
  const kwh = network
    ? networkKwh(u.quantity, ccf.networkKwhPerGb, ccf.pue)
    : storageKwh(
        u.gbHours,
        u.what === 'ssd' ? ccf.ssdWhPerTbHour : ccf.hddWhPerTbHour,
        u.replication,
        ccf.pue,
      );
  return {
    kind: network ? 'network' : 'storage',
    what: network ? 'data transfer out' : u.what === 'ssd' ? 'SSD storage' : 'HDD storage',
    region: u.region,
    replication: network ? null : u.replication,
    quantity: u.quantity,
    unit: network ? 'GB' : 'GB-months',
    gbHours: network ? null : u.gbHours,
    cost: u.cost ?? 0,
    kwh,
    kgCo2e: g ? emissionsKg(kwh, g.gramsPerKwh) : null,
    embodiedKgCo2e: null,
    gridSource: g?.source ?? null,
    notEstimated: g ? null : `no grid factor for region "${u.region}"`,
  };
}
