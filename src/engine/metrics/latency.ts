/**
 * Latency percentiles p50, p95 and p99 with numpy's default `method="linear"`: on the sorted values x of
 * length n, h = (n − 1)·q, and the value interpolates x[⌊h⌋] and x[⌊h⌋ + 1] exactly as numpy's `_lerp`.
 * Missing (NaN) latencies are left out, as `numpy.nanpercentile` does; no values gives `null`.
 * The order statistics come from a histogram selection (linear time, the input left as it is): the values are
 * counted into equal-width bins between their minimum and maximum, which tells the bin of each order statistic;
 * the values of those few bins are gathered and the search goes on among them, until a range holds one value or
 * few enough values to sort.
 */
import type { MetricValues } from '../types.js';
import { sortFloat64 } from '../sorting.js';

export const LATENCY_PERCENTILES: ReadonlyArray<[name: string, percent: number]> = [
  ['latency_p50', 50],
  ['latency_p95', 95],
  ['latency_p99', 99]
];

export const LATENCY_METRICS = LATENCY_PERCENTILES.map(([name]) => name);

/** Bins of one histogram pass; below SORTED values a range is sorted instead. */
const BINS = 2048;
const SORTED = 512;

export function latencyMetrics(latencies: Float64Array): MetricValues {
  const range = rangeOf(latencies);
  const metrics: MetricValues = {};
  const n = range.count;
  // the order statistics each percentile interpolates: x[⌊h⌋], and x[⌊h⌋ + 1] when there is one
  const ranks = [...new Set(LATENCY_PERCENTILES.flatMap(([, percent]) => {
    const below = Math.floor((n - 1) * (percent / 100));
    return below + 1 < n ? [below, below + 1] : [below];
  }))].sort((a, b) => a - b);
  const statistics = n === 0 ? [] : orderStatistics(latencies, range, ranks);
  const valueAt = (rank: number): number => statistics[ranks.indexOf(rank)];
  for (const [name, percent] of LATENCY_PERCENTILES) {
    const position = (n - 1) * (percent / 100);
    const below = Math.floor(position);
    metrics[name] = n === 0 ? null : below + 1 >= n ? valueAt(below) : lerp(valueAt(below), valueAt(below + 1), position - below);
  }
  return metrics;
}

/** How many values are not NaN, and the smallest and largest of them. */
interface ValueRange {
  count: number;
  minimum: number;
  maximum: number;
}

function rangeOf(values: Float64Array): ValueRange {
  let count = 0;
  let minimum = Infinity;
  let maximum = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === value) {
      count++;
      minimum = value < minimum ? value : minimum;
      maximum = value > maximum ? value : maximum;
    }
  }
  return { count, minimum, maximum };
}

/** The values at `ranks` (ascending, 0-based) of the sorted non-NaN values, whose range is `range`. */
function orderStatistics(values: Float64Array, range: ValueRange, ranks: number[]): number[] {
  const { count, minimum, maximum } = range;
  if (minimum === maximum) {
    return ranks.map(() => minimum);
  }
  const scale = BINS / (maximum - minimum);
  if (count <= SORTED || !Number.isFinite(scale) || scale === 0) {
    const sorted = sortFloat64(withoutNaN(values, count));
    return ranks.map(rank => sorted[rank]);
  }
  // (v − minimum) · scale never decreases with v, so the bins keep the values' order; the minimum falls in the
  // first bin and the maximum in the last, so no bin holds every value
  const binOf = (value: number): number => Math.min(BINS - 1, Math.floor((value - minimum) * scale));
  const counts = new Int32Array(BINS);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === value) {
      counts[binOf(value)]++;
    }
  }
  // the bin of each rank, and how many values lie in the bins before it
  const binOfRank = new Int32Array(ranks.length);
  const before = new Int32Array(ranks.length);
  for (let bin = 0, passed = 0, next = 0; bin < BINS && next < ranks.length; passed += counts[bin], bin++) {
    for (; next < ranks.length && ranks[next] < passed + counts[bin]; next++) {
      binOfRank[next] = bin;
      before[next] = passed;
    }
  }
  // the values of those bins, gathered, and the search goes on among them
  const bins = [...new Set(binOfRank)];
  const parts = bins.map(bin => ({ values: new Float64Array(counts[bin]), count: 0, minimum: Infinity, maximum: -Infinity }));
  const partOfBin = new Int16Array(BINS).fill(-1);
  bins.forEach((bin, part) => (partOfBin[bin] = part));
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const part = value === value ? partOfBin[binOf(value)] : -1;
    if (part >= 0) {
      const gathered = parts[part];
      gathered.values[gathered.count++] = value;
      gathered.minimum = value < gathered.minimum ? value : gathered.minimum;
      gathered.maximum = value > gathered.maximum ? value : gathered.maximum;
    }
  }
  const statistics = new Array<number>(ranks.length);
  bins.forEach((bin, part) => {
    const inBin = ranks.flatMap((_, k) => (binOfRank[k] === bin ? [k] : []));
    const within = orderStatistics(parts[part].values, parts[part], inBin.map(k => ranks[k] - before[k]));
    inBin.forEach((k, j) => (statistics[k] = within[j]));
  });
  return statistics;
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

/** The `count` non-NaN values, copied. */
function withoutNaN(values: Float64Array, count: number): Float64Array {
  const copy = new Float64Array(count);
  for (let i = 0, j = 0; i < values.length; i++) {
    if (values[i] === values[i]) {
      copy[j++] = values[i];
    }
  }
  return copy;
}
