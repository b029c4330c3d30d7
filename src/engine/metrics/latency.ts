/**
 * Latency percentiles p50, p95 and p99 with numpy's default `method="linear"`: on the sorted values x of
 * length n, h = (n − 1)·q, and the value interpolates x[⌊h⌋] and x[⌊h⌋ + 1] exactly as numpy's `_lerp`.
 * Missing (NaN) latencies are left out, as `numpy.nanpercentile` does; no values gives `null`.
 * The order statistics come from a histogram selection (stats/order-statistics.ts), the input left as it is.
 */
import { orderStatistics, partOrderStatistics, rangeOf, type OrderStatistics } from '../stats/order-statistics.js';
import type { MetricValues } from '../types.js';

export const LATENCY_PERCENTILES: ReadonlyArray<[name: string, percent: number]> = [
  ['latency_p50', 50],
  ['latency_p95', 95],
  ['latency_p99', 99]
];

export const LATENCY_METRICS = LATENCY_PERCENTILES.map(([name]) => name);

export function latencyMetrics(latencies: Float64Array): MetricValues {
  const range = rangeOf(latencies);
  const ranks = percentileRanks(range.count);
  return metricsOf(range.count, ranks, range.count === 0 ? [] : orderStatistics(latencies, range, ranks));
}

/** `latencyMetrics` of each chunk (consecutive rows) and of all of them, from one counting pass. */
export function chunkLatencyMetrics(
  latencies: Float64Array,
  chunks: ReadonlyArray<{ start: number; end: number }>
): { chunks: MetricValues[]; period: MetricValues } {
  const found = partOrderStatistics(latencies, chunks, percentileRanks);
  const metrics = ({ count, statistics }: OrderStatistics): MetricValues => metricsOf(count, percentileRanks(count), statistics);
  return { chunks: found.parts.map(metrics), period: metrics(found.whole) };
}

/** The ranks each percentile interpolates among n values: x[⌊h⌋], and x[⌊h⌋ + 1] when there is one (ascending). */
function percentileRanks(n: number): number[] {
  return [...new Set(LATENCY_PERCENTILES.flatMap(([, percent]) => {
    const below = Math.floor((n - 1) * (percent / 100));
    return below + 1 < n ? [below, below + 1] : [below];
  }))].sort((a, b) => a - b);
}

/** The percentiles of n values from the order statistics at `ranks`. */
function metricsOf(n: number, ranks: number[], statistics: number[]): MetricValues {
  const valueAt = (rank: number): number => statistics[ranks.indexOf(rank)];
  const metrics: MetricValues = {};
  for (const [name, percent] of LATENCY_PERCENTILES) {
    const position = (n - 1) * (percent / 100);
    const below = Math.floor(position);
    metrics[name] = n === 0 ? null : below + 1 >= n ? valueAt(below) : lerp(valueAt(below), valueAt(below + 1), position - below);
  }
  return metrics;
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
