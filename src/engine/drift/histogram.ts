/**
 * Histogram binning with numpy's conventions, shared by the drift statistics.
 *
 * Edges: `numpy.histogram_bin_edges(values, bins="doane")`. The range is [min, max] (widened by ±0.5 when
 * min = max); with n > 2 values and a standard deviation σ > 0 the bin width is
 *   (max − min) / (1 + log₂ n + log₂(1 + |g₁| / σ_g₁)),  g₁ = mean(((x − mean) / σ)³),
 *   σ_g₁ = sqrt(6(n − 2) / ((n + 1)(n + 3))),
 * otherwise there is one bin; the number of bins is ⌈(max − min) / width⌉ and the edges are
 * `numpy.linspace(min, max, bins + 1)`. Means and σ are summed in numpy's order (stats/numpy-reductions.ts), so the
 * bin count matches numpy's unless (max − min) / width lies within a few ulps of an integer.
 * No edges (null) where numpy raises: no values, ±Infinity among them, or edges that do not strictly increase
 * ("Too many bins for data range"); and where max − min overflows float64, where numpy's edges are not finite.
 *
 * Counts: `numpy.histogram(values, bins=edges)`: bin i holds edges[i] ≤ x < edges[i + 1], the last bin also holds
 * x = edges[last]; values outside [edges[0], edges[last]] are counted apart; NaN is skipped. Either one pass over
 * the values, or, for a sample already on the bucket grid, from the counts below each edge.
 */

import { numpyMeanOfCubedStandardized } from '../stats/numpy-reductions.js';
import type { NumericSample } from './numeric-sample.js';
import type { ResolvedBuckets, TwoSampleGrid } from './two-sample-grid.js';
import { countBelow, markBucketsBetween } from './two-sample-grid.js';

export interface BinCounts {
  /** Values per bin, one entry per pair of consecutive edges. */
  counts: Float64Array;
  /** Values below the first or above the last edge. */
  outside: number;
  /** Non-missing values counted (in the bins or outside). */
  size: number;
}

/** Doane edges of a sample whose mean and standard deviation (numpy's, ddof 0) are given. */
export function doaneBinEdges(sample: NumericSample, mean: number, standardDeviation: number): Float64Array | null {
  const { values, minimum, maximum } = sample;
  const size = values.length;
  if (size === 0 || !sample.allFinite || !Number.isFinite(maximum - minimum)) {
    return null;
  }
  let first = minimum;
  let last = maximum;
  if (first === last) {
    first = first - 0.5;
    last = last + 0.5;
  }
  let width = 0;
  if (size > 2 && standardDeviation > 0) {
    const skewnessScale = Math.sqrt((6 * (size - 2)) / ((size + 1) * (size + 3)));
    const skewness = numpyMeanOfCubedStandardized(values, mean, standardDeviation);
    width = (maximum - minimum) / (1 + Math.log2(size) + Math.log2(1 + Math.abs(skewness) / skewnessScale));
  }
  if (Number.isNaN(width)) {
    return null;
  }
  const binCount = width !== 0 ? Math.ceil((last - first) / width) : 1;
  const edges = numpyLinspace(first, last, binCount + 1);
  for (let i = 0; i + 1 < edges.length; i++) {
    if (!(edges[i] < edges[i + 1])) {
      return null;
    }
  }
  return edges;
}

/** Counts of the non-missing values per bin of strictly increasing edges (at least two). */
export function binCounts(values: ArrayLike<number>, edges: Float64Array): BinCounts {
  const binCount = edges.length - 1;
  const counts = new Float64Array(binCount);
  const first = edges[0];
  const last = edges[binCount];
  const binsPerUnit = binCount / (last - first);
  const lastBin = binCount - 1;
  let outside = 0;
  let size = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== value) {
      continue;
    }
    size++;
    if (value < first || value > last) {
      outside++;
      continue;
    }
    // the edges are nearly evenly spaced: guess the bin, then step to the exact one
    let bin = Math.floor((value - first) * binsPerUnit);
    if (bin > lastBin) {
      bin = lastBin;
    } else if (bin < 0) {
      bin = 0;
    }
    while (bin > 0 && value < edges[bin]) {
      bin--;
    }
    while (bin < lastBin && value >= edges[bin + 1]) {
      bin++;
    }
    counts[bin]++;
  }
  return { counts, outside, size };
}

/** Marks the grid buckets that hold the edges, so that binCountsOnGrid can count within them. */
export function markBinEdges(grid: TwoSampleGrid, edges: Float64Array): void {
  for (const edge of edges) {
    markBucketsBetween(grid, edge, edge);
  }
}

/** The same counts as binCounts, for one sample of a grid whose edge buckets were marked and resolved. */
export function binCountsOnGrid(
  grid: TwoSampleGrid,
  resolved: ResolvedBuckets,
  sample: 'reference' | 'current',
  edges: Float64Array
): BinCounts {
  const binCount = edges.length - 1;
  const counts = new Float64Array(binCount);
  const firstBelow = countBelow(grid, resolved, sample, edges[0]);
  let below = firstBelow;
  for (let bin = 0; bin < binCount; bin++) {
    const closesBin = bin === binCount - 1;
    const belowNext = countBelow(grid, resolved, sample, edges[bin + 1], closesBin);
    counts[bin] = belowNext - below;
    below = belowNext;
  }
  const size = sample === 'reference' ? grid.reference.length : grid.current.length;
  return { counts, outside: size - (below - firstBelow), size };
}

/** `numpy.linspace(start, stop, count)` with endpoint, count ≥ 2. */
function numpyLinspace(start: number, stop: number, count: number): Float64Array {
  const divisions = count - 1;
  const delta = stop - start;
  const step = delta / divisions;
  const points = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    points[i] = (step === 0 ? (i / divisions) * delta : i * step) + start;
  }
  points[divisions] = stop;
  return points;
}
