/**
 * Root causes from aggregates (shared DESIGN section 6), with the engine's own degradation test, scores and words
 * (root-causes/degradation.ts, rank.ts, summary.ts) applied to counts instead of rows:
 * - slices: every conjunction of up to three values of the cube columns (slice columns and model_version), from the
 *   cube's groups; a slice on model_version alone is a `model_change`;
 * - feature drift: for a drifted feature, the contiguous run of its root-cause bins (below the reference range, the
 *   decile bins, above it) or the categories whose share grew and whose rows carry extra errors;
 * - data quality: missing values, unseen categories, and values outside the reference range of a feature that did
 *   not drift.
 * Ranking is rank.ts's greedy choice: each candidate is judged on the rows no taken cause holds. A cause is a
 * predicate over groups ("atoms"): the cube's groups, or a feature's cross (its bins by the cube's groups), where
 * slices and that feature's causes meet exactly. A feature's cause taken earlier is seen by the slices (judged in its
 * cross) and by that feature's other causes; causes of two different features cannot see each other (no group holds
 * both), which the docs state.
 */
import { degradationOf, MIN_Z, primaryMetricOf } from '../root-causes/degradation.js';
import type { Condition } from '../root-causes/candidate.js';
import { rangeLabel, readable } from '../root-causes/coding.js';
import { bestRun, grew } from '../root-causes/feature-drift.js';
import { rootCauseOf } from '../root-causes/index.js';
import { explanationOf, MAX_CAUSES, MIN_SHARE, NARROWER_SHARE, type Explanation, type RankContext } from '../root-causes/rank.js';
import type { ErrorStatistics } from '../root-causes/row-sets.js';
import { defaultMinSupport, SLICELINE_MAX_LEVEL } from '../root-causes/sliceline.js';
import type { DescribedCause } from '../root-causes/summary.js';
import type { Alert, FeatureDrift, MetricValues, Roles, RootCause, RootCauseKind, Threshold } from '../types.js';
import { outOfRangeBuckets, type FeatureCounts, type NumericCounts } from './drift.js';
import { CELL, type Aggregates, type GroupRow } from './format.js';

const INSIDE_SHARE = 0.9;

type Periods<T> = { reference: T; current: T };

interface AggregatedCandidate {
  kind: RootCauseKind;
  feature?: string;
  where: Array<{ column: string; condition: Condition }>;
  whole: Periods<ErrorStatistics>;
  /** Which groups it holds: values of cube columns (by position), and bins of one feature. */
  predicate: Predicate;
}

interface Predicate {
  slice: Map<number, string | null>;
  bins?: { feature: string; bins: Set<string | number | null> };
}

/** Groups of one kind (the cube, or a feature's cross) with their error statistics. */
interface AtomSpace {
  feature: string | null;
  rows: Periods<GroupRow[]>;
  errors: Periods<ErrorStatistics[]>;
  /** Where cube column c and the feature's bin are in a row. */
  sliceAt: number;
  binAt: number;
}

export interface RootCauseContext {
  aggregates: Aggregates;
  roles: Roles;
  primaryMetric?: string;
  metrics: { reference: MetricValues; current: MetricValues };
  thresholds: Record<string, Threshold>;
  alerts: Alert[];
  drift: FeatureDrift[];
  features: FeatureCounts[];
  /** One chunk per period: a significant drop of the whole period is the degradation. */
  unchunked?: boolean;
}

/** Ranked causes, or a reason none can be computed from these aggregates. */
export function aggregatedRootCauses(input: RootCauseContext): { causes: RootCause[]; warning?: string } {
  const { aggregates } = input;
  const metric = primaryMetricOf(aggregates.task, input.primaryMetric);
  if (metric.error === 'squared') {
    return { causes: [], warning: 'root causes of an rmse rise need per-row squared errors; pushdown aggregates carry mae sums only' };
  }
  const errorOf = groupErrors(aggregates);
  const reference = totals(aggregates.reference.cells, errorOf);
  const current = totals(aggregates.current.cells, errorOf);
  if (reference.rows === 0 || current.rows === 0) {
    return { causes: [] };
  }
  const summary = (statistics: ErrorStatistics) => ({
    rows: statistics.rows,
    mean: statistics.sum / statistics.rows,
    variance: Math.max(0, statistics.sumOfSquares / statistics.rows - (statistics.sum / statistics.rows) ** 2)
  });
  const degradation = degradationOf({
    metric,
    metrics: input.metrics,
    threshold: input.thresholds[metric.name],
    alerts: input.alerts,
    reference: summary(reference),
    current: summary(current),
    unchunked: input.unchunked,
    chunkError: alerting => {
      const parts = { alerting: zero(), other: zero() };
      for (const row of aggregates.current.cells) {
        add(parts[alerting.has(row[0] as number) ? 'alerting' : 'other'], errorOf(row, 1, 2));
      }
      const mean = (part: ErrorStatistics): number | null => (part.rows > 0 ? part.sum / part.rows : null);
      return { alerting: mean(parts.alerting), other: mean(parts.other) };
    }
  });
  if (!degradation) {
    return { causes: [] };
  }
  const context: RankContext = {
    reference: { errors: new Float64Array(0), rows: reference.rows, mean: reference.sum / reference.rows },
    current: { errors: new Float64Array(0), rows: current.rows, mean: current.sum / current.rows }
  };
  // the groups causes are judged on: the cube, and each feature's cross with it
  const space = (feature: string | null, rows: Periods<GroupRow[]>, sliceAt: number): AtomSpace => ({
    feature,
    rows,
    errors: { reference: rows.reference.map(row => errorOf(row, 0, sliceAt + aggregates.slices.length)), current: rows.current.map(row => errorOf(row, 0, sliceAt + aggregates.slices.length)) },
    sliceAt,
    binAt: 1
  });
  const cube = aggregates.slices.length > 0 ? space(null, { reference: aggregates.reference.cube, current: aggregates.current.cube }, 1) : null;
  const crosses = new Map<string, AtomSpace>();
  for (const feature of Object.keys(aggregates.current.crosses)) {
    const rows = { reference: aggregates.reference.crosses[feature] ?? [], current: aggregates.current.crosses[feature] };
    crosses.set(feature, space(feature, rows, 2));
  }
  const candidates = [
    ...(cube ? sliceCandidates(aggregates, input.roles, cube, current.rows) : []),
    ...featureCandidates(input, errorOf, context, crosses)
  ];
  const labelColumn = input.roles.label ?? 'label';
  const causes = rank(candidates, context, cube, crosses).map((cause, index) => rootCauseOf(cause, index + 1, metric, context, labelColumn));
  return { causes };
}

/** Error statistics of a group row whose cell is at `cellAt` and count at `countAt`. */
type ErrorOf = (row: GroupRow, cellAt: number, countAt: number) => ErrorStatistics;

/** Misclassified rows of a binary group, or its Σ|e| and Σe² (regression). */
function groupErrors(aggregates: Aggregates): ErrorOf {
  if (aggregates.task === 'regression') {
    return (row, _cellAt, countAt) => ({ rows: row[countAt] as number, sum: row[countAt + 1] as number, sumOfSquares: row[countAt + 2] as number });
  }
  return (row, cellAt, countAt) => {
    const rows = row[countAt] as number;
    const wrong = row[cellAt] === CELL.fp || row[cellAt] === CELL.fn;
    return { rows, sum: wrong ? rows : 0, sumOfSquares: wrong ? rows : 0 };
  };
}

function zero(): ErrorStatistics {
  return { rows: 0, sum: 0, sumOfSquares: 0 };
}

function add(total: ErrorStatistics, part: ErrorStatistics): void {
  total.rows += part.rows;
  total.sum += part.sum;
  total.sumOfSquares += part.sumOfSquares;
}

/** Error statistics of a period's `cells` rows ([chunk, cell, count, ...sums]). */
function totals(rows: GroupRow[], errorOf: ErrorOf): ErrorStatistics {
  const total = zero();
  rows.forEach(row => add(total, errorOf(row, 1, 2)));
  return total;
}

/** Conjunctions of up to three cube values with at least the search's minimum support. */
function sliceCandidates(aggregates: Aggregates, roles: Roles, cube: AtomSpace, currentRows: number): AggregatedCandidate[] {
  const columns = aggregates.slices;
  const subsets: number[][] = [];
  const grow = (start: number, chosen: number[]): void => {
    for (let c = start; c < columns.length; c++) {
      const next = [...chosen, c];
      subsets.push(next);
      if (next.length < SLICELINE_MAX_LEVEL) {
        grow(c + 1, next);
      }
    }
  };
  grow(0, []);
  const found = new Map<string, AggregatedCandidate>();
  for (const period of ['reference', 'current'] as const) {
    cube.rows[period].forEach((row, index) => {
      for (const subset of subsets) {
        const values = subset.map(c => (row[c + 1] === null ? null : String(row[c + 1])));
        const key = JSON.stringify([subset, values]);
        let candidate = found.get(key);
        if (!candidate) {
          const where = subset.map((c, k) => ({ column: columns[c], condition: valueCondition(values[k]) }));
          const kind = subset.length === 1 && columns[subset[0]] === roles.model_version ? 'model_change' : 'slice';
          const predicate = { slice: new Map(subset.map((c, k) => [c, values[k]])) };
          candidate = { kind, where, whole: { reference: zero(), current: zero() }, predicate };
          found.set(key, candidate);
        }
        add(candidate.whole[period], cube.errors[period][index]);
      }
    });
  }
  const support = defaultMinSupport(currentRows);
  return [...found.values()].filter(candidate => candidate.whole.current.rows >= support);
}

function valueCondition(value: string | null): Condition {
  return value === null
    ? { test: 'missing', label: '(missing)', inReference: true }
    : { test: 'equals', value, label: value, inReference: true };
}

/** A feature's root-cause bins with their error statistics per period, from its cross or, without one, its buckets. */
interface FeatureBins {
  counts: FeatureCounts;
  /** Bins in value order (numeric: below, decile bins, above), then the missing bin (null). */
  order: Array<string | number | null>;
  statistics: Periods<Map<string | number | null, ErrorStatistics>>;
}

function featureBins(input: RootCauseContext, counts: FeatureCounts, errorOf: ErrorOf, cross: AtomSpace | undefined): FeatureBins {
  const statistics: FeatureBins['statistics'] = { reference: new Map(), current: new Map() };
  const put = (period: 'reference' | 'current', bin: string | number | null, part: ErrorStatistics): void => {
    const total = statistics[period].get(bin) ?? zero();
    add(total, part);
    statistics[period].set(bin, total);
  };
  const binOfBucket = counts.type === 'numeric' ? causeBinOfBucket(counts) : null;
  for (const period of ['reference', 'current'] as const) {
    if (cross) {
      cross.rows[period].forEach((row, index) => put(period, binKey(row[1]), cross.errors[period][index]));
    } else {
      for (const row of input.aggregates[period].features[counts.feature].bins) {
        const bucket = row[1];
        put(period, binOfBucket && typeof bucket === 'number' ? binOfBucket[bucket] : binKey(bucket), errorOf(row, 0, 2));
      }
    }
  }
  const order: FeatureBins['order'] =
    counts.type === 'numeric'
      ? [...Array.from({ length: counts.spec.deciles.length + 3 }, (_, bin) => bin), null]
      : [...new Set([...statistics.reference.keys(), ...statistics.current.keys()])];
  return { counts, order, statistics };
}

function binKey(value: GroupRow[number]): string | number | null {
  return value === null ? null : typeof value === 'number' ? value : String(value);
}

/** The root-cause bin of each bucket: 0 below the reference range, 1 + #(deciles ≤ start) inside, deciles + 2 above. */
function causeBinOfBucket(counts: NumericCounts): number[] {
  const outside = outOfRangeBuckets(counts);
  const edges = counts.spec.edges;
  const range = counts.range.reference;
  const above = counts.spec.deciles.length + 2;
  return Array.from({ length: edges.length + 2 }, (_, bucket) => {
    if (outside.includes(bucket)) {
      return bucket === 0 || (range !== null && bucket < edges.length && edges[bucket] <= range[0]) ? 0 : above;
    }
    return 1 + counts.decileOf[bucket];
  });
}

/** Feature drift and data quality candidates of each feature. */
function featureCandidates(input: RootCauseContext, errorOf: ErrorOf, context: RankContext, crosses: Map<string, AtomSpace>): AggregatedCandidate[] {
  const drifted = new Set(input.drift.filter(entry => entry.drifted).map(entry => entry.feature));
  const candidates: AggregatedCandidate[] = [];
  for (const counts of input.features) {
    const feature = counts.feature;
    const bins = featureBins(input, counts, errorOf, crosses.get(feature));
    const whole = (keys: Array<string | number | null>): Periods<ErrorStatistics> => {
      const result = { reference: zero(), current: zero() };
      for (const period of ['reference', 'current'] as const) {
        keys.forEach(key => {
          const statistics = bins.statistics[period].get(key);
          if (statistics) {
            add(result[period], statistics);
          }
        });
      }
      return result;
    };
    const candidate = (kind: RootCauseKind, keys: Array<string | number | null>, condition: Condition): void => {
      candidates.push({
        kind,
        feature,
        where: [{ column: feature, condition }],
        whole: whole(keys),
        predicate: { slice: new Map(), bins: { feature, bins: new Set(keys) } }
      });
    };
    if (counts.missing.current > 0) {
      candidate('data_quality', [null], { test: 'missing', label: '(missing)', inReference: counts.missing.reference > 0 });
    }
    if (counts.type === 'categorical') {
      const unseen = [...counts.values.current.keys()].filter(value => !counts.values.reference.has(value));
      if (unseen.length > 0) {
        candidate('data_quality', unseen, { test: 'unseen', label: '(unseen in reference)' });
      }
      if (drifted.has(feature)) {
        const moved = [...counts.values.current.keys()].filter(value => movedExtra(whole([value]), context) > 0);
        if (moved.length > 0) {
          candidate('feature_drift', moved, { test: 'in', values: moved, label: moved.join(', ') });
        }
      }
      continue;
    }
    const range = counts.range.reference;
    const above = counts.spec.deciles.length + 2;
    if (!drifted.has(feature)) {
      const outside = whole([0, above]);
      if (range && outside.current.rows > 0) {
        const label = `outside [${readable(range[0])}, ${readable(range[1])}]`;
        candidate('data_quality', [0, above], { test: 'out_of_range', minimum: range[0], maximum: range[1], label });
      }
      continue;
    }
    // the contiguous run of bins in value order whose share grew and whose rows carry extra errors
    const ordered = bins.order.filter((bin): bin is number => bin !== null);
    const run = bestRun(ordered.map(bin => movedExtra(whole([bin]), context)));
    if (run.length === 0 || !range) {
      continue;
    }
    const chosen = run.map(position => ordered[position]);
    const stops = [range[0], ...counts.spec.deciles, range[1]];
    const first = chosen[0];
    const last = chosen[chosen.length - 1];
    const bounds = {
      lower: first === 0 ? null : first === above ? range[1] : stops[first - 1],
      upper: last === above ? null : last === 0 ? range[0] : stops[last],
      lowerClosed: first !== 0 && first !== above,
      upperClosed: last === above - 1
    };
    candidate('feature_drift', chosen, { test: 'range', ...bounds, label: rangeLabel(bounds), inReference: true });
  }
  return candidates;
}

/** Extra errors of a bin whose share of rows grew beyond noise (0 otherwise). */
function movedExtra(whole: Periods<ErrorStatistics>, context: RankContext): number {
  if (!grew(whole.reference.rows, context.reference.rows, whole.current.rows, context.current.rows)) {
    return 0;
  }
  return Math.max(0, explanationOf(whole.reference, whole.current, context).extraErrors);
}

/** Whether a group of `space` satisfies a predicate; null when the space cannot tell (another feature's bins). */
function holds(predicate: Predicate, space: AtomSpace, row: GroupRow): boolean | null {
  if (predicate.bins && predicate.bins.feature !== space.feature) {
    return null;
  }
  for (const [column, value] of predicate.slice) {
    const cell = row[space.sliceAt + column];
    if ((cell === null ? null : String(cell)) !== value) {
      return false;
    }
  }
  return predicate.bins ? predicate.bins.bins.has(binKey(row[space.binAt])) : true;
}

/**
 * A candidate's error statistics on the groups no taken cause holds, in the space where it meets most of them: its
 * own feature's cross, or for a slice the cross of a taken feature cause (else the cube). Taken causes the space
 * cannot tell are left out.
 */
function untaken(candidate: AggregatedCandidate, taken: AggregatedCandidate[], cube: AtomSpace | null, crosses: Map<string, AtomSpace>): Periods<ErrorStatistics> {
  const feature = candidate.predicate.bins?.feature ?? taken.find(cause => cause.predicate.bins && crosses.has(cause.predicate.bins.feature))?.predicate.bins?.feature;
  const space = (feature !== undefined ? crosses.get(feature) : undefined) ?? (candidate.predicate.bins ? undefined : cube ?? undefined);
  if (!space) {
    return candidate.whole;
  }
  const result = { reference: zero(), current: zero() };
  for (const period of ['reference', 'current'] as const) {
    space.rows[period].forEach((row, index) => {
      if (holds(candidate.predicate, space, row) && !taken.some(cause => holds(cause.predicate, space, row) === true)) {
        add(result[period], space.errors[period][index]);
      }
    });
  }
  return result;
}

/** rank.ts's greedy choice over aggregated candidates. */
function rank(candidates: AggregatedCandidate[], context: RankContext, cube: AtomSpace | null, crosses: Map<string, AtomSpace>): DescribedCause[] {
  const explainOf = (statistics: Periods<ErrorStatistics>): Explanation => explanationOf(statistics.reference, statistics.current, context);
  let pool = candidates
    .map(candidate => ({ candidate, whole: explainOf(candidate.whole), marginal: explainOf(candidate.whole) }))
    .filter(entry => entry.whole.share >= MIN_SHARE && entry.whole.z >= MIN_Z);
  const taken: AggregatedCandidate[] = [];
  const ranked: DescribedCause[] = [];
  while (pool.length > 0 && ranked.length < MAX_CAUSES) {
    let best = pool.reduce((a, b) => (b.marginal.share > a.marginal.share ? b : a));
    if (best.marginal.share < MIN_SHARE || best.marginal.z < MIN_Z) {
      break;
    }
    // a narrower slice (most of whose rows the best one holds) that explains nearly as much
    for (let narrowed = true; narrowed && cube; ) {
      narrowed = false;
      for (const entry of pool) {
        const rows = entry.candidate.whole.current.rows;
        if (entry === best || entry.candidate.predicate.bins || best.candidate.predicate.bins || rows >= best.candidate.whole.current.rows) {
          continue;
        }
        let inside = 0;
        cube.rows.current.forEach((row, index) => {
          if (holds(entry.candidate.predicate, cube, row) && holds(best.candidate.predicate, cube, row)) {
            inside += cube.errors.current[index].rows;
          }
        });
        if (inside >= INSIDE_SHARE * rows && entry.marginal.share >= NARROWER_SHARE * best.marginal.share && entry.marginal.z >= MIN_Z) {
          best = entry;
          narrowed = true;
          break;
        }
      }
    }
    ranked.push({ candidate: best.candidate, explanation: best.marginal, whole: best.whole });
    taken.push(best.candidate);
    pool = pool
      .filter(entry => entry !== best)
      .map(entry => ({ ...entry, marginal: explainOf(untaken(entry.candidate, taken, cube, crosses)) }))
      .filter(entry => entry.marginal.share >= MIN_SHARE);
  }
  return ranked;
}
