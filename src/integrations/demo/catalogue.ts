/**
 * What the demo company runs: SKUs with unit prices and daily quantities, on two providers.
 * Quantities are per account-region-day before the account and region factors.
 */
export interface DemoSku {
  provider: 'AWS' | 'Microsoft';
  service: string;
  sku: string;
  unit: string;
  price: number;
  baseQty: number;
  /** Daily compound growth of usage. */
  growth: number;
  instanceType: string;
  /** Distinct resources the quantity is spread over (instances, volumes...). */
  resources: number;
  /** First day (days before the end) the SKU runs; null = always. */
  appearsDaysBeforeEnd: number | null;
  /** Last day (days before the end) the SKU runs; null = still running. */
  endsDaysBeforeEnd: number | null;
  /** Rows carry no quantity (a fee): the method can only call its change mix. */
  noQuantity: boolean;
}

const sku = (
  s: Partial<DemoSku> & Pick<DemoSku, 'service' | 'sku' | 'unit' | 'price' | 'baseQty'>,
): DemoSku => ({
  provider: 'AWS',
  growth: 0.001,
  instanceType: '',
  resources: 1,
  appearsDaysBeforeEnd: null,
  endsDaysBeforeEnd: null,
  noQuantity: false,
  ...s,
});

export const DEMO_SKUS: DemoSku[] = [
  sku({
    service: 'Amazon Elastic Compute Cloud',
    sku: 'BoxUsage:m5.xlarge',
    unit: 'Hrs',
    price: 0.192,
    baseQty: 96,
    growth: 0.002,
    instanceType: 'm5.xlarge',
    // Eight instances sharing 96 hours a day: each under 24 h a day as the fleet grows.
    resources: 8,
  }),
  sku({
    service: 'Amazon Elastic Compute Cloud',
    sku: 'BoxUsage:t3.medium',
    unit: 'Hrs',
    price: 0.0416,
    baseQty: 240,
    instanceType: 't3.medium',
    resources: 16,
  }),
  sku({
    service: 'Amazon Elastic Compute Cloud',
    sku: 'EBS:VolumeUsage.gp3',
    unit: 'GB-Mo',
    // As AWS bills storage: each day's row is that day's share of a month (20 TB / 30).
    price: 0.08,
    baseQty: 20000 / 30,
  }),
  sku({
    service: 'Amazon Elastic Compute Cloud',
    sku: 'DataTransfer-Out-Bytes',
    unit: 'GB',
    price: 0.09,
    baseQty: 120,
    growth: 0.002,
  }),
  sku({
    service: 'Amazon Simple Storage Service',
    sku: 'TimedStorage-ByteHrs',
    unit: 'GB-Mo',
    price: 0.023,
    baseQty: 50000 / 30,
    growth: 0.004,
  }),
  sku({
    service: 'Amazon Simple Storage Service',
    sku: 'Requests-Tier1',
    unit: 'Requests',
    price: 0.000005,
    baseQty: 2e6,
    growth: 0.003,
  }),
  sku({
    service: 'Amazon Relational Database Service',
    sku: 'InstanceUsage:db.r6g.large',
    unit: 'Hrs',
    price: 0.225,
    baseQty: 48,
    growth: 0,
    instanceType: 'db.r6g.large',
    resources: 2,
  }),
  sku({
    service: 'AWS Lambda',
    sku: 'Request',
    unit: 'Requests',
    price: 0.0000002,
    baseQty: 5e6,
    growth: 0.006,
  }),
  sku({
    service: 'AWS Lambda',
    sku: 'Lambda-GB-Second',
    unit: 'GB-Seconds',
    price: 0.0000166667,
    baseQty: 4e5,
    growth: 0.006,
  }),
  sku({
    service: 'Amazon CloudFront',
    sku: 'DataTransfer-Out-Bytes',
    unit: 'GB',
    price: 0.085,
    baseQty: 300,
    growth: 0.003,
  }),
  sku({
    service: 'Amazon DynamoDB',
    sku: 'ReadRequestUnits',
    unit: 'ReadRequestUnits',
    price: 0.00000025,
    baseQty: 4e7,
    growth: 0.002,
  }),
  sku({
    service: 'Amazon Elastic Kubernetes Service',
    sku: 'AmazonEKS-Hours:perCluster',
    unit: 'Hrs',
    price: 0.1,
    baseQty: 24,
    growth: 0,
  }),
  sku({
    service: 'AmazonCloudWatch',
    sku: 'CW:MetricMonitorUsage',
    unit: 'Metrics',
    price: 0.01,
    baseQty: 2000,
    growth: 0.002,
  }),
  sku({
    service: 'Amazon Simple Queue Service',
    sku: 'Requests-RBP',
    unit: 'Requests',
    price: 0.0000004,
    baseQty: 1e7,
  }),
  sku({
    service: 'Amazon OpenSearch Service',
    sku: 'ESInstance:r6g.large',
    unit: 'Hrs',
    price: 0.167,
    baseQty: 48,
    growth: 0,
    instanceType: 'r6g.large.search',
    resources: 2,
  }),
  sku({
    service: 'Amazon ElastiCache',
    sku: 'NodeUsage:cache.r6g.large',
    unit: 'Hrs',
    price: 0.206,
    baseQty: 48,
    growth: 0,
    instanceType: 'cache.r6g.large',
    resources: 2,
    // Removed at the start of the digest's week: its whole previous week is a saving.
    endsDaysBeforeEnd: 7,
  }),
  sku({
    // A new service in the digest's week (and the anomalies' "new service").
    service: 'Amazon Bedrock',
    sku: 'USE1-Claude-InputTokenCount',
    unit: '1K tokens',
    price: 0.003,
    baseQty: 9000,
    growth: 0,
    appearsDaysBeforeEnd: 4,
  }),
  sku({
    // Billed as a share of the bill, without a usable quantity: its change is mix, not usage or rate.
    service: 'AWS Support (Business)',
    sku: 'AWSSupportBusiness',
    unit: '',
    price: 1,
    baseQty: 12,
    growth: 0.003,
    noQuantity: true,
  }),
  sku({
    provider: 'Microsoft',
    service: 'Virtual Machines',
    sku: 'D4s v5',
    unit: 'Hours',
    price: 0.192,
    baseQty: 48,
    resources: 3,
  }),
  sku({
    provider: 'Microsoft',
    service: 'Storage',
    sku: 'LRS Data Stored',
    unit: 'GB/Month',
    price: 0.0208,
    baseQty: 20000 / 30,
    growth: 0.003,
  }),
  sku({
    provider: 'Microsoft',
    service: 'Azure Cosmos DB',
    sku: '100 RU/s',
    unit: '100 RU/s Hours',
    price: 0.008,
    baseQty: 2400,
  }),
];

/** Accounts with their owning team and size; Microsoft subscriptions belong to the data team. */
export const DEMO_ACCOUNTS = [
  { provider: 'AWS', account: '111111111111', team: 'platform', factor: 1.0 },
  { provider: 'AWS', account: '222222222222', team: 'data', factor: 0.6 },
  { provider: 'AWS', account: '333333333333', team: 'web', factor: 0.8 },
  { provider: 'AWS', account: '444444444444', team: 'ml', factor: 0.4 },
  { provider: 'Microsoft', account: 'sub-5a1e-analytics', team: 'data', factor: 1.0 },
] as const;

export const DEMO_REGIONS = [
  { provider: 'AWS', region: 'us-east-1', factor: 1.0 },
  { provider: 'AWS', region: 'eu-central-1', factor: 0.5 },
  { provider: 'AWS', region: 'eu-west-1', factor: 0.3 },
  { provider: 'Microsoft', region: 'westeurope', factor: 1.0 },
] as const;

/**
 * What happens in the last days, so that the digest's week (the last 7 days against the 7 before)
 * shows every driver: a price change, a credit that expires, one team's growth and a one-day spike,
 * besides the new and the removed service above. Days count back from the last day (0).
 */
export const DEMO_STORY = {
  /** m5.xlarge On-Demand rises 12 % (rate). */
  priceChange: { sku: 'BoxUsage:m5.xlarge', daysBeforeEnd: 5, factor: 1.12 },
  /** The promotional credit ($25 a day) runs out (credits). */
  credit: { perDay: -25, endsDaysBeforeEnd: 3 },
  /** The ml team's account grows 40 % (usage). */
  teamGrowth: { account: '444444444444', daysBeforeEnd: 6, factor: 1.4 },
  /** Data sent out x6 for one day: the anomaly the alerts find and explain. */
  spike: {
    sku: 'DataTransfer-Out-Bytes',
    service: 'Amazon Elastic Compute Cloud',
    daysBeforeEnd: 2,
    factor: 6,
  },
  /**
   * A licence bought through AWS Marketplace, charged on the 1st of every month for the month
   * (ChargeCategory Purchase, untagged): a rhythm, not an anomaly; the alerts stay quiet on it.
   */
  monthlyFee: { service: 'AWS Marketplace', sku: 'observability-suite-monthly', amount: 900 },
} as const;
