/**
 * The cost model (cost-model note): daily cost against business metrics, with every excluded day
 * listed. Pipeline:
 *
 *   1. drop configured dates (their reason) and, with `auto`, days of negative cost
 *   2. fit OLS by QR
 *   3. with `auto`, drop days whose externally studentized residual exceeds the threshold; refit once
 *   4. unit economics per feature: marginal cost per 1,000 units, average cost per 1,000 units over
 *      the last 7 days and the 7 before, and its week-over-week change
 */
import { type Fit, fitOls } from './ols.js';

export interface ModelDay {
  date: string;
  cost: number;
  features: Record<string, number>;
}

export interface Exclusion {
  date: string;
  reason: string;
}

export interface UnitCost {
  feature: string;
  /** Coefficient x 1,000: what 1,000 more units cost per day. */
  marginalPer1000: number;
  /** Mean of cost / units x 1,000 over the last 7 fitted days, and the 7 before. */
  averagePer1000Last7: number | null;
  averagePer1000Previous7: number | null;
  weekOverWeekPercent: number | null;
}

export interface CostModel {
  fit: Fit;
  features: string[];
  excluded: Exclusion[];
  /** The days fitted, with the prediction and residual of the final fit. */
  days: (ModelDay & { predicted: number; residual: number })[];
  unitCosts: UnitCost[];
}

/** Externally studentized residual: e_i / (s_(i) sqrt(1 - h_ii)), s_(i) the SD without day i. */
export function externallyStudentized(fit: Fit, p: number): number[] {
  const sse = fit.residuals.reduce((s, e) => s + e * e, 0);
  const df = fit.n - p - 1;
  return fit.residuals.map((e, i) => {
    const h = fit.leverage[i]!;
    if (df <= 0 || h >= 1) return 0;
    const s2 = (sse - (e * e) / (1 - h)) / df;
    return s2 <= 0 ? 0 : e / Math.sqrt(s2 * (1 - h));
  });
}

function fitDays(days: ModelDay[], features: string[]): Fit {
  return fitOls(
    days.map((d) => d.cost),
    days.map((d) => features.map((f) => d.features[f]!)),
    features,
  );
}

/** Mean of cost / units x 1,000 over the days with units > 0; null when there are none. */
const averagePer1000 = (days: ModelDay[], feature: string): number | null => {
  const vals = days
    .filter((d) => (d.features[feature] ?? 0) > 0)
    .map((d) => (d.cost / d.features[feature]!) * 1000);
  return vals.length ? vals.reduce((s, v) => s + v, 0) / vals.length : null;
};

export function unitCosts(fit: Fit, days: ModelDay[], features: string[]): UnitCost[] {
  const sorted = [...days].sort((a, b) => (a.date < b.date ? -1 : 1));
  const last7 = sorted.slice(-7);
  const prev7 = sorted.slice(-14, -7);
  return features.map((feature, j) => {
    const last = averagePer1000(last7, feature);
    const prev = averagePer1000(prev7, feature);
    return {
      feature,
      marginalPer1000: fit.coefficients[j + 1]!.estimate * 1000,
      averagePer1000Last7: last,
      averagePer1000Previous7: prev,
      weekOverWeekPercent:
        last !== null && prev !== null && prev !== 0 ? ((last - prev) / Math.abs(prev)) * 100 : null,
    };
  });
}

export function fitCostModel(input: {
  days: ModelDay[];
  features: string[];
  outliers: 'auto' | 'none';
  excludeDates: Exclusion[];
  threshold?: number;
}): CostModel {
  const threshold = input.threshold ?? 3.5;
  const excluded: Exclusion[] = [];
  const configured = new Map(input.excludeDates.map((e) => [e.date, e.reason]));
  let days = input.days.filter((d) => {
    const reason = configured.get(d.date);
    if (reason !== undefined) excluded.push({ date: d.date, reason });
    else if (input.outliers === 'auto' && d.cost < 0)
      excluded.push({ date: d.date, reason: `negative cost (${d.cost.toFixed(2)})` });
    else return true;
    return false;
  });
  let fit = fitDays(days, input.features);
  if (input.outliers === 'auto') {
    const t = externallyStudentized(fit, input.features.length + 1);
    const keep = days.filter((d, i) => {
      if (Math.abs(t[i]!) <= threshold) return true;
      excluded.push({
        date: d.date,
        reason: `studentized residual ${t[i]!.toFixed(2)} beyond ±${threshold}`,
      });
      return false;
    });
    if (keep.length < days.length) {
      days = keep;
      fit = fitDays(days, input.features);
    }
  }
  return {
    fit,
    features: input.features,
    excluded: excluded.sort((a, b) => (a.date < b.date ? -1 : 1)),
    days: days.map((d, i) => ({ ...d, predicted: fit.fitted[i]!, residual: fit.residuals[i]! })),
    unitCosts: unitCosts(fit, days, input.features),
  };
}
