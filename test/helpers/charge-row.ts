import type { ChargeRow } from '../../src/integrations/warehouse/port.js';

/** One charge row (rows.ts) of a plain EC2 usage line, with what a test sets. */
export const chargeRow = (o: Partial<ChargeRow>): ChargeRow => ({
  day: '2026-11-10',
  billed: 1,
  effective: null,
  contracted: null,
  quantity: 1,
  category: 'Usage',
  service: 'EC2',
  account: 'a',
  region: 'us-east-1',
  sku: 'x',
  resource: '',
  tags: { team: 'web', owner: 'ops' },
  currency: 'USD',
  provider: 'AWS',
  instanceType: '',
  ...o,
});
