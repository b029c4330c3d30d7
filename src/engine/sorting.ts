/**
 * Sorting kernels for float64 values (scores for roc_auc and pr_auc, timestamps for the chunk order).
 *
 * Linear-time sorting: an LSD radix sort over the IEEE-754 bit patterns, made order-preserving by flipping
 * every bit of negative numbers and the sign bit of the others, in four 16-bit digits; a pass over a digit
 * that every value shares is skipped. Values move as pairs of 32-bit words, so no bit pattern is ever
 * reinterpreted as a number. NaN must be left out by the caller; −0 sorts before +0.
 * Below SMALL values the engine's native sort is faster and used instead.
 *
 * Values that carry a payload (`sortWithPayload`) are bucket-sorted instead: equal-width buckets between the
 * smallest and the largest value keep the values' order, each bucket holds a few values on average and is
 * sorted by insertion, and a crowded bucket is bucket-sorted again over its own range.
 */

const SMALL = 1024;
const DIGITS = 4;
const RADIX = 65536;

/** Sort the values ascending, in place; returns them. */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < SMALL) {
    return values.sort();
  }
  const original = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  let source: Uint32Array = original;
  let target: Uint32Array = new Uint32Array(2 * n);
  toSortableBits(source, n);
  const counts = digitCounts(source, n);
  for (let digit = 0; digit < DIGITS; digit++) {
    const offsets = digitOffsets(counts, digit, n);
    if (offsets === null) {
      continue;
    }
    const word = digit >> 1;
    const shift = (digit & 1) * 16;
    for (let i = 0; i < n; i++) {
      const position = offsets[(source[2 * i + word] >>> shift) & 0xffff]++;
      target[2 * position] = source[2 * i];
      target[2 * position + 1] = source[2 * i + 1];
    }
    [source, target] = [target, source];
  }
  if (source !== original) {
    original.set(source);
  }
  fromSortableBits(original, n);
  return values;
}

/** The stable permutation that sorts the values ascending (row indices). */
export function sortOrder(values: Float64Array): Int32Array {
  const n = values.length;
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
  }
  if (n < SMALL) {
    return Int32Array.from(Array.from(order).sort((a, b) => values[a] - values[b] || a - b));
  }
  const bits = new Uint32Array(new Float64Array(values).buffer);
  toSortableBits(bits, n);
  const counts = digitCounts(bits, n);
  let scratch = new Int32Array(n);
  for (let digit = 0; digit < DIGITS; digit++) {
    const offsets = digitOffsets(counts, digit, n);
    if (offsets === null) {
      continue;
    }
    const word = digit >> 1;
    const shift = (digit & 1) * 16;
    for (let i = 0; i < n; i++) {
      const row = order[i];
      scratch[offsets[(bits[2 * row + word] >>> shift) & 0xffff]++] = row;
    }
    [order, scratch] = [scratch, order];
  }
  return order;
}

/** Flip the bits of each (low, high) word pair so that unsigned order equals numeric order. */
function toSortableBits(bits: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const high = bits[2 * i + 1];
    if (high & 0x80000000) {
      bits[2 * i] = ~bits[2 * i];
      bits[2 * i + 1] = ~high;
    } else {
      bits[2 * i + 1] = (high | 0x80000000) >>> 0;
    }
  }
}

function fromSortableBits(bits: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const high = bits[2 * i + 1];
    if (high & 0x80000000) {
      bits[2 * i + 1] = (high & 0x7fffffff) >>> 0;
    } else {
      bits[2 * i] = ~bits[2 * i];
      bits[2 * i + 1] = ~high;
    }
  }
}

/** Histograms of the four 16-bit digits, in one pass. */
function digitCounts(bits: Uint32Array, n: number): Int32Array {
  const counts = new Int32Array(DIGITS * RADIX);
  for (let i = 0; i < n; i++) {
    const low = bits[2 * i];
    const high = bits[2 * i + 1];
    counts[low & 0xffff]++;
    counts[RADIX + (low >>> 16)]++;
    counts[2 * RADIX + (high & 0xffff)]++;
    counts[3 * RADIX + (high >>> 16)]++;
  }
  return counts;
}

/** Start position of each digit value, or null when every value has the same digit (nothing to do). */
function digitOffsets(counts: Int32Array, digit: number, n: number): Int32Array | null {
  const offsets = new Int32Array(RADIX);
  let total = 0;
  for (let value = 0; value < RADIX; value++) {
    const count = counts[digit * RADIX + value];
    if (count === n) {
      return null;
    }
    offsets[value] = total;
    total += count;
  }
  return offsets;
}

/** Buckets per value of a bucket sort; a range of at most INSERTION values is sorted by insertion. */
const VALUES_PER_BUCKET = 4;
const INSERTION = 32;

/**
 * The values sorted ascending (new arrays) and the payload of each value moved along (no NaN; the order of equal
 * values is unspecified).
 */
export function sortWithPayload(values: Float64Array, payload: Uint32Array): { values: Float64Array; payload: Uint32Array } {
  const sorted = new Float64Array(values.length);
  const moved = new Uint32Array(values.length);
  sorted.set(values);
  moved.set(payload);
  bucketSort(sorted, moved, 0, values.length);
  return { values: sorted, payload: moved };
}

/**
 * Sort values[start, end) with their payload, in place: into buckets, then each bucket by insertion, or when crowded
 * by buckets of its own; a bucket holding most of the range (values that equal-width buckets do not tell apart, such
 * as values spread over many orders of magnitude) is radix-sorted instead.
 */
function bucketSort(values: Float64Array, payload: Uint32Array, start: number, end: number): void {
  const n = end - start;
  let minimum = Infinity;
  let maximum = -Infinity;
  for (let i = start; i < end; i++) {
    const value = values[i];
    minimum = value < minimum ? value : minimum;
    maximum = value > maximum ? value : maximum;
  }
  if (minimum === maximum) {
    return;
  }
  const buckets = 2 ** Math.max(4, Math.ceil(Math.log2(n / VALUES_PER_BUCKET)));
  const scale = buckets / (maximum - minimum);
  if (n <= INSERTION || !(scale > 0 && scale < Infinity)) {
    (n <= INSERTION ? insertionSort : radixSortRange)(values, payload, start, end);
    return;
  }
  // (v − minimum) · scale never decreases with v: the buckets keep the values' order
  const last = buckets - 1;
  const starts = new Int32Array(buckets + 1);
  for (let i = start; i < end; i++) {
    starts[Math.min(last, Math.floor((values[i] - minimum) * scale)) + 1]++;
  }
  for (let bucket = 0; bucket < buckets; bucket++) {
    starts[bucket + 1] += starts[bucket];
  }
  const next = starts.slice(0, buckets);
  const unsortedValues = values.slice(start, end);
  const unsortedPayload = payload.slice(start, end);
  for (let i = 0; i < n; i++) {
    const value = unsortedValues[i];
    const position = start + next[Math.min(last, Math.floor((value - minimum) * scale))]++;
    values[position] = value;
    payload[position] = unsortedPayload[i];
  }
  for (let bucket = 0; bucket < buckets; bucket++) {
    const from = start + starts[bucket];
    const to = start + starts[bucket + 1];
    if (to - from <= INSERTION) {
      insertionSort(values, payload, from, to);
    } else if (2 * (to - from) > n) {
      radixSortRange(values, payload, from, to);
    } else {
      bucketSort(values, payload, from, to);
    }
  }
}

function insertionSort(values: Float64Array, payload: Uint32Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const value = values[i];
    const carried = payload[i];
    let j = i - 1;
    while (j >= start && values[j] > value) {
      values[j + 1] = values[j];
      payload[j + 1] = payload[j];
      j--;
    }
    values[j + 1] = value;
    payload[j + 1] = carried;
  }
}

/** Sort values[start, end) with their payload, in place: the LSD radix sort of `sortFloat64`, the payload moved along. */
function radixSortRange(values: Float64Array, payload: Uint32Array, start: number, end: number): void {
  const n = end - start;
  let source = new Uint32Array(values.slice(start, end).buffer);
  let target = new Uint32Array(2 * n);
  let carried = payload.slice(start, end);
  let carriedTarget = new Uint32Array(n);
  toSortableBits(source, n);
  const counts = digitCounts(source, n);
  for (let digit = 0; digit < DIGITS; digit++) {
    const offsets = digitOffsets(counts, digit, n);
    if (offsets === null) {
      continue;
    }
    const word = digit >> 1;
    const shift = (digit & 1) * 16;
    for (let i = 0; i < n; i++) {
      const position = offsets[(source[2 * i + word] >>> shift) & 0xffff]++;
      target[2 * position] = source[2 * i];
      target[2 * position + 1] = source[2 * i + 1];
      carriedTarget[position] = carried[i];
    }
    [source, target] = [target, source];
    [carried, carriedTarget] = [carriedTarget, carried];
  }
  fromSortableBits(source, n);
  values.set(new Float64Array(source.buffer), start);
  payload.set(carried, start);
}
