/**
 * Metrics of a period or a chunk from the encoded target columns: rows [start, end) are zero-copy
 * `subarray` views, so chunking costs no copies. Each metric's convention is stated in its own file.
 */
import type { MetricValues } from '../types.js';
import { binaryMetrics } from './binary.js';
import { latencyMetrics } from './latency.js';
import { multiclassMetrics } from './multiclass.js';
import { regressionMetrics } from './regression.js';

export { binaryMetrics, BINARY_METRICS, EPSILON } from './binary.js';
export { multiclassMetrics, MULTICLASS_METRICS } from './multiclass.js';
export { regressionMetrics, REGRESSION_METRICS } from './regression.js';
export { latencyMetrics, LATENCY_METRICS, percentileOfSorted } from './latency.js';
export { customMetrics } from './custom.js';

/** Label, prediction and score columns encoded for the task (see columns.ts). */
export type Targets =
  | { task: 'binary'; labels: Uint8Array; predictions: Uint8Array | null; scores: Float64Array | null }
  | {
      task: 'multiclass';
      labels: Int32Array;
      predictions: Int32Array | null;
      /** Row-major n × classCount. */
      probabilities: Float64Array | null;
      classCount: number;
    }
  | { task: 'regression'; labels: Float64Array; predictions: Float64Array | null };

export interface MetricColumns {
  /** Null when there is no label column: no performance metrics. */
  targets: Targets | null;
  latency: Float64Array | null;
}

export function computeMetrics(columns: MetricColumns, start: number, end: number): MetricValues {
  const metrics: MetricValues = columns.targets ? targetMetrics(columns.targets, start, end) : {};
  if (columns.latency) {
    Object.assign(metrics, latencyMetrics(columns.latency.subarray(start, end)));
  }
  return metrics;
}

function targetMetrics(targets: Targets, start: number, end: number): MetricValues {
  switch (targets.task) {
    case 'binary':
      return binaryMetrics({
        labels: targets.labels.subarray(start, end),
        predictions: targets.predictions?.subarray(start, end) ?? null,
        scores: targets.scores?.subarray(start, end) ?? null
      });
    case 'multiclass': {
      const k = targets.classCount;
      return multiclassMetrics({
        labels: targets.labels.subarray(start, end),
        predictions: targets.predictions?.subarray(start, end) ?? null,
        probabilities: targets.probabilities?.subarray(start * k, end * k) ?? null,
        classCount: k
      });
    }
    case 'regression':
      return targets.predictions
        ? regressionMetrics({
            labels: targets.labels.subarray(start, end),
            predictions: targets.predictions.subarray(start, end)
          })
        : {};
  }
}

/** The values a metric can take, used to clip its thresholds; unknown (custom) metrics are unbounded. */
export function metricRange(metric: string): { lower: number; upper: number } {
  if (UNIT_INTERVAL.has(metric)) {
    return { lower: 0, upper: 1 };
  }
  if (NON_NEGATIVE.has(metric) || metric.startsWith('latency_')) {
    return { lower: 0, upper: Infinity };
  }
  if (metric === 'r2') {
    return { lower: -Infinity, upper: 1 };
  }
  return { lower: -Infinity, upper: Infinity };
}

const UNIT_INTERVAL = new Set(['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc', 'brier', 'ece']);
const NON_NEGATIVE = new Set(['log_loss', 'mae', 'rmse', 'mape']);
