/**
 * Energy and emissions of instances (allocation-carbon note, "Carbon"). Pure: power, grid
 * intensity and hours come in; nothing is estimated for a type without coefficients.
 */

/** AWS's power usage effectiveness as Cloud Carbon Footprint uses it. */
export const AWS_PUE = 1.135;
/** CCF amortises embodied emissions over a 4-year server life. */
export const EMBODIED_LIFETIME_HOURS = 4 * 365 * 24;

export interface InstanceCoefficients {
  /** Average power of the instance at 50 % utilisation, W (whole instance: CPU, memory, platform share). */
  watts: number;
  vcpus: number;
  platformVcpus: number;
  /** Embodied emissions of the whole platform, kg CO2e; null when unknown. */
  platformEmbodiedKg: number | null;
  /** Where these figures come from (a different type when matched by family). */
  basis: string;
}

/** energy (kWh) = average power (W) x hours / 1000 x PUE */
export const energyKwh = (watts: number, hours: number, pue = AWS_PUE): number =>
  (watts * hours * pue) / 1000;

/** emissions (kg CO2e) = kWh x grid intensity (g CO2e/kWh) / 1000 */
export const emissionsKg = (kwh: number, gridGramsPerKwh: number): number => (kwh * gridGramsPerKwh) / 1000;

/** CCF: platform embodied x (instance vCPUs / platform vCPUs) x hours / 4-year lifetime */
export const embodiedKg = (c: InstanceCoefficients, hours: number): number | null =>
  c.platformEmbodiedKg === null || c.platformVcpus <= 0
    ? null
    : (c.platformEmbodiedKg * (c.vcpus / c.platformVcpus) * hours) / EMBODIED_LIFETIME_HOURS;

/** A 30-day month (720 h) scaled from the observed runtime; null when there was no runtime. */
export const monthlyScaled = (value: number, hours: number): number | null =>
  hours > 0 ? (value * 720) / hours : null;

export interface Footprint {
  hours: number;
  watts: number;
  kwh: number;
  gridGramsPerKwh: number;
  kgCo2e: number;
  embodiedKgCo2e: number | null;
  monthlyKgCo2e: number | null;
}

export function footprint(c: InstanceCoefficients, hours: number, gridGramsPerKwh: number): Footprint {
  const kwh = energyKwh(c.watts, hours);
  const kg = emissionsKg(kwh, gridGramsPerKwh);
  return {
    hours,
    watts: c.watts,
    kwh,
    gridGramsPerKwh,
    kgCo2e: kg,
    embodiedKgCo2e: embodiedKg(c, hours),
    monthlyKgCo2e: monthlyScaled(kg, hours),
  };
}
