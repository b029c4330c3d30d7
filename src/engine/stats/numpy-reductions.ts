/**
 * Sums, means and standard deviations of float64 values in exactly the order numpy uses for a contiguous array, so
 * they round as numpy's do (which matters where a statistic rounds a ratio to an integer, like the number of
 * histogram bins). numpy's `np.sum` is pairwise: a range is split in halves (kept multiples of 8) down to blocks of
 * at most 128 values; a block is summed with eight interleaved accumulators combined as
 * ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)) plus the remainder left to right; ranges under 8 values are
 * summed left to right from 0. `np.mean` = sum / n; `np.std` (ddof 0) = sqrt(Σ (x − mean)² / n), squaring the
 * deviations before the pairwise sum.
 */

const BLOCK_SIZE = 128;
const UNROLL = 8;

/** What is summed for each value x: x, (x − center)², or ((x − center) / scale)³. */
const VALUE = 0;
const SQUARED_DEVIATION = 1;
const CUBED_STANDARDIZED = 2;
type Term = typeof VALUE | typeof SQUARED_DEVIATION | typeof CUBED_STANDARDIZED;

/** `np.sum(values[start:end])`. */
export function numpySum(values: ArrayLike<number>, start = 0, end = values.length): number {
  return end > start ? pairwiseSum(values, start, end - start, VALUE, 0, 1) : 0;
}

/** `np.mean(values)` (NaN for an empty array, as numpy). */
export function numpyMean(values: ArrayLike<number>): number {
  return numpySum(values) / values.length;
}

/** `np.std(values)` with ddof 0 (NaN for an empty array), given `mean = np.mean(values)`. */
export function numpyStandardDeviation(values: ArrayLike<number>, mean: number): number {
  return Math.sqrt(pairwiseSum(values, 0, values.length, SQUARED_DEVIATION, mean, 1) / values.length);
}

/**
 * `np.mean(((values - mean) / scale) ** 3)`: the sample skewness when `scale` is the standard deviation. The cube is
 * z·z·z; numpy's `power(z, 3)` itself rounds differently between builds (libm or SIMD), so no order is "the" one.
 */
export function numpyMeanOfCubedStandardized(values: ArrayLike<number>, mean: number, scale: number): number {
  return pairwiseSum(values, 0, values.length, CUBED_STANDARDIZED, mean, scale) / values.length;
}

function term(values: ArrayLike<number>, index: number, kind: Term, center: number, scale: number): number {
  const value = values[index];
  if (kind === VALUE) {
    return value;
  }
  const deviation = value - center;
  if (kind === SQUARED_DEVIATION) {
    return deviation * deviation;
  }
  const standardized = deviation / scale;
  return standardized * standardized * standardized;
}

function pairwiseSum(
  values: ArrayLike<number>,
  start: number,
  count: number,
  kind: Term,
  center: number,
  scale: number
): number {
  if (count < UNROLL) {
    let sum = 0;
    for (let i = start; i < start + count; i++) {
      sum += term(values, i, kind, center, scale);
    }
    return sum;
  }
  if (count <= BLOCK_SIZE) {
    let r0 = term(values, start, kind, center, scale);
    let r1 = term(values, start + 1, kind, center, scale);
    let r2 = term(values, start + 2, kind, center, scale);
    let r3 = term(values, start + 3, kind, center, scale);
    let r4 = term(values, start + 4, kind, center, scale);
    let r5 = term(values, start + 5, kind, center, scale);
    let r6 = term(values, start + 6, kind, center, scale);
    let r7 = term(values, start + 7, kind, center, scale);
    const unrolledEnd = start + count - (count % UNROLL);
    let i = start + UNROLL;
    for (; i < unrolledEnd; i += UNROLL) {
      r0 += term(values, i, kind, center, scale);
      r1 += term(values, i + 1, kind, center, scale);
      r2 += term(values, i + 2, kind, center, scale);
      r3 += term(values, i + 3, kind, center, scale);
      r4 += term(values, i + 4, kind, center, scale);
      r5 += term(values, i + 5, kind, center, scale);
      r6 += term(values, i + 6, kind, center, scale);
      r7 += term(values, i + 7, kind, center, scale);
    }
    let sum = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
    for (; i < start + count; i++) {
      sum += term(values, i, kind, center, scale);
    }
    return sum;
  }
  let half = Math.floor(count / 2);
  half -= half % UNROLL;
  return (
    pairwiseSum(values, start, half, kind, center, scale) +
    pairwiseSum(values, start + half, count - half, kind, center, scale)
  );
}
