/**
 * Energy and emissions with Cloud Carbon Footprint's method (allocation-carbon note, "Carbon").
 * Pure: coefficients, hours, utilisation and grid intensity come in; nothing is estimated for a
 * type without coefficients or a region without a grid factor.
 */

/** What CCF knows of one EC2 instance type (see integrations/carbon-coefficients/ccf.ts). */
export interface InstanceCoefficients {
  type: string;
  vcpus: number;
  memoryGb: number;
  /** vCPUs and memory of the family's largest type (CCF: the last one its table lists). */
  largestVcpus: number;
  largestMemoryGb: number;
  physicalChips: number;
  /** CCF's processor families of the type; empty when CCF does not map it. */
  processors: string[];
  /** True when the processors are unknown and CCF's average watts stand in. */
  averageCoefficients: boolean;
  minWattsPerVcpu: number;
  maxWattsPerVcpu: number;
  /** GB of memory per physical chip that CCF counts as part of the compute figure. */
  memoryGbPerChip: number;
  /** t2/t3/t3a/t4g: the baseline CPU share CCF scales vCPU-hours by; null otherwise. */
  burstableBaselinePercent: number | null;
  /** Embodied emissions of the whole server, tonnes CO2e; null when CCF has none. */
  embodiedTonnes: number | null;
}

export interface EnergyCoefficients {
  pue: number;
  memoryKwhPerGbHour: number;
  lifespanHours: number;
}

/** CCF: vCPU-hours = vCPUs x hours, scaled by baseline / 50 for burstable types. */
export const vcpuHours = (c: InstanceCoefficients, hours: number): number =>
  c.vcpus * hours * (c.burstableBaselinePercent === null ? 1 : c.burstableBaselinePercent / 50);

/** CCF: average watts per vCPU = min + utilisation x (max - min). */
export const wattsPerVcpu = (c: InstanceCoefficients, cpuUtilisationPercent: number): number =>
  c.minWattsPerVcpu + (cpuUtilisationPercent / 100) * (c.maxWattsPerVcpu - c.minWattsPerVcpu);

/** CCF: compute kWh = vCPU-hours x average watts / 1000 x PUE. */
export const computeKwh = (
  c: InstanceCoefficients,
  hours: number,
  cpu: number,
  e: EnergyCoefficients,
): number => (vcpuHours(c, hours) * wattsPerVcpu(c, cpu) * e.pue) / 1000;

/**
 * CCF: memory counts only the GB above the chips' own share, by the type's share of the largest
 * type: GB-hours = (largest memory / chips - GB per chip) / (largest memory / memory) x hours.
 * Burstable types get none.
 */
export function memoryGbHours(c: InstanceCoefficients, hours: number): number {
  if (c.burstableBaselinePercent !== null) return 0;
  const perChip = c.largestMemoryGb / c.physicalChips;
  const above = perChip - c.memoryGbPerChip;
  return above > 0 ? (above / (c.largestMemoryGb / c.memoryGb)) * hours : 0;
}

/** CCF: memory kWh = GB-hours x kWh per GB-hour x PUE. */
export const memoryKwh = (c: InstanceCoefficients, hours: number, e: EnergyCoefficients): number =>
  memoryGbHours(c, hours) * e.memoryKwhPerGbHour * e.pue;

/**
 * The note: embodied kg = the server's total x hours / lifetime x vCPUs / the largest type's vCPUs.
 * Shown apart, never converted into energy.
 */
export const embodiedKg = (c: InstanceCoefficients, hours: number, e: EnergyCoefficients): number | null =>
  c.embodiedTonnes === null || c.largestVcpus <= 0
    ? null
    : c.embodiedTonnes * 1000 * (hours / e.lifespanHours) * (c.vcpus / c.largestVcpus);

/** Emissions (kg CO2e) = kWh x grid intensity (g CO2e / kWh) / 1000. */
export const emissionsKg = (kwh: number, gridGramsPerKwh: number): number => (kwh * gridGramsPerKwh) / 1000;

/** CCF: storage kWh = TB-hours x Wh per TB-hour x replication x PUE / 1000. */
export const storageKwh = (gbHours: number, whPerTbHour: number, replication: number, pue: number): number =>
  ((gbHours / 1000) * whPerTbHour * replication * pue) / 1000;

/** CCF: networking kWh = GB x kWh per GB x PUE. */
export const networkKwh = (gb: number, kwhPerGb: number, pue: number): number => gb * kwhPerGb * pue;

/** A 30-day month (720 h) scaled from the observed runtime; null when there was no runtime. */
export const monthlyScaled = (value: number, hours: number): number | null =>
  hours > 0 ? (value * 720) / hours : null;

export interface Footprint {
  hours: number;
  vcpuHours: number;
  wattsPerVcpu: number;
  computeKwh: number;
  memoryKwh: number;
  kwh: number;
  gridGramsPerKwh: number;
  kgCo2e: number;
  embodiedKgCo2e: number | null;
  monthlyKgCo2e: number | null;
}

export function instanceFootprint(
  c: InstanceCoefficients,
  hours: number,
  o: { cpuUtilisationPercent: number; gridGramsPerKwh: number; energy: EnergyCoefficients },
): Footprint {
  const compute = computeKwh(c, hours, o.cpuUtilisationPercent, o.energy);
  const memory = memoryKwh(c, hours, o.energy);
  const kwh = compute + memory;
  const kg = emissionsKg(kwh, o.gridGramsPerKwh);
  return {
    hours,
    vcpuHours: vcpuHours(c, hours),
    wattsPerVcpu: wattsPerVcpu(c, o.cpuUtilisationPercent),
    computeKwh: compute,
    memoryKwh: memory,
    kwh,
    gridGramsPerKwh: o.gridGramsPerKwh,
    kgCo2e: kg,
    embodiedKgCo2e: embodiedKg(c, hours, o.energy),
    monthlyKgCo2e: monthlyScaled(kg, hours),
  };
}
