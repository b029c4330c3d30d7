/**
 * Jensen-Shannon distance between the reference and current distributions, NannyML's convention, base 2, in [0, 1]:
 * the square root of the divergence, computed as `scipy.spatial.distance.jensenshannon(p, q, base=2)`:
 *   p, q normalised to sum 1;  m = (p + q) / 2;  JS = sqrt((Σ p·ln(p/m) + Σ q·ln(q/m)) / ln 2 / 2)  (0·ln 0 = 0).
 *
 * Numeric: p = reference share per Doane bin (edges `numpy.histogram_bin_edges(ref, bins="doane")`, numpy's bin
 * semantics, last bin closed), then 0; q = current share per bin, then the share of current values outside the
 * edges (the extra bucket).
 * Categorical: p = reference share per reference category, then 0; q = current share per reference category, then
 * the share of current values in categories the reference never had.
 *
 * Degenerate cases, null where scipy gives NaN or numpy raises: no reference values or no current values; no Doane
 * edges (reference with ±Infinity, see histogram.ts). A constant reference has one bin [v − 0.5, v + 0.5].
 * Deliberate difference: where the divergence rounds to a tiny negative number (near-identical distributions),
 * scipy's square root is NaN; the distance here is 0.
 */

import { numpySum } from '../stats/numpy-reductions.js';
import type { CategoricalValues, CurrentCategoryCounts, PreparedCategoricalReference } from './categories.js';
import { countCurrentCategories } from './categories.js';
import type { BinCounts } from './histogram.js';
import { binCounts } from './histogram.js';
import type { PreparedNumericReference } from './numeric-reference.js';

/** Distance of a numeric current column (NaN values are skipped) from a prepared reference. */
export function numericJensenShannon(
  prepared: PreparedNumericReference,
  current: ArrayLike<number>
): number | null {
  return prepared.edges === null ? null : numericJensenShannonOfCounts(prepared, binCounts(current, prepared.edges));
}

/** The same, from current counts already taken over the prepared reference's edges. */
export function numericJensenShannonOfCounts(prepared: PreparedNumericReference, current: BinCounts): number | null {
  if (prepared.binShares === null || current.size === 0) {
    return null;
  }
  const currentShares = new Float64Array(current.counts.length + 1);
  for (let bin = 0; bin < current.counts.length; bin++) {
    currentShares[bin] = current.counts[bin] / current.size;
  }
  currentShares[current.counts.length] = current.outside / current.size;
  return jensenShannonDistance(prepared.binShares, currentShares);
}

/** Distance of a categorical current column (null values are skipped) from a prepared reference. */
export function categoricalJensenShannon(
  prepared: PreparedCategoricalReference,
  current: CategoricalValues
): number | null {
  return categoricalJensenShannonOfCounts(prepared, countCurrentCategories(prepared, current));
}

/** The same, from current counts already taken against the reference's categories. */
export function categoricalJensenShannonOfCounts(
  prepared: PreparedCategoricalReference,
  current: CurrentCategoryCounts
): number | null {
  if (prepared.size === 0 || current.size === 0) {
    return null;
  }
  const categoryCount = prepared.categories.length;
  const referenceShares = new Float64Array(categoryCount + 1);
  const currentShares = new Float64Array(categoryCount + 1);
  for (let position = 0; position < categoryCount; position++) {
    referenceShares[position] = prepared.counts[position] / prepared.size;
    currentShares[position] = current.counts[position] / current.size;
  }
  let unseen = 0;
  for (const count of current.unseenCounts) {
    unseen += count;
  }
  currentShares[categoryCount] = unseen / current.size;
  return jensenShannonDistance(referenceShares, currentShares);
}

/** `scipy.spatial.distance.jensenshannon(p, q, base=2)` for non-negative weights; null when a side sums to 0. */
export function jensenShannonDistance(p: Float64Array, q: Float64Array): number | null {
  const pTotal = numpySum(p);
  const qTotal = numpySum(q);
  if (!(pTotal > 0) || !(qTotal > 0)) {
    return null;
  }
  const left = new Float64Array(p.length);
  const right = new Float64Array(q.length);
  for (let i = 0; i < p.length; i++) {
    const pShare = p[i] / pTotal;
    const qShare = q[i] / qTotal;
    const middle = (pShare + qShare) / 2;
    left[i] = relativeEntropyTerm(pShare, middle);
    right[i] = relativeEntropyTerm(qShare, middle);
  }
  const divergence = (numpySum(left) + numpySum(right)) / Math.LN2;
  return divergence > 0 ? Math.sqrt(divergence / 2) : 0;
}

/** `scipy.special.rel_entr(x, y)` for 0 ≤ x ≤ 2y. */
function relativeEntropyTerm(x: number, y: number): number {
  return x > 0 ? x * Math.log(x / y) : 0;
}
