/**
 * numpy.percentile(values, q) with the default `method="linear"`, without sorting everything: h = (n − 1) · q / 100,
 * and the result interpolates the order statistics x₍⌊h⌋₎ and x₍⌊h⌋+1₎ as numpy's `_lerp` does (the same
 * arithmetic as metrics/latency.ts `percentileOfSorted`). The order statistics come from a quickselect in place
 * (median-of-three pivots; a range that fails to shrink fast enough is sorted instead), O(n) on average; several
 * percentiles share the work, each searching only beyond the previous one.
 */

/** The percentiles (0 … 100) of finite values, null for no values; reorders `work`. */
export function percentilesInPlace(work: Float64Array, percents: number[]): number[] | null {
  const n = work.length;
  if (n === 0) {
    return null;
  }
  const results = new Array<number>(percents.length);
  // in increasing order, each selection searching only right of the previous one (whose place is final)
  const order = percents.map((_, i) => i).sort((a, b) => percents[a] - percents[b]);
  let from = 0;
  for (const i of order) {
    const position = (n - 1) * (percents[i] / 100);
    const below = Math.floor(position);
    const above = Math.min(below + 1, n - 1);
    let low: number;
    let high: number;
    // select the order statistic nearer the end of the search range, then find the other on the short side and
    // move it next to it, so both sit in their sorted places
    if (below - from < n - below) {
      high = selectOrderStatistic(work, above, from);
      low = above === below ? high : moveExtreme(work, from, above, below, (a, b) => a > b);
    } else {
      low = selectOrderStatistic(work, below, from);
      high = above === below ? low : moveExtreme(work, above, n, above, (a, b) => a < b);
    }
    from = below;
    const fraction = position - below;
    const difference = high - low;
    results[i] = fraction >= 0.5 ? high - difference * (1 - fraction) : low + difference * fraction;
  }
  return results;
}

/**
 * Rearranges values[from …] so that values[k] is the k-th smallest of the array, smaller ones before it and larger
 * ones after, given that values[from …] already holds the largest values (k ≥ from).
 */
export function selectOrderStatistic(values: Float64Array, k: number, from = 0): number {
  let left = from;
  let right = values.length - 1;
  let budget = 4 * Math.ceil(Math.log2(right - left + 2)) + 8;
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

/** The extreme (by `beats`) of values[start, end), swapped into values[place]; returns it. */
function moveExtreme(
  values: Float64Array,
  start: number,
  end: number,
  place: number,
  beats: (a: number, b: number) => boolean
): number {
  let best = start;
  for (let i = start + 1; i < end; i++) {
    if (beats(values[i], values[best])) {
      best = i;
    }
  }
  const extreme = values[best];
  values[best] = values[place];
  values[place] = extreme;
  return extreme;
}
