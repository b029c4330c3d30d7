/**
 * DATA format "aggregates" (docs/trace-format.md, "Aggregates (pushdown)"): the sufficient statistics that the
 * engine holding the rows (DuckDB, Spark) computed, for both periods. Payloads may come from untrusted notebooks:
 * `parseAggregates` checks every field and names the first one at fault.
 */
import { InputError } from '../types.js';

/** A group row: its keys, then its row count, then the sums named by `sums`. */
export type GroupRow = Array<number | string | null>;

export type AggregatedTask = 'binary' | 'regression';

export interface NumericFeatureAggregates {
  type: 'numeric';
  /** M: sorted union of the Doane edges, the deciles and the quantile grid of the reference. */
  edges: number[];
  doane: number[];
  deciles: number[];
  grid: number[];
  /** Population standard deviation of the reference (ddof 0), for the normed Wasserstein distance. */
  std: number | null;
}

export interface CategoricalFeatureAggregates {
  type: 'categorical';
}

export type FeatureAggregates = NumericFeatureAggregates | CategoricalFeatureAggregates;

export interface PeriodFeatureAggregates {
  /** [cell, bucket | value, count, ...error sums]; bucket/value null = missing. */
  bins: GroupRow[];
  /** [chunk, doane bucket | value, count]. */
  chunks: GroupRow[];
  min?: number | null;
  max?: number | null;
}

export interface ChunkAggregates {
  rows: number;
  start: string | null;
  end: string | null;
}

export interface PeriodAggregates {
  rows: number;
  chunks: ChunkAggregates[];
  /** [chunk, cell, count, ...sums]. */
  cells: GroupRow[];
  /** [chunk, positive (1/0), calibration bin, count, Σ score]. */
  calibration: GroupRow[];
  /** [positive (1/0), score bin, count] over `scoreBins` bins: the whole period. */
  scores: GroupRow[];
  /** [chunk, positive (1/0), score bin, count] over `chunkScoreBins` bins. */
  chunkScores: GroupRow[];
  features: Record<string, PeriodFeatureAggregates>;
  /** [cell, value of each cube column, count, ...error sums]. */
  cube: GroupRow[];
  /**
   * A feature's root-cause bins by the cube's groups: [cell, bin, value of each cube column, count, ...error sums];
   * numeric bins: 0 below the reference min, 1 + #(deciles ≤ x) inside, deciles + 2 above; categorical: the value.
   */
  crosses: Record<string, GroupRow[]>;
}

export interface Aggregates {
  format: 'aggregates';
  version: 1;
  engine: string;
  task: AggregatedTask;
  positiveLabel: string | number | boolean | null;
  predictedBy: 'prediction' | 'score' | null;
  center: number;
  scoreBins: number;
  chunkScoreBins: number;
  chunkCount: number;
  sums: string[];
  /** Sums of a feature's bins and of the cube: the primary metric's error (regression: abs, sq; binary: none). */
  errorSums: string[];
  features: Record<string, FeatureAggregates>;
  /** Cube columns: the slice columns, then the model_version column if any. */
  slices: string[];
  reference: PeriodAggregates;
  current: PeriodAggregates;
}

/** The AGG "engine" of aggregates a kernel computed from rows it holds, sent ahead of them (modeltrace/_comm.py). */
export const KERNEL_ENGINE = 'kernel';

const ENGINE_NAMES: Record<string, string> = { duckdb: 'DuckDB', spark: 'Spark', [KERNEL_ENGINE]: 'the kernel' };

/** The engine that computed the aggregates, as a person names it. */
export function engineName(aggregates: Aggregates): string {
  return ENGINE_NAMES[aggregates.engine] ?? aggregates.engine;
}

/** Where the rows are, for sentences about what needs them. */
export function whereTheRowsAre(aggregates: Aggregates): string {
  return aggregates.engine === KERNEL_ENGINE ? 'which are still on their way from the kernel' : `which stayed in ${engineName(aggregates)}`;
}

/** Binary confusion cells of a group row. */
export const CELL = { tp: 0, fp: 1, tn: 2, fn: 3 } as const;

/** Sums carried by each group row, per task. */
export const BINARY_SUMS = ['score', 'brier', 'log_loss'];
export const REGRESSION_SUMS = ['abs', 'sq', 'ape', 'y', 'y2'];

const MAX_CHUNKS = 1000;
const MAX_SCORE_BINS = 100_000;

export function parseAggregates(value: unknown): Aggregates {
  const raw = object(value, 'current');
  if (raw.format !== 'aggregates' || raw.version !== 1) {
    throw new InputError(`trace payload: "current" aggregates must have format "aggregates" and version 1`);
  }
  const task = raw.task;
  if (task !== 'binary' && task !== 'regression') {
    throw new InputError(`trace payload: aggregates "task" must be binary or regression, got ${describe(task)}`);
  }
  const sums = strings(raw.sums, 'sums');
  const expected = task === 'regression' ? REGRESSION_SUMS : sums.length === 0 ? [] : BINARY_SUMS;
  if (sums.join() !== expected.join()) {
    throw new InputError(`trace payload: aggregates "sums" must be ${JSON.stringify(expected)} for ${task}, got ${describe(sums)}`);
  }
  const errorSums = strings(raw.error_sums ?? [], 'error_sums');
  const expectedErrors = task === 'regression' ? ['abs', 'sq'] : [];
  if (errorSums.join() !== expectedErrors.join()) {
    throw new InputError(`trace payload: aggregates "error_sums" must be ${JSON.stringify(expectedErrors)} for ${task}, got ${describe(errorSums)}`);
  }
  const chunkCount = integer(raw.chunk_count, 'chunk_count', 1, MAX_CHUNKS);
  const scored = sums.length > 0 && task === 'binary';
  const scoreBins = scored ? integer(raw.score_bins, 'score_bins', 1, MAX_SCORE_BINS) : 0;
  const chunkScoreBins = scored ? integer(raw.chunk_score_bins, 'chunk_score_bins', 1, MAX_SCORE_BINS) : 0;
  const features: Record<string, FeatureAggregates> = {};
  for (const [name, feature] of Object.entries(object(raw.features ?? {}, 'features'))) {
    features[name] = parseFeature(feature, name);
  }
  const slices = strings(raw.slices ?? [], 'slices');
  const shape: PeriodShape = { chunkCount, sums: sums.length, errorSums: errorSums.length, features, slices: slices.length, scoreBins, chunkScoreBins };
  const predictedBy = raw.predicted_by ?? null;
  if (predictedBy !== null && predictedBy !== 'prediction' && predictedBy !== 'score') {
    throw new InputError(`trace payload: aggregates "predicted_by" must be "prediction" or "score", got ${describe(predictedBy)}`);
  }
  const positiveLabel = raw.positive_label ?? null;
  if (positiveLabel !== null && !['string', 'number', 'boolean'].includes(typeof positiveLabel)) {
    throw new InputError(`trace payload: aggregates "positive_label" must be a string, number or boolean, got ${describe(positiveLabel)}`);
  }
  return {
    format: 'aggregates',
    version: 1,
    engine: typeof raw.engine === 'string' ? raw.engine : 'the data engine',
    task,
    positiveLabel: positiveLabel as Aggregates['positiveLabel'],
    predictedBy: predictedBy as Aggregates['predictedBy'],
    center: task === 'regression' ? finite(raw.center, 'center') : 0,
    scoreBins,
    chunkScoreBins,
    chunkCount,
    sums,
    errorSums,
    features,
    slices,
    reference: parsePeriod(raw.reference, 'reference', shape),
    current: parsePeriod(raw.current, 'current', shape)
  };
}

function parseFeature(value: unknown, name: string): FeatureAggregates {
  const raw = object(value, `features.${name}`);
  if (raw.type === 'categorical') {
    return { type: 'categorical' };
  }
  if (raw.type !== 'numeric') {
    throw new InputError(`trace payload: aggregates feature "${name}" must be numeric or categorical, got ${describe(raw.type)}`);
  }
  const field = (key: string): number[] => sortedNumbers(raw[key], `features.${name}.${key}`);
  const std = raw.std === undefined || raw.std === null ? null : finite(raw.std, `features.${name}.std`);
  return { type: 'numeric', edges: field('edges'), doane: field('doane'), deciles: field('deciles'), grid: field('grid'), std };
}

interface PeriodShape {
  chunkCount: number;
  sums: number;
  errorSums: number;
  scoreBins: number;
  chunkScoreBins: number;
  features: Record<string, FeatureAggregates>;
  slices: number;
}

function parsePeriod(value: unknown, period: string, shape: PeriodShape): PeriodAggregates {
  const raw = object(value, period);
  const chunks = list(raw.chunks, `${period}.chunks`).map((chunk, index) => {
    const entry = object(chunk, `${period}.chunks[${index}]`);
    return {
      rows: integer(entry.rows, `${period}.chunks[${index}].rows`, 0),
      start: optionalText(entry.start, `${period}.chunks[${index}].start`),
      end: optionalText(entry.end, `${period}.chunks[${index}].end`)
    };
  });
  if (chunks.length !== shape.chunkCount) {
    throw new InputError(`trace payload: aggregates "${period}.chunks" must list ${shape.chunkCount} chunks, got ${chunks.length}`);
  }
  const features: Record<string, PeriodFeatureAggregates> = {};
  const rawFeatures = object(raw.features ?? {}, `${period}.features`);
  for (const name of Object.keys(shape.features)) {
    const entry = object(rawFeatures[name], `${period}.features.${name}`);
    features[name] = {
      bins: groupRows(entry.bins, `${period}.features.${name}.bins`, 2, shape.errorSums, { 0: 4 }),
      chunks: groupRows(entry.chunks, `${period}.features.${name}.chunks`, 2, 0, { 0: shape.chunkCount }),
      min: entry.min === undefined || entry.min === null ? null : finite(entry.min, `${period}.features.${name}.min`),
      max: entry.max === undefined || entry.max === null ? null : finite(entry.max, `${period}.features.${name}.max`)
    };
  }
  return {
    rows: integer(raw.rows, `${period}.rows`, 0),
    chunks,
    cells: groupRows(raw.cells, `${period}.cells`, 2, shape.sums, { 0: shape.chunkCount, 1: 4 }),
    calibration: groupRows(raw.calibration ?? [], `${period}.calibration`, 3, 1, { 0: shape.chunkCount, 1: 2, 2: 10 }),
    scores: groupRows(raw.scores ?? [], `${period}.scores`, 2, 0, { 0: 2, 1: shape.scoreBins }),
    chunkScores: groupRows(raw.chunk_scores ?? [], `${period}.chunk_scores`, 3, 0, { 0: shape.chunkCount, 1: 2, 2: shape.chunkScoreBins }),
    features,
    cube: groupRows(raw.cube ?? [], `${period}.cube`, 1 + shape.slices, shape.errorSums, { 0: 4 }),
    crosses: Object.fromEntries(
      Object.entries(object(raw.crosses ?? {}, `${period}.crosses`))
        .filter(([name]) => name in shape.features)
        .map(([name, rows]) => [name, groupRows(rows, `${period}.crosses.${name}`, 2 + shape.slices, shape.errorSums, { 0: 4 })])
    )
  };
}

/**
 * Rows of `keys` keys (numbers, text or null), a count and `sums` finite numbers; `codes` gives the keys that are
 * codes (position → how many: the key must be an integer in [0, how many)).
 */
function groupRows(value: unknown, field: string, keys: number, sums: number, codes: Record<number, number> = {}): GroupRow[] {
  const rows = list(value, field);
  rows.forEach((row, index) => {
    if (!Array.isArray(row) || row.length !== keys + 1 + sums) {
      throw new InputError(`trace payload: aggregates "${field}[${index}]" must hold ${keys} keys, a count and ${sums} sums`);
    }
    for (let k = 0; k < row.length; k++) {
      const cell = row[k];
      const code = codes[k];
      const ok =
        code !== undefined
          ? Number.isInteger(cell) && cell >= 0 && cell < code
          : k < keys
            ? cell === null || typeof cell === 'string' || Number.isFinite(cell)
            : Number.isFinite(cell) && (k > keys || cell >= 0);
      if (!ok) {
        throw new InputError(`trace payload: aggregates "${field}[${index}][${k}]" is ${describe(cell)}`);
      }
    }
  });
  return rows as GroupRow[];
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`trace payload: aggregates "${field}" must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new InputError(`trace payload: aggregates "${field}" must be a list, got ${describe(value)}`);
  }
  return value;
}

function strings(value: unknown, field: string): string[] {
  const items = list(value, field);
  if (items.some(item => typeof item !== 'string')) {
    throw new InputError(`trace payload: aggregates "${field}" must be a list of strings`);
  }
  return items as string[];
}

function sortedNumbers(value: unknown, field: string): number[] {
  const items = list(value, field);
  items.forEach((item, index) => {
    if (!Number.isFinite(item) || (index > 0 && (item as number) <= (items[index - 1] as number))) {
      throw new InputError(`trace payload: aggregates "${field}" must be increasing finite numbers, got ${describe(item)} at ${index}`);
    }
  });
  if (items.length === 0) {
    throw new InputError(`trace payload: aggregates "${field}" is empty`);
  }
  return items as number[];
}

function finite(value: unknown, field: string): number {
  if (!Number.isFinite(value)) {
    throw new InputError(`trace payload: aggregates "${field}" must be a finite number, got ${describe(value)}`);
  }
  return value as number;
}

function integer(value: unknown, field: string, minimum: number, maximum = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || (value as number) < minimum || (value as number) > maximum) {
    throw new InputError(`trace payload: aggregates "${field}" must be an integer in [${minimum}, ${maximum}], got ${describe(value)}`);
  }
  return value as number;
}

function optionalText(value: unknown, field: string): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value !== 'string') {
    throw new InputError(`trace payload: aggregates "${field}" must be text or null, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
