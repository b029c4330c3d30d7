/**
 * Regression metrics, as scikit-learn computes them:
 * - mae: mean |y − ŷ|;  rmse: √(mean (y − ŷ)²);
 * - mape: mean |y − ŷ| / max(|y|, ε), ε = 2.220446049250313e-16 (so y = 0 gives a huge, finite term);
 * - r2 (`r2_score`): 1 − Σ(y − ŷ)² / Σ(y − ȳ)²; with a constant y it is 1 for a perfect prediction and 0
 *   otherwise (scikit-learn's `force_finite`); `null` with fewer than two rows.
 * Sums are compensated (Neumaier). The partials of consecutive chunks combine into the period's: the error sums
 * add up, and Σ(y − ȳ)² is taken again over the period's labels around their combined mean (one light pass, and
 * exactly what `r2_score` computes, where merging chunk variances would lose digits for labels far from 0).
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
  labelSum: CompensatedSum;
  /** Σ(y − ȳ)² around the mean of these rows. */
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
  const total = { sum: labelSum.value, compensation: 0 };
  const compensated = (sum: Sum): CompensatedSum => ({ sum: sum.value, compensation: 0 });
  return {
    rows: n,
    absolute: compensated(absolute),
    squared: compensated(squared),
    percentage: compensated(percentage),
    labelSum: total,
    labelSquares: squaredDeviations(labels, n === 0 ? 0 : total.sum / n),
    labelMinimum,
    labelMaximum
  };
}

/** The partial of a whole period from its chunks' partials and the period's labels. */
export function combineRegressionPartials(parts: RegressionPartial[], labels: Float64Array): RegressionPartial {
  const rows = parts.reduce((count, part) => count + part.rows, 0);
  const labelSum = addSums(parts.map(part => part.labelSum));
  return {
    rows,
    absolute: addSums(parts.map(part => part.absolute)),
    squared: addSums(parts.map(part => part.squared)),
    percentage: addSums(parts.map(part => part.percentage)),
    labelSum,
    labelSquares: squaredDeviations(labels, rows === 0 ? 0 : labelSum.sum / rows),
    labelMinimum: parts.reduce((minimum, part) => Math.min(minimum, part.labelMinimum), Infinity),
    labelMaximum: parts.reduce((maximum, part) => Math.max(maximum, part.labelMaximum), -Infinity)
  };
}

function squaredDeviations(labels: Float64Array, mean: number): number {
  const total = new Sum();
  for (let i = 0; i < labels.length; i++) {
    const deviation = labels[i] - mean;
    total.add(deviation * deviation);
  }
  return total.value;
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
