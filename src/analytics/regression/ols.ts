/**
 * Ordinary least squares by Householder QR (cost-model note, "Fit"): the design matrix is
 * factorised, never X'X (the normal equations square the condition number). Columns are scaled
 * to unit norm before the factorisation and the scaling undone after, which keeps ill-conditioned
 * data such as NIST's Longley set to better than 9 significant digits.
 */

import fCdf from '@stdlib/stats-base-dists-f-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { Matrix, QrDecomposition } from 'ml-matrix';
import { CodedError, ErrorCode } from '../../errors.js';

export interface Coefficient {
  name: string;
  estimate: number;
  stdError: number;
  t: number;
  p: number;
}

export interface Fit {
  coefficients: Coefficient[];
  rSquared: number;
  adjRSquared: number;
  residualSD: number;
  rmse: number;
  rmsePercentOfMean: number;
  fStatistic: number;
  fPValue: number;
  n: number;
  fitted: number[];
  residuals: number[];
  /** Diagonal of the hat matrix (leverage of each observation). */
  leverage: number[];
}

/** Two-sided p value of a t statistic with `df` degrees of freedom. */
export const tPValue = (t: number, df: number): number =>
  Number.isFinite(t) ? 2 * (1 - tCdf(Math.abs(t), df)) : 0;

/** Rank tolerance relative to the largest diagonal of R (LAPACK's usual choice). */
const RANK_TOL = 1e-10;

/**
 * y = b0 + b1 x1 + ... + bk xk. `features` are column names, `x[i]` the row of observation i.
 * Fewer observations than parameters + 1, or collinear / constant features, are ModelInvalid.
 */
export function fitOls(y: number[], x: number[][], features: string[]): Fit {
  const n = y.length;
  const p = features.length + 1;
  if (n < p + 1) {
    throw new CodedError(
      ErrorCode.ModelInvalid,
      `the fit needs at least ${p + 1} days for ${p} parameters (intercept + ${features.length} features); it has ${n}`,
    );
  }
  for (let j = 0; j < features.length; j++) {
    const col = x.map((r) => r[j]!);
    if (col.every((v) => v === col[0]))
      throw new CodedError(
        ErrorCode.ModelInvalid,
        `feature "${features[j]}" is constant over the ${n} days: it cannot be fitted`,
      );
  }
  const X = new Matrix(n, p);
  for (let i = 0; i < n; i++) {
    X.set(i, 0, 1);
    for (let j = 1; j < p; j++) X.set(i, j, x[i]![j - 1]!);
  }
  // Scale each column to unit norm; the estimates are divided back by the scale.
  const scale = Array.from({ length: p }, (_, j) => Math.hypot(...X.getColumn(j)) || 1);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) X.set(i, j, X.get(i, j) / scale[j]!);

  const qr = new QrDecomposition(X);
  const R = qr.upperTriangularMatrix.subMatrix(0, p - 1, 0, p - 1);
  const maxDiag = Math.max(...Array.from({ length: p }, (_, j) => Math.abs(R.get(j, j))));
  for (let j = 0; j < p; j++) {
    if (Math.abs(R.get(j, j)) <= RANK_TOL * maxDiag) {
      throw new CodedError(
        ErrorCode.ModelInvalid,
        `feature "${j === 0 ? 'intercept' : features[j - 1]}" is a linear combination of the others (collinear): drop it with --features`,
      );
    }
  }
  const bScaled = qr.solve(Matrix.columnVector(y)).getColumn(0);
  const beta = bScaled.map((b, j) => b / scale[j]!);

  const fitted = x.map((row) => beta[0]! + row.reduce((s, v, j) => s + beta[j + 1]! * v, 0));
  const residuals = y.map((v, i) => v - fitted[i]!);
  const sse = residuals.reduce((s, e) => s + e * e, 0);
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const sst = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  const df = n - p;
  const sigma2 = sse / df;

  // (X'X)^-1 = R^-1 R^-T on the scaled columns: the diagonal gives the standard errors.
  const Rinv = upperInverse(R);
  const se = Array.from({ length: p }, (_, j) => {
    let v = 0;
    for (let k = j; k < p; k++) v += Rinv.get(j, k) ** 2;
    return Math.sqrt(sigma2 * v) / scale[j]!;
  });
  // Leverage h_ii = |row i of Q1|^2 with Q1 = X R^-1 (thin Q).
  const Q1 = X.mmul(Rinv);
  const leverage = Array.from({ length: n }, (_, i) => Q1.getRow(i).reduce((s, q) => s + q * q, 0));

  const rSquared = sst === 0 ? 0 : 1 - sse / sst;
  const fStatistic = p > 1 && sse > 0 ? (sst - sse) / (p - 1) / sigma2 : 0;
  const rmse = Math.sqrt(sse / n);
  return {
    coefficients: ['intercept', ...features].map((name, j) => {
      const t = se[j] === 0 ? 0 : beta[j]! / se[j]!;
      return { name, estimate: beta[j]!, stdError: se[j]!, t, p: tPValue(t, df) };
    }),
    rSquared,
    adjRSquared: 1 - ((1 - rSquared) * (n - 1)) / df,
    residualSD: Math.sqrt(sigma2),
    rmse,
    rmsePercentOfMean: mean === 0 ? 0 : (rmse / Math.abs(mean)) * 100,
    fStatistic,
    fPValue: p > 1 && sse > 0 ? 1 - fCdf(fStatistic, p - 1, df) : 0,
    n,
    fitted,
    residuals,
    leverage,
  };
}

/** Inverse of an upper-triangular matrix by back substitution. */
function upperInverse(R: Matrix): Matrix {
  const p = R.rows;
  const inv = Matrix.zeros(p, p);
  for (let j = 0; j < p; j++) {
    inv.set(j, j, 1 / R.get(j, j));
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += R.get(i, k) * inv.get(k, j);
      inv.set(i, j, -s / R.get(i, i));
    }
  }
  return inv;
}
