/**
 * Root causes of a degradation (shared DESIGN section 6): `findRootCauses` turns the encoded columns of an analysis
 * into ranked causes, each with a summary, evidence and a pandas probe.
 *
 * Phases: the degradation to explain (degradation.ts; none → no causes); integer codes of every feature, slice
 * column and model_version (coding.ts); candidates — SliceLine slices over the slice columns and binned features
 * (sliceline.ts), drifted features' moved regions (feature-drift.ts), bad values (data-quality.ts), a worse model
 * version (model-change.ts), and, when no drift explains the drop, a moved label prior (label-shift.ts); ranking by
 * the share of the extra errors each explains, on rows no higher-ranked cause holds (rank.ts).
 *
 * The slice search reads an evenly strided sample of at most SEARCH_ROWS current rows (support and scores are
 * shares, so a large sample finds the same slices); what each slice explains is then measured on every row.
 *
 * What does not need the features' drift can be done ahead (`prepareRootCauses`: the degradation and the model
 * change, once the metrics are known; `featureCoding`: a feature's codes, where the feature is analysed), so that
 * little is left once every feature is done.
 *
 * A slice found by the search on a single feature is named for what it is: missing or unseen values are data
 * quality, a bin of a drifted feature whose share grew is feature drift, values outside the reference range of a
 * feature that did not drift are data quality; any other slice stays a slice.
 */
import type { ColumnTable } from 'arquero';
import type { ChunkRows } from '../chunks.js';
import { columnValues, type EncodedFeature } from '../columns.js';
import type { Targets } from '../metrics/index.js';
import type { Alert, DataQuality, FeatureDrift, MetricValues, Roles, RootCause, Task, Threshold } from '../types.js';
import type { Candidate, Condition } from './candidate.js';
import type { NumericSample } from '../drift/numeric-sample.js';
import { codedNumericFromCodes, codeNumeric, codeSources, referenceEdges, sampleEdges, utf8Ids, type CategoricalSource, type CodedColumn, type Level } from './coding.js';
import { dataQualityCandidates } from './data-quality.js';
import { findDegradation, periodErrors, primaryMetricOf, rowErrors, MIN_Z, type Degradation, type PeriodErrors, type PrimaryMetric } from './degradation.js';
import { codeStatistics, featureDriftCandidates, grew, type CodeStatistics } from './feature-drift.js';
import { labelShiftCandidates } from './label-shift.js';
import { modelChangeCandidates } from './model-change.js';
import { probeCode } from './probe.js';
import { explain, MIN_SHARE, rankCandidates, type RankContext } from './rank.js';
import { RowSet } from './row-sets.js';
import { sliceLine, type FoundSlice, type SliceLineOptions } from './sliceline.js';
import { evidenceOf, summaryOf, type DescribedCause } from './summary.js';

export { codeChange, codeChangeCause, lineDiff, literalTokens, type CodeChange, type RunSnapshot } from './code-change.js';
export { sliceLine, sliceScore, scoreUpperBound } from './sliceline.js';

/** One period as analyze() holds it: rows in timestamp order (`order` maps them to table rows). */
export interface RootCausePeriod {
  table: ColumnTable;
  order: Int32Array | null;
  metricColumns: { targets: Targets | null };
  features: Map<string, EncodedFeature>;
  chunks: ChunkRows[];
}

export interface RootCauseInput {
  task: Task;
  roles: Roles;
  /** Sorted class names (classification); binary labels are 1 for `positiveClass`. */
  classes: string[] | null;
  positiveClass: string | null;
  primaryMetric?: string;
  reference: RootCausePeriod;
  current: RootCausePeriod;
  metrics: { reference: MetricValues | null; current: MetricValues };
  thresholds: Record<string, Threshold>;
  alerts: Alert[];
  drift: FeatureDrift[];
  dataQuality: DataQuality[];
  /** The features' codings (`featureCoding`), by feature, when computed beforehand. */
  codings?: Map<string, FeatureCoding>;
  /** `prepareRootCauses` of the same input, when computed beforehand. */
  prepared?: PreparedRootCauses | null;
  sliceLine?: SliceLineOptions;
  /** Where the slice search runs (`searchSlicesHere` by default, e.g. on another thread meanwhile). */
  searchSlices?: SliceSearch;
}

/** The input of `sliceLine`. */
export interface SliceSearchInput {
  columns: Uint8Array[];
  levelCounts: number[];
  excluded: Uint8Array[];
  errors: Float64Array;
  options?: SliceLineOptions;
}

/** Starts a slice search and returns how to wait for its slices; the search goes on meanwhile where it can. */
export type SliceSearch = (input: SliceSearchInput) => () => FoundSlice[];

/** The slice search on this thread, at once. */
export function searchSlicesHere(input: SliceSearchInput): () => FoundSlice[] {
  const found = runSliceSearch(input);
  return () => found;
}

export function runSliceSearch(input: SliceSearchInput): FoundSlice[] {
  return sliceLine(input.columns, input.levelCounts, input.excluded, input.errors, input.options);
}

/** The slice search runs on an evenly strided sample of at most this many current rows. */
export const SEARCH_ROWS = 100_000;

/** The stride of the search's sample of a period of `rows` current rows. */
function searchStep(rows: number): number {
  return Math.ceil(rows / SEARCH_ROWS);
}

/** What the search finds before the features' drift is known; null when there is no degradation to explain. */
export interface PreparedRootCauses {
  metric: PrimaryMetric;
  context: RankContext;
  degradation: Degradation;
  /** The model_version column's codes and candidates. */
  versions: CodedColumn | undefined;
  modelChange: Candidate[];
}

/**
 * The degradation (the metrics, the primary metric's threshold and its alerts are all it needs of the input) and the
 * model change candidates; null when there is nothing to explain.
 */
export function prepareRootCauses(
  input: Pick<RootCauseInput, 'task' | 'roles' | 'primaryMetric' | 'reference' | 'current' | 'metrics' | 'thresholds' | 'alerts'>
): PreparedRootCauses | null {
  const metric = primaryMetricOf(input.task, input.primaryMetric);
  const referenceErrors = rowErrors(input.reference.metricColumns.targets, metric);
  const currentErrors = rowErrors(input.current.metricColumns.targets, metric);
  if (!referenceErrors || !currentErrors || !input.metrics.reference || referenceErrors.length === 0) {
    return null;
  }
  const context: RankContext = { reference: periodErrors(referenceErrors), current: periodErrors(currentErrors) };
  const degradation = findDegradation({
    metric,
    metrics: { reference: input.metrics.reference, current: input.metrics.current },
    threshold: input.thresholds[metric.name],
    alerts: input.alerts,
    currentChunks: input.current.chunks,
    ...context
  });
  if (!degradation) {
    return null;
  }
  const versions = input.roles.model_version ? (codeRawColumn(input.reference, input.current, input.roles.model_version) ?? undefined) : undefined;
  return { metric, context, degradation, versions, modelChange: versions ? modelChangeCandidates(versions) : [] };
}

export function findRootCauses(input: RootCauseInput): RootCause[] {
  const prepared = input.prepared === undefined ? prepareRootCauses(input) : input.prepared;
  if (!prepared) {
    return [];
  }
  const { metric, context } = prepared;

  // integer codes of features and slice columns
  const features = codeFeatures(input);
  const slices = codeRawColumns(input, input.roles.slices.filter(column => !features.has(column)));

  // candidates of every kind, the others while the slice search runs
  const slicesFound = startSliceSearch(features, slices, context, input);
  const known = new Map([...(input.codings ?? [])].flatMap(([feature, coding]) => (coding.statistics ? [[feature, coding.statistics] as const] : [])));
  const featureDrift = featureDriftCandidates(input.drift, features, context, known);
  const dataQuality = dataQualityCandidates(input.dataQuality, input.drift, features);
  const candidates = [...slicesFound(), ...featureDrift, ...dataQuality, ...prepared.modelChange];
  const driftExplains = candidates.some(candidate => {
    if (candidate.kind !== 'feature_drift') {
      return false;
    }
    const explanation = explain(candidate.rows, context);
    return explanation.share >= MIN_SHARE && explanation.z >= MIN_Z;
  });
  const { targets: referenceTargets } = input.reference.metricColumns;
  const { targets: currentTargets } = input.current.metricColumns;
  if (!driftExplains && input.roles.label && input.classes && referenceTargets && currentTargets) {
    const names = input.task === 'binary'
      ? [input.classes.find(name => name !== input.positiveClass) ?? '0', input.positiveClass ?? '1']
      : input.classes;
    candidates.push(...labelShiftCandidates(input.roles.label, names, referenceTargets, currentTargets));
  }

  // rank, then words, numbers and probe of each cause
  return rankCandidates(deduplicate(candidates), context).map((cause, index) => ({
    ...rootCauseOf(cause, index + 1, metric, context, input.roles.label ?? 'label'),
    probe: probeCode(cause.candidate, input.roles, input.task, metric)
  }));
}

/** A ranked cause as the result lists it: what it is, its share, its summary and evidence. */
export function rootCauseOf(
  cause: DescribedCause,
  rank: number,
  metric: PrimaryMetric,
  periods: Record<'reference' | 'current', Pick<PeriodErrors, 'rows' | 'mean'>>,
  labelColumn: string
): RootCause {
  const evidence = evidenceOf(cause, periods);
  return {
    rank,
    kind: cause.candidate.kind,
    ...(cause.candidate.feature !== undefined ? { feature: cause.candidate.feature } : {}),
    slice: Object.fromEntries(cause.candidate.where.map(({ column, condition }) => [column, sliceValue(condition)])),
    metric: metric.name,
    score: cause.explanation.share,
    summary: summaryOf(cause, evidence, metric, labelColumn),
    evidence
  };
}

export type { Degradation };

function codeFeatures(input: RootCauseInput): Map<string, CodedColumn> {
  const coded = new Map<string, CodedColumn>();
  for (const feature of input.roles.features) {
    const current = input.current.features.get(feature);
    const reference = input.reference.features.get(feature);
    const coding = input.codings?.get(feature);
    const column = current && reference ? codeFeature(feature, reference, current, coding) : coding ? codedFromCoding(feature, coding) : null;
    if (column) {
      coded.set(feature, column);
    }
  }
  return coded;
}

/** A feature whose values the analysis let go, from its coding; null when the coding has no codes per row. */
function codedFromCoding(feature: string, coding: FeatureCoding): CodedColumn | null {
  if (coding.type === 'categorical') {
    return { column: feature, type: 'categorical', levels: coding.levels, codes: coding.codes, missingCode: coding.missingCode };
  }
  return coding.codes ? codedNumericFromCodes(feature, coding.edges, coding.referenceMissing, coding.codes) : null;
}

/**
 * A feature's coding as plain data (another thread can send it): a numeric feature's bin edges, whether its
 * reference has missing values and, when the search will read every row (a drifted feature), its codes; a
 * categorical feature's levels and codes. `sample`: the codes of the slice search's sample of current rows (every
 * `step`-th). `statistics`: its codes' error statistics, for a drifted feature (`withCodeStatistics`).
 */
export type FeatureCoding = (
  | { type: 'numeric'; edges: number[]; referenceMissing: boolean; codes: { reference: Uint8Array; current: Uint8Array } | null }
  | { type: 'categorical'; levels: Level[]; missingCode: number; codes: { reference: Uint8Array; current: Uint8Array } }
) & { sample?: { step: number; codes: Uint8Array }; statistics?: CodeStatistics };

/**
 * Adds to a coding with codes their error statistics in each period (the search's feature drift reads them of a
 * drifted feature), so that they are computed where the feature is analysed rather than after every feature.
 */
export function withCodeStatistics(coding: FeatureCoding, errors: { reference: Float64Array; current: Float64Array }): void {
  const { codes } = coding;
  if (codes && codes.reference.length === errors.reference.length && codes.current.length === errors.current.length) {
    const levels = coding.type === 'numeric' ? codedNumericFromCodes('', coding.edges, coding.referenceMissing, codes).levels.length : coding.levels.length;
    coding.statistics = codeStatistics(codes, levels, errors);
  }
}

/**
 * The coding of a feature over both periods; null when its types differ. `everyRow`: also a numeric one's codes.
 * `sample`: a numeric reference's non-missing values, minimum and maximum, when known (`numericSample`).
 */
export function featureCoding(
  reference: EncodedFeature,
  current: EncodedFeature,
  everyRow: boolean,
  sample?: Pick<NumericSample, 'values' | 'minimum' | 'maximum'>
): FeatureCoding | null {
  const known: FeatureCoding | undefined =
    sample && reference.type === 'numeric'
      ? { type: 'numeric', edges: sampleEdges(sample), referenceMissing: sample.values.length < reference.values.length, codes: null }
      : undefined;
  const coded = codeFeature('', reference, current, known);
  if (!coded) {
    return null;
  }
  const step = searchStep(current.type === 'numeric' ? current.values.length : current.values.codes.length);
  if (coded.type === 'categorical') {
    const { levels, missingCode, codes } = coded;
    return {
      type: 'categorical',
      levels,
      missingCode,
      codes: { reference: codes.reference, current: codes.current },
      sample: { step, codes: everyNth(codes.current, step) }
    };
  }
  const codes = everyRow ? { reference: coded.codes.reference, current: coded.codes.current } : null;
  return {
    type: 'numeric',
    edges: coded.edges as number[],
    referenceMissing: coded.levels[coded.missingCode].inReference,
    codes,
    sample: { step, codes: codes ? everyNth(codes.current, step) : (coded.currentSample as (step: number) => Uint8Array)(step) }
  };
}

/**
 * Codes of a feature over both periods (numeric ones binned on reference edges); null when its types differ.
 * `coding`: the feature's coding computed beforehand, what it holds is not computed again.
 */
export function codeFeature(feature: string, reference: EncodedFeature, current: EncodedFeature, coding?: FeatureCoding): CodedColumn | null {
  if (reference.type === 'numeric' && current.type === 'numeric') {
    if (coding?.type === 'numeric') {
      return codeNumeric(feature, reference.values, current.values, coding.edges, coding);
    }
    return codeNumeric(feature, reference.values, current.values, referenceEdges(reference.values));
  }
  if (reference.type === 'categorical' && current.type === 'categorical') {
    if (coding?.type === 'categorical') {
      return { column: feature, type: 'categorical', levels: coding.levels, codes: coding.codes, missingCode: coding.missingCode };
    }
    // the analysis encoded it as codes, already in timestamp order
    return codeSources(
      feature,
      { utf8: { ids: reference.values.codes, values: reference.values.dictionary } },
      { utf8: { ids: current.values.codes, values: current.values.dictionary } }
    );
  }
  return null;
}

/** Columns read from the tables (slice columns), put in each period's timestamp order. */
function codeRawColumns(input: RootCauseInput, columns: string[]): Map<string, CodedColumn> {
  const coded = new Map<string, CodedColumn>();
  for (const column of columns) {
    const codes = codeRawColumn(input.reference, input.current, column);
    if (codes) {
      coded.set(column, codes);
    }
  }
  return coded;
}

/**
 * Codes the slice and model-version columns ahead of `findRootCauses` (which then finds them done): a thread
 * that waits for another can do it meanwhile.
 */
export function precodeRootCauseColumns(roles: Roles, reference: RootCausePeriod, current: RootCausePeriod): void {
  for (const column of [...roles.slices.filter(slice => !roles.features.includes(slice)), ...(roles.model_version ? [roles.model_version] : [])]) {
    codeRawColumn(reference, current, column);
  }
}

/** A column's codes per (current table, column), reused while both periods stay the same. */
const rawCodes = new WeakMap<ColumnTable, Map<string, { reference: ColumnTable; coded: CodedColumn | null }>>();

function codeRawColumn(reference: RootCausePeriod, current: RootCausePeriod, column: string): CodedColumn | null {
  let byColumn = rawCodes.get(current.table);
  if (!byColumn) {
    byColumn = new Map();
    rawCodes.set(current.table, byColumn);
  }
  const known = byColumn.get(column);
  if (known && known.reference === reference.table) {
    return known.coded;
  }
  let coded: CodedColumn | null = null;
  if (current.table.columnNames().includes(column)) {
    const inReference = reference.table.columnNames().includes(column);
    const tableSource = (table: ColumnTable): CategoricalSource => {
      // read once here: the coded column is kept (`rawCodes`), the ids per row need not be
      const utf8 = utf8Ids(table.column(column), false);
      return utf8 ? { utf8 } : { values: columnValues(table, column) };
    };
    coded = codeSources(
      column,
      inReference ? tableSource(reference.table) : { values: new Array(reference.table.numRows()).fill(null) },
      tableSource(current.table),
      { reference: reference.order, current: current.order }
    );
  }
  byColumn.set(column, { reference: reference.table, coded });
  return coded;
}

/**
 * SliceLine over slice columns and binned features of the current rows (started at once, `input.searchSlices`), each
 * slice named for what it is once found.
 */
function startSliceSearch(
  features: Map<string, CodedColumn>,
  slices: Map<string, CodedColumn>,
  context: RankContext,
  input: RootCauseInput
): () => Candidate[] {
  const columns = [...slices.values(), ...features.values()];
  if (columns.length === 0) {
    return () => [];
  }
  const step = searchStep(context.current.rows);
  // a feature's sample as its coding took it, when it did
  const sampleOf = (column: CodedColumn): Uint8Array => {
    const known = features.has(column.column) ? input.codings?.get(column.column)?.sample : undefined;
    if (known && known.step === step) {
      return known.codes;
    }
    return column.currentSample ? column.currentSample(step) : everyNth(column.codes.current, step);
  };
  const found = (input.searchSlices ?? searchSlicesHere)({
    columns: columns.map(sampleOf),
    levelCounts: columns.map(column => column.levels.length),
    excluded: columns.map(column => Uint8Array.from(column.levels, level => (level.test === 'other' ? 1 : 0))),
    errors: everyNth(context.current.errors, step),
    options: input.sliceLine
  });
  return () => sliceCandidates(found(), columns, features, input.drift, context);
}

/** The slices found, as candidates: their rows in both periods, and a kind for a slice on one feature. */
function sliceCandidates(
  found: FoundSlice[],
  columns: CodedColumn[],
  features: Map<string, CodedColumn>,
  drift: FeatureDrift[],
  context: RankContext
): Candidate[] {
  const drifted = new Set(drift.filter(entry => entry.drifted).map(entry => entry.feature));
  // the rows of each predicate, built once however many slices share it
  const predicateRows = new Map<string, { reference: RowSet; current: RowSet }>();
  const rowsOfPredicate = (column: number, code: number): { reference: RowSet; current: RowSet } => {
    const key = `${column}:${code}`;
    let rows = predicateRows.get(key);
    if (!rows) {
      const accepted = new Uint8Array(columns[column].levels.length);
      accepted[code] = 1;
      rows = { reference: RowSet.ofCodes(columns[column].codes.reference, accepted), current: RowSet.ofCodes(columns[column].codes.current, accepted) };
      predicateRows.set(key, rows);
    }
    return rows;
  };
  return found.map(slice => {
    let reference: RowSet | null = null;
    let current: RowSet | null = null;
    for (const { column, code } of slice.predicates) {
      const rows = rowsOfPredicate(column, code);
      reference = reference ? reference.and(rows.reference) : rows.reference;
      current = current ? current.and(rows.current) : rows.current;
    }
    const where = slice.predicates.map(({ column, code }) => ({ column: columns[column].column, condition: columns[column].levels[code] as Condition }));
    const candidate: Candidate = { kind: 'slice', where, rows: { reference: reference as RowSet, current: current as RowSet }, sliceScore: slice.score };
    if (slice.predicates.length === 1 && features.has(where[0].column)) {
      const coded = features.get(where[0].column) as CodedColumn;
      const code = slice.predicates[0].code;
      const level = coded.levels[code];
      const outside = coded.type === 'numeric' && (code === 0 || code === coded.levels.length - 2);
      const rows = rowsOfPredicate(slice.predicates[0].column, code);
      const referenceRows = rows.reference.size();
      const currentRows = rows.current.size();
      candidate.feature = coded.column;
      if (level.test === 'missing' || (coded.type === 'categorical' && !level.inReference)) {
        candidate.kind = 'data_quality';
      } else if (drifted.has(coded.column) && grew(referenceRows, context.reference.rows, currentRows, context.current.rows)) {
        candidate.kind = 'feature_drift';
      } else if (outside) {
        candidate.kind = 'data_quality';
      }
    }
    return candidate;
  });
}

/** Every `step`-th value (the array itself for step 1). */
function everyNth<T extends Uint8Array | Float64Array>(values: T, step: number): T {
  if (step <= 1) {
    return values;
  }
  const sample = new (values.constructor as new (length: number) => T)(Math.ceil(values.length / step));
  for (let i = 0, k = 0; i < values.length; i += step, k++) {
    sample[k] = values[i];
  }
  return sample;
}

/** One candidate per kind, feature and rows' description. */
function deduplicate(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter(candidate => {
    const key = JSON.stringify([candidate.kind, candidate.feature, candidate.where.map(({ column, condition }) => [column, condition.label])]);
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

/** A condition as the value of `slice`: the value itself for one category, a readable string otherwise. */
export function sliceValue(condition: Condition): string | number | boolean | null {
  switch (condition.test) {
    case 'equals':
      return condition.value;
    case 'missing':
      return null;
    default:
      return condition.label;
  }
}
