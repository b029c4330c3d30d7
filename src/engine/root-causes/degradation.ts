/**
 * The degradation root causes explain: the drop of the primary metric (binary and multiclass: accuracy unless
 * `primaryMetric` names another; regression: a rise of mae) from the reference to the current period, and in the
 * current chunks that alert on it against the other current chunks.
 *
 * Per row the degradation is measured by an error: 1 for a wrong class and 0 for a right one (classification),
 * the absolute error (regression; the squared error when the primary metric is rmse). The extra errors are
 * Σ current errors − current rows × the reference's mean error.
 *
 * Degraded only when beyond its thresholds: the metric alerts (in the worse direction) in a current chunk, or the
 * whole current period lies beyond the metric's threshold band; and the rise of the mean error is significant
 * (z ≥ MIN_Z). Otherwise there is nothing to explain and no root cause is reported.
 */
import type { ChunkRows } from '../chunks.js';
import type { Targets } from '../metrics/index.js';
import type { Alert, MetricValues, Task, Threshold } from '../types.js';

/** Smallest z-score of a rise of error (or of a cause's extra errors) taken as real. */
export const MIN_Z = 3;

const HIGHER_IS_BETTER = new Set(['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc', 'r2']);

export interface PrimaryMetric {
  name: string;
  higherIsBetter: boolean;
  /** How one row's error is measured. */
  error: 'misclassification' | 'absolute' | 'squared';
}

export function primaryMetricOf(task: Task, primaryMetric?: string): PrimaryMetric {
  const name = primaryMetric ?? (task === 'regression' ? 'mae' : 'accuracy');
  const error = task !== 'regression' ? 'misclassification' : name === 'rmse' ? 'squared' : 'absolute';
  return { name, higherIsBetter: HIGHER_IS_BETTER.has(name), error };
}

/** Per-row error of a period (see the top of this file); null without predictions. Missing labels count 0. */
export function rowErrors(targets: Targets | null, metric: PrimaryMetric): Float64Array | null {
  if (!targets || !targets.predictions) {
    return null;
  }
  const { labels, predictions } = targets;
  const errors = new Float64Array(labels.length);
  if (targets.task === 'regression') {
    for (let i = 0; i < errors.length; i++) {
      const difference = (labels[i] as number) - (predictions[i] as number);
      const error = metric.error === 'squared' ? difference * difference : Math.abs(difference);
      errors[i] = error === error ? error : 0;
    }
  } else {
    for (let i = 0; i < errors.length; i++) {
      errors[i] = labels[i] === predictions[i] ? 0 : 1;
    }
  }
  return errors;
}

export interface PeriodErrors {
  errors: Float64Array;
  rows: number;
  mean: number;
}

export function periodErrors(errors: Float64Array): PeriodErrors {
  let sum = 0;
  for (let i = 0; i < errors.length; i++) {
    sum += errors[i];
  }
  return { errors, rows: errors.length, mean: errors.length === 0 ? 0 : sum / errors.length };
}

export interface Degradation {
  metric: PrimaryMetric;
  value: { reference: number; current: number };
  /** Current chunks whose primary metric alerts in the worse direction. */
  alertingChunks: number[];
  /** Mean error in the alerting chunks and in the other current chunks (null without rows). */
  chunkError: { alerting: number | null; other: number | null };
  meanError: { reference: number; current: number };
  extraErrors: number;
  /** z-score of the rise of the mean error. */
  z: number;
}

export interface DegradationInput {
  metric: PrimaryMetric;
  metrics: { reference: MetricValues; current: MetricValues };
  threshold: Threshold | undefined;
  alerts: Alert[];
  currentChunks: ChunkRows[];
  reference: PeriodErrors;
  current: PeriodErrors;
}

/** The degradation, or null when the primary metric did not degrade beyond its thresholds. */
export function findDegradation(input: DegradationInput): Degradation | null {
  return degradationOf({
    ...input,
    reference: { rows: input.reference.rows, mean: input.reference.mean, variance: errorVariance(input.reference) },
    current: { rows: input.current.rows, mean: input.current.mean, variance: errorVariance(input.current) },
    chunkError: alerting => chunkErrors(input.current.errors, input.currentChunks, alerting)
  });
}

/** A period's error as counts: rows, mean error and its variance (ddof 0). */
export interface ErrorSummary {
  rows: number;
  mean: number;
  variance: number;
}

/** The degradation from the periods' error summaries (rows or pushdown aggregates). */
export function degradationOf(input: {
  metric: PrimaryMetric;
  metrics: { reference: MetricValues; current: MetricValues };
  threshold: Threshold | undefined;
  alerts: Alert[];
  reference: ErrorSummary;
  current: ErrorSummary;
  chunkError: (alerting: Set<number>) => Degradation['chunkError'];
  /** Periods seen whole (no chunks, so no thresholds): a significant drop is enough. */
  unchunked?: boolean;
}): Degradation | null {
  const { metric, threshold, reference, current } = input;
  const before = input.metrics.reference[metric.name];
  const after = input.metrics.current[metric.name];
  if (before === null || before === undefined || after === null || after === undefined) {
    return null;
  }
  const worse = (value: number, bound: Threshold): boolean =>
    metric.higherIsBetter ? bound.lower !== null && value < bound.lower : bound.upper !== null && value > bound.upper;
  const alertingChunks = input.alerts
    .filter(alert => alert.metric === metric.name && worse(alert.value, alert))
    .map(alert => alert.index);
  const dropped = metric.higherIsBetter ? after < before : after > before;
  const beyondBand = threshold !== undefined && worse(after, threshold);
  if (!dropped || (alertingChunks.length === 0 && !beyondBand && !input.unchunked)) {
    return null;
  }

  // the rise of the mean error, and whether it is more than noise
  const extraErrors = (current.mean - reference.mean) * current.rows;
  const variance = current.variance / current.rows + reference.variance / reference.rows;
  const z = variance > 0 ? (current.mean - reference.mean) / Math.sqrt(variance) : extraErrors > 0 ? Infinity : 0;
  if (!(extraErrors > 0) || z < MIN_Z) {
    return null;
  }
  return {
    metric,
    value: { reference: before, current: after },
    alertingChunks,
    chunkError: input.chunkError(new Set(alertingChunks)),
    meanError: { reference: reference.mean, current: current.mean },
    extraErrors,
    z
  };
}

function errorVariance(period: PeriodErrors): number {
  let squares = 0;
  for (let i = 0; i < period.errors.length; i++) {
    const deviation = period.errors[i] - period.mean;
    squares += deviation * deviation;
  }
  return period.rows === 0 ? 0 : squares / period.rows;
}

function chunkErrors(errors: Float64Array, chunks: ChunkRows[], alerting: Set<number>): Degradation['chunkError'] {
  const sums = { alerting: 0, other: 0 };
  const rows = { alerting: 0, other: 0 };
  for (const chunk of chunks) {
    const part = alerting.has(chunk.index) ? 'alerting' : 'other';
    let sum = sums[part];
    for (let i = chunk.start; i < chunk.end; i++) {
      sum += errors[i];
    }
    sums[part] = sum;
    rows[part] += chunk.end - chunk.start;
  }
  return {
    alerting: rows.alerting > 0 ? sums.alerting / rows.alerting : null,
    other: rows.other > 0 ? sums.other / rows.other : null
  };
}
