/**
 * Regression metrics, as scikit-learn computes them:
 * - mae: mean |y − ŷ|;  rmse: √(mean (y − ŷ)²);
 * - mape: mean |y − ŷ| / max(|y|, ε), ε = 2.220446049250313e-16 (so y = 0 gives a huge, finite term);
 * - r2 (`r2_score`): 1 − Σ(y − ŷ)² / Σ(y − ȳ)²; with a constant y it is 1 for a perfect prediction and 0
 *   otherwise (scikit-learn's `force_finite`); `null` with fewer than two rows.
 */
import type { MetricValues } from '../types.js';
import { EPSILON } from './binary.js';
import { Sum } from './summation.js';

export const REGRESSION_METRICS = ['mae', 'rmse', 'mape', 'r2'];

export interface RegressionInputs {
  labels: Float64Array;
  predictions: Float64Array;
}

export function regressionMetrics(inputs: RegressionInputs): MetricValues {
  const { labels, predictions } = inputs;
  const n = labels.length;
  if (n === 0) {
    return { mae: null, rmse: null, mape: null, r2: null };
  }
  const absolute = new Sum();
  const squared = new Sum();
  const percentage = new Sum();
  for (let i = 0; i < n; i++) {
    const error = labels[i] - predictions[i];
    absolute.add(Math.abs(error));
    squared.add(error * error);
    percentage.add(Math.abs(error) / Math.max(Math.abs(labels[i]), EPSILON));
  }
  return {
    mae: absolute.value / n,
    rmse: Math.sqrt(squared.value / n),
    mape: percentage.value / n,
    r2: r2FromResiduals(labels, squared.value)
  };
}

export function r2Score(labels: Float64Array, predictions: Float64Array): number | null {
  const residuals = new Sum();
  for (let i = 0; i < labels.length; i++) {
    const error = labels[i] - predictions[i];
    residuals.add(error * error);
  }
  return r2FromResiduals(labels, residuals.value);
}

function r2FromResiduals(labels: Float64Array, residualSquares: number): number | null {
  const n = labels.length;
  if (n < 2) {
    return null;
  }
  if (isConstant(labels)) {
    return residualSquares === 0 ? 1 : 0;
  }
  const sum = new Sum();
  for (let i = 0; i < n; i++) {
    sum.add(labels[i]);
  }
  const mean = sum.value / n;
  const total = new Sum();
  for (let i = 0; i < n; i++) {
    const deviation = labels[i] - mean;
    total.add(deviation * deviation);
  }
  return 1 - residualSquares / total.value;
}

function isConstant(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) {
    if (values[i] !== values[0]) {
      return false;
    }
  }
  return true;
}
