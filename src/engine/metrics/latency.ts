/**
 * Latency percentiles p50, p95 and p99 with numpy's default `method="linear"`: on the sorted values x of
 * length n, h = (n − 1)·q, and the value interpolates x[⌊h⌋] and x[⌊h⌋ + 1] exactly as numpy's `_lerp`.
 * Missing (NaN) latencies are left out, as `numpy.nanpercentile` does; no values gives `null`.
 * The order statistics come from quickselect (linear time), not from a full sort.
 */
import type { MetricValues } from '../types.js';

export const LATENCY_PERCENTILES: ReadonlyArray<[name: string, percent: number]> = [
  ['latency_p50', 50],
  ['latency_p95', 95],
  ['latency_p99', 99]
];

export const LATENCY_METRICS = LATENCY_PERCENTILES.map(([name]) => name);

export function latencyMetrics(latencies: Float64Array): MetricValues {
  const values = withoutNaN(latencies);
  const metrics: MetricValues = {};
  // ascending percentiles: each selection only searches above the previous one
  let from = 0;
  for (const [name, percent] of LATENCY_PERCENTILES) {
    metrics[name] = percentile(values, percent, from);
    from = Math.floor((values.length - 1) * (percent / 100));
  }
  return metrics;
}

/**
 * numpy.percentile(values, percent) (linear). Reorders `values` in place: the order statistics it uses end up
 * at their sorted positions with smaller values before them and larger after. `from` may name a position
 * already settled that way (by an earlier, smaller percentile), below which nothing is searched.
 */
export function percentile(values: Float64Array, percent: number, from = 0): number | null {
  const n = values.length;
  if (n === 0) {
    return null;
  }
  const position = (n - 1) * (percent / 100);
  const below = Math.floor(position);
  const low = select(values, below, Math.min(from, below), n - 1);
  if (below + 1 >= n) {
    return low;
  }
  // the next order statistic is the smallest value to the right of position `below`
  const high = select(values, below + 1, below + 1, n - 1);
  return lerp(low, high, position - below);
}

/** numpy's `_lerp`: a + (b − a)·t, or b − (b − a)·(1 − t) when t ≥ 0.5. */
function lerp(low: number, high: number, fraction: number): number {
  const difference = high - low;
  return fraction >= 0.5 ? high - difference * (1 - fraction) : low + difference * fraction;
}

/** numpy.percentile(values, percent) of values already sorted ascending (no NaN). */
export function percentileOfSorted(sorted: Float64Array, percent: number): number | null {
  const n = sorted.length;
  if (n === 0) {
    return null;
  }
  const position = (n - 1) * (percent / 100);
  const below = Math.floor(position);
  return lerp(sorted[below], sorted[Math.min(below + 1, n - 1)], position - below);
}

/**
 * The k-th smallest value (0-based) of values[left..right], moving it to position k with smaller values before
 * it and larger after (Hoare's quickselect, median-of-three pivots).
 */
function select(values: Float64Array, k: number, left: number, right: number): number {
  while (right > left) {
    const middle = (left + right) >> 1;
    if (values[middle] < values[left]) swap(values, middle, left);
    if (values[right] < values[left]) swap(values, right, left);
    if (values[right] < values[middle]) swap(values, right, middle);
    const pivot = values[middle];
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) {
      right = j;
    } else if (k >= i) {
      left = i;
    } else {
      return values[k];
    }
  }
  return values[k];
}

function swap(values: Float64Array, a: number, b: number): void {
  const value = values[a];
  values[a] = values[b];
  values[b] = value;
}

function withoutNaN(values: Float64Array): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === values[i]) {
      count++;
    }
  }
  const copy = new Float64Array(count);
  for (let i = 0, j = 0; i < values.length; i++) {
    if (values[i] === values[i]) {
      copy[j++] = values[i];
    }
  }
  return copy;
}
