/**
 * `analyze()`: one trace (current data, optional reference) → the JSON-serialisable AnalysisResult.
 *
 * Phases: check the tables and resolve the column roles; encode every column once into typed arrays; put
 * each period in timestamp order; cut the chunks; compute metrics per period and per chunk, per-chunk
 * Jensen-Shannon drift of every feature against the whole reference; thresholds from the reference chunks
 * and alerts on the current ones; drift of each feature with all methods; data quality.
 *
 * Without a reference there is nothing to compare with: `metrics.reference` is null, chunks are the current
 * ones with empty `drift`, and `thresholds`, `alerts` and `drift` are empty; data quality reports the current
 * data only. Root causes (root-causes/) need a reference: without one `root_causes` is empty.
 */
import type { ColumnTable } from 'arquero';
import { chunkRows, chunkTimes, timestampOrder, validateChunkOptions, type ChunkRows } from './chunks.js';
import {
  addKindCounts,
  countKinds,
  describeValue,
  encodeFeature,
  encodeNumeric,
  encodeTimestamps,
  featureTypeOf,
  TableColumns,
  type EncodedFeature,
  type KindCounts
} from './columns.js';
import {
  categoricalDrift,
  categoricalJensenShannon,
  numericDrift,
  numericJensenShannon,
  numericJensenShannonOfCounts,
  prepareCategoricalReference,
  prepareNumericReference,
  type CategoryCodes,
  type PreparedCategoricalReference,
  type PreparedNumericReference
} from './drift/index.js';
import {
  BINARY_METRICS,
  LATENCY_METRICS,
  MULTICLASS_METRICS,
  REGRESSION_METRICS,
  customMetrics,
  metricRange,
  periodAndChunkMetrics,
  type MetricColumns,
  type Targets
} from './metrics/index.js';
import { featureQuality } from './quality.js';
import {
  compareRuns,
  computeDetails,
  type AnalysisDetails,
  type BootstrapOptions,
  type DetailsInput,
  type DetailsOptions,
  type FeatureInput,
  type RunComparison,
  type SliceInput,
  type SliceMetrics
} from './details/index.js';
import { gatherTargets } from './details/gather.js';
import { sliceMetrics } from './details/slices.js';
import { primaryMetricOf } from './root-causes/degradation.js';
import {
  featureCoding,
  findRootCauses,
  precodeRootCauseColumns,
  prepareRootCauses,
  withCodeStatistics,
  type FeatureCoding,
  type PreparedRootCauses,
  type SliceSearch
} from './root-causes/index.js';
import { listColumns, resolveRoles } from './roles.js';
import { encodeTargets } from './task.js';
import { DRIFT_PREFIX, findAlerts, referenceThresholds, threshold } from './thresholds.js';
import {
  InputError,
  type AnalysisResult,
  type AnalyzeOptions,
  type ChunkResult,
  type DataQuality,
  type FeatureDrift,
  type FeatureType,
  type MetricValues,
  type Period,
  type Roles
} from './types.js';

/** One period, encoded and in timestamp order. */
interface PeriodData {
  period: Period;
  table: ColumnTable;
  columns: TableColumns;
  source: string;
  rows: number;
  timestamps: Float64Array | null;
  /** Rows of `table` in timestamp order; null when the table already is in order. */
  order: Int32Array | null;
  metricColumns: MetricColumns;
  features: Map<string, EncodedFeature>;
  chunks: ChunkRows[];
}

/** What every stage shares: the checked inputs, roles, encoded targets and the periods cut into chunks. */
interface AnalysisRun {
  options: AnalyzeOptions;
  roles: Roles;
  inferred: string[];
  warnings: string[];
  targets: ReturnType<typeof encodeTargets> | null;
  current: PeriodData;
  reference: PeriodData | null;
  /** Metrics of each period and its chunks (`computeMetrics`). */
  metrics?: Record<Period, { period: MetricValues; chunks: MetricValues[] } | null>;
  /** The root-cause search's work that needs no drift (`prepareRootCausesOf`), once done. */
  rootCauses?: PreparedRootCauses | null;
  /**
   * Each period's error per row, as the root-cause search scores rows, once known (`rootCauses`, or from the other
   * thread's claims): a drifted feature's code statistics are then computed with its coding.
   */
  rowErrors?: RowErrors | null;
  /**
   * Keep only what later stages read (`analyze()`): the columns the targets were read from, and a feature's values
   * once its outcome and root-cause codes are known, are let go where they are copies of the data (converted
   * integers, category ids), so the memory a run takes beyond its tables stays small (the tab's budget).
   */
  lean?: boolean;
}

/** What the feature stage finds for one feature; plain data, so another thread can compute it. */
export interface FeatureOutcome {
  feature: string;
  /** Per-chunk Jensen-Shannon against the whole reference, by period, in chunk order (empty without reference). */
  chunkDrift: Record<Period, Array<number | null>>;
  /** Every drift method; `drifted` is decided later, from the alerts of all features. */
  drift: FeatureDrift | null;
  quality: DataQuality;
  /** "no usable value" warnings, by period. */
  warnings: Record<Period, string | null>;
  /** The encoded values (in timestamp order), sent back by another thread for the root-cause search. */
  encoded?: Record<Period, EncodedFeature | null>;
  /** The feature's root-cause coding (`featureCoding`), with a reference and a label. */
  coding?: FeatureCoding | null;
}

/** Each period's error per row (root-causes/degradation.ts). */
interface RowErrors {
  reference: Float64Array;
  current: Float64Array;
}

export function analyze(current: ColumnTable, reference: ColumnTable | null, options: AnalyzeOptions): AnalysisResult {
  const run = startAnalysis(current, reference, options, true);
  run.lean = true;
  forgetTargetColumns(run);
  computeMetrics(run);
  prepareRootCausesOf(run);
  // one feature at a time, so that a feature's copies are gone before the next one's are made
  const outcomes = run.roles.features.flatMap(feature => analyzeFeatures(run, [feature], false));
  return finishAnalysis(run, outcomes);
}

/** The label, prediction and score columns as read from the tables: the targets hold their encoding. */
function forgetTargetColumns(run: AnalysisRun): void {
  const { label, prediction, score, scores, features, slices } = run.roles;
  const read = new Set([...features, ...slices]);
  for (const column of [label, prediction, score, ...(scores ?? [])]) {
    if (column !== undefined && !read.has(column)) {
      run.current.columns.forget(column);
      run.reference?.columns.forget(column);
    }
  }
}

/**
 * `analyze()` and the explorer's chart data (details/: ROC, PR, calibration, confusion, distributions, slices,
 * regression views, bootstrap intervals) from the same encoded columns, e.g. for the HTML report.
 */
export function analyzeWithDetails(
  current: ColumnTable,
  reference: ColumnTable | null,
  options: AnalyzeOptions,
  detailsOptions: DetailsOptions = {}
): { result: AnalysisResult; details: AnalysisDetails } {
  const run = startAnalysis(current, reference, options, true);
  computeMetrics(run);
  const outcomes = analyzeFeatures(run, run.roles.features, false);
  const result = finishAnalysis(run, outcomes);
  const targets = run.targets as NonNullable<AnalysisRun['targets']>;
  const strings = (encoded: EncodedFeature | undefined): Array<string | null> | null => {
    if (!encoded || encoded.type !== 'categorical') {
      return null;
    }
    const { codes, dictionary } = encoded.values;
    return Array.from(codes, code => dictionary[code]);
  };
  const features: FeatureInput[] = run.roles.features.flatMap((name): FeatureInput[] => {
    const now = run.current.features.get(name);
    const before = run.reference?.features.get(name);
    if (!now) {
      return [];
    }
    return now.type === 'numeric'
      ? [{ name, type: 'numeric', current: now.values, reference: before?.type === 'numeric' ? before.values : null }]
      : [{ name, type: 'categorical', current: strings(now) as Array<string | null>, reference: strings(before) }];
  });
  const slices: SliceInput[] = run.roles.slices.flatMap(name => {
    const now = orderedSliceValues(run.current, name);
    return now ? [{ name, current: now, reference: orderedSliceValues(run.reference, name) }] : [];
  });
  const input = {
    task: targets.task,
    classes: targets.classes,
    positiveClass: targets.positiveClass,
    reference: run.reference?.metricColumns.targets ?? null,
    current: run.current.metricColumns.targets,
    features,
    slices,
    options: detailsOptions
  };
  const details = computeDetails(detailsOptions.chunk ? withinChunk(input, run, detailsOptions.chunk) : input);
  return { result, details };
}

/** Two runs of the same evaluation compared (the explorer's compare view). */
export interface TablesComparison {
  comparison: RunComparison;
  /** Per slice column × value: the baseline's metrics as `reference`, the candidate's as `current`. */
  slices: SliceMetrics[];
}

/**
 * Compare the current data of two runs, baseline and candidate, with the candidate's roles (the baseline must
 * have the same columns). The labels of both are encoded together, so the classes agree; rows pair on the id
 * column when both runs have one (compareRuns).
 */
export function compareTables(
  baseline: ColumnTable,
  candidate: ColumnTable,
  options: AnalyzeOptions & { names: { current: string; reference: string } },
  bootstrap: Partial<BootstrapOptions> = {}
): TablesComparison {
  const run = startAnalysis(candidate, baseline, options, true);
  const targets = run.targets;
  const before = run.reference as PeriodData;
  if (!targets?.current || !targets.reference) {
    throw new InputError(`the runs have no label column to compare (${options.names.reference}, ${options.names.current})`);
  }
  const idsOf = (data: PeriodData): Array<string | number | null> | null => {
    const column = run.roles.id;
    if (!column || !data.table.columnNames().includes(column)) {
      return null;
    }
    const values = data.columns.values(column);
    const order = data.order;
    return Array.from({ length: data.rows }, (_, i) => {
      const value = values[order ? order[i] : i];
      return typeof value === 'number' || typeof value === 'string' ? value : value === null || value === undefined ? null : String(value);
    });
  };
  const comparison = compareRuns(
    { name: options.names.reference, targets: before.metricColumns.targets as Targets, ids: idsOf(before) },
    { name: options.names.current, targets: run.current.metricColumns.targets as Targets, ids: idsOf(run.current) },
    bootstrap
  );
  const slices = run.roles.slices.flatMap((name): SliceInput[] => {
    const now = orderedSliceValues(run.current, name);
    const then = orderedSliceValues(before, name);
    return now && then ? [{ name, current: now, reference: then }] : [];
  });
  const hasPredictions = run.current.metricColumns.targets?.predictions && before.metricColumns.targets?.predictions;
  return {
    comparison,
    slices: hasPredictions ? sliceMetrics(slices, before.metricColumns.targets, run.current.metricColumns.targets as Targets) : []
  };
}

/** A slice column's values in timestamp order; null when the period's table lacks the column. */
function orderedSliceValues(data: PeriodData | null, column: string): Array<string | null> | null {
  if (!data || !data.table.columnNames().includes(column)) {
    return null;
  }
  const { codes, dictionary } = data.columns.categoryCodes(column);
  const order = data.order;
  return Array.from({ length: codes.length }, (_, i) => dictionary[codes[order ? order[i] : i]]);
}

/** The details' input with one period narrowed to the rows of one of its chunks (the other period stays whole). */
function withinChunk(input: DetailsInput, run: AnalysisRun, chunk: { period: Period; index: number }): DetailsInput {
  const data = chunk.period === 'current' ? run.current : run.reference;
  const rows = data?.chunks.find(candidate => candidate.index === chunk.index);
  if (!data || !rows) {
    throw new InputError(`there is no ${chunk.period} chunk ${chunk.index} (${data?.chunks.length ?? 0} ${chunk.period} chunks)`);
  }
  const { start, end } = rows;
  const range = Int32Array.from({ length: end - start }, (_, i) => start + i);
  const period = chunk.period;
  const narrow = <T>(values: T | null, cut: (values: T) => T): T | null => (values === null ? null : cut(values));
  return {
    ...input,
    [period]: narrow(input[period], targets => gatherTargets(targets, range)),
    features: input.features.map((feature): FeatureInput =>
      feature.type === 'numeric'
        ? { ...feature, [period]: narrow(feature[period], values => values.subarray(start, end)), preparedReference: undefined }
        : { ...feature, [period]: narrow(feature[period], values => Array.prototype.slice.call(values, start, end)), preparedReference: undefined }
    ),
    slices: input.slices.map(slice => ({ ...slice, [period]: narrow(slice[period], values => Array.prototype.slice.call(values, start, end)) }))
  };
}

/**
 * Features shared out between threads: each thread claims the next unclaimed feature with one atomic add on a shared
 * counter, so the threads finish together however uneven the features' costs and the threads' other work. The
 * thread that finds the degradation also shares each period's row errors through them (`errors`, memory both
 * threads hold), for the features the other thread analyses after that.
 */
export class FeatureClaims {
  /** The counter, whether root causes are searched (0 not known yet, 1 yes, 2 no), whether `errors` are filled. */
  readonly counter: Int32Array;

  constructor(
    readonly features: string[],
    shared: SharedArrayBuffer = new SharedArrayBuffer(12),
    readonly errors: { reference: SharedArrayBuffer; current: SharedArrayBuffer } | null = null
  ) {
    this.counter = new Int32Array(shared);
  }

  get shared(): SharedArrayBuffer {
    return this.counter.buffer as SharedArrayBuffer;
  }

  /** The next unclaimed feature, or null when all are taken. */
  next(): string | null {
    const index = Atomics.add(this.counter, 0, 1);
    return index < this.features.length ? this.features[index] : null;
  }

  /** Tell the other thread whether root causes are searched (a feature's root-cause coding is wasted otherwise). */
  settleRootCauses(searched: boolean): void {
    Atomics.store(this.counter, 1, searched ? 1 : 2);
  }

  /** False once the thread that finds the degradation knows there is none. */
  rootCausesSearched(): boolean {
    return Atomics.load(this.counter, 1) !== 2;
  }

  /** Share each period's row errors (when they fit the shared memory). */
  shareRowErrors(rowErrors: RowErrors): void {
    const { errors } = this;
    if (errors && errors.reference.byteLength === rowErrors.reference.byteLength && errors.current.byteLength === rowErrors.current.byteLength) {
      new Float64Array(errors.reference).set(rowErrors.reference);
      new Float64Array(errors.current).set(rowErrors.current);
      Atomics.store(this.counter, 2, 1);
    }
  }

  /** The row errors the other thread shared, or null while there are none. */
  sharedRowErrors(): RowErrors | null {
    const { errors } = this;
    return errors && Atomics.load(this.counter, 2) === 1
      ? { reference: new Float64Array(errors.reference), current: new Float64Array(errors.current) }
      : null;
  }
}

/**
 * `analyze()` with another thread holding the same tables (`elsewhere`, which runs `analyzeClaimedFeatures` with the
 * same claims): it starts on the features at once while this thread encodes the targets, computes the metrics, finds
 * the degradation and codes the root-cause columns, then joins in; `searchSlices` may run the root causes' slice
 * search elsewhere while this thread finds the other causes. The same result as on one thread, in less wall time on
 * several cores.
 */
export async function analyzeWithHelper(
  current: ColumnTable,
  reference: ColumnTable | null,
  options: AnalyzeOptions,
  elsewhere: (claims: FeatureClaims) => Promise<FeatureOutcome[]>,
  searchSlices?: SliceSearch
): Promise<AnalysisResult> {
  // the roles decide the features: resolve them first and let the other thread start before the heavy work here
  const errors = reference
    ? { reference: new SharedArrayBuffer(8 * reference.numRows()), current: new SharedArrayBuffer(8 * current.numRows()) }
    : null;
  const claims = new FeatureClaims(earlyRoles(current, options).features, undefined, errors);
  const pending = elsewhere(claims);
  // the promise is awaited below; until then a rejection must not count as unhandled
  pending.catch(() => undefined);
  const run = startAnalysis(current, reference, options, true);
  computeMetrics(run);
  prepareRootCausesOf(run);
  if (run.rowErrors) {
    claims.shareRowErrors(run.rowErrors);
  }
  claims.settleRootCauses(run.rootCauses !== null);
  if (run.rootCauses && run.reference) {
    precodeRootCauseColumns(run.roles, run.reference, run.current);
  }
  const here = analyzeClaims(run, claims, false);
  const outcomes = [...here, ...(await pending)].filter(outcome => run.roles.features.includes(outcome.feature));
  return finishAnalysis(run, outcomes, searchSlices);
}

/** The feature stage alone, for `analyzeWithHelper`'s other thread: the features it claims, with their coding. */
export function analyzeClaimedFeatures(
  current: ColumnTable,
  reference: ColumnTable | null,
  options: AnalyzeOptions,
  claims: FeatureClaims
): FeatureOutcome[] {
  return analyzeClaims(startAnalysis(current, reference, options, false), claims, true);
}

/** The features this thread claims, one at a time, until none is left. */
function analyzeClaims(run: AnalysisRun, claims: FeatureClaims, ship: boolean): FeatureOutcome[] {
  const outcomes: FeatureOutcome[] = [];
  for (let feature = claims.next(); feature !== null; feature = claims.next()) {
    if (run.rootCauses === undefined && !claims.rootCausesSearched()) {
      run.rootCauses = null;
    }
    run.rowErrors ??= claims.sharedRowErrors();
    if (run.roles.features.includes(feature)) {
      outcomes.push(...analyzeFeatures(run, [feature], ship));
    }
  }
  return outcomes;
}

/** The features the roles name, before the targets are encoded (they may drop inferred score columns later). */
function earlyRoles(current: ColumnTable, options: AnalyzeOptions): { features: string[] } {
  const { roles } = resolveRoles(current.columnNames(), structuredClone(options.roles ?? {}), options.names?.current ?? 'current data');
  return { features: roles.features };
}

/**
 * Checks the tables and roles, encodes the targets (when `withTargets`), timestamps and latency, puts each period in
 * timestamp order and cuts its chunks.
 */
function startAnalysis(
  current: ColumnTable,
  reference: ColumnTable | null,
  options: AnalyzeOptions,
  withTargets: boolean
): AnalysisRun {
  const sources = {
    current: options.names?.current ?? 'current data',
    reference: options.names?.reference ?? 'reference data'
  };
  const currentTable = prepareTable(current, sources.current);
  const referenceTable = reference ? prepareTable(reference, sources.reference) : null;
  const warnings: string[] = [];

  // resolve roles and check every input before any heavy work
  const { roles, inferred } = resolveRoles(currentTable.columnNames(), options.roles ?? {}, sources.current);
  validateChunkOptions(options, roles.timestamp !== undefined);
  checkCustomMetricNames(options.customMetrics ?? {});

  // encode label, prediction and scores (this fixes the task and the classes)
  const currentColumns = new TableColumns(currentTable);
  const referenceColumns = referenceTable ? new TableColumns(referenceTable) : null;
  if (referenceTable) {
    checkReferenceColumns(roles, referenceTable, sources.reference);
  }
  let targets: AnalysisRun['targets'] = null;
  if (withTargets) {
    targets = encodeTargets(
      { columns: currentColumns, source: sources.current },
      referenceColumns ? { columns: referenceColumns, source: sources.reference } : null,
      { roles, task: options.task, positiveLabel: options.positiveLabel }
    );
    warnings.push(...targets.warnings);
    if (targets.scoreColumns && !roles.scores) {
      roles.scores = targets.scoreColumns;
      inferred.push('scores');
      roles.features = roles.features.filter(feature => !targets?.scoreColumns?.includes(feature));
    }
  }
  if (referenceTable && inferred.includes('scores')) {
    checkReferenceColumns(roles, referenceTable, sources.reference);
  }

  // encode timestamps and (for the metrics, with the targets) latency, then put each period in timestamp order and cut
  // its chunks
  const currentData = encodePeriod('current', currentColumns, sources.current, roles, targets?.current ?? null, withTargets);
  const referenceData = referenceColumns
    ? encodePeriod('reference', referenceColumns, sources.reference, roles, targets?.reference ?? null, withTargets)
    : null;
  for (const data of referenceData ? [referenceData, currentData] : [currentData]) {
    data.chunks = chunkRows(data.rows, data.timestamps, options);
  }
  return { options, roles, inferred, warnings, targets, current: currentData, reference: referenceData };
}

/**
 * The root-cause search's work that needs no feature drift (`prepareRootCauses`): the primary metric's threshold and
 * alerts are those `finishAnalysis` finds, computed from the chunks' metrics alone.
 */
function prepareRootCausesOf(run: AnalysisRun): void {
  const { reference, current, targets, metrics } = run;
  if (!reference || !targets || !metrics?.reference) {
    run.rootCauses = null;
    return;
  }
  const metric = primaryMetricOf(targets.task, run.options.primaryMetric).name;
  const thresholds = referenceThresholds(chunkResults(reference, metrics.reference.chunks, []), [metric], [], metricRange);
  run.rootCauses = prepareRootCauses({
    task: targets.task,
    roles: run.roles,
    primaryMetric: run.options.primaryMetric,
    reference,
    current,
    metrics: { reference: metrics.reference.period, current: metrics.current?.period ?? {} },
    thresholds,
    alerts: findAlerts(chunkResults(current, metrics.current?.chunks ?? [], []), thresholds)
  });
  const context = run.rootCauses?.context;
  run.rowErrors = context ? { reference: context.reference.errors, current: context.current.errors } : null;
}

/** Metrics of each period as a whole and of its chunks, with the custom metrics of the settings. */
function computeMetrics(run: AnalysisRun): void {
  const customExpressions = run.options.customMetrics ?? {};
  const ofPeriod = (data: PeriodData): { period: MetricValues; chunks: MetricValues[] } => {
    const computed = periodAndChunkMetrics(data.metricColumns, data.chunks);
    return {
      period: finiteMetrics({ ...computed.period, ...customMetrics(data.table, customExpressions) }),
      chunks: data.chunks.map((chunk, i) => {
        const rows = Object.keys(customExpressions).length > 0 ? chunkRowIndices(data, chunk) : undefined;
        return finiteMetrics({ ...computed.chunks[i], ...customMetrics(data.table, customExpressions, rows) });
      })
    };
  };
  run.metrics = { reference: run.reference ? ofPeriod(run.reference) : null, current: ofPeriod(run.current) };
}

/**
 * Per feature: its type, its values in each period, per-chunk Jensen-Shannon against the reference, every drift
 * method and data quality; with `ship`, also its encoded values, for another thread.
 */
function analyzeFeatures(run: AnalysisRun, features: string[], ship: boolean): FeatureOutcome[] {
  const { current, reference } = run;
  const featureKinds = decideFeatureTypes(features, current.columns, reference?.columns ?? null);
  encodeFeatures(current, featureKinds);
  if (reference) {
    encodeFeatures(reference, featureKinds);
  }
  return features.map(feature => {
    const currentValues = current.features.get(feature) as EncodedFeature;
    const referenceValues = reference?.features.get(feature) ?? null;
    const usable = (encoded: EncodedFeature, data: PeriodData): string | null =>
      encoded.missing + encoded.mismatches === encoded.rows
        ? `feature "${feature}" has no usable value in ${data.source}: its drift is not computed`
        : null;
    const prepared = referenceValues && reference ? prepareReference(referenceValues, reference.chunks) : null;
    const chunkDrift = (data: PeriodData): Array<number | null> =>
      prepared
        ? data.chunks.map((chunk, i) =>
            finiteOrNull(
              data === reference && prepared.type === 'numeric' && prepared.prepared.chunkCounts
                ? numericJensenShannonOfCounts(prepared.prepared, prepared.prepared.chunkCounts[i])
                : chunkJensenShannon(prepared, data.features.get(feature) as EncodedFeature, chunk.start, chunk.end)
            )
          )
        : [];
    const outcome: FeatureOutcome = {
      feature,
      chunkDrift: { reference: reference ? chunkDrift(reference) : [], current: chunkDrift(current) },
      drift: prepared ? featureDrift(feature, prepared, currentValues, false) : null,
      quality: featureQuality(
        feature,
        currentValues,
        referenceValues,
        prepared?.type === 'categorical'
          ? { categories: prepared.prepared.positionOf }
          : prepared?.type === 'numeric'
            ? { range: prepared.prepared.sample }
            : {}
      ),
      warnings: {
        reference: referenceValues && reference ? usable(referenceValues, reference) : null,
        current: usable(currentValues, current)
      }
    };
    const copies = run.lean && reference && referenceValues ? [reference, current].filter(data => isCopy(data.features.get(feature))) : [];
    if (referenceValues && run.roles.label !== undefined && run.rootCauses !== null) {
      // this feature's share of the root-cause coding, every row of it when the search will read every row (its
      // drift alerts, or it has missing or out-of-range values) or when the values are let go; wasted only when the
      // search finds no degradation
      const sample = prepared?.type === 'numeric' ? prepared.prepared.sample : undefined;
      const { quality } = outcome;
      const everyRow =
        copies.length > 0 || driftAlerts(outcome.chunkDrift) || quality.missing.current > 0 || quality.out_of_range > 0;
      outcome.coding = featureCoding(referenceValues, currentValues, everyRow, sample);
      if (outcome.coding && run.rowErrors && driftAlerts(outcome.chunkDrift)) {
        withCodeStatistics(outcome.coding, run.rowErrors);
      }
    }
    for (const data of copies) {
      data.features.delete(feature);
      data.columns.forget(feature);
    }
    if (ship) {
      outcome.encoded = { reference: referenceValues && ownCopy(referenceValues), current: ownCopy(currentValues) };
    }
    return outcome;
  });
}

/**
 * Whether an encoded feature is a copy of its column (converted numbers, category ids), not a view into the table's
 * own buffers (a float column read in place), which costs nothing to keep.
 */
function isCopy(encoded: EncodedFeature | undefined): boolean {
  if (!encoded) {
    return false;
  }
  const array = encoded.type === 'numeric' ? encoded.values : encoded.values.codes;
  return array.byteOffset === 0 && array.byteLength === array.buffer.byteLength;
}

/** Whether a feature's per-chunk drift alerts (its threshold from the reference chunks, as `finishAnalysis` finds). */
function driftAlerts(chunkDrift: FeatureOutcome['chunkDrift']): boolean {
  const bound = threshold(chunkDrift.reference, { lower: 0, upper: 1 }, { upperOnly: true });
  const upper = bound?.upper ?? null;
  return upper !== null && chunkDrift.current.some(value => value !== null && value > upper);
}

/**
 * An encoded feature whose arrays own their memory, or share it with the other thread (a view into a file read into
 * a SharedArrayBuffer): a view into a file's own buffer (a numeric Arrow column read without a copy) would otherwise
 * send the whole buffer to the other thread.
 */
function ownCopy(encoded: EncodedFeature): EncodedFeature {
  const owns = (array: ArrayBufferView): boolean =>
    !(array.buffer instanceof ArrayBuffer) || (array.byteOffset === 0 && array.byteLength === array.buffer.byteLength);
  if (encoded.type === 'numeric') {
    return owns(encoded.values) ? encoded : { ...encoded, values: encoded.values.slice() };
  }
  const { codes, dictionary } = encoded.values;
  return owns(codes) ? encoded : { ...encoded, values: { codes: codes.slice(), dictionary } };
}

/** Metrics per period and chunk, thresholds, alerts, drift and quality in the roles' order, root causes. */
function finishAnalysis(run: AnalysisRun, outcomes: FeatureOutcome[], searchSlices?: SliceSearch): AnalysisResult {
  const { options, roles, inferred, targets, current: currentData, reference: referenceData } = run;
  const byFeature = new Map(outcomes.map(outcome => [outcome.feature, outcome]));
  const ordered = roles.features.map(feature => byFeature.get(feature) as FeatureOutcome);
  const warnings = [...run.warnings];
  for (const period of referenceData ? (['reference', 'current'] as const) : (['current'] as const)) {
    for (const outcome of ordered) {
      if (outcome.warnings[period]) {
        warnings.push(outcome.warnings[period] as string);
      }
    }
    // values of another kind than their feature's (text in a numeric column, …), named by the first of them
    const data = run[period] as PeriodData;
    for (const outcome of ordered) {
      const count = outcome.quality.type_mismatches[period];
      const type = outcome.drift?.type ?? data.features.get(outcome.feature)?.type;
      if (count > 0 && type) {
        warnings.push(mismatchWarning(outcome.feature, type, count, data));
      }
    }
    const labels = data.metricColumns.targets;
    if (labels?.task === 'binary' && labels.labels.length > 0 && labels.labels.every(label => label === labels.labels[0])) {
      warnings.push(
        `label "${roles.label}" holds one class only in ${data.source} (every row ${labels.labels[0] ? 'positive' : 'negative'}): ` +
          'roc_auc is undefined there (shown as —)'
      );
    }
  }

  // metrics per period and per chunk, with the per-chunk drift of every feature
  const withDrift = referenceData ? ordered : [];
  const computed = run.metrics as NonNullable<AnalysisRun['metrics']>;
  const periodResult = (data: PeriodData): { metrics: MetricValues; chunks: ChunkResult[] } => {
    const ofPeriod = computed[data.period] as { period: MetricValues; chunks: MetricValues[] };
    return { metrics: ofPeriod.period, chunks: chunkResults(data, ofPeriod.chunks, withDrift) };
  };
  const referenceResult = referenceData ? periodResult(referenceData) : null;
  const currentResult = periodResult(currentData);
  const metrics = { reference: referenceResult?.metrics ?? null, current: currentResult.metrics };
  const referenceChunks = referenceResult?.chunks ?? [];
  const currentChunks = currentResult.chunks;

  // thresholds from the reference chunks, alerts on the current ones
  const metricNames = [...new Set(referenceChunks.flatMap(chunk => Object.keys(chunk.metrics)))];
  const thresholds = referenceData
    ? referenceThresholds(referenceChunks, metricNames, withDrift.map(outcome => outcome.feature), metricRange)
    : {};
  const alerts = findAlerts(currentChunks, thresholds);
  const driftedFeatures = new Set(
    alerts.filter(alert => alert.metric.startsWith(DRIFT_PREFIX)).map(alert => alert.metric.slice(DRIFT_PREFIX.length))
  );

  // drift of each feature with every method, and data quality
  const drift: FeatureDrift[] = [];
  for (const outcome of ordered) {
    if (outcome.drift) {
      drift.push({ ...outcome.drift, drifted: driftedFeatures.has(outcome.feature) });
    }
  }
  if (!referenceData) {
    warnings.push('no reference data: thresholds, alerts and drift are not computed');
  }
  const dataQuality = ordered.map(outcome => outcome.quality);
  // features another thread analysed: their values, for the root-cause search (in the roles' order)
  for (const period of ['reference', 'current'] as const) {
    const data = run[period];
    const features = new Map<string, EncodedFeature>();
    for (const outcome of ordered) {
      const encoded = data?.features.get(outcome.feature) ?? outcome.encoded?.[period];
      if (encoded) {
        features.set(outcome.feature, encoded);
      }
    }
    if (data) {
      data.features = features;
    }
  }

  return {
    version: 1,
    task: (targets as NonNullable<AnalysisRun['targets']>).task,
    rows: { reference: referenceData?.rows ?? 0, current: currentData.rows },
    metrics,
    chunks: [...referenceChunks, ...currentChunks],
    thresholds,
    alerts,
    drift,
    data_quality: dataQuality,
    root_causes: referenceData
      ? findRootCauses({
          task: (targets as NonNullable<AnalysisRun['targets']>).task,
          roles,
          classes: targets?.classes ?? null,
          positiveClass: targets?.positiveClass ?? null,
          primaryMetric: options.primaryMetric,
          reference: referenceData,
          current: currentData,
          metrics,
          thresholds,
          alerts,
          drift,
          dataQuality,
          codings: new Map(ordered.flatMap(outcome => (outcome.coding ? [[outcome.feature, outcome.coding] as const] : []))),
          prepared: run.rootCauses,
          searchSlices
        })
      : [],
    roles,
    inferred,
    warnings
  };
}

// ------------------------------------------------------------------------------------------- inputs

/** Materialise filters and orderings, drop grouping, and refuse empty tables or repeated column names. */
function prepareTable(table: ColumnTable, source: string): ColumnTable {
  let prepared = table.isFiltered() || table.isOrdered() ? table.reify() : table;
  if (prepared.isGrouped()) {
    prepared = prepared.ungroup();
  }
  const names = prepared.columnNames();
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) {
    throw new InputError(`${source}: duplicate column name "${repeated}"`);
  }
  if (prepared.numRows() === 0) {
    throw new InputError(`${source}: no rows`);
  }
  return prepared;
}

function checkCustomMetricNames(expressions: Record<string, string>): void {
  const builtIn = new Set([...BINARY_METRICS, ...MULTICLASS_METRICS, ...REGRESSION_METRICS, ...LATENCY_METRICS]);
  for (const name of Object.keys(expressions)) {
    if (builtIn.has(name) || name.startsWith(DRIFT_PREFIX)) {
      throw new InputError(`custom metric "${name}": the name is taken by a built-in metric`);
    }
    if (typeof expressions[name] !== 'string') {
      throw new InputError(`custom metric "${name}": the expression must be a string`);
    }
  }
}

/** Every column the analysis reads must also be in the reference. */
function checkReferenceColumns(roles: Roles, reference: ColumnTable, source: string): void {
  const available = new Set(reference.columnNames());
  const needed: Array<[role: string, column: string | undefined]> = [
    ['label', roles.label],
    ['prediction', roles.prediction],
    ['score', roles.score],
    ['timestamp', roles.timestamp],
    ['latency', roles.latency],
    ...(roles.scores ?? []).map((column): [string, string] => ['score', column]),
    ...roles.features.map((column): [string, string] => ['feature', column])
  ];
  for (const [role, column] of needed) {
    if (column !== undefined && !available.has(column)) {
      throw new InputError(
        `${role} column "${column}" not found in ${source} (columns: ${listColumns(reference.columnNames())})`
      );
    }
  }
}

// ------------------------------------------------------------------------------------------- encoding

/** A feature's type, decided from the kinds of values in both periods together, and those kinds. */
interface FeatureKinds {
  type: 'numeric' | 'categorical';
  counts: Record<Period, KindCounts | null>;
}

function decideFeatureTypes(
  features: string[],
  current: TableColumns,
  reference: TableColumns | null
): Map<string, FeatureKinds> {
  const kinds = new Map<string, FeatureKinds>();
  for (const feature of features) {
    const currentCounts = current.kinds(feature);
    const referenceCounts = reference ? reference.kinds(feature) : null;
    const counts = referenceCounts ? addKindCounts(currentCounts, referenceCounts) : currentCounts;
    // only a column without any value is typed by its storage
    const empty = counts.numbers + counts.dates + counts.strings + counts.booleans + counts.others === 0;
    const type = featureTypeOf(counts, empty && ArrayBuffer.isView(current.values(feature)));
    kinds.set(feature, { type, counts: { current: currentCounts, reference: referenceCounts } });
  }
  return kinds;
}

/** `withLatency`: also the latency column (the metrics read it; the feature stage alone does not). */
function encodePeriod(
  period: Period,
  columns: TableColumns,
  source: string,
  roles: Roles,
  targets: Targets | null,
  withLatency: boolean
): PeriodData {
  const rows = columns.rows;
  let timestamps = roles.timestamp ? encodeTimestamps(columns.values(roles.timestamp), roles.timestamp, source) : null;
  let latency = roles.latency && withLatency ? encodeNumeric(columns.values(roles.latency)) : null;
  const order = timestamps ? timestampOrder(timestamps) : null;
  let sortedTargets = targets;
  if (order && timestamps) {
    timestamps = permute(timestamps, order);
    latency = latency && permute(latency, order);
    sortedTargets = targets && permuteTargets(targets, order);
  }
  return {
    period,
    table: columns.table,
    columns,
    source,
    rows,
    timestamps,
    order,
    metricColumns: { targets: sortedTargets, latency },
    features: new Map(),
    chunks: []
  };
}

/** Encodes features of a period for their decided types, in the period's timestamp order. */
function encodeFeatures(data: PeriodData, featureKinds: Map<string, FeatureKinds>): void {
  const { columns, order, period } = data;
  for (const [feature, { type, counts }] of featureKinds) {
    const values = type === 'categorical' ? columns.categoryCodes(feature) : columns.values(feature);
    const encoded = encodeFeature(values, type, counts[period] as KindCounts);
    if (!order) {
      data.features.set(feature, encoded);
    } else if (encoded.type === 'numeric') {
      data.features.set(feature, { ...encoded, values: permute(encoded.values, order) });
    } else {
      const { codes, dictionary } = encoded.values;
      data.features.set(feature, { ...encoded, values: { codes: permute(codes, order), dictionary } });
    }
  }
}

type TypedArray = Float64Array | Int32Array | Uint8Array;

function permute<T extends TypedArray>(values: T, order: Int32Array, width = 1): T {
  const sorted = new (values.constructor as new (length: number) => T)(values.length);
  if (width === 1) {
    for (let i = 0; i < order.length; i++) {
      sorted[i] = values[order[i]];
    }
  } else {
    for (let i = 0; i < order.length; i++) {
      sorted.set(values.subarray(order[i] * width, (order[i] + 1) * width), i * width);
    }
  }
  return sorted;
}

function permuteTargets(targets: Targets, order: Int32Array): Targets {
  switch (targets.task) {
    case 'binary':
      return {
        ...targets,
        labels: permute(targets.labels, order),
        predictions: targets.predictions && permute(targets.predictions, order),
        scores: targets.scores && permute(targets.scores, order)
      };
    case 'multiclass':
      return {
        ...targets,
        labels: permute(targets.labels, order),
        predictions: targets.predictions && permute(targets.predictions, order),
        probabilities: targets.probabilities && permute(targets.probabilities, order, targets.classCount)
      };
    case 'regression':
      return {
        ...targets,
        labels: permute(targets.labels, order),
        predictions: targets.predictions && permute(targets.predictions, order)
      };
  }
}

// ------------------------------------------------------------------------------------------- chunks

/** A feature's reference, prepared once (bins, category counts) for per-chunk and whole-period drift. */
type PreparedReference =
  | { type: 'numeric'; values: Float64Array; prepared: PreparedNumericReference }
  | { type: 'categorical'; values: CategoryCodes; prepared: PreparedCategoricalReference };

/** `chunks`: the reference's, whose bin counts a numeric feature's preparation takes in the same pass. */
function prepareReference(reference: EncodedFeature, chunks: ChunkRows[]): PreparedReference {
  return reference.type === 'numeric'
    ? { type: 'numeric', values: reference.values, prepared: prepareNumericReference(reference.values, chunks) }
    : { type: 'categorical', values: reference.values, prepared: prepareCategoricalReference(reference.values) };
}

/** Jensen-Shannon distance of rows [start, end) of a feature against its whole reference. */
function chunkJensenShannon(reference: PreparedReference, encoded: EncodedFeature, start: number, end: number): number | null {
  if (reference.type === 'numeric' && encoded.type === 'numeric') {
    return numericJensenShannon(reference.prepared, encoded.values.subarray(start, end));
  }
  if (reference.type === 'categorical' && encoded.type === 'categorical') {
    const { codes, dictionary } = encoded.values;
    return categoricalJensenShannon(reference.prepared, { codes: codes.subarray(start, end), dictionary });
  }
  return null;
}

function chunkResults(data: PeriodData, chunkMetrics: MetricValues[], outcomes: FeatureOutcome[]): ChunkResult[] {
  return data.chunks.map((chunk, i) => {
    const drift: ChunkResult['drift'] = {};
    for (const outcome of outcomes) {
      drift[outcome.feature] = { jensen_shannon: outcome.chunkDrift[data.period][i] ?? null };
    }
    return {
      period: data.period,
      index: chunk.index,
      ...chunkTimes(data.timestamps, chunk),
      rows: chunk.end - chunk.start,
      metrics: chunkMetrics[i],
      drift
    };
  });
}

/** Rows of the original table that form a chunk (custom metrics read the table itself). */
function chunkRowIndices(data: PeriodData, chunk: ChunkRows): Int32Array {
  if (data.order) {
    return data.order.subarray(chunk.start, chunk.end);
  }
  const rows = new Int32Array(chunk.end - chunk.start);
  for (let i = 0; i < rows.length; i++) {
    rows[i] = chunk.start + i;
  }
  return rows;
}

// ------------------------------------------------------------------------------------------- drift

function featureDrift(feature: string, reference: PreparedReference, current: EncodedFeature, drifted: boolean): FeatureDrift {
  if (reference.type === 'numeric' && current.type === 'numeric') {
    return { feature, type: 'numeric', drifted, methods: numericDrift(reference.values, current.values, reference.prepared) };
  }
  if (reference.type === 'categorical' && current.type === 'categorical') {
    return {
      feature,
      type: 'categorical',
      drifted,
      methods: categoricalDrift(reference.values, current.values, reference.prepared)
    };
  }
  throw new Error(`feature "${feature}" is encoded as ${reference.type} in the reference and ${current.type} now`);
}

// ------------------------------------------------------------------------------------------- output

/** A warning naming a feature's values of another kind than the feature, with the first one and its row. */
function mismatchWarning(feature: string, type: FeatureType, count: number, data: PeriodData): string {
  const values = data.columns.values(feature);
  let row = -1;
  if (type === 'numeric') {
    for (let i = 0; i < values.length && row < 0; i++) {
      const value = values[i];
      if (value !== null && value !== undefined && typeof value !== 'number' && typeof value !== 'bigint' && !(value instanceof Date)) {
        row = i;
      }
    }
  } else {
    const kinds = countKinds(values);
    const kind = kinds.strings >= kinds.booleans ? 'string' : 'boolean';
    for (let i = 0; i < values.length && row < 0; i++) {
      const value = values[i];
      if (value !== null && value !== undefined && !(typeof value === 'number' && Number.isNaN(value)) && typeof value !== kind) {
        row = i;
      }
    }
  }
  const first = row >= 0 ? ` (first ${describeValue(values[row])} at row ${row})` : '';
  const what = type === 'numeric' ? 'are not numbers' : 'are of another type than the column\'s';
  const effect = type === 'numeric' ? 'they count as missing' : 'they count as their text';
  return `feature "${feature}" of ${data.source}: ${count} value${count === 1 ? '' : 's'} ${what}${first}; ${effect}`;
}

function finiteOrNull(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : value;
}

/** Metric values as plain JSON: NaN or ±Infinity (never expected) become null. */
function finiteMetrics(metrics: MetricValues): MetricValues {
  for (const name of Object.keys(metrics)) {
    metrics[name] = finiteOrNull(metrics[name]);
  }
  return metrics;
}
