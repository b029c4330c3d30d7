/**
 * The task of a trace and its encoded targets (label, prediction, scores) for both periods.
 *
 * Task inference, when the task is not given:
 * - a text or boolean label: 2 classes → binary, more → multiclass;
 * - a numeric label: non-integer values, or a prediction with non-integer values → regression;
 *   otherwise 2 distinct values → binary, up to 20 → multiclass, more → regression.
 * Classes are compared as text (1, 1.0 and "1" are the same class; booleans are "true"/"false") and sorted as
 * scikit-learn sorts them: numerically when every class is a number, as text otherwise.
 * The positive class (binary) is `positiveLabel`, or by default the class written 1 or true (any case).
 * Without a prediction column, binary predictions are score ≥ 0.5 and multiclass ones the first most probable
 * class; each such choice is reported in `warnings`.
 */
import { describeValue, encodeNumeric, parseNumber, type TableColumns } from './columns.js';
import type { Targets } from './metrics/index.js';
import { inferScoreColumns } from './roles.js';
import { InputError, type Roles, type Task } from './types.js';

/** Classification tasks support at most this many classes. */
export const MAX_CLASSES = 1000;
/** A numeric label with more distinct integers than this is a regression target. */
const MAX_INFERRED_CLASSES = 20;
/** Small non-negative integer labels (0/1, class indices) are looked up in an array, not a Map. */
const SMALL_INTEGERS = 1024;

export interface PeriodInput {
  columns: TableColumns;
  /** Name of the data in messages, e.g. the file name. */
  source: string;
}

export interface TargetOptions {
  roles: Roles;
  task?: Task;
  positiveLabel?: string | number | boolean;
}

export interface EncodedTargets {
  task: Task;
  /** Sorted class names (classification), null for regression. */
  classes: string[] | null;
  /** The positive class (binary). */
  positiveClass: string | null;
  /** Score columns per class (multiclass), possibly inferred from their names. */
  scoreColumns: string[] | null;
  current: Targets | null;
  reference: Targets | null;
  warnings: string[];
}

/** Decide the task and encode label, prediction and scores of both periods. */
export function encodeTargets(
  current: PeriodInput,
  reference: PeriodInput | null,
  options: TargetOptions
): EncodedTargets {
  const { roles } = options;
  const periods = reference ? [current, reference] : [current];
  const labels = roles.label ? periods.map(period => period.columns.values(roles.label as string)) : null;
  const predictions = roles.prediction
    ? periods.map(period => period.columns.values(roles.prediction as string))
    : null;
  const outcome = labels ?? predictions;
  const task =
    options.task ??
    (outcome ? inferTask(summarize(outcome), labels && predictions ? summarize(predictions) : null) : 'binary');
  const empty: EncodedTargets = {
    task,
    classes: null,
    positiveClass: null,
    scoreColumns: null,
    current: null,
    reference: null,
    warnings: []
  };
  if (!labels) {
    empty.warnings.push('no label column: performance metrics are not computed (drift and data quality only)');
    return empty;
  }
  const context: EncodingContext = { periods, roles, labels, predictions, warnings: [] };
  const encoded =
    task === 'regression'
      ? encodeRegression(context)
      : task === 'binary'
        ? encodeBinary(context, options.positiveLabel)
        : encodeMulticlass(context);
  return { ...empty, ...encoded, warnings: context.warnings };
}

interface EncodingContext {
  periods: PeriodInput[];
  roles: Roles;
  labels: ArrayLike<unknown>[];
  predictions: ArrayLike<unknown>[] | null;
  warnings: string[];
}

type EncodedPart = Pick<EncodedTargets, 'classes' | 'positiveClass' | 'scoreColumns' | 'current' | 'reference'>;

// ------------------------------------------------------------------------------------------- task inference

export interface OutcomeSummary {
  /** Every non-missing value is a number. */
  numeric: boolean;
  /** Every non-missing value is an integer (numeric outcomes). */
  integers: boolean;
  /** Distinct classes, counted up to MAX_INFERRED_CLASSES + 1. */
  distinct: number;
}

export function summarize(columns: ArrayLike<unknown>[]): OutcomeSummary {
  const summary: SummaryState = { smallIntegers: new Uint8Array(SMALL_INTEGERS), seen: [], numeric: true, integers: true };
  for (const values of columns) {
    if (values instanceof Float64Array) {
      summarizeNumbers(values, summary);
    } else {
      summarizeValues(values, summary);
    }
  }
  let distinct = summary.seen.length;
  for (let value = 0; value < SMALL_INTEGERS; value++) {
    distinct += summary.smallIntegers[value];
  }
  return { numeric: summary.numeric, integers: summary.numeric && summary.integers, distinct: Math.min(distinct, MAX_INFERRED_CLASSES + 1) };
}

/**
 * The classes `summarize` has seen: small non-negative integers flagged in a table, any other number as itself
 * and any other value by its `classKey` in a list of at most MAX_INFERRED_CLASSES + 1.
 */
interface SummaryState {
  smallIntegers: Uint8Array;
  seen: unknown[];
  numeric: boolean;
  integers: boolean;
}

/** A numeric column (NaN = missing). */
function summarizeNumbers(values: Float64Array, summary: SummaryState): void {
  const { smallIntegers, seen } = summary;
  let integers = summary.integers;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== value) {
      continue;
    }
    if (integers && !Number.isInteger(value)) {
      integers = false;
    }
    const index = value | 0;
    if (index === value && index >= 0 && index < SMALL_INTEGERS) {
      smallIntegers[index] = 1;
    } else if (seen.length <= MAX_INFERRED_CLASSES && !seen.includes(value)) {
      seen.push(value);
    }
  }
  summary.integers = integers;
}

function summarizeValues(values: ArrayLike<unknown>, summary: SummaryState): void {
  const { smallIntegers, seen } = summary;
  for (let i = 0; i < values.length; i++) {
    const raw = values[i];
    const value = typeof raw === 'bigint' ? Number(raw) : raw;
    if (typeof value === 'number') {
      if (value !== value) {
        continue;
      }
      if (summary.integers && !Number.isInteger(value)) {
        summary.integers = false;
      }
      const index = value | 0;
      if (index === value && index >= 0 && index < SMALL_INTEGERS) {
        smallIntegers[index] = 1;
        continue;
      }
    } else if (value === null || value === undefined) {
      continue;
    } else {
      summary.numeric = false;
    }
    const key = typeof value === 'number' ? value : classKey(value);
    if (seen.length <= MAX_INFERRED_CLASSES && !seen.includes(key)) {
      seen.push(key);
    }
  }
}

export function inferTask(label: OutcomeSummary, prediction: OutcomeSummary | null): Task {
  if (!label.numeric) {
    return label.distinct <= 2 ? 'binary' : 'multiclass';
  }
  if (!label.integers || (prediction !== null && prediction.numeric && !prediction.integers)) {
    return 'regression';
  }
  if (label.distinct <= 2) {
    return 'binary';
  }
  return label.distinct <= MAX_INFERRED_CLASSES ? 'multiclass' : 'regression';
}

// ------------------------------------------------------------------------------------------- classes

/** The class a value stands for, as text; null when missing. */
export function classKey(value: unknown): string | null {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) {
    return null;
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Class names sorted as scikit-learn sorts labels: numerically when all are numbers, else as text. */
export function sortClasses(classes: Iterable<string>): string[] {
  const list = [...new Set(classes)];
  if (list.every(name => !Number.isNaN(parseNumber(name)))) {
    return list.sort((a, b) => parseNumber(a) - parseNumber(b));
  }
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Whether a class name matches a label the user wrote ("1" matches 1 and 1.0, "TRUE" matches true). */
export function sameClass(name: string, wanted: string): boolean {
  if (name === wanted || name.toLowerCase() === wanted.toLowerCase()) {
    return true;
  }
  const a = parseNumber(name);
  return !Number.isNaN(a) && a === parseNumber(wanted);
}

interface Factorized {
  /** Index into `keys`, −1 for a missing value. */
  codes: Int32Array;
  keys: string[];
}

/** Codes and distinct class names of a column; each distinct value is turned into a class name once. */
function factorize(values: ArrayLike<unknown>): Factorized {
  const codes = new Int32Array(values.length);
  const keys: string[] = [];
  const codeOfKey = new Map<string, number>();
  const codeOf = (value: unknown): number => {
    const key = classKey(value);
    if (key === null) {
      return -1;
    }
    let code = codeOfKey.get(key);
    if (code === undefined) {
      code = keys.length;
      keys.push(key);
      codeOfKey.set(key, code);
    }
    return code;
  };
  if (values instanceof Float64Array) {
    factorizeNumbers(values, codes, keys, codeOf);
    return { codes, keys };
  }
  const codeOfValue = new Map<unknown, number>();
  const codeOfSmallInteger = new Int32Array(SMALL_INTEGERS).fill(UNKNOWN);
  for (let i = 0; i < values.length && keys.length <= MAX_CLASSES; i++) {
    const value = values[i];
    let code: number | undefined;
    if (typeof value === 'number' && value >= 0 && value < SMALL_INTEGERS && (value | 0) === value) {
      code = codeOfSmallInteger[value];
      if (code === UNKNOWN) {
        code = codeOfSmallInteger[value] = codeOf(value);
      }
    } else {
      code = codeOfValue.get(value);
      if (code === undefined) {
        code = codeOf(value);
        codeOfValue.set(value, code);
      }
    }
    codes[i] = code;
  }
  return { codes, keys };
}

/** `factorize` of a numeric column (NaN = missing): the same codes, from a loop over numbers only. */
function factorizeNumbers(values: Float64Array, codes: Int32Array, keys: string[], codeOf: (value: number) => number): void {
  const codeOfValue = new Map<number, number>();
  const codeOfSmallInteger = new Int32Array(SMALL_INTEGERS).fill(UNKNOWN);
  for (let i = 0; i < values.length && keys.length <= MAX_CLASSES; i++) {
    const value = values[i];
    const index = value | 0;
    let code: number | undefined;
    if (index === value && index >= 0 && index < SMALL_INTEGERS) {
      code = codeOfSmallInteger[index];
      if (code === UNKNOWN) {
        code = codeOfSmallInteger[index] = codeOf(value);
      }
    } else {
      code = codeOfValue.get(value);
      if (code === undefined) {
        code = codeOf(value);
        codeOfValue.set(value, code);
      }
    }
    codes[i] = code;
  }
}

const UNKNOWN = -3;

/**
 * Re-code factorized values into the positions of `classes`. A name that is not a class matches the class it
 * stands for ("1.0" → 1, true → 1, false → 0) when there is one; −2 marks a value outside the classes.
 */
function recode(factorized: Factorized, classes: string[]): Int32Array {
  const mapping = factorized.keys.map(key => matchClass(key, classes));
  const codes = new Int32Array(factorized.codes.length);
  for (let i = 0; i < codes.length; i++) {
    const code = factorized.codes[i];
    codes[i] = code < 0 ? code : mapping[code];
  }
  return codes;
}

function matchClass(key: string, classes: string[]): number {
  const exact = classes.indexOf(key);
  if (exact >= 0) {
    return exact;
  }
  const equivalent = BOOLEAN_NUMBERS[key.toLowerCase()];
  const index = classes.findIndex(name => sameClass(name, key) || (equivalent !== undefined && sameClass(name, equivalent)));
  return index >= 0 ? index : -2;
}

const BOOLEAN_NUMBERS: Record<string, string | undefined> = { true: '1', false: '0', '1': 'true', '0': 'false' };

function firstRow(codes: Int32Array, code: number): number {
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === code) {
      return i;
    }
  }
  return -1;
}

function countOf(codes: Int32Array, code: number): number {
  let count = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === code) {
      count++;
    }
  }
  return count;
}

function checkNoMissing(codes: Int32Array, column: string, period: PeriodInput, what: string): void {
  const row = firstRow(codes, -1);
  if (row >= 0) {
    const count = countOf(codes, -1);
    throw new InputError(
      `column "${column}" of ${period.source}: ${count} missing ${what}${count > 1 ? 's' : ''}, first at row ${row}`
    );
  }
}

function listClasses(classes: string[]): string {
  const shown = classes.slice(0, 10).join(', ');
  return classes.length > 10 ? `${shown}, … (${classes.length} classes)` : shown;
}

/** Label classes of all periods; an InputError for missing labels, too many or too few classes. */
function labelClasses(context: EncodingContext): { factorized: Factorized[]; classes: string[] } {
  const column = context.roles.label as string;
  const factorized = context.labels.map(values => factorize(values));
  factorized.forEach((part, p) => checkNoMissing(part.codes, column, context.periods[p], 'label'));
  const classes = sortClasses(factorized.flatMap(part => part.keys));
  const sources = context.periods.map(period => period.source).join(' and ');
  if (classes.length > MAX_CLASSES) {
    throw new InputError(
      `column "${column}" of ${sources}: more than ${MAX_CLASSES} distinct labels; ` +
        'classification supports at most 1000 classes (pass --task regression for a numeric target)'
    );
  }
  if (classes.length < 2) {
    throw new InputError(
      `column "${column}" of ${sources}: one class only (${classes[0]}); classification metrics need at least two classes`
    );
  }
  return { factorized, classes };
}

// ------------------------------------------------------------------------------------------- binary

function encodeBinary(context: EncodingContext, positiveLabel: TargetOptions['positiveLabel']): EncodedPart {
  const { roles, periods } = context;
  const labelColumn = roles.label as string;
  const { factorized, classes } = labelClasses(context);
  if (classes.length > 2) {
    throw new InputError(
      `column "${labelColumn}": ${classes.length} classes (${listClasses(classes)}) for a binary task; ` +
        'use --task multiclass'
    );
  }
  const positiveClass = positiveClassOf(classes, positiveLabel, labelColumn);
  const positiveIndex = classes.indexOf(positiveClass);

  const scoreColumn = roles.score ?? binaryScoreColumn(roles.scores, classes, positiveClass);
  const targets = periods.map((period, p) => {
    const labels = positiveFlags(factorized[p], classes, positiveIndex);
    const scores = scoreColumn ? encodeScores(period.columns.values(scoreColumn), scoreColumn, period) : null;
    let predictions: Uint8Array | null = null;
    if (context.predictions) {
      const column = roles.prediction as string;
      const factorizedPredictions = factorize(context.predictions[p]);
      checkNoMissing(factorizedPredictions.codes, column, period, 'prediction');
      predictions = positiveFlags(factorizedPredictions, classes, positiveIndex);
      checkKnownClasses(predictions, context.predictions[p], column, period, labelColumn, classes);
    } else if (scores) {
      predictions = new Uint8Array(scores.length);
      for (let i = 0; i < scores.length; i++) {
        predictions[i] = scores[i] >= 0.5 ? 1 : 0;
      }
    }
    return { task: 'binary' as const, labels, predictions, scores };
  });
  if (!context.predictions && scoreColumn) {
    context.warnings.push(`no prediction column: predictions are "${scoreColumn}" ≥ 0.5`);
  }
  if (!context.predictions && !scoreColumn) {
    context.warnings.push('no prediction or score column: performance metrics are not computed');
  }
  return {
    classes,
    positiveClass,
    scoreColumns: null,
    current: targets[0],
    reference: targets[1] ?? null
  };
}

function positiveClassOf(classes: string[], given: TargetOptions['positiveLabel'], column: string): string {
  if (given !== undefined) {
    const wanted = String(given);
    const match = classes.find(name => sameClass(name, wanted));
    if (match === undefined) {
      throw new InputError(
        `positive label ${describeValue(wanted)} is not a class of column "${column}" (classes: ${listClasses(classes)})`
      );
    }
    return match;
  }
  const match = classes.find(name => sameClass(name, '1') || sameClass(name, 'true'));
  if (match === undefined) {
    throw new InputError(
      `column "${column}": classes ${listClasses(classes)} include neither 1 nor true; ` +
        'name the positive class with --positive-label'
    );
  }
  return match;
}

/** With per-class score columns in a binary task, the column of the positive class. */
function binaryScoreColumn(scores: string[] | undefined, classes: string[], positiveClass: string): string | undefined {
  if (!scores || scores.length === 0) {
    return undefined;
  }
  const mapping = mapScoreColumns(scores, classes);
  return mapping ? mapping[classes.indexOf(positiveClass)] : undefined;
}

/** 1 where a value is the positive class, 0 for the other class, NOT_A_CLASS for a value of neither class. */
function positiveFlags(factorized: Factorized, classes: string[], positiveIndex: number): Uint8Array {
  const flagOfKey = Uint8Array.from(factorized.keys, key => {
    const index = matchClass(key, classes);
    return index < 0 ? NOT_A_CLASS : index === positiveIndex ? 1 : 0;
  });
  const { codes } = factorized;
  const flags = new Uint8Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    flags[i] = flagOfKey[codes[i]];
  }
  return flags;
}

const NOT_A_CLASS = 2;

function checkKnownClasses(
  flags: Uint8Array,
  values: ArrayLike<unknown>,
  column: string,
  period: PeriodInput,
  labelColumn: string,
  classes: string[]
): void {
  const row = flags.indexOf(NOT_A_CLASS);
  if (row >= 0) {
    throw new InputError(
      `column "${column}" of ${period.source}: value ${describeValue(values[row])} at row ${row} is not a class of ` +
        `label column "${labelColumn}" (classes: ${listClasses(classes)})`
    );
  }
}

// ------------------------------------------------------------------------------------------- multiclass

function encodeMulticlass(context: EncodingContext): EncodedPart {
  const { roles, periods } = context;
  const labelColumn = roles.label as string;
  const { factorized, classes: labelClassNames } = labelClasses(context);
  const predictionParts = context.predictions?.map(values => factorize(values)) ?? null;
  const predictedOnly = (predictionParts ?? []).flatMap(part => part.keys).filter(key => matchClass(key, labelClassNames) < 0);
  const classes = sortClasses([...labelClassNames, ...predictedOnly]);
  if (classes.length > MAX_CLASSES) {
    throw new InputError(`column "${roles.prediction}": more than ${MAX_CLASSES} distinct predicted classes`);
  }
  const scoreColumns = multiclassScoreColumns(context, classes);
  const k = classes.length;
  const targets = periods.map((period, p) => {
    const labels = recode(factorized[p], classes);
    const probabilities = scoreColumns ? probabilityMatrix(period, scoreColumns, context.warnings) : null;
    let predictions: Int32Array | null = null;
    if (predictionParts) {
      predictions = recode(predictionParts[p], classes);
      checkNoMissing(predictions, roles.prediction as string, period, 'prediction');
    } else if (probabilities) {
      predictions = argmaxRows(probabilities, k);
    }
    return { task: 'multiclass' as const, labels, predictions, probabilities, classCount: k };
  });
  if (!predictionParts && scoreColumns) {
    context.warnings.push('no prediction column: predictions are the most probable class of the score columns');
  }
  if (!predictionParts && !scoreColumns) {
    context.warnings.push(`label "${labelColumn}" has no prediction or score columns: performance metrics are not computed`);
  }
  return { classes, positiveClass: null, scoreColumns, current: targets[0], reference: targets[1] ?? null };
}

function multiclassScoreColumns(context: EncodingContext, classes: string[]): string[] | null {
  const given = context.roles.scores;
  const columns = context.periods[0].columns.names;
  if (given && given.length > 0) {
    const mapping = mapScoreColumns(given, classes);
    if (!mapping) {
      context.warnings.push(
        `score columns ${given.join(', ')} do not match the ${classes.length} classes (${listClasses(classes)}): ` +
          'log_loss and roc_auc are not computed'
      );
    }
    return mapping;
  }
  const inferred = inferScoreColumns(columns, classes);
  if (inferred) {
    context.warnings.push(`score columns inferred from their names: ${inferred.join(', ')}`);
  }
  return inferred;
}

/**
 * The score column of each class: by name (the column is the class name or ends in "_<class>"), or else by
 * position in the sorted class order (scikit-learn's `predict_proba` columns); null when neither fits.
 */
export function mapScoreColumns(scoreColumns: string[], classes: string[]): string[] | null {
  const byName = classes.map(name => {
    const matches = scoreColumns.filter(column => column === name || column.endsWith(`_${name}`));
    return matches.length === 1 ? matches[0] : undefined;
  });
  if (byName.every(column => column !== undefined) && new Set(byName).size === classes.length) {
    return byName as string[];
  }
  return scoreColumns.length === classes.length ? scoreColumns : null;
}

/** Row-major n × k probabilities; rows that do not sum to 1 (numpy.allclose) are reported, not fixed. */
function probabilityMatrix(period: PeriodInput, scoreColumns: string[], warnings: string[]): Float64Array {
  const k = scoreColumns.length;
  const n = period.columns.rows;
  const matrix = new Float64Array(n * k);
  scoreColumns.forEach((column, c) => {
    const scores = encodeScores(period.columns.values(column), column, period);
    for (let i = 0; i < n; i++) {
      matrix[i * k + c] = scores[i];
    }
  });
  let offRows = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) {
      sum += matrix[i * k + c];
    }
    if (Math.abs(sum - 1) > 1e-8 + 1e-5) {
      offRows++;
    }
  }
  if (offRows > 0) {
    warnings.push(`${period.source}: ${offRows} rows of the score columns do not sum to 1`);
  }
  return matrix;
}

function argmaxRows(probabilities: Float64Array, k: number): Int32Array {
  const n = probabilities.length / k;
  const predictions = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) {
      if (probabilities[i * k + c] > probabilities[i * k + best]) {
        best = c;
      }
    }
    predictions[i] = best;
  }
  return predictions;
}

// ------------------------------------------------------------------------------------------- regression

function encodeRegression(context: EncodingContext): EncodedPart {
  const { roles, periods } = context;
  const targets = periods.map((period, p) => {
    const labels = encodeFinite(context.labels[p], roles.label as string, period);
    const predictions = context.predictions
      ? encodeFinite(context.predictions[p], roles.prediction as string, period)
      : null;
    return { task: 'regression' as const, labels, predictions };
  });
  if (!context.predictions) {
    context.warnings.push('no prediction column: regression metrics are not computed');
  }
  return { classes: null, positiveClass: null, scoreColumns: null, current: targets[0], reference: targets[1] ?? null };
}

// ------------------------------------------------------------------------------------------- validation

/** Finite numbers; an InputError naming the count and first row of values that are not. */
function encodeFinite(values: ArrayLike<unknown>, column: string, period: PeriodInput): Float64Array {
  const encoded = encodeNumeric(values);
  let bad = 0;
  let first = -1;
  for (let i = 0; i < encoded.length; i++) {
    if (!Number.isFinite(encoded[i])) {
      bad++;
      if (first < 0) {
        first = i;
      }
    }
  }
  if (bad > 0) {
    throw new InputError(
      `column "${column}" of ${period.source}: ${bad} value${bad > 1 ? 's are' : ' is'} not a finite number ` +
        `(missing, NaN, ±Infinity or text), first at row ${first} (${describeValue(values[first])})`
    );
  }
  return encoded;
}

/** Probabilities: finite numbers in [0, 1], else an InputError with the count and the first row. */
export function encodeScores(values: ArrayLike<unknown>, column: string, period: PeriodInput): Float64Array {
  const scores = encodeFinite(values, column, period);
  let outside = 0;
  let first = -1;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] < 0 || scores[i] > 1) {
      outside++;
      if (first < 0) {
        first = i;
      }
    }
  }
  if (outside > 0) {
    throw new InputError(
      `column "${column}" of ${period.source}: ${outside} value${outside > 1 ? 's' : ''} outside [0, 1], ` +
        `first at row ${first} (${scores[first]})`
    );
  }
  return scores;
}
