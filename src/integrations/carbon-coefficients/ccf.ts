/**
 * Cloud Carbon Footprint's coefficients (`@cloud-carbon-footprint/aws` 0.15.0 with
 * `@cloud-carbon-footprint/core` 0.17.3, Apache-2.0): instance types (vCPUs, memory, processors,
 * embodied emissions), the min/max watts of each processor, memory, storage and networking
 * coefficients, replication factors, PUE, the usage types CCF reads as SSD, HDD and networking, and
 * the grid factor of each AWS region.
 *
 * The figures come from `ccf-data.generated.ts`, which `scripts/generate-ccf-coefficients.mjs` writes
 * from CCF's own packages (devDependencies, so the production install ships neither CCF nor aws-sdk
 * v2); a test regenerates it and holds these coefficients against CCF's live packages type by type.
 * The module is loaded lazily: only a carbon report pays for it.
 */
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

type CcfData = typeof import('./ccf-data.generated.js');

let loaded: Promise<CcfCoefficients> | null = null;

/** The coefficients (loaded once per process). */
export function ccfCoefficients(): Promise<CcfCoefficients> {
  loaded ??= import('./ccf-data.generated.js').then(build);
  return loaded;
}

function build(d: CcfData): CcfCoefficients {
  const C = d.AWS_CONSTANTS;
  const ec2 = d.EC2_INSTANCE_TYPES;
  const burstable = d.BURSTABLE_INSTANCE_BASELINE_UTILIZATION;
  const processorsOf = d.INSTANCE_TYPE_COMPUTE_PROCESSOR_MAPPING;
  const grid = d.AWS_EMISSIONS_FACTORS_METRIC_TON_PER_KWH;
  /** CCF's getMinWatts, getMaxWatts and getMemory of a processor list, as the generator computed them. */
  const coefficientsOf = (processors: string[]) => {
    const c = d.PROCESSOR_COEFFICIENTS[processors.join(', ')];
    if (!c) throw new Error(`ccf-data.generated.ts has no coefficients for [${processors.join(', ')}]`);
    return c;
  };
  return {
    source: `Cloud Carbon Footprint coefficients (@cloud-carbon-footprint/aws ${d.CCF_AWS_VERSION}, @cloud-carbon-footprint/core ${d.CCF_CORE_VERSION}, ${d.CCF_LICENSE})`,
    pue: C.PUE,
    memoryKwhPerGbHour: C.MEMORY_COEFFICIENT,
    ssdWhPerTbHour: C.SSDCOEFFICIENT,
    hddWhPerTbHour: C.HDDCOEFFICIENT,
    networkKwhPerGb: C.NETWORKING_COEFFICIENT,
    lifespanHours: C.SERVER_EXPECTED_LIFESPAN,
    replication: { ...d.REPLICATION_FACTORS },
    serviceCodes: AWS_SERVICE_CODES,
    ssdUsageTypes: d.SSD_USAGE_TYPES,
    hddUsageTypes: d.HDD_USAGE_TYPES,
    networkUsageTypes: d.NETWORKING_USAGE_TYPES,
    ssdServices: d.SSD_SERVICES,
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
      const watts = coefficientsOf(processors.length ? processors : ['Unknown']);
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
        minWattsPerVcpu: watts.minWattsPerVcpu,
        maxWattsPerVcpu: watts.maxWattsPerVcpu,
        memoryGbPerChip: watts.memoryGbPerChip,
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
