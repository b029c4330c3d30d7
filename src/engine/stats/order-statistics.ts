/**
 * Order statistics (the values at given ranks of the sorted values) without sorting, NaN left out, the input left as
 * it is: a histogram selection. The values are counted into equal-width bins between their minimum and maximum,
 * which tells the bin of each order statistic; the values of those few bins are gathered and the search goes on
 * among them, until a range holds one value or few enough values to sort. Linear time; exact, since every
 * statistic is one of the values.
 */
import { sortFloat64 } from '../sorting.js';

/** Bins of one histogram pass; below SORTED values a range is sorted instead. */
const BINS = 2048;
const SORTED = 512;

/** How many values are not NaN, and the smallest and largest of them. */
export interface ValueRange {
  count: number;
  minimum: number;
  maximum: number;
}

export function rangeOf(values: Float64Array): ValueRange {
  let count = 0;
  let minimum = Infinity;
  let maximum = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === value) {
      count++;
      minimum = value < minimum ? value : minimum;
      maximum = value > maximum ? value : maximum;
    }
  }
  return { count, minimum, maximum };
}

/** The values at `ranks` (ascending, 0-based) of the sorted non-NaN values, whose range is `range`. */
export function orderStatistics(values: Float64Array, range: ValueRange, ranks: number[]): number[] {
  const { count, minimum, maximum } = range;
  if (minimum === maximum) {
    return ranks.map(() => minimum);
  }
  const scale = BINS / (maximum - minimum);
  if (count <= SORTED || !Number.isFinite(scale) || scale === 0) {
    const sorted = sortFloat64(withoutNaN(values, count));
    return ranks.map(rank => sorted[rank]);
  }
  // (v − minimum) · scale never decreases with v, so the bins keep the values' order; the minimum falls in the
  // first bin and the maximum in the last, so no bin holds every value
  const last = BINS - 1;
  const counts = new Int32Array(BINS);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === value) {
      counts[Math.min(last, Math.floor((value - minimum) * scale))]++;
    }
  }
  // the bin of each rank, and how many values lie in the bins before it
  const binOfRank = new Int32Array(ranks.length);
  const before = new Int32Array(ranks.length);
  for (let bin = 0, passed = 0, next = 0; bin < BINS && next < ranks.length; passed += counts[bin], bin++) {
    for (; next < ranks.length && ranks[next] < passed + counts[bin]; next++) {
      binOfRank[next] = bin;
      before[next] = passed;
    }
  }
  // the values of those bins, gathered, and the search goes on among them
  const bins = [...new Set(binOfRank)];
  const parts = bins.map(bin => ({ values: new Float64Array(counts[bin]), count: 0, minimum: Infinity, maximum: -Infinity }));
  const partOfBin = new Int16Array(BINS).fill(-1);
  bins.forEach((bin, part) => (partOfBin[bin] = part));
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const part = value === value ? partOfBin[Math.min(last, Math.floor((value - minimum) * scale))] : -1;
    if (part >= 0) {
      const gathered = parts[part];
      gathered.values[gathered.count++] = value;
      gathered.minimum = value < gathered.minimum ? value : gathered.minimum;
      gathered.maximum = value > gathered.maximum ? value : gathered.maximum;
    }
  }
  const statistics = new Array<number>(ranks.length);
  bins.forEach((bin, part) => {
    const inBin = ranks.flatMap((_, k) => (binOfRank[k] === bin ? [k] : []));
    const within = orderStatistics(parts[part].values, parts[part], inBin.map(k => ranks[k] - before[k]));
    inBin.forEach((k, j) => (statistics[k] = within[j]));
  });
  return statistics;
}

/** The `count` non-NaN values, copied. */
function withoutNaN(values: Float64Array, count: number): Float64Array {
  const copy = new Float64Array(count);
  for (let i = 0, j = 0; i < values.length; i++) {
    if (values[i] === values[i]) {
      copy[j++] = values[i];
    }
  }
  return copy;
}
