/**
 * Latency percentiles p50, p95 and p99 with numpy's default `method="linear"`: on the sorted values x of
 * length n, h = (n − 1)·q, and the value interpolates x[⌊h⌋] and x[⌊h⌋ + 1] exactly as numpy's `_lerp`.
 * Missing (NaN) latencies are left out, as `numpy.nanpercentile` does; no values gives `null`.
 */
import type { MetricValues } from '../types.js';

export const LATENCY_PERCENTILES: ReadonlyArray<[name: string, percent: number]> = [
  ['latency_p50', 50],
  ['latency_p95', 95],
  ['latency_p99', 99]
];

export const LATENCY_METRICS = LATENCY_PERCENTILES.map(([name]) => name);

export function latencyMetrics(latencies: Float64Array): MetricValues {
  const sorted = sortedFinite(latencies);
  const metrics: MetricValues = {};
  for (const [name, percent] of LATENCY_PERCENTILES) {
    metrics[name] = percentileOfSorted(sorted, percent);
  }
  return metrics;
}

/** numpy.percentile(values, percent) of values already sorted ascending (no NaN). */
export function percentileOfSorted(sorted: Float64Array, percent: number): number | null {
  const n = sorted.length;
  if (n === 0) {
    return null;
  }
  const position = (n - 1) * (percent / 100);
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const fraction = position - below;
  const low = sorted[below];
  const difference = sorted[above] - low;
  return fraction >= 0.5 ? sorted[above] - difference * (1 - fraction) : low + difference * fraction;
}

function sortedFinite(values: Float64Array): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) {
      count++;
    }
  }
  const sorted = new Float64Array(count);
  for (let i = 0, j = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) {
      sorted[j++] = values[i];
    }
  }
  return sorted.sort();
}
