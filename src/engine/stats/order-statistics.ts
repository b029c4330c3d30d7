/**
 * Order statistics (the values at given ranks of the sorted values) without sorting, NaN left out, the input left as
 * it is: a histogram selection. The values are counted into equal-width bins between their minimum and maximum,
 * which tells the bin of each order statistic; the values of those few bins are gathered and the search goes on
 * among them, until a range holds one value or few enough values to sort. Linear time; exact, since every
 * statistic is one of the values. Consecutive parts of the values and all of them together share one counting pass
 * and one gathering pass (`partOrderStatistics`): the parts are counted on the bins of the whole.
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

export function rangeOf(values: Float64Array, start = 0, end = values.length): ValueRange {
  let count = 0;
  let minimum = Infinity;
  let maximum = -Infinity;
  for (let i = start; i < end; i++) {
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
  const bins = Bins.over(range);
  if (!bins) {
    return sortedStatistics(values, 0, values.length, range, ranks);
  }
  return bins.statistics(values, 0, values.length, bins.count(values, 0, values.length), ranks);
}

/** How many non-NaN values there are, and the order statistics asked for. */
export interface OrderStatistics {
  count: number;
  statistics: number[];
}

/**
 * `orderStatistics` of each of consecutive parts of the values (`ranksOf` gives the ranks a part's count of values
 * asks for) and of all of them together.
 */
export function partOrderStatistics(
  values: Float64Array,
  parts: ReadonlyArray<{ start: number; end: number }>,
  ranksOf: (count: number) => number[]
): { parts: OrderStatistics[]; whole: OrderStatistics } {
  const end = parts.length === 0 ? 0 : parts[parts.length - 1].end;
  const ranges = parts.map(part => rangeOf(values, part.start, part.end));
  const whole = {
    count: ranges.reduce((total, range) => total + range.count, 0),
    minimum: ranges.reduce((minimum, range) => (range.minimum < minimum ? range.minimum : minimum), Infinity),
    maximum: ranges.reduce((maximum, range) => (range.maximum > maximum ? range.maximum : maximum), -Infinity)
  };
  const bins = Bins.over(whole);
  const of = (range: ValueRange, statistics: (ranks: number[]) => number[]): OrderStatistics => ({
    count: range.count,
    statistics: statistics(ranksOf(range.count))
  });
  if (!bins) {
    return {
      parts: parts.map((part, p) => of(ranges[p], ranks => sortedStatistics(values, part.start, part.end, ranges[p], ranks))),
      whole: of(whole, ranks => sortedStatistics(values, 0, end, whole, ranks))
    };
  }
  const counts = parts.map(part => bins.count(values, part.start, part.end));
  const wholeCounts = new Int32Array(BINS);
  for (const partCounts of counts) {
    for (let bin = 0; bin < BINS; bin++) {
      wholeCounts[bin] += partCounts[bin];
    }
  }
  // each value is gathered for its part and for the whole in the same pass (the whole's in row order, as a pass of its
  // own would)
  const partGatherings = parts.map((_, p) => new Gathering(counts[p], ranksOf(ranges[p].count)));
  const wholeGathering = new Gathering(wholeCounts, ranksOf(whole.count));
  parts.forEach((part, p) => bins.gather(values, part.start, part.end, partGatherings[p], wholeGathering));
  return {
    parts: parts.map((_, p) => ({ count: ranges[p].count, statistics: partGatherings[p].statistics() })),
    whole: { count: whole.count, statistics: wholeGathering.statistics() }
  };
}

/**
 * Equal-width bins over a range: (v − minimum) · scale never decreases with v, so the bins keep the values' order; the
 * minimum falls in the first bin and the maximum in the last, so no bin holds every value.
 */
class Bins {
  private constructor(
    private readonly minimum: number,
    private readonly scale: number
  ) {}

  /** Bins over the range, or null where sorting is better (few values, one value) or the bins cannot be computed. */
  static over(range: ValueRange): Bins | null {
    const scale = BINS / (range.maximum - range.minimum);
    return range.count <= SORTED || range.minimum === range.maximum || !Number.isFinite(scale) || scale === 0
      ? null
      : new Bins(range.minimum, scale);
  }

  /** Values per bin among values[start, end). */
  count(values: Float64Array, start: number, end: number): Int32Array {
    const { minimum, scale } = this;
    const last = BINS - 1;
    const counts = new Int32Array(BINS);
    for (let i = start; i < end; i++) {
      const value = values[i];
      if (value === value) {
        counts[Math.min(last, Math.floor((value - minimum) * scale))]++;
      }
    }
    return counts;
  }

  /** The order statistics of values[start, end), counted per bin in `counts`. */
  statistics(values: Float64Array, start: number, end: number, counts: Int32Array, ranks: number[]): number[] {
    const gathering = new Gathering(counts, ranks);
    this.gather(values, start, end, gathering);
    return gathering.statistics();
  }

  /** Gathers values[start, end) into each of the gatherings (over these bins). */
  gather(values: Float64Array, start: number, end: number, first: Gathering, second?: Gathering): void {
    const { minimum, scale } = this;
    const last = BINS - 1;
    for (let i = start; i < end; i++) {
      const value = values[i];
      if (value === value) {
        const bin = Math.min(last, Math.floor((value - minimum) * scale));
        first.add(bin, value);
        second?.add(bin, value);
      }
    }
  }
}

/**
 * The search for some order statistics of values counted per bin: the bin of each rank, and the values of those bins,
 * gathered (`add`), among which the search goes on (`statistics`).
 */
class Gathering {
  private readonly binOfRank: Int32Array;
  /** How many values lie in the bins before each rank's. */
  private readonly before: Int32Array;
  private readonly bins: number[];
  private readonly parts: Array<{ values: Float64Array; count: number; minimum: number; maximum: number }>;
  private readonly partOfBin = new Int16Array(BINS).fill(-1);

  constructor(
    counts: Int32Array,
    private readonly ranks: number[]
  ) {
    this.binOfRank = new Int32Array(ranks.length);
    this.before = new Int32Array(ranks.length);
    for (let bin = 0, passed = 0, next = 0; bin < BINS && next < ranks.length; passed += counts[bin], bin++) {
      for (; next < ranks.length && ranks[next] < passed + counts[bin]; next++) {
        this.binOfRank[next] = bin;
        this.before[next] = passed;
      }
    }
    this.bins = [...new Set(this.binOfRank)];
    this.parts = this.bins.map(bin => ({ values: new Float64Array(counts[bin]), count: 0, minimum: Infinity, maximum: -Infinity }));
    this.bins.forEach((bin, part) => (this.partOfBin[bin] = part));
  }

  add(bin: number, value: number): void {
    const part = this.partOfBin[bin];
    if (part >= 0) {
      const gathered = this.parts[part];
      gathered.values[gathered.count++] = value;
      gathered.minimum = value < gathered.minimum ? value : gathered.minimum;
      gathered.maximum = value > gathered.maximum ? value : gathered.maximum;
    }
  }

  statistics(): number[] {
    const { ranks, binOfRank, before, parts } = this;
    const statistics = new Array<number>(ranks.length);
    this.bins.forEach((bin, part) => {
      const inBin = ranks.flatMap((_, k) => (binOfRank[k] === bin ? [k] : []));
      const within = orderStatistics(parts[part].values, parts[part], inBin.map(k => ranks[k] - before[k]));
      inBin.forEach((k, j) => (statistics[k] = within[j]));
    });
    return statistics;
  }
}

/** The order statistics of values[start, end) by sorting its non-NaN values (or one value, when all are equal). */
function sortedStatistics(values: Float64Array, start: number, end: number, range: ValueRange, ranks: number[]): number[] {
  if (range.minimum === range.maximum) {
    return ranks.map(() => range.minimum);
  }
  const sorted = new Float64Array(range.count);
  for (let i = start, j = 0; i < end; i++) {
    if (values[i] === values[i]) {
      sorted[j++] = values[i];
    }
  }
  sortFloat64(sorted);
  return ranks.map(rank => sorted[rank]);
}
