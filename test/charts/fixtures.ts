/** A real drivers result (demo data, 30d by service) and variants for edge cases. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DriverRow, DriversResult } from '../../src/analytics/drivers/types.js';

export const realResult = (): DriversResult =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../fixtures/drivers-result.json'), 'utf8'),
  ) as DriversResult;

export function row(i: number, o: Partial<DriverRow> = {}): DriverRow {
  const delta = (i % 2 ? -1 : 1) * (1000 - i * 3);
  return {
    key: `service-${i}`,
    previousSpend: 5000,
    currentSpend: 5000 + delta,
    deltaValue: delta,
    deltaPercent: delta / 50,
    label: null,
    driverType: 'usageGrowth',
    contributionPercent: delta / 100,
    contributionScore: Math.abs(delta / 100),
    risk: 'LOW',
    ...o,
  };
}

/** The variants every builder must handle. */
export function variants(): [string, DriversResult][] {
  const base = realResult();
  const zero = structuredClone(base);
  zero.rows = [];
  zero.waterfall.steps = zero.waterfall.steps.map((s) => ({ ...s, value: 0 }));
  zero.waterfall.end = zero.waterfall.start;
  zero.trend = zero.trend.map((t) => ({
    ...t,
    currentSpend: 0,
    previousSpend: 0,
    dailyDelta: 0,
    dailyResidual: 0,
  }));
  const negative = structuredClone(base);
  negative.waterfall.steps = negative.waterfall.steps.map((s) => ({ ...s, value: -Math.abs(s.value) }));
  negative.rows = negative.rows.map((r) => ({ ...r, deltaValue: -Math.abs(r.deltaValue) }));
  const many = structuredClone(base);
  many.rows = Array.from({ length: 200 }, (_, i) =>
    row(i, { label: i === 3 ? 'NEW' : i === 4 ? 'REMOVED' : null }),
  );
  const long = structuredClone(base);
  long.rows = [row(0, { key: 'x'.repeat(5000) }), row(1, { key: '' })];
  const none = structuredClone(base);
  none.window.previous = null;
  none.trend = none.trend.map((t) => ({ ...t, previousDay: null, previousSpend: 0 }));
  return [
    ['demo', base],
    ['all zero', zero],
    ['negative net', negative],
    ['200 rows', many],
    ['5,000-character names', long],
    ['no comparison', none],
  ];
}
