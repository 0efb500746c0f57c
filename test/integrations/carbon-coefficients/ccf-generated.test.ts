/**
 * ccf-data.generated.ts held against Cloud Carbon Footprint's own packages (devDependencies): the
 * checked-in module is what scripts/generate-ccf-coefficients.mjs writes today, byte for byte, and
 * the coefficients ccf.ts builds from it equal those CCF's live data modules give, type by type and
 * region by region. A CCF upgrade without a regeneration, or a hand edit, fails here.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { InstanceCoefficients } from '../../../src/analytics/carbon/footprint.js';
import { ccfCoefficients } from '../../../src/integrations/carbon-coefficients/ccf.js';

interface Generator {
  OUTPUT: string;
  generateCcfData(): Promise<string>;
}
// A variable specifier: the script is plain JavaScript, without declarations for TypeScript.
const script = new URL('../../../scripts/generate-ccf-coefficients.mjs', import.meta.url).href;
const generator = (): Promise<Generator> => import(script);

const require = createRequire(import.meta.url);
const noDeprecation = process.noDeprecation;
process.noDeprecation = true;
const {
  AWS_CLOUD_CONSTANTS: C,
  AWS_EMISSIONS_FACTORS_METRIC_TON_PER_KWH: GRID,
} = require('@cloud-carbon-footprint/aws/dist/domain/AwsFootprintEstimationConstants.js');
const {
  EC2_INSTANCE_TYPES,
  INSTANCE_TYPE_COMPUTE_PROCESSOR_MAPPING,
  BURSTABLE_INSTANCE_BASELINE_UTILIZATION,
} = require('@cloud-carbon-footprint/aws/dist/lib/AWSInstanceTypes.js');
const USAGE = require('@cloud-carbon-footprint/aws/dist/lib/CostAndUsageTypes.js');
process.noDeprecation = noDeprecation;
const version = (p: string): string =>
  (require(`@cloud-carbon-footprint/${p}/package.json`) as { version: string }).version;

type Spec = [number, number, number?];
const TABLE = EC2_INSTANCE_TYPES as Record<string, Record<string, Spec>>;
const MAPPING = INSTANCE_TYPE_COMPUTE_PROCESSOR_MAPPING as Record<string, string[]>;
const TYPES = Object.entries(TABLE).flatMap(([family, sizes]) =>
  Object.keys(sizes).map((size) => `${family}.${size}`),
);

/** What the carbon report read from CCF's packages before the generated module (the old ccf.ts). */
function fromCcf(type: string): InstanceCoefficients {
  const [family, ...rest] = type.split('.');
  const sizes = TABLE[family!]!;
  const spec = sizes[rest.join('.')]!;
  const largest = Object.values(sizes).at(-1)!;
  const mapped = MAPPING[type];
  const processors = mapped?.length ? mapped : [];
  const list = processors.length ? processors : ['Unknown'];
  return {
    type,
    vcpus: spec[0],
    memoryGb: spec[1],
    largestVcpus: largest[0],
    largestMemoryGb: largest[1],
    physicalChips: family === 'm5zn' || family === 'z1d' ? 2 : Math.ceil(largest[0] / 96),
    processors,
    averageCoefficients: processors.length === 0,
    minWattsPerVcpu: C.getMinWatts(list),
    maxWattsPerVcpu: C.getMaxWatts(list),
    memoryGbPerChip: C.getMemory(list),
    burstableBaselinePercent: BURSTABLE_INSTANCE_BASELINE_UTILIZATION[type] ?? null,
    embodiedTonnes: typeof spec[2] === 'number' ? spec[2] : null,
  };
}

/** Fields that differ: numbers by more than 1e-9, anything else at all. */
function differences(actual: object, expected: object, label: string): string[] {
  const out: string[] = [];
  const a = actual as Record<string, unknown>;
  for (const [k, want] of Object.entries(expected)) {
    const got = a[k];
    const same =
      typeof want === 'number' && typeof got === 'number'
        ? Math.abs(got - want) <= 1e-9
        : JSON.stringify(got) === JSON.stringify(want);
    if (!same) out.push(`${label} ${k}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
  }
  if (Object.keys(a).length !== Object.keys(expected).length) out.push(`${label}: other fields`);
  return out;
}

describe('ccf-data.generated.ts', () => {
  it('is what the script generates from the installed CCF packages, byte for byte', async () => {
    const { OUTPUT, generateCcfData } = await generator();
    const envBefore = { ...process.env };
    const generated = await generateCcfData();
    // CCF's `common` runs dotenv when it loads; the generator takes that back.
    expect(process.env).toEqual(envBefore);
    const checkedIn = readFileSync(OUTPUT);
    expect(generated, 'run: node scripts/generate-ccf-coefficients.mjs').toBe(checkedIn.toString('utf8'));
    expect(Buffer.compare(Buffer.from(generated, 'utf8'), checkedIn)).toBe(0);
    expect(generated).toContain(`@cloud-carbon-footprint/aws ${version('aws')}`);
    expect(generated).toContain(`@cloud-carbon-footprint/core ${version('core')}`);
    expect(generated).toContain('Apache-2.0');
    expect(generated).toContain('do not edit');
  });
});

describe('ccfCoefficients() against CCF’s live packages', () => {
  it('every EC2 instance type: vCPUs, memory, processors, min/max watts, memory per chip, embodied', async () => {
    const ccf = await ccfCoefficients();
    expect(TYPES.length).toBeGreaterThan(500);
    const diffs = TYPES.flatMap((type) => {
      const got = ccf.instance(type);
      return got ? differences(got, fromCcf(type), type) : [`${type}: null`];
    });
    expect(diffs).toEqual([]);
    // Types CCF maps to processors but lists no size for stay unknown.
    const unlisted = Object.keys(MAPPING).filter((t) => !TYPES.includes(t));
    expect(unlisted.length).toBeGreaterThan(0);
    for (const t of unlisted) expect(ccf.instance(t), t).toBeNull();
  });

  it('every region’s grid factor in g/kWh; none for "Unknown" or a region CCF lacks', async () => {
    const ccf = await ccfCoefficients();
    const grid = GRID as Record<string, number>;
    expect(Object.keys(grid).length).toBeGreaterThan(20);
    for (const [region, tonnes] of Object.entries(grid)) {
      if (region === 'Unknown') expect(ccf.gridGramsPerKwh(region)).toBeNull();
      else expect(Math.abs(ccf.gridGramsPerKwh(region)! - tonnes * 1e6), region).toBeLessThanOrEqual(1e-9);
    }
    expect(ccf.gridGramsPerKwh('mars-1')).toBeNull();
  });

  it('constants, replication factors, usage-type lists and the source', async () => {
    const ccf = await ccfCoefficients();
    expect(
      differences(
        {
          pue: ccf.pue,
          memoryKwhPerGbHour: ccf.memoryKwhPerGbHour,
          ssdWhPerTbHour: ccf.ssdWhPerTbHour,
          hddWhPerTbHour: ccf.hddWhPerTbHour,
          networkKwhPerGb: ccf.networkKwhPerGb,
          lifespanHours: ccf.lifespanHours,
        },
        {
          pue: C.getPUE(),
          memoryKwhPerGbHour: C.MEMORY_COEFFICIENT,
          ssdWhPerTbHour: C.SSDCOEFFICIENT,
          hddWhPerTbHour: C.HDDCOEFFICIENT,
          networkKwhPerGb: C.NETWORKING_COEFFICIENT,
          lifespanHours: C.SERVER_EXPECTED_LIFESPAN,
        },
        'constant',
      ),
    ).toEqual([]);
    expect(ccf.replication).toEqual(C.REPLICATION_FACTORS);
    expect(ccf.ssdUsageTypes).toEqual(USAGE.SSD_USAGE_TYPES);
    expect(ccf.hddUsageTypes).toEqual(USAGE.HDD_USAGE_TYPES);
    expect(ccf.networkUsageTypes).toEqual(USAGE.NETWORKING_USAGE_TYPES);
    expect(ccf.ssdServices).toEqual(USAGE.SSD_SERVICES);
    expect(ccf.source).toBe(
      `Cloud Carbon Footprint coefficients (@cloud-carbon-footprint/aws ${version('aws')}, @cloud-carbon-footprint/core ${version('core')}, Apache-2.0)`,
    );
  });
});
