/**
 * FOCUS 1.0 to 1.3 columns that the normalised `charges` relation reads. Where a later version
 * renamed a column, every name is listed, newest first (1.3: ProviderName -> ServiceProviderName).
 */
export interface ColumnSpec {
  /** Column of the normalised relation. */
  target: string;
  /** FOCUS names, newest first; matched case-insensitively. */
  names: string[];
  required: boolean;
  kind: 'day' | 'number' | 'text' | 'json';
}

export const FOCUS_COLUMNS: ColumnSpec[] = [
  { target: 'day', names: ['ChargePeriodStart'], required: true, kind: 'day' },
  { target: 'billed', names: ['BilledCost'], required: true, kind: 'number' },
  { target: 'effective', names: ['EffectiveCost'], required: false, kind: 'number' },
  { target: 'contracted', names: ['ContractedCost'], required: false, kind: 'number' },
  { target: 'quantity', names: ['ConsumedQuantity'], required: false, kind: 'number' },
  { target: 'category', names: ['ChargeCategory'], required: false, kind: 'text' },
  { target: 'service', names: ['ServiceName'], required: true, kind: 'text' },
  { target: 'account', names: ['SubAccountId'], required: false, kind: 'text' },
  { target: 'region', names: ['RegionId', 'Region'], required: false, kind: 'text' },
  { target: 'sku', names: ['SkuId'], required: false, kind: 'text' },
  { target: 'resource', names: ['ResourceId'], required: false, kind: 'text' },
  { target: 'tags', names: ['Tags'], required: false, kind: 'json' },
  { target: 'currency', names: ['BillingCurrency'], required: true, kind: 'text' },
  { target: 'provider', names: ['ServiceProviderName', 'ProviderName'], required: false, kind: 'text' },
  { target: 'instance_type', names: ['x_InstanceType', 'x_instance_type'], required: false, kind: 'text' },
];

export const ACCEPTED_FORMATS = 'FOCUS 1.0 to 1.3 exports as CSV (.csv, .csv.gz) or Parquet (.parquet)';
