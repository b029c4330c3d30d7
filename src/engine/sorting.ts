/**
 * Sorting kernels for float64 values (scores for roc_auc and pr_auc, timestamps for the chunk order).
 *
 * Linear-time sorting: an LSD radix sort over the IEEE-754 bit patterns, made order-preserving by flipping
 * every bit of negative numbers and the sign bit of the others, in four 16-bit digits; a pass over a digit
 * that every value shares is skipped. Values move as pairs of 32-bit words, so no bit pattern is ever
 * reinterpreted as a number. NaN must be left out by the caller; −0 sorts before +0.
 * Below SMALL values the engine's native sort is faster and used instead.
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

/** One ascending array from arrays that each are ascending: pairwise linear merges, ⌈log₂ k⌉ passes. */
export function mergeSorted(arrays: Float64Array[]): Float64Array {
  if (arrays.length === 0) {
    return new Float64Array(0);
  }
  let level = arrays;
  while (level.length > 1) {
    const next: Float64Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? mergeTwo(level[i], level[i + 1]) : level[i]);
    }
    level = next;
  }
  return level[0];
}

function mergeTwo(a: Float64Array, b: Float64Array): Float64Array {
  const merged = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    merged[k++] = b[j] < a[i] ? b[j++] : a[i++];
  }
  while (i < a.length) {
    merged[k++] = a[i++];
  }
  while (j < b.length) {
    merged[k++] = b[j++];
  }
  return merged;
}
