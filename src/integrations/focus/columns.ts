/**
 * FOCUS 1.0 to 1.4 columns that the normalised charge relation reads. Where a version renamed a
 * column, every name is listed, newest first: 1.3 adds ServiceProviderName (1.4 drops
 * ProviderName); OCI's early FOCUS reports wrote UsageQuantity and Provider.
 */
export interface ColumnSpec {
  /** Column of the normalised relation. */
  target: NormalisedColumn;
  /** FOCUS names, newest first; matched case-insensitively. */
  names: string[];
  required: boolean;
  kind: 'day' | 'number' | 'text' | 'json';
}

/** The normalised relation's columns. Text may be NULL (missing): consumers fill '' after aggregating. */
export const NORMALISED_COLUMNS = [
  'day',
  'billed',
  'effective',
  'contracted',
  'quantity',
  'unit',
  'category',
  'service',
  'account',
  'region',
  'sku',
  'resource',
  'tags',
  'currency',
  'provider',
  'instance_type',
  'usage_type',
  'description',
] as const;
export type NormalisedColumn = (typeof NORMALISED_COLUMNS)[number];

export const FOCUS_COLUMNS: ColumnSpec[] = [
  { target: 'day', names: ['ChargePeriodStart'], required: true, kind: 'day' },
  { target: 'billed', names: ['BilledCost'], required: true, kind: 'number' },
  { target: 'effective', names: ['EffectiveCost'], required: false, kind: 'number' },
  { target: 'contracted', names: ['ContractedCost'], required: false, kind: 'number' },
  { target: 'quantity', names: ['ConsumedQuantity', 'UsageQuantity'], required: false, kind: 'number' },
  { target: 'unit', names: ['ConsumedUnit', 'UsageUnit', 'PricingUnit'], required: false, kind: 'text' },
  { target: 'category', names: ['ChargeCategory'], required: false, kind: 'text' },
  { target: 'service', names: ['ServiceName'], required: true, kind: 'text' },
  { target: 'account', names: ['SubAccountId'], required: false, kind: 'text' },
  { target: 'region', names: ['RegionId', 'Region'], required: false, kind: 'text' },
  { target: 'sku', names: ['SkuId'], required: false, kind: 'text' },
  { target: 'resource', names: ['ResourceId'], required: false, kind: 'text' },
  { target: 'tags', names: ['Tags'], required: false, kind: 'json' },
  { target: 'currency', names: ['BillingCurrency'], required: true, kind: 'text' },
  {
    target: 'provider',
    names: ['ServiceProviderName', 'ProviderName', 'Provider'],
    required: false,
    kind: 'text',
  },
  // Not FOCUS columns: what the carbon footprint reads to tell SSD, HDD and data transfer apart.
  {
    target: 'usage_type',
    names: ['x_UsageType', 'x_usage_type', 'UsageType'],
    required: false,
    kind: 'text',
  },
  { target: 'description', names: ['ChargeDescription'], required: false, kind: 'text' },
];

/**
 * Where real exports carry the instance type (FOCUS has no column for it), in the order tried:
 * provider `x_` columns, the 1.2 SkuPriceDetails JSON, AWS usage types (`BoxUsage:c5.2xlarge`),
 * and ChargeDescription ("$0.34 per On Demand Linux c5.2xlarge Instance Hour").
 */
export const INSTANCE_TYPE_SOURCES = {
  direct: ['x_InstanceType', 'x_instance_type'],
  skuPriceDetails: 'SkuPriceDetails',
  usageType: ['x_UsageType', 'x_usage_type', 'UsageType'],
  description: 'ChargeDescription',
} as const;

/** The columns of FOCUS 1.3's Contract Commitment dataset (no charge period, no cost of a day). */
export const CONTRACT_COMMITMENT_MARKERS = ['ContractCommitmentId', 'ContractCommitmentCost'];

export const ACCEPTED_FORMATS =
  'FOCUS 1.0 to 1.4 cost and usage exports as CSV (.csv, .csv.gz) or Parquet (.parquet)';
