/**
 * Drift and data quality from aggregates.
 *
 * Numeric features are counted in buckets over M = [m_0 < … < m_K], the union of the reference's Doane edges,
 * deciles and 1000-quantile grid: bucket b = #(m_j ≤ x), so 0 holds x < m_0 and K+1 holds x > m_K; x = last Doane edge
 * (numpy closes the last bin) has its own code K+2. Every Doane bin and decile bin is a union of buckets, so
 * jensen_shannon and psi are the in-memory values exactly. ks and wasserstein need the whole distributions; from
 * the buckets both CDFs are known exactly at every m_j, and:
 * - ks: the statistic is the largest gap at those points (the KS distance of the CDFs drawn linearly between
 *   them); the true D lies in [statistic, statistic + error_bound], where error_bound comes from the largest gap
 *   each bucket's masses allow. The p-value is the engine's (scipy's) for the statistic, so it is an upper bound
 *   of the p-value of the true D.
 * - wasserstein: W1 of the CDFs drawn linearly inside each bucket (the current's outer buckets span its min and
 *   max); |W1 − value| ≤ error_bound = ¾ · Σ_b width_b · (p_ref,b + p_cur,b).
 * Categorical features are exact: counts per value give jensen_shannon, psi and chi2 as the in-memory analysis.
 */
import type { CurrentCategoryCounts, PreparedCategoricalReference } from '../drift/categories.js';
import { chi2Test } from '../drift/chi2.js';
import { categoricalJensenShannonOfCounts, jensenShannonDistance } from '../drift/jensen-shannon.js';
import { categoricalPsi, psiOfCounts } from '../drift/psi.js';
import { ksTest } from '../drift/ks.js';
import { wassersteinResult } from '../drift/wasserstein.js';
import { InputError, type DataQuality, type DriftMethods, type FeatureType } from '../types.js';
import type { Aggregates, GroupRow, NumericFeatureAggregates, PeriodAggregates } from './format.js';

const UNSEEN_LISTED = 50;

/** A feature's aggregates read into counts, shared by drift, data quality and root causes. */
export type FeatureCounts = NumericCounts | CategoricalCounts;

export interface NumericCounts {
  type: 'numeric';
  feature: string;
  spec: NumericFeatureAggregates;
  /** Count per bucket (K+3 of them) and of missing values, per period. */
  buckets: { reference: Float64Array; current: Float64Array };
  missing: { reference: number; current: number };
  /** Doane bin of each bucket (the outside bin is the last one), decile bin of each bucket. */
  doaneOf: Int32Array;
  decileOf: Int32Array;
  /** Count per Doane bin, the outside bin last, per period. */
  doane: { reference: Float64Array; current: Float64Array };
  /** Observed range of each period. */
  range: { reference: [number, number] | null; current: [number, number] | null };
}

export interface CategoricalCounts {
  type: 'categorical';
  feature: string;
  /** Count per value (text), per period. */
  values: { reference: Map<string, number>; current: Map<string, number> };
  missing: { reference: number; current: number };
  /** The reference's categories, most frequent first. */
  prepared: PreparedCategoricalReference;
}

export function featureCounts(aggregates: Aggregates, feature: string): FeatureCounts {
  const spec = aggregates.features[feature];
  const rows = (period: PeriodAggregates): GroupRow[] => period.features[feature].bins;
  if (spec.type === 'categorical') {
    const values = { reference: new Map<string, number>(), current: new Map<string, number>() };
    const missing = { reference: 0, current: 0 };
    for (const period of ['reference', 'current'] as const) {
      for (const row of rows(aggregates[period])) {
        const value = row[1];
        const count = row[2] as number;
        if (value === null) {
          missing[period] += count;
        } else {
          const key = String(value);
          values[period].set(key, (values[period].get(key) ?? 0) + count);
        }
      }
    }
    return { type: 'categorical', feature, values, missing, prepared: prepareReference(values.reference) };
  }
  const size = spec.edges.length + 2;
  const buckets = { reference: new Float64Array(size), current: new Float64Array(size) };
  const missing = { reference: 0, current: 0 };
  for (const period of ['reference', 'current'] as const) {
    for (const row of rows(aggregates[period])) {
      const bucket = row[1];
      const count = row[2] as number;
      if (bucket === null) {
        missing[period] += count;
      } else if (typeof bucket === 'number' && Number.isInteger(bucket) && bucket >= 0 && bucket < size) {
        buckets[period][bucket] += count;
      } else {
        throw new InputError(`trace payload: aggregates feature "${feature}" has bucket ${JSON.stringify(bucket)}, beyond its ${size} buckets`);
      }
    }
  }
  const range = (period: 'reference' | 'current'): [number, number] | null => {
    const { min, max } = aggregates[period].features[feature];
    return min === null || min === undefined || max === null || max === undefined ? null : [min, max];
  };
  const doaneOf = bucketBins(spec.edges, spec.doane, 'doane');
  return {
    type: 'numeric',
    feature,
    spec,
    buckets,
    missing,
    doaneOf,
    decileOf: bucketBins(spec.edges, spec.deciles, 'deciles'),
    doane: {
      reference: binsOf(buckets.reference, doaneOf, spec.doane.length),
      current: binsOf(buckets.current, doaneOf, spec.doane.length)
    },
    range: { reference: range('reference'), current: range('current') }
  };
}

/**
 * The bin of each bucket. Doane: bins [d_i, d_i+1), the last closed, then the outside bin D; deciles: #(q ≤ x).
 * Bucket b in 1..K starts at m_{b−1}; bucket 0 lies below m_0, K+1 above m_K, K+2 is x = last Doane edge.
 */
function bucketBins(edges: number[], bins: number[], kind: 'doane' | 'deciles'): Int32Array {
  const K = edges.length - 1;
  const of = new Int32Array(K + 3);
  const countAtMost = (x: number): number => bins.filter(edge => edge <= x).length;
  for (let bucket = 0; bucket < K + 3; bucket++) {
    if (kind === 'deciles') {
      of[bucket] = bucket === 0 ? 0 : countAtMost(edges[Math.min(bucket - 1, K)]);
      continue;
    }
    const outside = bins.length - 1;
    const start = edges[bucket - 1];
    if (bucket === K + 2) {
      of[bucket] = bins.length - 2;
    } else if (bucket === 0 || bucket === K + 1 || start < bins[0] || start >= bins[bins.length - 1]) {
      of[bucket] = outside;
    } else {
      of[bucket] = countAtMost(start) - 1;
    }
  }
  return of;
}

/** Counts per bin of `of` (bins 0..binCount−1) from bucket counts. */
export function binsOf(buckets: Float64Array, of: Int32Array, binCount: number): Float64Array {
  const counts = new Float64Array(binCount);
  buckets.forEach((count, bucket) => (counts[of[bucket]] += count));
  return counts;
}

export function featureDrift(counts: FeatureCounts): { type: FeatureType; methods: DriftMethods } {
  return counts.type === 'numeric'
    ? { type: 'numeric', methods: numericMethods(counts) }
    : { type: 'categorical', methods: categoricalMethods(counts) };
}

function numericMethods(counts: NumericCounts): DriftMethods {
  const { spec, buckets } = counts;
  const methods: DriftMethods = {};
  const js = jensenShannonDistance(counts.doane.reference, counts.doane.current);
  if (js !== null) {
    methods.jensen_shannon = { value: js };
  }
  const referenceSize = sum(buckets.reference);
  const currentSize = sum(buckets.current);
  if (referenceSize === 0 || currentSize === 0) {
    return methods;
  }
  const decileBins = spec.deciles.length + 1;
  methods.psi = {
    value: psiOfCounts(binsOf(buckets.reference, counts.decileOf, decileBins), referenceSize, binsOf(buckets.current, counts.decileOf, decileBins), currentSize)
  };
  const cdfs = { reference: cumulative(buckets.reference, referenceSize), current: cumulative(buckets.current, currentSize) };
  const ks = ksOfBuckets(cdfs);
  methods.ks = { ...ksTest(ks.statistic, referenceSize, currentSize), error_bound: ks.bound };
  const wasserstein = wassersteinOfBuckets(counts, cdfs);
  const result = wassersteinResult(wasserstein.value, spec.std ?? 0);
  if (result) {
    methods.wasserstein = { ...result, error_bound: wasserstein.bound };
  }
  return methods;
}

/** A period's CDF at the edges: its shares below each m_j (j = 0..K), and at m_K itself. */
interface EdgeCdf {
  below: Float64Array;
  atLast: number;
}

function cumulative(buckets: Float64Array, size: number): EdgeCdf {
  const last = buckets.length - 3;
  const below = new Float64Array(last + 1);
  let running = 0;
  for (let j = 0; j <= last; j++) {
    running += buckets[j];
    below[j] = running / size;
  }
  return { below, atLast: (running + buckets[last + 2]) / size };
}

function ksOfBuckets({ reference, current }: Record<'reference' | 'current', EdgeCdf>): { statistic: number; bound: number } {
  let lower = Math.abs(reference.atLast - current.atLast);
  let upper = Math.max(lower, current.below[0], reference.below[0]);
  for (let j = 0; j < reference.below.length; j++) {
    lower = Math.max(lower, Math.abs(reference.below[j] - current.below[j]));
    if (j > 0) {
      upper = Math.max(upper, reference.below[j] - current.below[j - 1], current.below[j] - reference.below[j - 1]);
    }
  }
  upper = Math.max(upper, 1 - Math.min(reference.atLast, current.atLast));
  return { statistic: lower, bound: Math.max(0, upper - lower) };
}

/** W1 of the linearly drawn CDFs, and the bound of its error. */
function wassersteinOfBuckets(counts: NumericCounts, { reference, current }: Record<'reference' | 'current', EdgeCdf>): { value: number; bound: number } {
  const edges = counts.spec.edges;
  const last = edges.length - 1;
  const low = Math.min(edges[0], counts.range.current?.[0] ?? edges[0], counts.range.reference?.[0] ?? edges[0]);
  const high = Math.max(edges[last], counts.range.current?.[1] ?? edges[last], counts.range.reference?.[1] ?? edges[last]);
  // knots: x, and each CDF's value there (left limits at the edges)
  const xs = [low, ...edges, high];
  const referenceAt = [0, ...reference.below, 1];
  const currentAt = [0, ...current.below, 1];
  let value = 0;
  let bound = 0;
  for (let k = 1; k < xs.length; k++) {
    const width = xs[k] - xs[k - 1];
    if (width <= 0) {
      continue;
    }
    // the last interval starts after the jump at m_K
    const startReference = k === xs.length - 1 ? reference.atLast : referenceAt[k - 1];
    const startCurrent = k === xs.length - 1 ? current.atLast : currentAt[k - 1];
    const a = startReference - startCurrent;
    const b = referenceAt[k] - currentAt[k];
    value += width * (a * b >= 0 ? (Math.abs(a) + Math.abs(b)) / 2 : (a * a + b * b) / (2 * (Math.abs(a) + Math.abs(b))));
    // a CDF strays from its straight line by at most its mass times max(t, 1 − t) at position t: 3/4 of the mass
    // over the bucket
    bound += 0.75 * width * (referenceAt[k] - startReference + (currentAt[k] - startCurrent));
  }
  return { value, bound };
}

function categoricalMethods(counts: CategoricalCounts): DriftMethods {
  const { prepared, current } = categoryCounts(counts);
  const methods: DriftMethods = {};
  const js = categoricalJensenShannonOfCounts(prepared, current);
  if (js !== null) {
    methods.jensen_shannon = { value: js };
  }
  const psi = categoricalPsi(prepared, current);
  if (psi !== null) {
    methods.psi = { value: psi };
  }
  const chi2 = chi2Test(prepared, current);
  if (chi2) {
    methods.chi2 = chi2;
  }
  return methods;
}

/** Most frequent first, ties by value. */
const byCount = (a: [string, number], b: [string, number]): number => b[1] - a[1] || (a[0] < b[0] ? -1 : 1);

/** The reference's categories, most frequent first. */
function prepareReference(values: Map<string, number>): PreparedCategoricalReference {
  const categories = [...values.entries()].sort(byCount);
  return {
    categories: categories.map(([value]) => value),
    positionOf: new Map(categories.map(([value], position) => [value, position])),
    counts: Float64Array.from(categories, ([, count]) => count),
    size: categories.reduce((total, [, count]) => total + count, 0)
  };
}

/** The reference's categories and a period's counts against them. */
export function categoryCounts(
  counts: CategoricalCounts,
  values: Map<string, number> = counts.values.current
): { prepared: PreparedCategoricalReference; current: CurrentCategoryCounts } {
  const { prepared } = counts;
  const current: CurrentCategoryCounts = { counts: new Float64Array(prepared.categories.length), unseenCategories: [], unseenCounts: [], size: 0 };
  for (const [value, count] of [...values.entries()].sort(byCount)) {
    const position = prepared.positionOf.get(value);
    if (position === undefined) {
      current.unseenCategories.push(value);
      current.unseenCounts.push(count);
    } else {
      current.counts[position] = count;
    }
    current.size += count;
  }
  return { prepared, current };
}

/** Jensen-Shannon distance of each chunk of a period from the whole reference. */
export function chunkJensenShannon(counts: FeatureCounts, period: PeriodAggregates): Array<number | null> {
  const rows = period.features[counts.feature].chunks;
  return period.chunks.map((_, chunk) => {
    const mine = rows.filter(row => row[0] === chunk && row[1] !== null);
    if (counts.type === 'categorical') {
      const values = new Map<string, number>();
      mine.forEach(row => values.set(String(row[1]), (values.get(String(row[1])) ?? 0) + (row[2] as number)));
      const { prepared, current } = categoryCounts(counts, values);
      return categoricalJensenShannonOfCounts(prepared, current);
    }
    const bins = counts.spec.doane.length;
    const current = new Float64Array(bins);
    mine.forEach(row => {
      const bin = row[1] as number;
      if (Number.isInteger(bin) && bin >= 0 && bin < bins) {
        current[bin] += row[2] as number;
      }
    });
    return jensenShannonDistance(counts.doane.reference, current);
  });
}

export function dataQuality(aggregates: Aggregates, counts: FeatureCounts): DataQuality {
  const share = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);
  const quality: DataQuality = {
    feature: counts.feature,
    missing: {
      reference: share(counts.missing.reference, aggregates.reference.rows),
      current: share(counts.missing.current, aggregates.current.rows)
    },
    unseen: [],
    unseen_count: 0,
    out_of_range: 0,
    type_mismatches: { reference: 0, current: 0 }
  };
  if (counts.type === 'categorical') {
    const { current } = categoryCounts(counts);
    quality.unseen = current.unseenCategories.slice(0, UNSEEN_LISTED);
    quality.unseen_count = current.unseenCategories.length;
  } else {
    const outside = outOfRangeBuckets(counts);
    const size = sum(counts.buckets.current);
    quality.out_of_range = share(outside.reduce((total, bucket) => total + counts.buckets.current[bucket], 0), size);
  }
  return quality;
}

/** Buckets whose values lie outside the reference's observed [min, max]. */
export function outOfRangeBuckets(counts: NumericCounts): number[] {
  const range = counts.range.reference;
  const edges = counts.spec.edges;
  if (!range) {
    return [];
  }
  const last = edges.length - 1;
  const outside: number[] = [];
  for (let bucket = 0; bucket < edges.length + 2; bucket++) {
    const below = bucket === 0 || (bucket <= last && edges[bucket] <= range[0]);
    const above = bucket === last + 1 || (bucket === last + 2 ? edges[last] > range[1] : bucket >= 1 && bucket <= last && edges[bucket - 1] > range[1]);
    if (below || above) {
      outside.push(bucket);
    }
  }
  return outside;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const value of values) {
    total += value;
  }
  return total;
}
