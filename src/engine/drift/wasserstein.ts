/**
 * First Wasserstein distance between the reference and current samples, as `scipy.stats.wasserstein_distance(ref,
 * cur)`: W1 = ∫ |F_ref(x) − F_cur(x)| dx, which scipy sums as Σ |F_ref − F_cur| · Δx between consecutive distinct
 * values; and `normed` = W1 / max(std(ref, ddof=0), 0.001), the scale-free value used for thresholds.
 *
 * On the bucket grid, a bucket where one CDF stays above the other throughout contributes
 * |∫F_ref − ∫F_cur| over the bucket, and ∫F over [a, b] = ((count ≤ b)·(b − a) − Σ (x − a)) / n needs only the
 * bucket's count and offset sum. Buckets where the CDFs can cross are marked and integrated value by value.
 * The two ways of adding the same integral differ from scipy's order by rounding only (about 1e-13 relative).
 *
 * Degenerate cases: an empty sample makes scipy raise, so there is no result; ±Infinity makes scipy's W1 infinite
 * or NaN, which JSON cannot carry, so there is no result either. Constant and identical samples give 0.
 */

import type { ResolvedBuckets, TwoSampleGrid } from './two-sample-grid.js';
import { bucketStart } from './two-sample-grid.js';

const SMALLEST_NORMALISING_SCALE = 0.001;
/** CDF gap below which a bucket counts as one where the CDFs can cross (covers rounding of count / n). */
const CROSSING_MARGIN = 4 * Number.EPSILON;

export interface WassersteinResult {
  value: number;
  normed: number;
}

/** Marks the buckets inside which the two CDFs can cross. */
export function markWassersteinCrossings(grid: TwoSampleGrid): void {
  const { referenceBefore, currentBefore } = grid;
  const referenceSize = grid.reference.length;
  const currentSize = grid.current.length;
  for (let bucket = 0; bucket < grid.bucketCount; bucket++) {
    const referenceLow = referenceBefore[bucket] / referenceSize;
    const referenceHigh = referenceBefore[bucket + 1] / referenceSize;
    const currentLow = currentBefore[bucket] / currentSize;
    const currentHigh = currentBefore[bucket + 1] / currentSize;
    const referenceAbove = referenceLow - currentHigh > CROSSING_MARGIN;
    const currentAbove = currentLow - referenceHigh > CROSSING_MARGIN;
    if (!referenceAbove && !currentAbove) {
      grid.marked[bucket] = 1;
    }
  }
}

/** W1 (possibly non-finite), given a grid whose crossings were marked and resolved. */
export function wassersteinDistance(grid: TwoSampleGrid, resolved: ResolvedBuckets): number {
  const { referenceBefore, currentBefore } = grid;
  const referenceSize = grid.reference.length;
  const currentSize = grid.current.length;
  const { referenceSorted, currentSorted, referenceFrom, currentFrom, repeated } = resolved;
  let total = 0;
  for (let bucket = 0; bucket < grid.bucketCount; bucket++) {
    const start = bucketStart(grid, bucket);
    const end = bucketStart(grid, bucket + 1);
    const slot = resolved.slotOfBucket[bucket];
    if (slot < 0) {
      const width = end - start;
      const referenceIntegral = (referenceBefore[bucket + 1] * width - grid.referenceOffsets[bucket]) / referenceSize;
      const currentIntegral = (currentBefore[bucket + 1] * width - grid.currentOffsets[bucket]) / currentSize;
      total += Math.abs(referenceIntegral - currentIntegral);
      continue;
    }
    // integrate the step functions between consecutive distinct values of the bucket (a bucket of one repeated value
    // in one step)
    let referenceIndex = referenceFrom[slot];
    let currentIndex = currentFrom[slot];
    const referenceEnd = referenceFrom[slot + 1];
    const currentEnd = currentFrom[slot + 1];
    const referenceOffset = referenceBefore[bucket] - referenceIndex;
    const currentOffset = currentBefore[bucket] - currentIndex;
    const oneValue = repeated[slot] === repeated[slot];
    let position = start;
    let gap = Math.abs(referenceBefore[bucket] / referenceSize - currentBefore[bucket] / currentSize);
    while (referenceIndex < referenceEnd || currentIndex < currentEnd) {
      const value = oneValue
        ? repeated[slot]
        : Math.min(
            referenceIndex < referenceEnd ? referenceSorted[referenceIndex] : Infinity,
            currentIndex < currentEnd ? currentSorted[currentIndex] : Infinity
          );
      total += gap * (value - position);
      position = value;
      if (oneValue) {
        referenceIndex = referenceEnd;
        currentIndex = currentEnd;
      }
      while (referenceIndex < referenceEnd && referenceSorted[referenceIndex] === value) {
        referenceIndex++;
      }
      while (currentIndex < currentEnd && currentSorted[currentIndex] === value) {
        currentIndex++;
      }
      gap = Math.abs((referenceIndex + referenceOffset) / referenceSize - (currentIndex + currentOffset) / currentSize);
    }
    total += gap * (end - position);
  }
  return total;
}

/** { value, normed } for a W1 and the reference standard deviation, or null when either is not finite. */
export function wassersteinResult(distance: number, referenceStandardDeviation: number): WassersteinResult | null {
  const normed = distance / Math.max(referenceStandardDeviation, SMALLEST_NORMALISING_SCALE);
  if (!Number.isFinite(distance) || !Number.isFinite(normed)) {
    return null;
  }
  return { value: distance, normed };
}
