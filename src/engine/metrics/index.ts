/**
 * Metrics of a period and of its chunks from the encoded target columns: rows [start, end) are zero-copy
 * `subarray` views, so chunking costs no copies. Each metric's convention is stated in its own file.
 */
import type { MetricValues } from '../types.js';
import {
  binaryMetrics,
  binaryMetricsOfPartial,
  binaryPartial,
  chunkRankingMetrics,
  combineBinaryPartials,
  type BinaryInputs
} from './binary.js';
import { chunkLatencyMetrics } from './latency.js';
import { multiclassMetrics } from './multiclass.js';
import {
  combineRegressionPartials,
  regressionMetrics,
  regressionMetricsOfPartial,
  regressionPartial
} from './regression.js';

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

/**
 * Metrics of a whole period and of each of its chunks (consecutive, covering every row). Binary and regression
 * metrics of the period come from combining the chunks' partials, not from a second pass over the rows; the
 * result equals `computeMetrics` over the whole period (to rounding). roc_auc and pr_auc of the chunks and the
 * period come from one sort of the period's scores (`chunkRankingMetrics`), exactly as from each one's own.
 */
export function periodAndChunkMetrics(
  columns: MetricColumns,
  chunks: ReadonlyArray<{ start: number; end: number }>
): { period: MetricValues; chunks: MetricValues[] } {
  const { targets, latency } = columns;
  const rows = chunks.length === 0 ? 0 : chunks[chunks.length - 1].end;
  let period: MetricValues;
  let perChunk: MetricValues[];
  if (targets?.task === 'binary' && chunks.length > 0) {
    const partials = chunks.map(chunk => binaryPartial(binarySlice(targets, chunk.start, chunk.end)));
    const ranking = targets.scores ? chunkRankingMetrics(targets.labels, targets.scores, chunks) : null;
    perChunk = partials.map((partial, i) => binaryMetricsOfPartial(partial, ranking?.chunks[i] ?? null));
    period = binaryMetricsOfPartial(combineBinaryPartials(partials), ranking?.period ?? null);
  } else if (targets?.task === 'regression' && targets.predictions && chunks.length > 0) {
    const predictions = targets.predictions;
    const partials = chunks.map(chunk =>
      regressionPartial({
        labels: targets.labels.subarray(chunk.start, chunk.end),
        predictions: predictions.subarray(chunk.start, chunk.end)
      })
    );
    perChunk = partials.map(regressionMetricsOfPartial);
    period = regressionMetricsOfPartial(combineRegressionPartials(partials, targets.labels.subarray(0, rows)));
  } else {
    perChunk = chunks.map(chunk => (targets ? targetMetrics(targets, chunk.start, chunk.end) : {}));
    period = targets ? targetMetrics(targets, 0, rows) : {};
  }
  if (latency) {
    const latencies = chunkLatencyMetrics(latency, chunks);
    chunks.forEach((_, i) => Object.assign(perChunk[i], latencies.chunks[i]));
    Object.assign(period, latencies.period);
  }
  return { period, chunks: perChunk };
}

function binarySlice(targets: Extract<Targets, { task: 'binary' }>, start: number, end: number): BinaryInputs {
  return {
    labels: targets.labels.subarray(start, end),
    predictions: targets.predictions?.subarray(start, end) ?? null,
    scores: targets.scores?.subarray(start, end) ?? null
  };
}

function targetMetrics(targets: Targets, start: number, end: number): MetricValues {
  switch (targets.task) {
    case 'binary':
      return binaryMetrics(binarySlice(targets, start, end));
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
