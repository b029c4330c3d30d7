/**
 * Two-sample Kolmogorov-Smirnov test, as `scipy.stats.ks_2samp(reference, current)` (two-sided, method "auto").
 *
 * Statistic: D = max over the values x of both samples of |F_ref(x) − F_cur(x)|, each CDF evaluated as
 * (count ≤ x) / n, exactly the floating-point values scipy compares. On the bucket grid, D is first bounded below by
 * the CDF differences at bucket boundaries (values that D takes); only buckets whose extreme possible difference
 * exceeds that bound are walked value by value.
 *
 * p-value, as scipy: when max(n_ref, n_cur) ≤ 10000 the exact distribution is tried, with D replaced by
 * h / lcm(n_ref, n_cur), h = round(D·lcm) (that rounded D is also the statistic reported); if h = 0 the p-value is 1,
 * and if the exact computation does not give a probability in [0, 1] scipy falls back, as here, to the asymptotic
 * path. Asymptotic: kstwo.sf(D, round(n·m / (n + m))), rounding half to even as numpy. p is clipped to [0, 1].
 *
 * Degenerate cases: an empty sample (after removing missing values) makes scipy raise, so there is no KS result;
 * constant columns and n = 1 or 2 give scipy's values (for example identical constants: D = 0, p = 1).
 */

import { kstwoSurvival } from '../stats/kstwo.js';
import { greatestCommonDivisor, twoSampleKsExactSurvival } from '../stats/ks-two-sample-exact.js';
import type { ResolvedBuckets, TwoSampleGrid } from './two-sample-grid.js';

const LARGEST_EXACT_SAMPLE = 10_000;

export interface KsResult {
  statistic: number;
  p_value: number;
}

/** Marks the buckets inside which the CDF difference could exceed its largest value at a bucket boundary. */
export function markKsCandidates(grid: TwoSampleGrid): void {
  const { referenceBefore, currentBefore, bucketCount } = grid;
  const referenceSize = grid.reference.length;
  const currentSize = grid.current.length;
  let boundaryMaximum = 0;
  for (let bucket = 1; bucket <= bucketCount; bucket++) {
    const difference = Math.abs(referenceBefore[bucket] / referenceSize - currentBefore[bucket] / currentSize);
    if (difference > boundaryMaximum) {
      boundaryMaximum = difference;
    }
  }
  for (let bucket = 0; bucket < bucketCount; bucket++) {
    const referenceLow = referenceBefore[bucket] / referenceSize;
    const referenceHigh = referenceBefore[bucket + 1] / referenceSize;
    const currentLow = currentBefore[bucket] / currentSize;
    const currentHigh = currentBefore[bucket + 1] / currentSize;
    const possibleMaximum = Math.max(referenceHigh - currentLow, currentHigh - referenceLow);
    if (possibleMaximum > boundaryMaximum) {
      grid.marked[bucket] = 1;
    }
  }
}

/** D, given a grid whose KS candidates were marked and resolved. */
export function ksStatistic(grid: TwoSampleGrid, resolved: ResolvedBuckets): number {
  const { referenceBefore, currentBefore } = grid;
  const referenceSize = grid.reference.length;
  const currentSize = grid.current.length;
  const { referenceSorted, currentSorted, referenceFrom, currentFrom, repeated } = resolved;
  let largest = 0;
  for (let bucket = 0; bucket < grid.bucketCount; bucket++) {
    const slot = resolved.slotOfBucket[bucket];
    if (slot >= 0) {
      // walk the distinct values of the bucket in order, counting ties on both sides before comparing (a bucket of
      // one repeated value in one step)
      let referenceIndex = referenceFrom[slot];
      let currentIndex = currentFrom[slot];
      const referenceEnd = referenceFrom[slot + 1];
      const currentEnd = currentFrom[slot + 1];
      const referenceOffset = referenceBefore[bucket] - referenceIndex;
      const currentOffset = currentBefore[bucket] - currentIndex;
      const oneValue = repeated[slot] === repeated[slot];
      while (referenceIndex < referenceEnd || currentIndex < currentEnd) {
        if (oneValue) {
          referenceIndex = referenceEnd;
          currentIndex = currentEnd;
        } else {
          const value = Math.min(
            referenceIndex < referenceEnd ? referenceSorted[referenceIndex] : Infinity,
            currentIndex < currentEnd ? currentSorted[currentIndex] : Infinity
          );
          while (referenceIndex < referenceEnd && referenceSorted[referenceIndex] === value) {
            referenceIndex++;
          }
          while (currentIndex < currentEnd && currentSorted[currentIndex] === value) {
            currentIndex++;
          }
        }
        const difference = Math.abs(
          (referenceIndex + referenceOffset) / referenceSize - (currentIndex + currentOffset) / currentSize
        );
        if (difference > largest) {
          largest = difference;
        }
      }
    }
    const boundaryDifference = Math.abs(
      referenceBefore[bucket + 1] / referenceSize - currentBefore[bucket + 1] / currentSize
    );
    if (boundaryDifference > largest) {
      largest = boundaryDifference;
    }
  }
  return largest;
}

/** scipy's statistic and p-value for a D computed on samples of the given sizes. */
export function ksTest(statistic: number, referenceSize: number, currentSize: number): KsResult {
  let d = statistic;
  if (Math.max(referenceSize, currentSize) <= LARGEST_EXACT_SAMPLE) {
    const gcd = greatestCommonDivisor(referenceSize, currentSize);
    const lcm = (referenceSize / gcd) * currentSize;
    const h = roundHalfToEven(d * lcm);
    d = h / lcm;
    if (h === 0) {
      return { statistic: d, p_value: 1 };
    }
    const exact = twoSampleKsExactSurvival(referenceSize, currentSize, h);
    if (exact >= 0 && exact <= 1) {
      return { statistic: d, p_value: exact };
    }
  }
  const larger = Math.max(referenceSize, currentSize);
  const smaller = Math.min(referenceSize, currentSize);
  const effectiveSize = roundHalfToEven((larger * smaller) / (larger + smaller));
  const pValue = kstwoSurvival(d, effectiveSize);
  return { statistic: d, p_value: Math.min(Math.max(pValue, 0), 1) };
}

/** numpy's `np.round`: to the nearest integer, ties to even. */
function roundHalfToEven(value: number): number {
  const rounded = Math.round(value);
  return rounded - value === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}
