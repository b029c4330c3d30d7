/**
 * Root causes from aggregates (shared DESIGN section 6), with the engine's own degradation test, scores and words
 * (root-causes/degradation.ts, rank.ts, summary.ts) applied to counts instead of rows:
 * - slices: every conjunction of up to three values of the cube columns (slice columns and model_version), exact
 *   from the cube's groups; a slice on model_version alone is a `model_change`;
 * - feature drift: for a drifted feature, the contiguous run of bins (reference deciles within its range, below
 *   and above it) or the categories whose share grew and whose rows carry extra errors;
 * - data quality: missing values, unseen categories, and values outside the reference range of a feature that did
 *   not drift.
 * Ranking is rank.ts's greedy choice. Slices are judged on the rows no taken slice holds (the cube tells which);
 * feature and data-quality causes come from other groups, so their overlap with slices is not known and each
 * keeps the share it explains on its own rows.
 */
import { degradationOf, MIN_Z, primaryMetricOf } from '../root-causes/degradation.js';
import type { Condition } from '../root-causes/candidate.js';
import { rangeLabel, readable } from '../root-causes/coding.js';
import { grew } from '../root-causes/feature-drift.js';
import { explanationOf, MAX_CAUSES, MIN_SHARE, NARROWER_SHARE, type Explanation, type RankContext } from '../root-causes/rank.js';
import type { ErrorStatistics } from '../root-causes/row-sets.js';
import { defaultMinSupport, SLICELINE_MAX_LEVEL } from '../root-causes/sliceline.js';
import { evidenceOf, summaryOf, type DescribedCause } from '../root-causes/summary.js';
import type { Alert, FeatureDrift, MetricValues, Roles, RootCause, RootCauseKind, Threshold } from '../types.js';
import type { FeatureCounts } from './drift.js';
import { outOfRangeBuckets } from './drift.js';
import { CELL, type Aggregates, type GroupRow } from './format.js';

const INSIDE_SHARE = 0.9;

type Periods<T> = { reference: T; current: T };

interface AggregatedCandidate {
  kind: RootCauseKind;
  feature?: string;
  where: Array<{ column: string; condition: Condition }>;
  whole: Periods<ErrorStatistics>;
  /** Cube groups (indexes into each period's cube) of a slice. */
  groups?: Periods<number[]>;
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
  const candidates = [
    ...sliceCandidates(aggregates, input.roles, errorOf, current.rows),
    ...featureCandidates(input, errorOf, context)
  ];
  const labelColumn = input.roles.label ?? 'label';
  const cubeErrors = {
    reference: aggregates.reference.cube.map(row => errorOf(row, 0, aggregates.slices.length + 1)),
    current: aggregates.current.cube.map(row => errorOf(row, 0, aggregates.slices.length + 1))
  };
  const causes = rank(candidates, context, cubeErrors).map((cause, index): RootCause => {
    const evidence = evidenceOf(cause, context);
    const slice = Object.fromEntries(cause.candidate.where.map(({ column, condition }) => [column, sliceValue(condition)]));
    return {
      rank: index + 1,
      kind: cause.candidate.kind,
      ...(cause.candidate.feature !== undefined ? { feature: cause.candidate.feature } : {}),
      slice,
      metric: metric.name,
      score: cause.explanation.share,
      summary: summaryOf(cause, evidence, metric, labelColumn),
      evidence
    };
  });
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

function sliceValue(condition: Condition): string | number | boolean | null {
  switch (condition.test) {
    case 'equals':
      return condition.value;
    case 'missing':
      return null;
    default:
      return condition.label;
  }
}

/** Conjunctions of up to three cube values with at least the search's minimum support. */
function sliceCandidates(aggregates: Aggregates, roles: Roles, errorOf: ErrorOf, currentRows: number): AggregatedCandidate[] {
  const columns = aggregates.slices;
  if (columns.length === 0) {
    return [];
  }
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
    aggregates[period].cube.forEach((row, index) => {
      const statistics = errorOf(row, 0, columns.length + 1);
      for (const subset of subsets) {
        const values = subset.map(c => row[c + 1]);
        const key = JSON.stringify([subset, values]);
        let candidate = found.get(key);
        if (!candidate) {
          const where = subset.map((c, k) => ({ column: columns[c], condition: valueCondition(values[k]) }));
          const kind = subset.length === 1 && columns[subset[0]] === roles.model_version ? 'model_change' : 'slice';
          candidate = { kind, where, whole: { reference: zero(), current: zero() }, groups: { reference: [], current: [] } };
          found.set(key, candidate);
        }
        add(candidate.whole[period], statistics);
        candidate.groups?.[period].push(index);
      }
    });
  }
  const support = defaultMinSupport(currentRows);
  return [...found.values()].filter(candidate => candidate.whole.current.rows >= support);
}

function valueCondition(value: GroupRow[number]): Condition {
  return value === null
    ? { test: 'missing', label: '(missing)', inReference: true }
    : { test: 'equals', value: String(value), label: String(value), inReference: true };
}

/** Feature drift and data quality candidates from each feature's groups. */
function featureCandidates(input: RootCauseContext, errorOf: ErrorOf, context: RankContext): AggregatedCandidate[] {
  const drifted = new Set(input.drift.filter(entry => entry.drifted).map(entry => entry.feature));
  const candidates: AggregatedCandidate[] = [];
  for (const counts of input.features) {
    const feature = counts.feature;
    const byKey: Periods<Map<string | number | null, ErrorStatistics>> = { reference: new Map(), current: new Map() };
    for (const period of ['reference', 'current'] as const) {
      for (const row of input.aggregates[period].features[feature].bins) {
        const key = row[1];
        const statistics = byKey[period].get(key) ?? zero();
        add(statistics, errorOf(row, 0, 2));
        byKey[period].set(key, statistics);
      }
    }
    const whole = (keys: Array<string | number | null>): Periods<ErrorStatistics> => {
      const result = { reference: zero(), current: zero() };
      for (const period of ['reference', 'current'] as const) {
        keys.forEach(key => {
          const statistics = byKey[period].get(key);
          if (statistics) {
            add(result[period], statistics);
          }
        });
      }
      return result;
    };
    const candidate = (kind: RootCauseKind, keys: Array<string | number | null>, condition: Condition): void => {
      candidates.push({ kind, feature, where: [{ column: feature, condition }], whole: whole(keys) });
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
    const outside = outOfRangeBuckets(counts);
    const range = counts.range.reference;
    if (!drifted.has(feature)) {
      if (range && outside.some(bucket => counts.buckets.current[bucket] > 0)) {
        candidate('data_quality', outside, {
          test: 'out_of_range',
          minimum: range[0],
          maximum: range[1],
          label: `outside [${readable(range[0])}, ${readable(range[1])}]`
        });
      }
      continue;
    }
    // bins in value order: below the range, the decile bins inside it, above it
    const edges = counts.spec.edges;
    const bins = new Map<number, number[]>();
    const below = (bucket: number): boolean => bucket === 0 || (range !== null && bucket < edges.length && edges[bucket] <= range[0]);
    const order = (bucket: number): number => (outside.includes(bucket) ? (below(bucket) ? -1 : Infinity) : counts.decileOf[bucket]);
    for (let bucket = 0; bucket < edges.length + 2; bucket++) {
      const bin = order(bucket);
      bins.set(bin, [...(bins.get(bin) ?? []), bucket]);
    }
    const ordered = [...bins.entries()].sort((a, b) => a[0] - b[0]);
    const extras = ordered.map(([, buckets]) => movedExtra(whole(buckets), context));
    const run = bestRun(extras);
    if (run.length === 0) {
      continue;
    }
    const buckets = run.flatMap(position => ordered[position][1]);
    const lowerBucket = Math.min(...buckets);
    const upperBucket = Math.max(...buckets);
    const lower = lowerBucket === 0 ? null : edges[Math.min(lowerBucket, edges.length) - 1];
    // bucket K+2 is x = the reference maximum: a run that ends there is closed at it
    const endsAtMaximum = upperBucket === edges.length + 1 && !buckets.includes(edges.length);
    const upper = endsAtMaximum ? edges[edges.length - 1] : upperBucket >= edges.length ? null : edges[upperBucket];
    const bounds = { lower, upper, lowerClosed: lower !== null, upperClosed: endsAtMaximum };
    candidate('feature_drift', buckets, { test: 'range', ...bounds, label: rangeLabel(bounds), inReference: true });
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

/** Positions of the contiguous run of positive values with the largest sum. */
function bestRun(values: number[]): number[] {
  let best: number[] = [];
  let bestSum = 0;
  let run: number[] = [];
  let sum = 0;
  values.forEach((value, position) => {
    if (value > 0) {
      run.push(position);
      sum += value;
      if (sum > bestSum) {
        best = [...run];
        bestSum = sum;
      }
    } else {
      run = [];
      sum = 0;
    }
  });
  return best;
}

/** rank.ts's greedy choice over aggregated candidates. */
function rank(candidates: AggregatedCandidate[], context: RankContext, cubeErrors: Periods<ErrorStatistics[]>): DescribedCause[] {
  const explainOf = (statistics: Periods<ErrorStatistics>): Explanation => explanationOf(statistics.reference, statistics.current, context);
  let pool = candidates
    .map(candidate => ({ candidate, whole: explainOf(candidate.whole), marginal: explainOf(candidate.whole) }))
    .filter(entry => entry.whole.share >= MIN_SHARE && entry.whole.z >= MIN_Z);
  const taken: Periods<Set<number>> = { reference: new Set(), current: new Set() };
  const ranked: DescribedCause[] = [];
  while (pool.length > 0 && ranked.length < MAX_CAUSES) {
    let best = pool.reduce((a, b) => (b.marginal.share > a.marginal.share ? b : a));
    if (best.marginal.share < MIN_SHARE || best.marginal.z < MIN_Z) {
      break;
    }
    // a narrower slice (most of whose rows the best one holds) that explains nearly as much
    for (let narrowed = true; narrowed; ) {
      narrowed = false;
      const inside = new Set(best.candidate.groups?.current ?? []);
      for (const entry of pool) {
        const groups = entry.candidate.groups?.current;
        if (entry === best || !groups || inside.size === 0 || entry.candidate.whole.current.rows >= best.candidate.whole.current.rows) {
          continue;
        }
        const within = groups.reduce((rows, group) => rows + (inside.has(group) ? cubeErrors.current[group].rows : 0), 0) / entry.candidate.whole.current.rows;
        if (within >= INSIDE_SHARE && entry.marginal.share >= NARROWER_SHARE * best.marginal.share && entry.marginal.z >= MIN_Z) {
          best = entry;
          narrowed = true;
          break;
        }
      }
    }
    ranked.push({ candidate: best.candidate, explanation: best.marginal, whole: best.whole });
    best.candidate.groups?.reference.forEach(group => taken.reference.add(group));
    best.candidate.groups?.current.forEach(group => taken.current.add(group));
    pool = pool
      .filter(entry => entry !== best)
      .map(entry => ({ ...entry, marginal: entry.candidate.groups ? explainOf(untaken(entry.candidate, taken, cubeErrors)) : entry.marginal }))
      .filter(entry => entry.marginal.share >= MIN_SHARE);
  }
  return ranked;
}

/** A slice's error statistics over the cube groups no taken slice holds. */
function untaken(candidate: AggregatedCandidate, taken: Periods<Set<number>>, cubeErrors: Periods<ErrorStatistics[]>): Periods<ErrorStatistics> {
  const result = { reference: zero(), current: zero() };
  for (const period of ['reference', 'current'] as const) {
    candidate.groups?.[period].forEach(group => {
      if (!taken[period].has(group)) {
        add(result[period], cubeErrors[period][group]);
      }
    });
  }
  return result;
}
