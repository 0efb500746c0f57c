/**
 * Deterministic demo business metrics (transactions per day, customers) over any range: growth,
 * weekly seasonality and noise, so the demo costs have something to be modelled against. Also an
 * OpenMetrics writer, to backfill a Prometheus with them (`promtool tsdb create-blocks-from
 * openmetrics`).
 */
import { DateTime } from 'luxon';
import { calendarDays } from '../../analytics/periods/windows.js';
import type { DateRange } from '../../analytics/types.js';
import type { MetricsByDay } from '../metrics.js';

/** Mulberry32: a small seeded PRNG (same seed, same numbers). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEMO_METRIC_NAMES = {
  transactions: 'spendbrief_demo_transactions',
  customers: 'spendbrief_demo_customers',
} as const;

export function demoMetrics(range: DateRange, seed = 7): MetricsByDay {
  const days = new Map<string, Record<string, number>>();
  const origin = DateTime.fromISO('2020-01-01', { zone: 'utc' });
  for (const day of calendarDays(range)) {
    const d = DateTime.fromISO(day, { zone: 'utc' });
    const t = Math.round(d.diff(origin, 'days').days);
    const rand = prng(seed * 100_003 + t);
    const weekend = d.weekday >= 6 ? 0.8 : 1;
    days.set(day, {
      transactions: Math.round(40_000 * 1.0012 ** t * weekend * (0.95 + 0.1 * rand())),
      customers: Math.round(9_000 + 4.5 * t + 40 * (rand() - 0.5)),
    });
  }
  return { features: ['transactions', 'customers'], days };
}

/** OpenMetrics text with one gauge sample per day at 00:00 UTC (what a step-1d range query reads). */
export function toOpenMetrics(metrics: MetricsByDay): string {
  const lines: string[] = [];
  for (const f of metrics.features) {
    const name = DEMO_METRIC_NAMES[f as keyof typeof DEMO_METRIC_NAMES] ?? `spendbrief_${f}`;
    lines.push(`# TYPE ${name} gauge`);
    for (const [day, values] of [...metrics.days].sort())
      lines.push(`${name} ${values[f]} ${Date.parse(`${day}T00:00:00Z`) / 1000}`);
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
