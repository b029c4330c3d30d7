/**
 * Regression metrics, as scikit-learn computes them:
 * - mae: mean |y − ŷ|;  rmse: √(mean (y − ŷ)²);
 * - mape: mean |y − ŷ| / max(|y|, ε), ε = 2.220446049250313e-16 (so y = 0 gives a huge, finite term);
 * - r2 (`r2_score`): 1 − Σ(y − ŷ)² / Σ(y − ȳ)²; with a constant y it is 1 for a perfect prediction and 0
 *   otherwise (scikit-learn's `force_finite`); `null` with fewer than two rows.
 * Sums are compensated (Neumaier). The partials of consecutive chunks combine into the period's (sums add up;
 * Σ(y − ȳ)² combines by Chan's formula), so a period's metrics cost no second pass over its rows.
 */
import type { MetricValues } from '../types.js';
import { EPSILON } from './binary.js';
import { addSums, Sum, type CompensatedSum } from './summation.js';

export const REGRESSION_METRICS = ['mae', 'rmse', 'mape', 'r2'];

export interface RegressionInputs {
  labels: Float64Array;
  predictions: Float64Array;
}

export interface RegressionPartial {
  rows: number;
  absolute: CompensatedSum;
  squared: CompensatedSum;
  percentage: CompensatedSum;
  /** Mean of the labels and Σ(y − ȳ)² (two-pass within a chunk). */
  labelMean: number;
  labelSquares: number;
  labelMinimum: number;
  labelMaximum: number;
}

export function regressionMetrics(inputs: RegressionInputs): MetricValues {
  return regressionMetricsOfPartial(regressionPartial(inputs));
}

export function regressionPartial(inputs: RegressionInputs): RegressionPartial {
  const { labels, predictions } = inputs;
  const n = labels.length;
  const absolute = new Sum();
  const squared = new Sum();
  const percentage = new Sum();
  const labelSum = new Sum();
  let labelMinimum = Infinity;
  let labelMaximum = -Infinity;
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    const error = Math.abs(label - predictions[i]);
    absolute.add(error);
    squared.add(error * error);
    percentage.add(error / Math.max(Math.abs(label), EPSILON));
    labelSum.add(label);
    if (label < labelMinimum) {
      labelMinimum = label;
    }
    if (label > labelMaximum) {
      labelMaximum = label;
    }
  }
  const labelMean = n === 0 ? 0 : labelSum.value / n;
  const labelSquares = new Sum();
  for (let i = 0; i < n; i++) {
    const deviation = labels[i] - labelMean;
    labelSquares.add(deviation * deviation);
  }
  const compensated = (total: Sum): CompensatedSum => ({ sum: total.value, compensation: 0 });
  return {
    rows: n,
    absolute: compensated(absolute),
    squared: compensated(squared),
    percentage: compensated(percentage),
    labelMean,
    labelSquares: labelSquares.value,
    labelMinimum,
    labelMaximum
  };
}

export function combineRegressionPartials(parts: RegressionPartial[]): RegressionPartial {
  let rows = 0;
  let labelMean = 0;
  const labelSquares = new Sum();
  for (const part of parts) {
    if (part.rows === 0) {
      continue;
    }
    // Chan et al.: M2 = M2_a + M2_b + δ² · n_a · n_b / (n_a + n_b)
    const total = rows + part.rows;
    const delta = part.labelMean - labelMean;
    labelSquares.add(part.labelSquares);
    labelSquares.add((delta * delta * rows * part.rows) / total);
    labelMean += (delta * part.rows) / total;
    rows = total;
  }
  return {
    rows,
    absolute: addSums(parts.map(part => part.absolute)),
    squared: addSums(parts.map(part => part.squared)),
    percentage: addSums(parts.map(part => part.percentage)),
    labelMean,
    labelSquares: labelSquares.value,
    labelMinimum: parts.reduce((minimum, part) => Math.min(minimum, part.labelMinimum), Infinity),
    labelMaximum: parts.reduce((maximum, part) => Math.max(maximum, part.labelMaximum), -Infinity)
  };
}

export function regressionMetricsOfPartial(partial: RegressionPartial): MetricValues {
  const n = partial.rows;
  if (n === 0) {
    return { mae: null, rmse: null, mape: null, r2: null };
  }
  const mean = (total: CompensatedSum): number => (total.sum + total.compensation) / n;
  const residualSquares = partial.squared.sum + partial.squared.compensation;
  return {
    mae: mean(partial.absolute),
    rmse: Math.sqrt(mean(partial.squared)),
    mape: mean(partial.percentage),
    r2: r2Of(n, residualSquares, partial.labelSquares, partial.labelMinimum === partial.labelMaximum)
  };
}

export function r2Score(labels: Float64Array, predictions: Float64Array): number | null {
  return regressionMetrics({ labels, predictions }).r2;
}

function r2Of(n: number, residualSquares: number, labelSquares: number, constantLabel: boolean): number | null {
  if (n < 2) {
    return null;
  }
  if (constantLabel) {
    return residualSquares === 0 ? 1 : 0;
  }
  return 1 - residualSquares / labelSquares;
}
