/**
 * Population Stability Index: PSI = Σ_bins (p_cur − p_ref) · ln(p_cur / p_ref), where each p is the share of the
 * period's non-missing values in the bin, floored at 1e-4 (not renormalised), summed in numpy's order.
 *
 * Numeric bins from the reference deciles: edges = numpy.unique(numpy.quantile(ref, [0.1, 0.2, …, 0.9])) with
 * numpy's default "linear" method (the levels are i / 10 as float64; the quantile at level q interpolates the
 * sorted values around rank q·(n − 1) exactly as numpy's `_lerp`), and bins (−∞, e₁), [e₁, e₂), …, [e_k, +∞).
 * Categorical bins: the union of the reference's and the current's categories.
 *
 * Degenerate cases: null when either period has no non-missing value, or when a decile is NaN (numpy interpolates
 * ∞ − ∞ between infinite neighbours). A constant reference gives one edge and two bins.
 */

import { numpySum } from '../stats/numpy-reductions.js';
import type { CurrentCategoryCounts, PreparedCategoricalReference } from './categories.js';
import type { ResolvedBuckets, TwoSampleGrid } from './two-sample-grid.js';
import { countBelow, markReferenceRanks, referenceValueAtRank } from './two-sample-grid.js';

const SMALLEST_SHARE = 1e-4;
const DECILE_LEVELS = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((tenths) => tenths / 10);

interface InterpolationPoint {
  lowerRank: number;
  upperRank: number;
  weight: number;
}

/**
 * Marks the buckets that hold the reference values the deciles interpolate between, and those in between (where
 * the interpolated edge itself may fall).
 */
export function markDecileBuckets(grid: TwoSampleGrid): void {
  for (const point of decileInterpolationPoints(grid.reference.length)) {
    markReferenceRanks(grid, point.lowerRank, point.upperRank);
  }
}

/** numpy.unique of the reference deciles, ascending; null when a decile is NaN. */
export function referenceDecileEdges(grid: TwoSampleGrid, resolved: ResolvedBuckets): Float64Array | null {
  const deciles = decileInterpolationPoints(grid.reference.length).map((point) =>
    numpyLerp(
      referenceValueAtRank(grid, resolved, point.lowerRank),
      referenceValueAtRank(grid, resolved, point.upperRank),
      point.weight
    )
  );
  if (deciles.some(Number.isNaN)) {
    return null;
  }
  deciles.sort((a, b) => a - b);
  return Float64Array.from(deciles.filter((value, index) => index === 0 || value !== deciles[index - 1]));
}

/** PSI of the grid's samples over decile edges of its reference (their buckets marked and resolved). */
export function numericPsi(grid: TwoSampleGrid, resolved: ResolvedBuckets, edges: Float64Array): number {
  return psiOfCounts(
    decileBinCounts(grid, resolved, 'reference', edges),
    grid.reference.length,
    decileBinCounts(grid, resolved, 'current', edges),
    grid.current.length
  );
}

/** PSI over the union of categories. */
export function categoricalPsi(
  prepared: PreparedCategoricalReference,
  current: CurrentCategoryCounts
): number | null {
  if (prepared.size === 0 || current.size === 0) {
    return null;
  }
  const binCount = prepared.categories.length + current.unseenCategories.length;
  const referenceCounts = new Float64Array(binCount);
  const currentCounts = new Float64Array(binCount);
  referenceCounts.set(prepared.counts);
  currentCounts.set(current.counts);
  currentCounts.set(current.unseenCounts, prepared.categories.length);
  return psiOfCounts(referenceCounts, prepared.size, currentCounts, current.size);
}

export function psiOfCounts(
  referenceCounts: Float64Array,
  referenceSize: number,
  currentCounts: Float64Array,
  currentSize: number
): number {
  const terms = new Float64Array(referenceCounts.length);
  for (let bin = 0; bin < terms.length; bin++) {
    const referenceShare = Math.max(referenceCounts[bin] / referenceSize, SMALLEST_SHARE);
    const currentShare = Math.max(currentCounts[bin] / currentSize, SMALLEST_SHARE);
    terms[bin] = (currentShare - referenceShare) * Math.log(currentShare / referenceShare);
  }
  return numpySum(terms);
}

/** Counts per bin (−∞, e₁), [e₁, e₂), …, [e_k, +∞): the bin of x is the number of edges ≤ x. */
function decileBinCounts(
  grid: TwoSampleGrid,
  resolved: ResolvedBuckets,
  sample: 'reference' | 'current',
  edges: Float64Array
): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  let below = 0;
  edges.forEach((edge, bin) => {
    const belowEdge = countBelow(grid, resolved, sample, edge);
    counts[bin] = belowEdge - below;
    below = belowEdge;
  });
  counts[edges.length] = (sample === 'reference' ? grid.reference.length : grid.current.length) - below;
  return counts;
}

/** numpy's "linear" quantile positions: virtual index q·(n − 1), its floor and the fractional weight. */
function decileInterpolationPoints(size: number): InterpolationPoint[] {
  return DECILE_LEVELS.map((level) => {
    const virtualIndex = (size - 1) * level;
    if (virtualIndex >= size - 1) {
      // numpy takes the last value on both sides, with weight measured from index −1
      return { lowerRank: size - 1, upperRank: size - 1, weight: virtualIndex + 1 };
    }
    const lowerRank = Math.floor(virtualIndex);
    return { lowerRank, upperRank: lowerRank + 1, weight: virtualIndex - lowerRank };
  });
}

/** numpy's `_lerp(a, b, t)`: a + (b − a)·t below t = 0.5, b − (b − a)·(1 − t) from 0.5 on. */
function numpyLerp(lower: number, upper: number, weight: number): number {
  const difference = upper - lower;
  return weight >= 0.5 ? upper - difference * (1 - weight) : lower + difference * weight;
}
