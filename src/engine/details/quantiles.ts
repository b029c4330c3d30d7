/**
 * numpy.percentile(values, q) with the default `method="linear"`, without sorting everything: h = (n − 1) · q / 100,
 * and the result interpolates the order statistics x₍⌊h⌋₎ and x₍⌊h⌋+1₎ as numpy's `_lerp` does (the same
 * arithmetic as metrics/latency.ts `percentileOfSorted`). The order statistics come from a quickselect in place
 * (median-of-three pivots; a range that fails to shrink fast enough is sorted instead), O(n) on average.
 */

/** The percentiles (0 … 100) of finite values, null for no values; reorders `work`. */
export function percentilesInPlace(work: Float64Array, percents: number[]): number[] | null {
  const n = work.length;
  if (n === 0) {
    return null;
  }
  return percents.map(percent => {
    const position = (n - 1) * (percent / 100);
    const below = Math.floor(position);
    const low = selectOrderStatistic(work, below);
    const high = below + 1 < n ? minimumFrom(work, below + 1) : low;
    const fraction = position - below;
    const difference = high - low;
    return fraction >= 0.5 ? high - difference * (1 - fraction) : low + difference * fraction;
  });
}

/** Rearranges `values` so that values[k] is the k-th smallest, smaller ones before it and larger ones after. */
export function selectOrderStatistic(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  let budget = 4 * Math.ceil(Math.log2(values.length + 1)) + 8;
  while (right > left) {
    if (budget-- === 0) {
      values.subarray(left, right + 1).sort();
      break;
    }
    const pivot = medianOfThree(values[left], values[(left + right) >> 1], values[right]);
    // Hoare partition around the pivot value
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) {
        i++;
      }
      while (values[j] > pivot) {
        j--;
      }
      if (i <= j) {
        const swap = values[i];
        values[i] = values[j];
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) {
      right = j;
    } else if (k >= i) {
      left = i;
    } else {
      break;
    }
  }
  return values[k];
}

function medianOfThree(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}

function minimumFrom(values: Float64Array, start: number): number {
  let minimum = values[start];
  for (let i = start + 1; i < values.length; i++) {
    if (values[i] < minimum) {
      minimum = values[i];
    }
  }
  return minimum;
}
