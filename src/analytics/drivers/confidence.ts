/** Guide section 9 with the note: attribution confidence, rule statuses and the penalties applied. */
import { formatPct } from './text.js';
import type { ConfidenceLevel, DriversResult, RuleStatus } from './types.js';

type Confidence = DriversResult['confidence'];

/** Guide 9: High >= 80, Medium >= 60, Low below. */
export const confidenceLevel = (score: number): ConfidenceLevel =>
  score >= 80 ? 'High' : score >= 60 ? 'Medium' : 'Low';

/** The note: model residual pass <= 2, warn <= 5, fail above (an undefined percent fails). */
export const modelResidualStatus = (p: number | null): RuleStatus =>
  p === null || p > 5 ? 'fail' : p > 2 ? 'warn' : 'pass';
/** The note: usage/rate coverage pass >= 70, warn >= 40, fail below. */
export const usageRateStatus = (p: number): RuleStatus => (p >= 70 ? 'pass' : p >= 40 ? 'warn' : 'fail');
/** The note: ownership (missing tag spend) pass <= 10, warn <= 20, fail above. */
export const ownershipStatus = (p: number): RuleStatus => (p <= 10 ? 'pass' : p <= 20 ? 'warn' : 'fail');

/** The note: the provider rule applies with more than one provider and a top share below 70 %. */
export function topProviderShare(providers: { provider: string; spend: number }[]): number | null {
  const present = providers.filter((p) => p.spend !== 0);
  if (present.length <= 1) return null;
  const total = present.reduce((s, p) => s + Math.abs(p.spend), 0);
  return total === 0 ? null : (Math.max(...present.map((p) => Math.abs(p.spend))) / total) * 100;
}

export function attributionConfidence(
  g: DriversResult['governance'],
  modelResidualPercent: number | null,
  providerShare: number | null,
): Confidence {
  const penalties: Confidence['penalties'] = [];
  const penalise = (rule: string, points: number, detail: string) => penalties.push({ rule, points, detail });
  if (!g.currencyConsistency) penalise('currency consistency', 25, 'more than one billing currency');
  if (modelResidualPercent === null) penalise('model residual', 20, 'unexplained spend with no net change');
  else if (modelResidualPercent > 5)
    penalise('model residual', 20, `${formatPct(modelResidualPercent)} unexplained (> 5 %)`);
  else if (modelResidualPercent > 2)
    penalise('model residual', 10, `${formatPct(modelResidualPercent)} unexplained (> 2 %)`);
  if (g.quantityCoverage < 40)
    penalise('usage/rate coverage', 20, `${formatPct(g.quantityCoverage)} of change has quantities (< 40 %)`);
  else if (g.quantityCoverage < 70)
    penalise('usage/rate coverage', 10, `${formatPct(g.quantityCoverage)} of change has quantities (< 70 %)`);
  if (g.missingTagSpend > 20)
    penalise('ownership mapping', 15, `${formatPct(g.missingTagSpend)} of spend untagged (> 20 %)`);
  else if (g.missingTagSpend > 10)
    penalise('ownership mapping', 8, `${formatPct(g.missingTagSpend)} of spend untagged (> 10 %)`);
  if (g.skuMappingCoverage < 85)
    penalise('SKU mapping', 10, `${formatPct(g.skuMappingCoverage)} of spend has a SKU (< 85 %)`);
  if (g.periodDataCompleteness < 90)
    penalise('data completeness', 10, `${formatPct(g.periodDataCompleteness)} of days have data (< 90 %)`);
  if (providerShare !== null && providerShare < 70)
    penalise('provider concentration', 5, `largest provider ${formatPct(providerShare)} of spend (< 70 %)`);
  const score = Math.min(100, Math.max(0, 100 - penalties.reduce((s, p) => s + p.points, 0)));
  return {
    score,
    level: confidenceLevel(score),
    rules: {
      currencyConsistency: g.currencyConsistency ? 'pass' : 'fail',
      modelResidual: modelResidualStatus(modelResidualPercent),
      usageRateCoverage: usageRateStatus(g.quantityCoverage),
      ownershipMapping: ownershipStatus(g.missingTagSpend),
    },
    penalties,
  };
}
