/**
 * Thresholds and alerts (NannyML's convention): the threshold of a metric is mean ± 3·std (ddof 0) of its
 * values over the reference chunks, clipped to the metric's range; a drift value has an upper bound only
 * (its lower bound is null). Chunks whose value is null are left out; with no value there is no threshold.
 * A current chunk whose value is below the lower or above the upper bound is an alert.
 */
import { Sum } from './metrics/summation.js';
import type { Alert, ChunkResult, Threshold } from './types.js';

export const THRESHOLD_WIDTH = 3;

export interface ValueRange {
  lower: number;
  upper: number;
}

/** mean ± 3·std of the values, clipped to `range`; null when no value is defined. */
export function threshold(
  values: ArrayLike<number | null>,
  range: ValueRange,
  options: { upperOnly?: boolean } = {}
): Threshold | null {
  const defined: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null && Number.isFinite(value)) {
      defined.push(value);
    }
  }
  if (defined.length === 0) {
    return null;
  }
  const { mean, std } = meanAndStd(defined);
  const lower = Math.max(mean - THRESHOLD_WIDTH * std, range.lower);
  const upper = Math.min(mean + THRESHOLD_WIDTH * std, range.upper);
  return {
    lower: options.upperOnly || !Number.isFinite(lower) ? null : lower,
    upper: Number.isFinite(upper) ? upper : null
  };
}

/** Mean and population standard deviation (numpy's `std` with ddof 0), two-pass. */
export function meanAndStd(values: number[]): { mean: number; std: number } {
  const sum = new Sum();
  for (const value of values) {
    sum.add(value);
  }
  const mean = sum.value / values.length;
  const squares = new Sum();
  for (const value of values) {
    squares.add((value - mean) * (value - mean));
  }
  return { mean, std: Math.sqrt(squares.value / values.length) };
}

/** The value a chunk holds for a threshold key: a metric name, or `drift:<feature>`. */
export function chunkValue(chunk: ChunkResult, key: string): number | null {
  if (key.startsWith(DRIFT_PREFIX)) {
    return chunk.drift[key.slice(DRIFT_PREFIX.length)]?.jensen_shannon ?? null;
  }
  return chunk.metrics[key] ?? null;
}

export const DRIFT_PREFIX = 'drift:';

/**
 * Thresholds of every metric and feature drift over the reference chunks.
 * `rangeOf` gives a metric's range; drift values (Jensen-Shannon distances) lie in [0, 1].
 */
export function referenceThresholds(
  referenceChunks: ChunkResult[],
  metrics: string[],
  features: string[],
  rangeOf: (metric: string) => ValueRange
): Record<string, Threshold> {
  const thresholds: Record<string, Threshold> = {};
  for (const metric of metrics) {
    const bound = threshold(referenceChunks.map(chunk => chunkValue(chunk, metric)), rangeOf(metric));
    if (bound) {
      thresholds[metric] = bound;
    }
  }
  for (const feature of features) {
    const key = DRIFT_PREFIX + feature;
    const values = referenceChunks.map(chunk => chunkValue(chunk, key));
    const bound = threshold(values, { lower: 0, upper: 1 }, { upperOnly: true });
    if (bound) {
      thresholds[key] = bound;
    }
  }
  return thresholds;
}

/** Current chunks outside their thresholds, in chunk order, then in the order of `thresholds`. */
export function findAlerts(currentChunks: ChunkResult[], thresholds: Record<string, Threshold>): Alert[] {
  const alerts: Alert[] = [];
  for (const chunk of currentChunks) {
    for (const [metric, bound] of Object.entries(thresholds)) {
      const value = chunkValue(chunk, metric);
      if (value === null) {
        continue;
      }
      const below = bound.lower !== null && value < bound.lower;
      const above = bound.upper !== null && value > bound.upper;
      if (below || above) {
        alerts.push({ period: 'current', index: chunk.index, metric, value, lower: bound.lower, upper: bound.upper });
      }
    }
  }
  return alerts;
}
