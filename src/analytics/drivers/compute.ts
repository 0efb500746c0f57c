/**
 * The cost-drivers method (formula guide + cost-drivers note), end to end:
 *
 *   1. KPIs: previous, current, net change over every line (guide 2)
 *   2. classify each line into the six buckets; other lines are unexplained (guide 3)
 *   3. waterfall with rounding reconciliation and balance check (guide 4)
 *   4. decomposition rows with risk, materiality and omissions (guide 5, 6)
 *   5. unexplained panel, then the trend whose residuals add up to it (guide 8, 7)
 *   6. governance checks and attribution confidence (guide 10, 9)
 */
import { type BucketValues, classifyLine, emptyBuckets } from './classify.js';
import { attributionConfidence, topProviderShare } from './confidence.js';
import { decompose } from './decomposition.js';
import { governance } from './governance.js';
import { explainedPercent, netChangePercent, top3Percent } from './kpis.js';
import { buildTrend } from './trend.js';
import { BUCKETS, type DriversInput, type DriversOptions, type DriversResult } from './types.js';
import { unexplainedPanel } from './unexplained.js';
import { buildWaterfall } from './waterfall.js';

export function computeDrivers(input: DriversInput, options: DriversOptions): DriversResult {
  let previous = 0;
  let current = 0;
  const acc: BucketValues & { unexplained?: number } = emptyBuckets();
  const serviceDeltas = new Map<string, number>();
  for (const line of input.lines) {
    previous += line.previousSpend;
    current += line.currentSpend;
    classifyLine(line, acc);
    serviceDeltas.set(
      line.service,
      (serviceDeltas.get(line.service) ?? 0) + line.currentSpend - line.previousSpend,
    );
  }
  const { unexplained: _otherDelta, ...buckets } = acc;
  const netChange = current - previous;
  const explained = BUCKETS.reduce((s, b) => s + buckets[b], 0);
  const unexplained = netChange - explained;

  const waterfall = buildWaterfall(previous, current, buckets, unexplained);
  const decomposition = decompose(input.lines, options.by, netChange, options.minChange, options.limit);
  const panel = unexplainedPanel(waterfall, netChange);
  const trend = buildTrend(
    input.window.current,
    input.window.previous,
    input.currentDaily,
    input.window.previous ? input.previousDaily : [],
    panel.value,
    netChange,
  );
  const gov = governance(input.lines, input.window.current, input.observedCurrentDays, input.currenciesSeen);

  return {
    window: input.window,
    basis: input.basis,
    currency: input.currency,
    by: options.by,
    kpis: {
      previous,
      current,
      netChange,
      netChangePercent: netChangePercent(previous, current),
      explained,
      unexplained,
      explainedPercent: explainedPercent(netChange, unexplained),
      top3Percent: top3Percent(serviceDeltas),
    },
    drivers: buckets,
    waterfall,
    rows: decomposition.rows,
    omitted: decomposition.omitted,
    noiseThreshold: decomposition.noiseThreshold,
    trend,
    unexplained: panel,
    governance: gov,
    confidence: attributionConfidence(gov, panel.percentOfNet, topProviderShare(input.providerCurrentSpend)),
  };
}
