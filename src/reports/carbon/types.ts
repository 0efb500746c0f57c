/**
 * What a carbon or allocation report holds: the instances with their cost and footprint, the
 * lines beyond instances (unlisted compute, storage, data transfer), what it covers, the sources.
 */
import type { Allocation, TypeAllocation } from '../../analytics/allocation/allocate.js';
import type { Footprint } from '../../analytics/carbon/footprint.js';
import type { DateRange } from '../../analytics/types.js';
import type { GridIntensity } from '../../integrations/electricitymaps/client.js';

export interface FxConversion {
  /** The target currency (ISO 4217). */
  currency: string;
  /** Units of `currency` per unit of the billing currency. */
  rate: number;
  date: string;
  source: string;
}

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
  /** The hours the footprint covers (all of them unless a type or region could not be estimated). */
  estimatedHours: number;
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
  kind: 'compute' | 'storage' | 'network';
  /** `SSD storage`, `HDD storage`, `data transfer out`, or `<type> (instances not listed)`. */
  what: string;
  region: string;
  replication: number | null;
  /** GB-months (storage, as billed), GB (data transfer) or instance hours (compute). */
  quantity: number;
  unit: 'GB-months' | 'GB' | 'hours';
  /** Storage: the GB-hours CCF's coefficient applies to (GB-months x the hours of their month). */
  gbHours: number | null;
  cost: number;
  kwh: number;
  kgCo2e: number | null;
  /** Compute lines: the servers' embodied share; null otherwise. */
  embodiedKgCo2e: number | null;
  gridSource: string | null;
  notEstimated: string | null;
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
  /** Set when money was converted from the billing currency (reports/carbon/fx.ts). */
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
