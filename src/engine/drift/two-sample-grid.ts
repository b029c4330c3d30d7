/**
 * Two samples bucketed on one grid of value buckets, so that KS, Wasserstein, the reference deciles and histogram
 * counts are exact without sorting either column.
 *
 * The root level has about n/16 equal-width buckets over the joint range [lowest, highest]; a value x falls in
 * bucket ⌊(x − lowest)·scale⌋ (the last one also takes the highest value). A root bucket that holds more than 128
 * values (skewed data, or outliers stretching the range) is split again into equal-width sub-buckets over the range
 * of its own values, about 16 values each. Root buckets and sub-buckets, in value order, are the grid's buckets:
 * the bucket index never decreases as x grows, so buckets are consecutive value ranges and equal values share one.
 *
 * One counting pass per sample gives, for every bucket, how many values lie before it (hence both empirical CDFs at
 * every bucket boundary), the sum of each value's offset from the bucket start (hence the integral of each CDF
 * over the bucket) and the smallest and largest value in it; splitting crowded buckets costs one more pass, only when
 * there are any. A statistic that needs the order of the values inside some buckets marks them; one more pass gathers
 * the values of the marked buckets, which are then sorted bucket by bucket (a few hundred values each in practice).
 * A marked bucket of one repeated value (integers, rounded values) is not gathered: its slot names the value, which
 * the statistics read as the bucket's one distinct value; when every marked bucket is such, the gathering pass is
 * skipped.
 *
 * Small samples, samples with ±Infinity and ranges that overflow float64 use a single bucket, which every statistic
 * resolves by sorting both samples whole.
 */

import type { NumericSample } from './numeric-sample.js';

/** Average number of values per bucket: a trade-off between the counting pass and the sorting of marked buckets. */
const VALUES_PER_BUCKET = 16;
/** A root bucket with more values than this is split into sub-buckets. */
const CROWDED_BUCKET = 8 * VALUES_PER_BUCKET;
/** Below this many values in total one sorted bucket is cheaper than the grid. */
const SMALLEST_GRID_SAMPLE = 2048;
/** Marked buckets up to this size are sorted by insertion. */
const INSERTION_SORT_LIMIT = 24;

/** The sub-buckets of the split root buckets: segment s divides one root bucket into count[s] equal-width buckets. */
interface Split {
  lowest: Float64Array;
  scale: Float64Array;
  width: Float64Array;
  count: Int32Array;
  /** Grid bucket of segment s's first sub-bucket (the others follow it). */
  first: Int32Array;
  /** Lower boundary of the root bucket segment s divides. */
  start: Float64Array;
}

export interface TwoSampleGrid {
  reference: Float64Array;
  current: Float64Array;
  /** Number of grid buckets. */
  bucketCount: number;
  lowest: number;
  highest: number;
  /** Root level: rootCount equal-width buckets of the given width, `scale` buckets per unit of value. */
  rootCount: number;
  scale: number;
  width: number;
  /** Per root bucket: its grid bucket (≥ 0), or −1 − s when segment s of `split` divides it. */
  rootCode: Int32Array;
  split: Split | null;
  /** Lower boundary of each grid bucket, then the highest value: bucketCount + 1 entries. */
  starts: Float64Array;
  /** Number of values in buckets before bucket b, for b = 0 … bucketCount (the last entry is the sample size). */
  referenceBefore: Int32Array;
  currentBefore: Int32Array;
  /** Σ (x − starts[b]) over the values x of bucket b. */
  referenceOffsets: Float64Array;
  currentOffsets: Float64Array;
  /**
   * Smallest and largest value of bucket b over both samples (+Infinity and −Infinity when it is empty); the
   * sub-buckets of a split bucket are not tracked (−Infinity and +Infinity).
   */
  minimums: Float64Array;
  maximums: Float64Array;
  /** 1 for buckets whose values must be seen in order. */
  marked: Uint8Array;
}

/** The values of the marked buckets, sorted within each bucket. */
export interface ResolvedBuckets {
  /** Position of a bucket among the resolved ones, or −1. */
  slotOfBucket: Int32Array;
  /**
   * Values of resolved bucket s are referenceSorted[referenceFrom[s] … referenceFrom[s + 1]), ascending; when the
   * bucket holds one repeated value, `repeated[s]` is that value (NaN otherwise) and those entries are not written.
   */
  referenceSorted: Float64Array;
  referenceFrom: Int32Array;
  currentSorted: Float64Array;
  currentFrom: Int32Array;
  repeated: Float64Array;
}

/** Both samples must be non-empty. */
export function buildTwoSampleGrid(reference: NumericSample, current: NumericSample): TwoSampleGrid {
  const lowest = Math.min(reference.minimum, current.minimum);
  const highest = Math.max(reference.maximum, current.maximum);
  const total = reference.values.length + current.values.length;
  let rootCount = 1;
  let scale = 0;
  if (reference.allFinite && current.allFinite && total >= SMALLEST_GRID_SAMPLE && highest > lowest) {
    const candidateCount = Math.floor(total / VALUES_PER_BUCKET);
    const candidateScale = candidateCount / (highest - lowest);
    if (Number.isFinite(highest - lowest) && Number.isFinite(candidateScale)) {
      rootCount = candidateCount;
      scale = candidateScale;
    }
  }
  const grid: TwoSampleGrid = {
    reference: reference.values,
    current: current.values,
    bucketCount: rootCount,
    lowest,
    highest,
    rootCount,
    scale,
    width: (highest - lowest) / rootCount,
    rootCode: new Int32Array(rootCount),
    split: null,
    starts: new Float64Array(0),
    referenceBefore: new Int32Array(0),
    currentBefore: new Int32Array(0),
    referenceOffsets: new Float64Array(0),
    currentOffsets: new Float64Array(0),
    minimums: new Float64Array(0),
    maximums: new Float64Array(0),
    marked: new Uint8Array(0)
  };
  for (let root = 0; root < rootCount; root++) {
    grid.rootCode[root] = root;
  }
  countIntoBuckets(grid);
  if (rootCount > 1 && splitCrowdedBuckets(grid)) {
    countIntoBuckets(grid);
  }
  if (grid.bucketCount === 1) {
    grid.marked[0] = 1;
  }
  return grid;
}

/** Bucket of a value (values outside [lowest, highest] go to the first or last bucket). */
export function bucketOf(grid: TwoSampleGrid, value: number): number {
  const code = grid.rootCode[rootBucketOf(grid, value)];
  return code >= 0 ? code : subBucketOf(grid.split as Split, -1 - code, value);
}

/** Lower boundary of bucket b (b = bucketCount gives the highest value). */
export function bucketStart(grid: TwoSampleGrid, bucket: number): number {
  return grid.starts[bucket];
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
  const repeated = resolved.repeated[slot];
  if (repeated === repeated) {
    return before[repeated < value || (inclusive && repeated === value) ? bucket + 1 : bucket];
  }
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
  const repeated = resolved.repeated[slot];
  return repeated === repeated ? repeated : resolved.referenceSorted[resolved.referenceFrom[slot] + rank - grid.referenceBefore[bucket]];
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
  // a bucket of one repeated value is named by its slot's `repeated` value; the others are gathered, by a pass over
  // each sample only when one of them holds values
  const gatherSlot = new Int32Array(grid.bucketCount).fill(-1);
  const repeated = new Float64Array(slotCount).fill(NaN);
  let gathering = false;
  for (let bucket = 0; bucket < grid.bucketCount; bucket++) {
    const slot = slotOfBucket[bucket];
    if (slot >= 0) {
      referenceFrom[slot + 1] = referenceFrom[slot] + grid.referenceBefore[bucket + 1] - grid.referenceBefore[bucket];
      currentFrom[slot + 1] = currentFrom[slot] + grid.currentBefore[bucket + 1] - grid.currentBefore[bucket];
      if (grid.minimums[bucket] === grid.maximums[bucket]) {
        repeated[slot] = grid.minimums[bucket];
      } else {
        gatherSlot[bucket] = slot;
        gathering ||= grid.minimums[bucket] < grid.maximums[bucket];
      }
    }
  }
  const referenceSorted = gatherSorted(grid, grid.reference, gatherSlot, gathering, repeated, referenceFrom);
  const currentSorted = gatherSorted(grid, grid.current, gatherSlot, gathering, repeated, currentFrom);
  return { slotOfBucket, referenceSorted, referenceFrom, currentSorted, currentFrom, repeated };
}

function rootBucketOf(grid: TwoSampleGrid, value: number): number {
  const root = ((value - grid.lowest) * grid.scale) | 0;
  return root < 0 ? 0 : root < grid.rootCount ? root : grid.rootCount - 1;
}

function subBucketOf(split: Split, segment: number, value: number): number {
  let sub = ((value - split.lowest[segment]) * split.scale[segment]) | 0;
  if (sub < 0) {
    sub = 0;
  } else if (sub >= split.count[segment]) {
    sub = split.count[segment] - 1;
  }
  return split.first[segment] + sub;
}

/**
 * Splits every root bucket with more than CROWDED_BUCKET values (at least two of them distinct) into sub-buckets
 * over the range of its values, then numbers all buckets in value order. Returns whether any bucket was split.
 */
function splitCrowdedBuckets(grid: TwoSampleGrid): boolean {
  const { rootCount } = grid;
  const valuesIn = (root: number) =>
    grid.referenceBefore[root + 1] - grid.referenceBefore[root] +
    (grid.currentBefore[root + 1] - grid.currentBefore[root]);
  const crowdedRoots: number[] = [];
  for (let root = 0; root < rootCount; root++) {
    if (valuesIn(root) > CROWDED_BUCKET) {
      crowdedRoots.push(root);
    }
  }
  if (crowdedRoots.length === 0) {
    return false;
  }

  // one segment of sub-buckets for each crowded bucket whose values differ, over the range of its values (before
  // the split, grid bucket and root bucket are one)
  const segments: { root: number; lowest: number; range: number; count: number }[] = [];
  for (const root of crowdedRoots) {
    const range = grid.maximums[root] - grid.minimums[root];
    const count = Math.ceil(valuesIn(root) / VALUES_PER_BUCKET);
    if (range > 0 && Number.isFinite(count / range)) {
      segments.push({ root, lowest: grid.minimums[root], range, count });
    }
  }
  if (segments.length === 0) {
    return false;
  }
  const split: Split = {
    lowest: Float64Array.from(segments, (segment) => segment.lowest),
    scale: Float64Array.from(segments, (segment) => segment.count / segment.range),
    width: Float64Array.from(segments, (segment) => segment.range / segment.count),
    count: Int32Array.from(segments, (segment) => segment.count),
    first: new Int32Array(segments.length),
    start: Float64Array.from(segments, (segment) => rootBucketStart(grid, segment.root))
  };
  segments.forEach((segment, index) => {
    grid.rootCode[segment.root] = -1 - index;
  });
  grid.split = split;

  // number the root buckets and sub-buckets in value order; a root bucket keeps its extremes
  let next = 0;
  for (let root = 0; root < rootCount; root++) {
    const code = grid.rootCode[root];
    if (code >= 0) {
      grid.rootCode[root] = next++;
    } else {
      const segment = -1 - code;
      split.first[segment] = next;
      next += split.count[segment];
    }
  }
  const minimums = new Float64Array(next).fill(-Infinity);
  const maximums = new Float64Array(next).fill(Infinity);
  for (let root = 0; root < rootCount; root++) {
    const code = grid.rootCode[root];
    if (code >= 0) {
      minimums[code] = grid.minimums[root];
      maximums[code] = grid.maximums[root];
    }
  }
  grid.minimums = minimums;
  grid.maximums = maximums;
  grid.bucketCount = next;
  return true;
}

/** Boundaries of the grid buckets, then the highest value: contiguous and ascending. */
function bucketStarts(grid: TwoSampleGrid): Float64Array {
  const starts = new Float64Array(grid.bucketCount + 1);
  for (let root = 0; root < grid.rootCount; root++) {
    const code = grid.rootCode[root];
    if (code >= 0) {
      starts[code] = rootBucketStart(grid, root);
      continue;
    }
    const split = grid.split as Split;
    const segment = -1 - code;
    for (let sub = 0; sub < split.count[segment]; sub++) {
      starts[split.first[segment] + sub] = subBucketStart(split, segment, sub);
    }
  }
  starts[grid.bucketCount] = grid.highest;
  return starts;
}

/** Root bucket b starts at lowest + b·width (bucket 0 at lowest; b = rootCount gives the highest value). */
function rootBucketStart(grid: TwoSampleGrid, root: number): number {
  if (root === 0) {
    return grid.lowest;
  }
  return root === grid.rootCount ? grid.highest : grid.lowest + root * grid.width;
}

/**
 * Sub-bucket 0 of a segment starts with its root bucket, sub-bucket k > 0 at lowest + k·width, which stays below
 * the largest value of the segment (k·width ≤ range − width), hence inside the root bucket.
 */
function subBucketStart(split: Split, segment: number, sub: number): number {
  return sub === 0 ? split.start[segment] : split.lowest[segment] + sub * split.width[segment];
}

/** Counts both samples into the grid's buckets (running counts and offset sums), from scratch. */
function countIntoBuckets(grid: TwoSampleGrid): void {
  grid.starts = bucketStarts(grid);
  grid.referenceBefore = new Int32Array(grid.bucketCount + 1);
  grid.currentBefore = new Int32Array(grid.bucketCount + 1);
  grid.referenceOffsets = new Float64Array(grid.bucketCount);
  grid.currentOffsets = new Float64Array(grid.bucketCount);
  if (grid.split === null) {
    grid.minimums = new Float64Array(grid.bucketCount).fill(Infinity);
    grid.maximums = new Float64Array(grid.bucketCount).fill(-Infinity);
  }
  grid.marked = new Uint8Array(grid.bucketCount);
  countSample(grid, grid.reference, grid.referenceBefore, grid.referenceOffsets);
  countSample(grid, grid.current, grid.currentBefore, grid.currentOffsets);
}

function countSample(grid: TwoSampleGrid, values: Float64Array, before: Int32Array, offsets: Float64Array): void {
  // count into before[b + 1] and accumulate offsets (and extremes, before any split), then turn the counts into
  // running totals
  if (grid.split === null) {
    countIntoRootBuckets(grid, values, before, offsets);
  } else {
    countIntoSplitBuckets(grid, grid.split, values, before, offsets);
  }
  for (let bucket = 1; bucket < before.length; bucket++) {
    before[bucket] += before[bucket - 1];
  }
}

/** Without split buckets: bucket b starts at lowest + b·width, as `starts` says, so nothing is looked up. */
function countIntoRootBuckets(
  grid: TwoSampleGrid,
  values: Float64Array,
  before: Int32Array,
  offsets: Float64Array
): void {
  const { lowest, scale, width, minimums, maximums } = grid;
  const lastRoot = grid.rootCount - 1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    let bucket = ((value - lowest) * scale) | 0;
    if (bucket > lastRoot) {
      bucket = lastRoot;
    } else if (bucket < 0) {
      bucket = 0;
    }
    before[bucket + 1]++;
    offsets[bucket] += value - (bucket === 0 ? lowest : lowest + bucket * width);
    if (value < minimums[bucket]) {
      minimums[bucket] = value;
    }
    if (value > maximums[bucket]) {
      maximums[bucket] = value;
    }
  }
}

function countIntoSplitBuckets(
  grid: TwoSampleGrid,
  split: Split,
  values: Float64Array,
  before: Int32Array,
  offsets: Float64Array
): void {
  const { lowest, scale, width, rootCode } = grid;
  const lastRoot = grid.rootCount - 1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    let root = ((value - lowest) * scale) | 0;
    if (root > lastRoot) {
      root = lastRoot;
    } else if (root < 0) {
      root = 0;
    }
    const code = rootCode[root];
    if (code >= 0) {
      before[code + 1]++;
      offsets[code] += value - (root === 0 ? lowest : lowest + root * width);
      continue;
    }
    const segment = -1 - code;
    const segmentCount = split.count[segment];
    let sub = ((value - split.lowest[segment]) * split.scale[segment]) | 0;
    if (sub >= segmentCount) {
      sub = segmentCount - 1;
    } else if (sub < 0) {
      sub = 0;
    }
    const bucket = split.first[segment] + sub;
    before[bucket + 1]++;
    offsets[bucket] += value - subBucketStart(split, segment, sub);
  }
}

/**
 * The values of one sample in the marked buckets, sorted within each: the others than the slots of a repeated value
 * (`gatherSlot` of their buckets), gathered by one pass over the sample when `gathering`. The entries of repeated
 * values are left unwritten (memory never touched costs nothing).
 */
function gatherSorted(
  grid: TwoSampleGrid,
  values: Float64Array,
  gatherSlot: Int32Array,
  gathering: boolean,
  repeated: Float64Array,
  from: Int32Array
): Float64Array {
  const slotCount = from.length - 1;
  if (grid.bucketCount === 1) {
    return slotCount === 1 ? values.slice().sort() : new Float64Array(0);
  }
  const gathered = new Float64Array(from[slotCount]);
  if (!gathering) {
    return gathered;
  }
  const next = from.slice(0, slotCount);
  const { lowest, scale, rootCode } = grid;
  const lastRoot = grid.rootCount - 1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    let root = ((value - lowest) * scale) | 0;
    if (root > lastRoot) {
      root = lastRoot;
    } else if (root < 0) {
      root = 0;
    }
    const code = rootCode[root];
    const slot = gatherSlot[code >= 0 ? code : subBucketOf(grid.split as Split, -1 - code, value)];
    if (slot >= 0) {
      gathered[next[slot]++] = value;
    }
  }
  for (let slot = 0; slot < slotCount; slot++) {
    if (repeated[slot] !== repeated[slot]) {
      sortSegment(gathered, from[slot], from[slot + 1]);
    }
  }
  return gathered;
}

/** Sorts values[start … end) in place; a bucket of one repeated value is left as it is. */
function sortSegment(values: Float64Array, start: number, end: number): void {
  if (end - start <= INSERTION_SORT_LIMIT) {
    insertionSort(values, start, end);
    return;
  }
  const first = values[start];
  for (let i = start + 1; i < end; i++) {
    if (values[i] !== first) {
      values.subarray(start, end).sort();
      return;
    }
  }
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
