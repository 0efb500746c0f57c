/**
 * The footprint formulas held against Cloud Carbon Footprint's own code (its estimators and the
 * AWS package's vCPU and memory helpers, loaded from the same npm packages), type by type.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  computeKwh,
  embodiedKg,
  emissionsKg,
  instanceFootprint,
  memoryGbHours,
  monthlyScaled,
  networkKwh,
  storageKwh,
  vcpuHours,
} from '../../../src/analytics/carbon/footprint.js';
import { ccfCoefficients } from '../../../src/integrations/carbon-coefficients/ccf.js';

const require = createRequire(import.meta.url);
const noDeprecation = process.noDeprecation;
process.noDeprecation = true;
const core = require('@cloud-carbon-footprint/core');
const Row = require('@cloud-carbon-footprint/aws/dist/lib/CostAndUsageReportsRow.js').default;
const Memory = require('@cloud-carbon-footprint/aws/dist/lib/AWSMemoryEstimatesBuilder.js').default;
const {
  AWS_CLOUD_CONSTANTS,
} = require('@cloud-carbon-footprint/aws/dist/domain/AwsFootprintEstimationConstants.js');
const {
  EC2_INSTANCE_TYPES,
  INSTANCE_TYPE_COMPUTE_PROCESSOR_MAPPING,
  BURSTABLE_INSTANCE_BASELINE_UTILIZATION,
} = require('@cloud-carbon-footprint/aws/dist/lib/AWSInstanceTypes.js');
process.noDeprecation = noDeprecation;

/** CCF's vCPU-hours of `hours` of a type, as its CUR row computes them. */
function ccfVcpuHours(type: string, hours: number): number {
  const row = { usageType: `BoxUsage:${type}`, serviceName: 'AmazonEC2' };
  const extract = Row.prototype.extractVCpuFromInstanceType.bind(row);
  return type in BURSTABLE_INSTANCE_BASELINE_UTILIZATION
    ? Row.prototype.getBurstableInstanceVCPu.call({ ...row, extractVCpuFromInstanceType: extract }, type) *
        hours
    : extract(type) * hours;
}

/** CCF's memory GB-hours of `hours` of a type. */
const ccfMemoryGbHours = (type: string, hours: number): number =>
  Memory.prototype.getGigabytesFromInstanceTypeAndProcessors.call({
    instanceType: type,
    usageAmount: hours,
    checkInstanceTypes: Memory.prototype.checkInstanceTypes,
  });

const TYPES = [
  'm5.xlarge',
  'm5.24xlarge',
  'c5.4xlarge',
  'g5.4xlarge',
  'm4.10xlarge',
  'r6g.large',
  'm5zn.large',
  'z1d.large',
  't3.medium',
  't3.small',
  't2.micro',
  't4g.large',
];

describe('CCF method, against CCF code', () => {
  it('compute kWh, memory GB-hours and embodied kg equal CCF for each type, at 50 % and 20 % CPU', async () => {
    const ccf = await ccfCoefficients();
    const energy = {
      pue: ccf.pue,
      memoryKwhPerGbHour: ccf.memoryKwhPerGbHour,
      lifespanHours: ccf.lifespanHours,
    };
    expect(ccf.pue).toBe(AWS_CLOUD_CONSTANTS.getPUE());
    const computeEstimator = new core.ComputeEstimator();
    const memoryEstimator = new core.MemoryEstimator(AWS_CLOUD_CONSTANTS.MEMORY_COEFFICIENT);
    const embodied = new core.EmbodiedEmissionsEstimator(AWS_CLOUD_CONSTANTS.SERVER_EXPECTED_LIFESPAN);
    for (const type of TYPES) {
      const c = ccf.instance(type)!;
      expect(c, type).not.toBeNull();
      const processors = INSTANCE_TYPE_COMPUTE_PROCESSOR_MAPPING[type] ?? ['Unknown'];
      for (const cpu of [50, 20]) {
        const hours = 137.5;
        expect(vcpuHours(c, hours), `${type} vCPU-hours`).toBeCloseTo(ccfVcpuHours(type, hours), 9);
        const [reference] = computeEstimator.estimate(
          [{ cpuUtilizationAverage: cpu, vCpuHours: ccfVcpuHours(type, hours), timestamp: new Date() }],
          'us-east-1',
          { 'us-east-1': 1 },
          {
            minWatts: AWS_CLOUD_CONSTANTS.getMinWatts(processors),
            maxWatts: AWS_CLOUD_CONSTANTS.getMaxWatts(processors),
            powerUsageEffectiveness: AWS_CLOUD_CONSTANTS.getPUE(),
          },
        );
        expect(computeKwh(c, hours, cpu, energy), `${type} at ${cpu} %`).toBeCloseTo(
          reference.kilowattHours,
          12,
        );
        expect(memoryGbHours(c, hours), `${type} memory`).toBeCloseTo(ccfMemoryGbHours(type, hours), 9);
        const [mem] = memoryEstimator.estimate(
          [{ gigabyteHours: ccfMemoryGbHours(type, hours) }],
          'us-east-1',
          { 'us-east-1': 1 },
          {
            powerUsageEffectiveness: AWS_CLOUD_CONSTANTS.getPUE(),
          },
        );
        const f = instanceFootprint(c, hours, { cpuUtilisationPercent: cpu, gridGramsPerKwh: 400, energy });
        expect(f.memoryKwh, `${type} memory kWh`).toBeCloseTo(mem.kilowattHours, 12);
        expect(f.kgCo2e).toBeCloseTo(((reference.kilowattHours + mem.kilowattHours) * 400) / 1000, 12);
      }
      const [family, size] = type.split('.') as [string, string];
      const sizes = Object.values(EC2_INSTANCE_TYPES[family]) as number[][];
      const tonnes = embodied.estimateCo2e(
        100,
        c.vcpus,
        sizes.at(-1)![0],
        EC2_INSTANCE_TYPES[family][size][2],
      );
      expect(embodiedKg(c, 100, energy), `${type} embodied`).toBeCloseTo(tonnes * 1000, 9);
    }
  });

  it('burstable types scale vCPU-hours by baseline / 50 and get no memory term', async () => {
    const ccf = await ccfCoefficients();
    const t3 = ccf.instance('t3.small')!;
    expect(t3.burstableBaselinePercent).toBe(20);
    expect(vcpuHours(t3, 10)).toBeCloseTo(2 * 10 * 0.4, 12);
    expect(memoryGbHours(t3, 10)).toBe(0);
    // The note's orientation: about 1.8 W at the baseline (50 % CPU, before PUE), not the seed's 10.7 W.
    const watts = (computeKwh(t3, 1, 50, { pue: 1, memoryKwhPerGbHour: 0, lifespanHours: 1 }) * 1000) / 1;
    expect(watts).toBeGreaterThan(1.5);
    expect(watts).toBeLessThan(2.1);
  });

  it('processors CCF does not map use its average watts and say so; unknown types have none', async () => {
    const ccf = await ccfCoefficients();
    const unmapped = Object.keys(EC2_INSTANCE_TYPES)
      .flatMap((f) => Object.keys(EC2_INSTANCE_TYPES[f]).map((s) => `${f}.${s}`))
      .find((t) => !INSTANCE_TYPE_COMPUTE_PROCESSOR_MAPPING[t]);
    expect(unmapped).toBeDefined();
    const c = ccf.instance(unmapped!)!;
    expect(c.averageCoefficients).toBe(true);
    expect(c.minWattsPerVcpu).toBe(AWS_CLOUD_CONSTANTS.getMinWatts(['Unknown']));
    expect(ccf.instance('m7i-flex.xlarge')).toBeNull();
    expect(ccf.instance('nonsense')).toBeNull();
  });

  it('storage and networking kWh equal CCF’s estimators; regions without a factor get none', async () => {
    const ccf = await ccfCoefficients();
    const ssd = new core.StorageEstimator(AWS_CLOUD_CONSTANTS.SSDCOEFFICIENT);
    const [s] = ssd.estimate(
      [{ terabyteHours: 14.4 }],
      'us-east-1',
      { 'us-east-1': 1 },
      {
        powerUsageEffectiveness: ccf.pue,
        replicationFactor: 2,
      },
    );
    expect(storageKwh(14_400, ccf.ssdWhPerTbHour, 2, ccf.pue)).toBeCloseTo(s.kilowattHours, 12);
    const hdd = new core.StorageEstimator(AWS_CLOUD_CONSTANTS.HDDCOEFFICIENT);
    const [h] = hdd.estimate(
      [{ terabyteHours: 3 }],
      'us-east-1',
      { 'us-east-1': 1 },
      {
        powerUsageEffectiveness: ccf.pue,
        replicationFactor: 3,
      },
    );
    expect(storageKwh(3000, ccf.hddWhPerTbHour, 3, ccf.pue)).toBeCloseTo(h.kilowattHours, 12);
    const net = new core.NetworkingEstimator(AWS_CLOUD_CONSTANTS.NETWORKING_COEFFICIENT);
    const [n] = net.estimate(
      [{ gigabytes: 500 }],
      'us-east-1',
      { 'us-east-1': 1 },
      { powerUsageEffectiveness: ccf.pue },
    );
    expect(networkKwh(500, ccf.networkKwhPerGb, ccf.pue)).toBeCloseTo(n.kilowattHours, 12);
    expect(ccf.gridGramsPerKwh('eu-central-1')).toBeCloseTo(311, 6);
    // CCF itself falls back to an 'Unknown' average; the note never does.
    expect(ccf.gridGramsPerKwh('Unknown')).toBeNull();
    expect(ccf.gridGramsPerKwh('mars-1')).toBeNull();
  });

  it('kg = kWh x g/kWh / 1000; monthly scaling only with runtime', () => {
    expect(emissionsKg(7.704, 357)).toBeCloseTo(2.750328, 9);
    expect(monthlyScaled(3, 360)).toBe(6);
    expect(monthlyScaled(3, 0)).toBeNull();
  });

  it('names both package versions', async () => {
    expect((await ccfCoefficients()).source).toContain(
      '@cloud-carbon-footprint/aws 0.15.0, @cloud-carbon-footprint/core 0.17.3',
    );
  });
});
