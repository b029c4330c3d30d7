/**
 * Reference-vs-current distribution of each feature, on bins shared by both periods:
 * - numeric: the reference's numpy "doane" edges, the very bins of the Jensen-Shannon drift statistic
 *   (drift/histogram.ts), filled with numpy's rules; current values outside the reference range go to a `below`
 *   bucket [current min, reference min) and an `above` bucket (reference max, current max], present only when
 *   non-empty (the drift statistic pools the two into its one extra bucket). Without any reference value the edges
 *   are the current's. NaN and ±Infinity are not binned: they count as `missing`. Where numpy cannot build the
 *   edges (drift/histogram.ts), there are no bins.
 * - categorical: the `topCategories` (default 20) categories with the most rows over both periods (ties by name,
 *   in code-unit order), then one bucket for all other categories; null counts as `missing`.
 * Each period gives counts and proportions (count / values counted).
 */
import { countCurrentCategories, prepareCategoricalReference } from '../drift/categories.js';
import { doaneBinEdges } from '../drift/histogram.js';
import type { PreparedNumericReference } from '../drift/numeric-reference.js';
import { numericSample } from '../drift/numeric-sample.js';
import { numpyMean, numpyStandardDeviation } from '../stats/numpy-reductions.js';
import { binOf, binsPerUnit } from './histogram.js';
import type {
  CategoricalDistribution,
  CategoricalFeatureInput,
  CategoryBucket,
  FeatureDistribution,
  FeatureInput,
  NumericDistribution,
  NumericFeatureInput,
  PeriodCounts
} from './types.js';

export const DEFAULT_TOP_CATEGORIES = 20;
export const OTHER_LABEL = '(other)';

export function featureDistribution(
  feature: FeatureInput,
  topCategories = DEFAULT_TOP_CATEGORIES
): FeatureDistribution {
  return feature.type === 'numeric' ? numericDistribution(feature) : categoricalDistribution(feature, topCategories);
}

// ------------------------------------------------------------------------------------------------------ numeric

export function numericDistribution(feature: NumericFeatureInput): NumericDistribution {
  // the edges: the drift's own, else doane of the finite reference values, else of the current ones
  const prepared = feature.preparedReference?.edges ? feature.preparedReference : null;
  const finiteReference = prepared || !feature.reference ? null : finiteValues(feature.reference);
  const edgesFrom = prepared || (finiteReference && finiteReference.length > 0) ? 'reference' : 'current';
  const edges =
    prepared?.edges ??
    doaneEdges(edgesFrom === 'reference' ? (finiteReference as Float64Array) : finiteValues(feature.current));
  const distribution: NumericDistribution = {
    feature: feature.name,
    type: 'numeric',
    edges_from: edgesFrom,
    bins: [],
    reference: feature.reference ? periodCounts([], feature.reference, 0) : null,
    current: periodCounts([], feature.current, 0)
  };
  if (!edges) {
    return distribution;
  }

  // the bins, then the outside buckets of current values beyond them
  const binCount = edges.length - 1;
  for (let i = 0; i < binCount; i++) {
    distribution.bins.push({ kind: 'bin', start: edges[i], end: edges[i + 1] });
  }
  const current = countInBins(feature.current, edges);
  const reference = prepared ? countsFromShares(prepared) : feature.reference && countInBins(feature.reference, edges);
  const currentRow = Array.from(current.inside);
  const referenceRow = reference ? Array.from(reference.inside) : null;
  if (current.below > 0) {
    distribution.bins.unshift({ kind: 'below', start: current.minimum, end: edges[0] });
    currentRow.unshift(current.below);
    referenceRow?.unshift(0);
  }
  if (current.above > 0) {
    distribution.bins.push({ kind: 'above', start: edges[binCount], end: current.maximum });
    currentRow.push(current.above);
    referenceRow?.push(0);
  }
  if (feature.reference && reference && referenceRow) {
    distribution.reference = periodCounts(referenceRow, feature.reference, reference.counted);
  }
  distribution.current = periodCounts(currentRow, feature.current, current.counted);
  return distribution;
}

/** numpy's doane edges of finite values; null where numpy raises or there is no value. */
function doaneEdges(values: Float64Array): Float64Array | null {
  const sample = numericSample(values);
  const mean = numpyMean(sample.values);
  return doaneBinEdges(sample, mean, numpyStandardDeviation(sample.values, mean));
}

function finiteValues(values: Float64Array): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      count++;
    }
  }
  if (count === values.length) {
    return values;
  }
  const finite = new Float64Array(count);
  for (let i = 0, j = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      finite[j++] = values[i];
    }
  }
  return finite;
}

interface BinnedValues {
  inside: Float64Array;
  below: number;
  above: number;
  /** Smallest value below and largest value above the edges. */
  minimum: number;
  maximum: number;
  /** Finite values. */
  counted: number;
}

/** One pass: numpy's bins for values within the edges, counts and extremes beyond them; NaN and ±Infinity skipped. */
function countInBins(values: Float64Array, edges: Float64Array): BinnedValues {
  const inside = new Float64Array(edges.length - 1);
  const first = edges[0];
  const last = edges[edges.length - 1];
  const scale = binsPerUnit(edges);
  let below = 0;
  let above = 0;
  let minimum = Infinity;
  let maximum = -Infinity;
  let counted = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) {
      continue;
    }
    counted++;
    if (x < first) {
      below++;
      minimum = Math.min(minimum, x);
    } else if (x > last) {
      above++;
      maximum = Math.max(maximum, x);
    } else {
      inside[binOf(edges, x, scale)]++;
    }
  }
  return { inside, below, above, minimum, maximum, counted };
}

/** The reference's counts from the drift's shares (share × values, whole numbers again after rounding). */
function countsFromShares(prepared: PreparedNumericReference): BinnedValues {
  const counted = prepared.sample.values.length;
  const binCount = (prepared.edges as Float64Array).length - 1;
  const inside = Float64Array.from({ length: binCount }, (_, bin) =>
    Math.round((prepared.binShares as Float64Array)[bin] * counted)
  );
  return { inside, below: 0, above: 0, minimum: Infinity, maximum: -Infinity, counted };
}

// -------------------------------------------------------------------------------------------------- categorical

export function categoricalDistribution(
  feature: CategoricalFeatureInput,
  topCategories: number
): CategoricalDistribution {
  // counts of the reference's categories in both periods, then of the categories only the current has
  const reference = feature.reference
    ? (feature.preparedReference ?? prepareCategoricalReference(feature.reference))
    : prepareCategoricalReference([]);
  const current = countCurrentCategories(reference, feature.current);
  const categoryNames = [...reference.categories, ...current.unseenCategories];
  const referenceCounts = [...reference.counts, ...current.unseenCategories.map(() => 0)];
  const currentCounts = [...current.counts, ...current.unseenCounts];

  // rank by rows over both periods; the rest share one bucket
  const ranked = categoryNames
    .map((name, position) => ({ name, position, rows: referenceCounts[position] + currentCounts[position] }))
    .sort((a, b) => b.rows - a.rows || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const shown = ranked.slice(0, topCategories);
  const categories: CategoryBucket[] = shown.map(({ name }) => ({ label: name, kind: 'category' }));
  const hasOther = ranked.length > shown.length;
  if (hasOther) {
    categories.push({ label: uniqueLabel(OTHER_LABEL, new Set(shown.map(({ name }) => name))), kind: 'other' });
  }
  const row = (counts: number[], total: number): number[] => {
    const values = shown.map(({ position }) => counts[position]);
    if (hasOther) {
      values.push(total - values.reduce((sum, count) => sum + count, 0));
    }
    return values;
  };
  return {
    feature: feature.name,
    type: 'categorical',
    categories,
    reference: feature.reference
      ? periodCounts(row(referenceCounts, reference.size), feature.reference, reference.size)
      : null,
    current: periodCounts(row(currentCounts, current.size), feature.current, current.size)
  };
}

/** `base`, or `base` with a number before its closing parenthesis, whichever is not taken. */
export function uniqueLabel(base: string, taken: Set<string>): string {
  let label = base;
  for (let k = 2; taken.has(label); k++) {
    label = `${base.slice(0, -1)} ${k})`;
  }
  return label;
}

// ------------------------------------------------------------------------------------------------------ shared

function periodCounts(counts: number[], values: ArrayLike<unknown>, total: number): PeriodCounts {
  return {
    counts,
    proportions: counts.map(count => (total > 0 ? count / total : 0)),
    total,
    missing: values.length - total
  };
}
