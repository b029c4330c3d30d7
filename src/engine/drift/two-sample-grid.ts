/**
 * Two samples bucketed on one grid of equal-width value buckets, so that KS, Wasserstein and the reference deciles
 * are exact without sorting either column.
 *
 * A value x falls in bucket ⌊(x − lowest)·scale⌋ (the last bucket also takes the highest value). That index never
 * decreases as x grows, so buckets are consecutive value ranges and equal values share a bucket. One counting pass
 * per sample gives, for every bucket, how many values lie before it (hence both empirical CDFs at every bucket
 * boundary) and the sum of each value's offset from the bucket start (hence the integral of each CDF over the
 * bucket). A statistic that needs the order of the values inside some buckets marks them; one more pass gathers the
 * values of the marked buckets, which are then sorted bucket by bucket (a few hundred values each in practice).
 *
 * Small samples, samples with ±Infinity and ranges that overflow float64 use a single bucket, which every statistic
 * resolves by sorting both samples whole.
 */

import type { NumericSample } from './numeric-sample.js';

/** Average number of values per bucket: a trade-off between the counting pass and the sorting of marked buckets. */
const VALUES_PER_BUCKET = 16;
/** Below this many values in total one sorted bucket is cheaper than the grid. */
const SMALLEST_GRID_SAMPLE = 2048;
/** Marked buckets up to this size are sorted by insertion. */
const INSERTION_SORT_LIMIT = 24;

export interface TwoSampleGrid {
  reference: Float64Array;
  current: Float64Array;
  bucketCount: number;
  lowest: number;
  highest: number;
  /** Buckets per unit of value, and the value width of one bucket. */
  scale: number;
  width: number;
  /** Number of values in buckets before bucket b, for b = 0 … bucketCount (the last entry is the sample size). */
  referenceBefore: Int32Array;
  currentBefore: Int32Array;
  /** Σ (x − bucketStart(b)) over the values x of bucket b; empty with a single bucket. */
  referenceOffsets: Float64Array;
  currentOffsets: Float64Array;
  /** 1 for buckets whose values must be seen in order. */
  marked: Uint8Array;
}

/** The values of the marked buckets, sorted within each bucket. */
export interface ResolvedBuckets {
  /** Position of a bucket among the resolved ones, or −1. */
  slotOfBucket: Int32Array;
  /** Values of resolved bucket s are referenceSorted[referenceFrom[s] … referenceFrom[s + 1]), ascending. */
  referenceSorted: Float64Array;
  referenceFrom: Int32Array;
  currentSorted: Float64Array;
  currentFrom: Int32Array;
}

/** Both samples must be non-empty. */
export function buildTwoSampleGrid(reference: NumericSample, current: NumericSample): TwoSampleGrid {
  const lowest = Math.min(reference.minimum, current.minimum);
  const highest = Math.max(reference.maximum, current.maximum);
  const total = reference.values.length + current.values.length;
  let bucketCount = 1;
  let scale = 0;
  if (reference.allFinite && current.allFinite && total >= SMALLEST_GRID_SAMPLE && highest > lowest) {
    const candidateCount = Math.floor(total / VALUES_PER_BUCKET);
    const candidateScale = candidateCount / (highest - lowest);
    if (Number.isFinite(highest - lowest) && Number.isFinite(candidateScale)) {
      bucketCount = candidateCount;
      scale = candidateScale;
    }
  }
  const width = (highest - lowest) / bucketCount;
  const grid: TwoSampleGrid = {
    reference: reference.values,
    current: current.values,
    bucketCount,
    lowest,
    highest,
    scale,
    width,
    referenceBefore: new Int32Array(bucketCount + 1),
    currentBefore: new Int32Array(bucketCount + 1),
    referenceOffsets: new Float64Array(bucketCount > 1 ? bucketCount : 0),
    currentOffsets: new Float64Array(bucketCount > 1 ? bucketCount : 0),
    marked: new Uint8Array(bucketCount)
  };
  countIntoBuckets(grid, grid.reference, grid.referenceBefore, grid.referenceOffsets);
  countIntoBuckets(grid, grid.current, grid.currentBefore, grid.currentOffsets);
  if (bucketCount === 1) {
    grid.marked[0] = 1;
  }
  return grid;
}

/** Bucket of a value (values outside [lowest, highest] go to the first or last bucket). */
export function bucketOf(grid: TwoSampleGrid, value: number): number {
  if (grid.bucketCount === 1) {
    return 0;
  }
  const bucket = ((value - grid.lowest) * grid.scale) | 0;
  return bucket < 0 ? 0 : bucket < grid.bucketCount ? bucket : grid.bucketCount - 1;
}

/** Lower boundary of bucket b (b = bucketCount gives the highest value). */
export function bucketStart(grid: TwoSampleGrid, bucket: number): number {
  if (bucket === 0) {
    return grid.lowest;
  }
  return bucket === grid.bucketCount ? grid.highest : grid.lowest + bucket * grid.width;
}

/** Marks the buckets from the one holding `fromValue` to the one holding `toValue`. */
export function markBucketsBetween(grid: TwoSampleGrid, fromValue: number, toValue: number): void {
  grid.marked.fill(1, bucketOf(grid, fromValue), bucketOf(grid, toValue) + 1);
}

/**
 * Marks the buckets from the one holding the reference value of rank `fromRank` (0-based, in sorted order) to the
 * one holding rank `toRank`.
 */
export function markReferenceRanks(grid: TwoSampleGrid, fromRank: number, toRank: number): void {
  grid.marked.fill(1, bucketOfReferenceRank(grid, fromRank), bucketOfReferenceRank(grid, toRank) + 1);
}

/**
 * How many values of one sample are below `value` (or at most `value`, with `inclusive`); the bucket of `value`
 * must have been marked and resolved unless that sample has no value in it.
 */
export function countBelow(
  grid: TwoSampleGrid,
  resolved: ResolvedBuckets,
  sample: 'reference' | 'current',
  value: number,
  inclusive = false
): number {
  const before = sample === 'reference' ? grid.referenceBefore : grid.currentBefore;
  if (value < grid.lowest) {
    return 0;
  }
  if (value > grid.highest) {
    return before[grid.bucketCount];
  }
  const bucket = bucketOf(grid, value);
  if (before[bucket + 1] === before[bucket]) {
    return before[bucket];
  }
  const slot = resolved.slotOfBucket[bucket];
  if (slot < 0) {
    throw new Error(`value ${value} lies in bucket ${bucket}, which was not marked for resolution`);
  }
  const sorted = sample === 'reference' ? resolved.referenceSorted : resolved.currentSorted;
  const from = sample === 'reference' ? resolved.referenceFrom : resolved.currentFrom;
  // binary search for the first value of the bucket that is ≥ value (> value when inclusive)
  let low = from[slot];
  let high = from[slot + 1];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value || (inclusive && sorted[middle] === value)) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return before[bucket] + low - from[slot];
}

/** The reference value of the given 0-based rank in sorted order; its bucket must have been marked and resolved. */
export function referenceValueAtRank(grid: TwoSampleGrid, resolved: ResolvedBuckets, rank: number): number {
  const bucket = bucketOfReferenceRank(grid, rank);
  const slot = resolved.slotOfBucket[bucket];
  if (slot < 0) {
    throw new Error(`reference rank ${rank} lies in bucket ${bucket}, which was not marked for resolution`);
  }
  return resolved.referenceSorted[resolved.referenceFrom[slot] + rank - grid.referenceBefore[bucket]];
}

/** Gathers and sorts the values of every marked bucket. */
export function resolveMarkedBuckets(grid: TwoSampleGrid): ResolvedBuckets {
  const slotOfBucket = new Int32Array(grid.bucketCount).fill(-1);
  let slotCount = 0;
  for (let bucket = 0; bucket < grid.bucketCount; bucket++) {
    if (grid.marked[bucket] === 1) {
      slotOfBucket[bucket] = slotCount++;
    }
  }
  const referenceFrom = new Int32Array(slotCount + 1);
  const currentFrom = new Int32Array(slotCount + 1);
  for (let bucket = 0; bucket < grid.bucketCount; bucket++) {
    const slot = slotOfBucket[bucket];
    if (slot >= 0) {
      referenceFrom[slot + 1] = referenceFrom[slot] + grid.referenceBefore[bucket + 1] - grid.referenceBefore[bucket];
      currentFrom[slot + 1] = currentFrom[slot] + grid.currentBefore[bucket + 1] - grid.currentBefore[bucket];
    }
  }
  const referenceSorted = gatherSorted(grid, grid.reference, slotOfBucket, referenceFrom);
  const currentSorted = gatherSorted(grid, grid.current, slotOfBucket, currentFrom);
  return { slotOfBucket, referenceSorted, referenceFrom, currentSorted, currentFrom };
}

function countIntoBuckets(
  grid: TwoSampleGrid,
  values: Float64Array,
  before: Int32Array,
  offsets: Float64Array
): void {
  if (grid.bucketCount === 1) {
    before[1] = values.length;
    return;
  }
  // count into before[b + 1] and accumulate offsets, then turn the counts into running totals
  const { lowest, scale, width } = grid;
  const lastBucket = grid.bucketCount - 1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    let bucket = ((value - lowest) * scale) | 0;
    if (bucket > lastBucket) {
      bucket = lastBucket;
    }
    before[bucket + 1]++;
    offsets[bucket] += value - (lowest + bucket * width);
  }
  for (let bucket = 1; bucket <= grid.bucketCount; bucket++) {
    before[bucket] += before[bucket - 1];
  }
}

/** Bucket of the reference value of the given 0-based rank in sorted order. */
export function bucketOfReferenceRank(grid: TwoSampleGrid, rank: number): number {
  if (!(rank >= 0 && rank < grid.reference.length)) {
    throw new RangeError(`reference rank ${rank} is outside 0 … ${grid.reference.length - 1}`);
  }
  // the last bucket b with referenceBefore[b] ≤ rank
  let low = 0;
  let high = grid.bucketCount - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (grid.referenceBefore[middle] <= rank) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}

function gatherSorted(
  grid: TwoSampleGrid,
  values: Float64Array,
  slotOfBucket: Int32Array,
  from: Int32Array
): Float64Array {
  const slotCount = from.length - 1;
  if (grid.bucketCount === 1) {
    return slotCount === 1 ? values.slice().sort() : new Float64Array(0);
  }
  const gathered = new Float64Array(from[slotCount]);
  const next = from.slice(0, slotCount);
  const { lowest, scale } = grid;
  const lastBucket = grid.bucketCount - 1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    let bucket = ((value - lowest) * scale) | 0;
    if (bucket > lastBucket) {
      bucket = lastBucket;
    }
    const slot = slotOfBucket[bucket];
    if (slot >= 0) {
      gathered[next[slot]++] = value;
    }
  }
  for (let slot = 0; slot < slotCount; slot++) {
    const start = from[slot];
    const end = from[slot + 1];
    if (end - start <= INSERTION_SORT_LIMIT) {
      insertionSort(gathered, start, end);
    } else {
      gathered.subarray(start, end).sort();
    }
  }
  return gathered;
}

function insertionSort(values: Float64Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const value = values[i];
    let j = i - 1;
    while (j >= start && values[j] > value) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = value;
  }
}
