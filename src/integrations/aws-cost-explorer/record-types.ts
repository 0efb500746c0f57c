/**
 * Cost Explorer record types -> FOCUS charge categories. The usage family is fetched with its
 * usage type; every other record type is fetched grouped by RECORD_TYPE and mapped here, so
 * together the two requests cover all spend (see docs/adr/0001-cost-explorer-record-types.md).
 */
export const USAGE_RECORD_TYPES = ['Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage'];

/** FOCUS ChargeCategory of a record type (API names such as "Credit", "SavingsPlanNegation", "Tax"). */
export function chargeCategory(recordType: string): 'Usage' | 'Purchase' | 'Credit' | 'Tax' | 'Adjustment' {
  if (USAGE_RECORD_TYPES.includes(recordType)) return 'Usage';
  if (/credit|refund|discount|negation/i.test(recordType)) return 'Credit';
  if (/tax/i.test(recordType)) return 'Tax';
  if (/fee|upfront|recurring|support|purchase/i.test(recordType)) return 'Purchase';
  return 'Adjustment';
}
