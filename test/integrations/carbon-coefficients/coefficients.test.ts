import { describe, expect, it } from 'vitest';
import { CarbonCoefficients } from '../../../src/integrations/carbon-coefficients/coefficients.js';

describe('CarbonCoefficients', () => {
  it('reads the vendored tables, decimal commas included', async () => {
    const c = await CarbonCoefficients.load();
    // "10,4" in the CSV: t3.small at 50 % load, close to the source document's 10.7 W (Boavizta).
    // ("5,5" is the 10 % column, which the shared README quoted by mistake.)
    expect(c.instance('t3.small')).toMatchObject({
      watts: 10.4,
      vcpus: 2,
      platformVcpus: 96,
      platformEmbodiedKg: 1610.79,
      basis: 't3.small',
    });
    expect(c.instance('m5.xlarge')?.watts).toBe(28.2);
    expect(c.instance('db.m5.large')?.basis).toBe('db.m5.large');
    expect(c.instance('db.r6g.xlarge.bogus')).toBeNull();
    expect(c.instance('r6g.large.search')?.basis).toBe('r6g.large (the EC2 type under r6g.large.search)');
    expect(c.instance('quantum.9000xl')).toBeNull();
    // eu-central-1: 0.000338 t/kWh = 338 g/kWh (the source quoted 357 g for Germany).
    expect(c.gridFactor('eu-central-1')).toEqual({ gramsPerKwh: 338, source: 'EEA annual factor (CCF)' });
    expect(c.gridFactor('us-east-1')!.gramsPerKwh).toBeCloseTo(415.755, 6);
    expect(c.gridFactor('moon-1')).toBeNull();
  });
});
