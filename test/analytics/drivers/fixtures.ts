/** Fixture builders for the drivers method: lines and inputs with overridable fields. */
import type { DriversInput } from '../../../src/analytics/drivers/types.js';
import type { LineAggregate } from '../../../src/analytics/types.js';

export function line(overrides: Partial<LineAggregate> = {}): LineAggregate {
  return {
    service: 'Amazon EC2',
    account: '111111111111',
    region: 'us-east-1',
    team: 'platform',
    sku: 'BoxUsage:m5.large',
    resource: '',
    kind: 'usage',
    previousSpend: 0,
    currentSpend: 0,
    previousQuantity: 0,
    currentQuantity: 0,
    ...overrides,
  };
}

export function input(lines: LineAggregate[], overrides: Partial<DriversInput> = {}): DriversInput {
  return {
    window: {
      current: { start: '2026-11-08', end: '2026-11-14' },
      previous: { start: '2026-11-01', end: '2026-11-07' },
    },
    basis: 'actual',
    currency: 'USD',
    currenciesSeen: ['USD'],
    providerCurrentSpend: [{ provider: 'AWS', spend: lines.reduce((s, l) => s + l.currentSpend, 0) }],
    lines,
    currentDaily: [],
    previousDaily: [],
    observedCurrentDays: 7,
    ...overrides,
  };
}

export const options = { by: 'service' as const, minChange: 0, limit: 10 };
