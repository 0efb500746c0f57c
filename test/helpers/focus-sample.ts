/**
 * The FinOps Foundation's real FOCUS 1.0 sample (../shared/data/focus, CC BY 4.0, never copied
 * into the project) and an exact, independent sum of its BilledCost per day.
 */
import { readFileSync } from 'node:fs';
import { sharedData } from './shared-data.js';

export const SAMPLE_REL = 'focus/focus_sample_1.0.csv';
/** The sample's path, or null where the shared data is not present. */
export const SAMPLE = sharedData(SAMPLE_REL);

/** BilledCost per UTC day in units of 1e-11 (the file's 11 decimals), summed as integers. */
export function directSumByDay(file = SAMPLE!): Map<string, bigint> {
  const [, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const out = new Map<string, bigint>();
  for (const line of lines) {
    // BilledCost is the second column; the columns before it hold no commas.
    const [whole, frac = ''] = line.split(',')[1]!.split('.');
    const units =
      BigInt(whole!) * 10n ** 11n + BigInt(frac.padEnd(11, '0')) * (whole!.startsWith('-') ? -1n : 1n);
    // Timestamps in column order: BillingPeriodEnd, BillingPeriodStart, ChargePeriodEnd, ChargePeriodStart
    // (descriptions before them may hold commas, so they are found by shape, not position).
    const day = [...line.matchAll(/"(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}:\d{2}"/g)][3]![1]!;
    out.set(day, (out.get(day) ?? 0n) + units);
  }
  return out;
}

export const unitsToNumber = (units: bigint): number => Number(units) / 1e11;

/** Exact sum over an inclusive range of days. */
export function directSum(start: string, end: string): number {
  let s = 0n;
  for (const [day, units] of directSumByDay()) if (day >= start && day <= end) s += units;
  return unitsToNumber(s);
}
