/**
 * The method's lines reduced to what every later step needs (guide 2-6 and 10): totals, the six
 * buckets and the unclassified delta, service deltas (Top3%), the groups of the decomposition
 * dimension with their own buckets, and the governance sums. Classification is per line
 * (`classifyLine`); everything after it only sums.
 *
 * `summariseLines` is the reference. At scale the warehouse computes the same summary in SQL
 * (integrations/warehouse/line-summary-sql.ts), so that no line crosses into JavaScript; a test
 * holds the two equal.
 */
import type { Dimension, LineAggregate } from '../types.js';
import { classifyLine, emptyBuckets } from './classify.js';
import type { Buckets, GovernanceSums, GroupSummary, LineSummary } from './types.js';

export const emptyBucketsWithOther = (): Buckets => ({ ...emptyBuckets(), unexplained: 0 });

export function summariseLines(lines: LineAggregate[], by: Dimension): LineSummary {
  const buckets = emptyBucketsWithOther();
  const serviceDeltas = new Map<string, number>();
  const groups = new Map<string, GroupSummary>();
  const gov: GovernanceSums = {
    usageCurrent: 0,
    untaggedCurrent: 0,
    noSkuCurrent: 0,
    quantityAbsDelta: 0,
    usageAbsDelta: 0,
  };
  let previous = 0;
  let current = 0;
  for (const line of lines) {
    previous += line.previousSpend;
    current += line.currentSpend;
    classifyLine(line, buckets);
    const delta = line.currentSpend - line.previousSpend;
    serviceDeltas.set(line.service, (serviceDeltas.get(line.service) ?? 0) + delta);
    const key = line[by];
    let g = groups.get(key);
    if (!g) {
      g = { key, previousSpend: 0, currentSpend: 0, buckets: emptyBucketsWithOther() };
      groups.set(key, g);
    }
    g.previousSpend += line.previousSpend;
    g.currentSpend += line.currentSpend;
    classifyLine(line, g.buckets);
    if (line.kind === 'usage') {
      gov.usageCurrent += line.currentSpend;
      if (line.team === '') gov.untaggedCurrent += line.currentSpend;
      if (line.sku === '') gov.noSkuCurrent += line.currentSpend;
      gov.usageAbsDelta += Math.abs(delta);
      if (line.previousQuantity > 0 && line.currentQuantity > 0) gov.quantityAbsDelta += Math.abs(delta);
    }
  }
  return { previous, current, buckets, serviceDeltas, groups: [...groups.values()], governance: gov };
}
