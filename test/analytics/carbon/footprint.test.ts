import { describe, expect, it } from 'vitest';
import {
  AWS_PUE,
  embodiedKg,
  emissionsKg,
  energyKwh,
  footprint,
  monthlyScaled,
} from '../../../src/analytics/carbon/footprint.js';

describe('carbon formulas', () => {
  it("reproduces the source document's figures: t3.small at 10.7 W for 720 h on Germany's 357 g/kWh", () => {
    // The source applied no PUE: 10.7 W x 720 h = 7.704 kWh; x 357 g = 2.750 kg a month.
    expect(energyKwh(10.7, 720, 1)).toBeCloseTo(7.704, 10);
    expect(emissionsKg(7.704, 357)).toBeCloseTo(2.750328, 6);
    // With AWS's PUE, as the method note requires.
    expect(energyKwh(10.7, 720)).toBeCloseTo(7.704 * AWS_PUE, 10);
  });

  it('embodied emissions by vCPU share over a 4-year life; monthly scaling only with runtime', () => {
    const c = { watts: 5.5, vcpus: 2, platformVcpus: 96, platformEmbodiedKg: 1610.79, basis: 't3.small' };
    expect(embodiedKg(c, 35_040)).toBeCloseTo(1610.79 * (2 / 96), 10);
    expect(embodiedKg({ ...c, platformEmbodiedKg: null }, 100)).toBeNull();
    expect(monthlyScaled(3, 360)).toBe(6);
    expect(monthlyScaled(3, 0)).toBeNull();
    const f = footprint(c, 720, 338);
    expect(f.kwh).toBeCloseTo(5.5 * 0.72 * AWS_PUE, 10);
    expect(f.kgCo2e).toBeCloseTo((f.kwh * 338) / 1000, 10);
    expect(f.monthlyKgCo2e).toBeCloseTo(f.kgCo2e, 10);
  });
});
