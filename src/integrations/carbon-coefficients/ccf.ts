/**
 * Cloud Carbon Footprint's coefficients, taken from CCF's own npm packages
 * (`@cloud-carbon-footprint/aws` 0.15.0 with `@cloud-carbon-footprint/core` 0.17.3, Apache-2.0):
 * instance types (vCPUs, memory, processors, embodied emissions), the min/max watts of each
 * processor, memory, storage and networking coefficients, replication factors, PUE, the usage
 * types CCF reads as SSD, HDD and networking, and the grid factor of each AWS region.
 *
 * Only the data files are imported (the packages' entries would load aws-sdk v2), lazily (only a
 * carbon report pays for it), and with their side effects undone: CCF's `common` package runs
 * `dotenv.config()` when it loads, which would read a `.env` of the working directory into the
 * environment; Node's warnings about CCF's package.json are silenced for that import.
 */
import { createRequire } from 'node:module';
import type { InstanceCoefficients } from '../../analytics/carbon/footprint.js';

export interface CcfCoefficients {
  /** `@cloud-carbon-footprint/aws 0.15.0, @cloud-carbon-footprint/core 0.17.3`: named in every output. */
  source: string;
  pue: number;
  /** kWh per GB-hour of memory. */
  memoryKwhPerGbHour: number;
  /** Wh per TB-hour of stored data. */
  ssdWhPerTbHour: number;
  hddWhPerTbHour: number;
  /** kWh per GB transferred. */
  networkKwhPerGb: number;
  /** Hours in CCF's server lifetime (embodied emissions are amortised over it). */
  lifespanHours: number;
  /** CCF's REPLICATION_FACTORS (S3, EC2_EBS_VOLUME, EFS, RDS_AURORA, DYNAMO_DB, DEFAULT...). */
  replication: Record<string, number>;
  serviceCodes: Record<string, string>;
  ssdUsageTypes: string[];
  hddUsageTypes: string[];
  networkUsageTypes: string[];
  ssdServices: string[];
  instance(type: string): InstanceCoefficients | null;
  /** Grams CO2e per kWh of a region's grid, or null where CCF has no factor (never an average). */
  gridGramsPerKwh(region: string): number | null;
}

type Table = Record<string, Record<string, [number, number, number?]>>;

let loaded: Promise<CcfCoefficients> | null = null;

/** The coefficients (loaded once per process). */
export function ccfCoefficients(): Promise<CcfCoefficients> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<CcfCoefficients> {
  const envBefore = new Set(Object.keys(process.env));
  const noDeprecation = process.noDeprecation;
  process.noDeprecation = true;
  try {
    // Specifiers held in variables: the packages ship TypeScript sources that do not compile under
    // this project's strict settings, so their types are not read (the data is plain JSON-like).
    const dist = '@cloud-carbon-footprint/aws/dist';
    const [types, constants, usage] = await Promise.all(
      [
        'lib/AWSInstanceTypes.js',
        'domain/AwsFootprintEstimationConstants.js',
        'lib/CostAndUsageTypes.js',
      ].map((f) => import(`${dist}/${f}`)),
    );
    return build(types, constants, usage);
  } finally {
    process.noDeprecation = noDeprecation;
    // CCF's `common` ran dotenv: what it added to the environment goes again.
    for (const k of Object.keys(process.env)) if (!envBefore.has(k)) delete process.env[k];
  }
}

function versions(): string {
  const require = createRequire(import.meta.url);
  const v = (p: string) =>
    (require(`@cloud-carbon-footprint/${p}/package.json`) as { version: string }).version;
  return `Cloud Carbon Footprint coefficients (@cloud-carbon-footprint/aws ${v('aws')}, @cloud-carbon-footprint/core ${v('core')}, Apache-2.0)`;
}

// biome-ignore lint/suspicious/noExplicitAny: CCF's data modules are untyped CommonJS.
function build(types: any, constants: any, usage: any): CcfCoefficients {
  const C = constants.AWS_CLOUD_CONSTANTS;
  const ec2 = types.EC2_INSTANCE_TYPES as Table;
  const burstable = types.BURSTABLE_INSTANCE_BASELINE_UTILIZATION as Record<string, number>;
  const processorsOf = types.INSTANCE_TYPE_COMPUTE_PROCESSOR_MAPPING as Record<string, string[]>;
  const grid = constants.AWS_EMISSIONS_FACTORS_METRIC_TON_PER_KWH as Record<string, number>;
  return {
    source: versions(),
    pue: C.getPUE(),
    memoryKwhPerGbHour: C.MEMORY_COEFFICIENT,
    ssdWhPerTbHour: C.SSDCOEFFICIENT,
    hddWhPerTbHour: C.HDDCOEFFICIENT,
    networkKwhPerGb: C.NETWORKING_COEFFICIENT,
    lifespanHours: C.SERVER_EXPECTED_LIFESPAN,
    replication: { ...C.REPLICATION_FACTORS },
    serviceCodes: AWS_SERVICE_CODES,
    ssdUsageTypes: usage.SSD_USAGE_TYPES,
    hddUsageTypes: usage.HDD_USAGE_TYPES,
    networkUsageTypes: usage.NETWORKING_USAGE_TYPES,
    ssdServices: usage.SSD_SERVICES,
    instance(type) {
      const [family, ...rest] = type.split('.');
      const size = rest.join('.');
      const sizes = ec2[family ?? ''];
      const spec = sizes?.[size];
      if (!sizes || !spec) return null;
      // CCF's "largest type of the family" is the last one its table lists.
      const largest = Object.values(sizes).at(-1)!;
      const mapped = processorsOf[type];
      const processors = mapped?.length ? mapped : [];
      const baseline = burstable[type];
      return {
        type,
        vcpus: spec[0],
        memoryGb: spec[1],
        largestVcpus: largest[0],
        largestMemoryGb: largest[1],
        // CCF's exception: these families have two chips whatever their size.
        physicalChips: family === 'm5zn' || family === 'z1d' ? 2 : Math.ceil(largest[0] / 96),
        processors,
        averageCoefficients: processors.length === 0,
        minWattsPerVcpu: C.getMinWatts(processors.length ? processors : ['Unknown']),
        maxWattsPerVcpu: C.getMaxWatts(processors.length ? processors : ['Unknown']),
        memoryGbPerChip: C.getMemory(processors.length ? processors : ['Unknown']),
        burstableBaselinePercent: baseline ?? null,
        embodiedTonnes: typeof spec[2] === 'number' ? spec[2] : null,
      };
    },
    gridGramsPerKwh(region) {
      const t = grid[region];
      return typeof t === 'number' && region !== 'Unknown' ? t * 1e6 : null;
    },
  };
}

/**
 * CCF keys its rules by AWS product code (`AmazonS3`); FOCUS and Cost Explorer name services for
 * people (`Amazon Simple Storage Service`, `EC2 - Other`). The names AWS uses for the codes CCF's
 * storage, replication and SSD rules mention; a row that already carries a code keeps it.
 */
export const AWS_SERVICE_CODES: Record<string, string> = {
  'Amazon Simple Storage Service': 'AmazonS3',
  'Amazon Elastic Compute Cloud': 'AmazonEC2',
  'Amazon Elastic Compute Cloud - Compute': 'AmazonEC2',
  'EC2 - Other': 'AmazonEC2',
  'Amazon Elastic Block Store': 'AmazonEC2',
  'Amazon Elastic File System': 'AmazonEFS',
  'Amazon Relational Database Service': 'AmazonRDS',
  'Amazon DocumentDB (with MongoDB compatibility)': 'AmazonDocDB',
  'Amazon DynamoDB': 'AmazonDynamoDB',
  'Amazon EC2 Container Registry (ECR)': 'AmazonECR',
  'Amazon Elastic Container Registry': 'AmazonECR',
  'Amazon ElastiCache': 'AmazonElastiCache',
  'Amazon SimpleDB': 'AmazonSimpleDB',
  'Amazon OpenSearch Service': 'AmazonES',
  'Amazon Elasticsearch Service': 'AmazonES',
  'Amazon SageMaker': 'AmazonSageMaker',
  'AWS IoT Analytics': 'AWSIoTAnalytics',
  'Amazon Kinesis Analytics': 'AmazonKinesisAnalytics',
  'Amazon Managed Service for Apache Flink': 'AmazonKinesisAnalytics',
  'Amazon MQ': 'AmazonMQ',
  'Amazon Elastic Container Service': 'AmazonECS',
  'Amazon Lightsail': 'AmazonLightsail',
  'Amazon Neptune': 'AmazonNeptune',
  'Amazon FSx': 'AmazonFSx',
  'Amazon Kinesis': 'AmazonKinesis',
  'Amazon CloudFront': 'AmazonCloudFront',
};
