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
import { findRootCauses } from './root-causes/index.js';
import { listColumns, resolveRoles } from './roles.js';
import { encodeTargets } from './task.js';
import { DRIFT_PREFIX, findAlerts, referenceThresholds } from './thresholds.js';
import {
  InputError,
  type AnalysisResult,
  type AnalyzeOptions,
  type ChunkResult,
  type FeatureDrift,
  type MetricValues,
  type Period,
  type Roles
} from './types.js';

/** One period, encoded and in timestamp order. */
interface PeriodData {
  period: Period;
  table: ColumnTable;
  source: string;
  rows: number;
  timestamps: Float64Array | null;
  /** Rows of `table` in timestamp order; null when the table already is in order. */
  order: Int32Array | null;
  metricColumns: MetricColumns;
  features: Map<string, EncodedFeature>;
  chunks: ChunkRows[];
}

export function analyze(current: ColumnTable, reference: ColumnTable | null, options: AnalyzeOptions): AnalysisResult {
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
  const customExpressions = options.customMetrics ?? {};
  checkCustomMetricNames(customExpressions);

  // encode label, prediction and scores (this fixes the task and the classes)
  const currentColumns = new TableColumns(currentTable);
  const referenceColumns = referenceTable ? new TableColumns(referenceTable) : null;
  const targets = encodeTargets(
    { columns: currentColumns, source: sources.current },
    referenceColumns ? { columns: referenceColumns, source: sources.reference } : null,
    { roles, task: options.task, positiveLabel: options.positiveLabel }
  );
  warnings.push(...targets.warnings);
  if (targets.scoreColumns && !roles.scores) {
    roles.scores = targets.scoreColumns;
    inferred.push('scores');
    roles.features = roles.features.filter(feature => !targets.scoreColumns?.includes(feature));
  }
  if (referenceTable) {
    checkReferenceColumns(roles, referenceTable, sources.reference);
  }

  // encode timestamps, latency and features, then put each period in timestamp order
  const featureKinds = decideFeatureTypes(roles.features, currentColumns, referenceColumns);
  const currentData = encodePeriod('current', currentColumns, sources.current, roles, targets.current, featureKinds);
  const referenceData = referenceColumns
    ? encodePeriod('reference', referenceColumns, sources.reference, roles, targets.reference, featureKinds)
    : null;
  for (const data of referenceData ? [referenceData, currentData] : [currentData]) {
    data.chunks = chunkRows(data.rows, data.timestamps, options);
    for (const [feature, encoded] of data.features) {
      if (encoded.missing + encoded.mismatches === encoded.rows) {
        warnings.push(`feature "${feature}" has no usable value in ${data.source}: its drift is not computed`);
      }
    }
  }

  // metrics per period and per chunk, and per-chunk drift against the whole reference
  const references = referenceData ? prepareReferences(referenceData.features) : new Map<string, PreparedReference>();
  const periodResult = (data: PeriodData): { metrics: MetricValues; chunks: ChunkResult[] } => {
    const computed = periodAndChunkMetrics(data.metricColumns, data.chunks);
    return {
      metrics: finiteMetrics({ ...computed.period, ...customMetrics(data.table, customExpressions) }),
      chunks: chunkResults(data, computed.chunks, customExpressions, references)
    };
  };
  const referenceResult = referenceData ? periodResult(referenceData) : null;
  const currentResult = periodResult(currentData);
  const metrics = { reference: referenceResult?.metrics ?? null, current: currentResult.metrics };
  const referenceChunks = referenceResult?.chunks ?? [];
  const currentChunks = currentResult.chunks;

  // thresholds from the reference chunks, alerts on the current ones
  const metricNames = [...new Set(referenceChunks.flatMap(chunk => Object.keys(chunk.metrics)))];
  const thresholds = referenceData
    ? referenceThresholds(referenceChunks, metricNames, [...references.keys()], metricRange)
    : {};
  const alerts = findAlerts(currentChunks, thresholds);
  const driftedFeatures = new Set(
    alerts.filter(alert => alert.metric.startsWith(DRIFT_PREFIX)).map(alert => alert.metric.slice(DRIFT_PREFIX.length))
  );

  // drift of each feature with every method, and data quality
  const drift: FeatureDrift[] = [];
  for (const [feature, reference] of references) {
    drift.push(featureDrift(feature, reference, currentData.features.get(feature) as EncodedFeature, driftedFeatures.has(feature)));
  }
  if (!referenceData) {
    warnings.push('no reference data: thresholds, alerts and drift are not computed');
  }
  const dataQuality = roles.features.map(feature => {
    const reference = references.get(feature);
    return featureQuality(
      feature,
      currentData.features.get(feature) as EncodedFeature,
      referenceData?.features.get(feature) ?? null,
      reference?.type === 'categorical'
        ? { categories: reference.prepared.positionOf }
        : reference?.type === 'numeric'
          ? { range: reference.prepared.sample }
          : {}
    );
  });

  return {
    version: 1,
    task: targets.task,
    rows: { reference: referenceData?.rows ?? 0, current: currentData.rows },
    metrics,
    chunks: [...referenceChunks, ...currentChunks],
    thresholds,
    alerts,
    drift,
    data_quality: dataQuality,
    root_causes: referenceData
      ? findRootCauses({
          task: targets.task,
          roles,
          classes: targets.classes,
          positiveClass: targets.positiveClass,
          primaryMetric: options.primaryMetric,
          reference: referenceData,
          current: currentData,
          metrics,
          thresholds,
          alerts,
          drift,
          dataQuality
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

function encodePeriod(
  period: Period,
  columns: TableColumns,
  source: string,
  roles: Roles,
  targets: Targets | null,
  featureKinds: Map<string, FeatureKinds>
): PeriodData {
  const rows = columns.rows;
  let timestamps = roles.timestamp ? encodeTimestamps(columns.values(roles.timestamp), roles.timestamp, source) : null;
  let latency = roles.latency ? encodeNumeric(columns.values(roles.latency)) : null;
  const features = new Map<string, EncodedFeature>();
  for (const [feature, { type, counts }] of featureKinds) {
    const values = type === 'categorical' ? columns.categoryCodes(feature) : columns.values(feature);
    features.set(feature, encodeFeature(values, type, counts[period] as KindCounts));
  }

  const order = timestamps ? timestampOrder(timestamps) : null;
  let sortedTargets = targets;
  if (order && timestamps) {
    timestamps = permute(timestamps, order);
    latency = latency && permute(latency, order);
    sortedTargets = targets && permuteTargets(targets, order);
    for (const [feature, encoded] of features) {
      features.set(
        feature,
        encoded.type === 'numeric'
          ? { ...encoded, values: permute(encoded.values, order) }
          : { ...encoded, values: { codes: permute(encoded.values.codes, order), dictionary: encoded.values.dictionary } }
      );
    }
  }
  return {
    period,
    table: columns.table,
    source,
    rows,
    timestamps,
    order,
    metricColumns: { targets: sortedTargets, latency },
    features,
    chunks: []
  };
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

function prepareReferences(referenceFeatures: Map<string, EncodedFeature>): Map<string, PreparedReference> {
  const references = new Map<string, PreparedReference>();
  for (const [feature, reference] of referenceFeatures) {
    references.set(
      feature,
      reference.type === 'numeric'
        ? { type: 'numeric', values: reference.values, prepared: prepareNumericReference(reference.values) }
        : { type: 'categorical', values: reference.values, prepared: prepareCategoricalReference(reference.values) }
    );
  }
  return references;
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

function chunkResults(
  data: PeriodData,
  chunkMetrics: MetricValues[],
  customExpressions: Record<string, string>,
  references: Map<string, PreparedReference>
): ChunkResult[] {
  return data.chunks.map((chunk, i) => {
    const drift: ChunkResult['drift'] = {};
    for (const [feature, reference] of references) {
      const encoded = data.features.get(feature) as EncodedFeature;
      drift[feature] = { jensen_shannon: finiteOrNull(chunkJensenShannon(reference, encoded, chunk.start, chunk.end)) };
    }
    const rows = Object.keys(customExpressions).length > 0 ? chunkRowIndices(data, chunk) : undefined;
    return {
      period: data.period,
      index: chunk.index,
      ...chunkTimes(data.timestamps, chunk),
      rows: chunk.end - chunk.start,
      metrics: finiteMetrics({ ...chunkMetrics[i], ...customMetrics(data.table, customExpressions, rows) }),
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
