/** Guide sections 5-6 with the note: decomposition rows, risk, materiality and omissions. */
import { dominantDriver } from './classify.js';
import { netChangePercent } from './kpis.js';
import type { DriverRow, DriverType, GroupSummary, Severity } from './types.js';

type Group = GroupSummary;

/** Guide 6.1: NoiseThreshold = max(userMinChange, 0.5% of |NetChange|, 0.01). */
export const noiseThreshold = (minChange: number, netChange: number): number =>
  Math.max(minChange, 0.005 * Math.abs(netChange), 0.01);

/** Guide 5.6: HIGH if score >= 25 or rowUnexplained% >= 10; MEDIUM if >= 10 or >= 5; else LOW. */
export const rowRisk = (contributionScore: number, rowUnexplainedPercent: number): Severity =>
  contributionScore >= 25 || rowUnexplainedPercent >= 10
    ? 'HIGH'
    : contributionScore >= 10 || rowUnexplainedPercent >= 5
      ? 'MEDIUM'
      : 'LOW';

/** The note: divide by |NetChange|, or by the sum of |row deltas| when |NetChange| < 0.005 (0 when that is 0 too). */
export function contributionDenominator(
  netChange: number,
  groups: Iterable<{ previousSpend: number; currentSpend: number }>,
): number {
  if (Math.abs(netChange) >= 0.005) return Math.abs(netChange);
  let s = 0;
  for (const g of groups) s += Math.abs(g.currentSpend - g.previousSpend);
  return s;
}

/** The note: dominant bucket, forced to new / savings when the group's previous / current spend is 0. */
export function groupDriverType(g: Group): DriverType {
  if (g.previousSpend === 0 && g.currentSpend !== 0) return 'newServicesResources';
  if (g.currentSpend === 0 && g.previousSpend !== 0) return 'savingsRemovals';
  return dominantDriver(g.buckets);
}

export interface Decomposition {
  rows: DriverRow[];
  omitted: { byThreshold: number; byRowLimit: number };
  noiseThreshold: number;
}

export function decompose(
  groups: GroupSummary[],
  netChange: number,
  minChange: number,
  limit: number,
): Decomposition {
  const denominator = contributionDenominator(netChange, groups);
  const threshold = noiseThreshold(minChange, netChange);
  const all: DriverRow[] = [];
  let byThreshold = 0;
  for (const g of groups) {
    const deltaValue = g.currentSpend - g.previousSpend;
    if (Math.abs(deltaValue) < threshold) {
      byThreshold++;
      continue;
    }
    const contributionPercent = denominator === 0 ? 0 : (deltaValue / denominator) * 100;
    const rowUnexplained = denominator === 0 ? 0 : (Math.abs(g.buckets.unexplained ?? 0) / denominator) * 100;
    const label =
      g.previousSpend === 0 && g.currentSpend > 0
        ? 'NEW'
        : g.currentSpend === 0 && g.previousSpend > 0
          ? 'REMOVED'
          : null;
    all.push({
      key: g.key,
      previousSpend: g.previousSpend,
      currentSpend: g.currentSpend,
      deltaValue,
      deltaPercent:
        label !== null || g.previousSpend === 0 ? null : netChangePercent(g.previousSpend, g.currentSpend),
      label,
      driverType: groupDriverType(g),
      contributionPercent,
      contributionScore: Math.abs(contributionPercent),
      risk: rowRisk(Math.abs(contributionPercent), rowUnexplained),
    });
  }
  all.sort(
    (a, b) => Math.abs(b.deltaValue) - Math.abs(a.deltaValue) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return {
    rows: all.slice(0, limit),
    omitted: { byThreshold, byRowLimit: Math.max(0, all.length - limit) },
    noiseThreshold: threshold,
  };
}
