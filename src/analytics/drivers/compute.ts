/**
 * The cost-drivers method (formula guide + cost-drivers note), end to end:
 *
 *   1. classify each line into the six buckets, other lines unexplained, and sum per group,
 *      per service and for governance (guide 3; summary.ts, or the same in SQL)
 *   2. KPIs: previous, current, net change (guide 2)
 *   3. waterfall with rounding reconciliation and balance check (guide 4)
 *   4. decomposition rows with risk, materiality and omissions (guide 5, 6)
 *   5. unexplained panel, then the trend whose residuals add up to it (guide 8, 7)
 *   6. governance checks and attribution confidence (guide 10, 9)
 */
import { daysNotYetInSource } from '../periods/windows.js';
import { attributionConfidence, topProviderShare } from './confidence.js';
import { decompose } from './decomposition.js';
import { governance } from './governance.js';
import { explainedPercent, netChangePercent, top3Percent } from './kpis.js';
import { summariseLines } from './summary.js';
import { buildTrend } from './trend.js';
import type { LineSummary } from './types.js';
import { BUCKETS, type DriversInput, type DriversOptions, type DriversResult } from './types.js';
import { unexplainedPanel } from './unexplained.js';
import { buildWaterfall } from './waterfall.js';

export function computeDrivers(input: DriversInput, options: DriversOptions): DriversResult {
  const summary: LineSummary = input.summary ?? summariseLines(input.lines ?? [], options.by);
  const { previous, current } = summary;
  const { unexplained: _otherDelta, ...buckets } = summary.buckets;
  const netChange = current - previous;
  const explained = BUCKETS.reduce((s, b) => s + buckets[b], 0);
  const unexplained = netChange - explained;

  const waterfall = buildWaterfall(previous, current, buckets, unexplained);
  const decomposition = decompose(summary.groups, netChange, options.minChange, options.limit);
  const panel = unexplainedPanel(waterfall, netChange);
  const trend = buildTrend(
    input.window.current,
    input.window.previous,
    input.currentDaily,
    input.window.previous ? input.previousDaily : [],
    panel.value,
    netChange,
  );
  const gov = governance(
    summary.governance,
    input.window.current,
    input.observedCurrentDays,
    input.currenciesSeen,
  );

  return {
    window: input.window,
    missingDays:
      input.latestDataDay === undefined
        ? null
        : daysNotYetInSource(input.window.current, input.latestDataDay),
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
      top3Percent: top3Percent(summary.serviceDeltas),
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
