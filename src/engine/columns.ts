/**
 * Encoding of Arquero columns into what the kernels read: Float64Array for numbers (NaN = missing),
 * arrays of strings for categories (null = missing), epoch milliseconds for timestamps.
 *
 * Conventions:
 * - a value is missing when it is null, undefined or NaN;
 * - a feature is numeric when its numbers (and dates) outnumber its strings and booleans, categorical otherwise;
 *   the values of the minority kinds are *type mismatches*: they count in data quality and are left out of
 *   drift (a numeric-looking string in a numeric column keeps its number);
 * - timestamps are Date objects, numbers (epoch milliseconds) or ISO 8601 strings; a string without an offset
 *   is UTC. A missing or unparseable timestamp is an InputError naming the column, the value and the row.
 */
import type { ColumnTable } from 'arquero';
import { isCategoryCodes, type CategoryCodes } from './drift/categories.js';
import { arrowColumnValues, isArrowColumn } from './load/arrow-values.js';
import { forgetUtf8Ids, utf8Ids } from './load/utf8-ids.js';
import { InputError, type FeatureType } from './types.js';

/** The values of a column in row order, without copying when the column already is an array. */
export function columnValues(table: ColumnTable, name: string): ArrayLike<unknown> {
  const column = table.column(name) as unknown;
  if (Array.isArray(column) || ArrayBuffer.isView(column)) {
    return column as ArrayLike<unknown>;
  }
  if (isArrowColumn(column)) {
    const values = arrowColumnValues(column);
    if (values) {
      return values;
    }
  }
  const arrowLike = column as { toArray?: () => ArrayLike<unknown> } | undefined;
  if (arrowLike && typeof arrowLike.toArray === 'function') {
    return arrowLike.toArray();
  }
  return table.array(name) as ArrayLike<unknown>;
}

/** The columns of one table, each read once (`columnValues`) however often an analysis asks for it. */
export class TableColumns {
  private readonly cache = new Map<string, ArrayLike<unknown>>();
  private readonly codeCache = new Map<string, CategoryCodes>();

  constructor(readonly table: ColumnTable) {}

  get names(): string[] {
    return this.table.columnNames();
  }

  get rows(): number {
    return this.table.numRows();
  }

  values(name: string): ArrayLike<unknown> {
    let values = this.cache.get(name);
    if (values === undefined) {
      values = columnValues(this.table, name);
      this.cache.set(name, values);
    }
    return values;
  }

  /** The column as category codes; an Arrow UTF-8 column straight from its bytes, without a string per row. */
  categoryCodes(name: string): CategoryCodes {
    let codes = this.codeCache.get(name);
    if (codes === undefined) {
      const utf8 = utf8Ids(this.table.column(name));
      codes = utf8 ? { codes: utf8.ids, dictionary: utf8.values } : encodeCategoricalCodes(this.values(name));
      this.codeCache.set(name, codes);
    }
    return codes;
  }

  /**
   * Drops what was read of a column (its values, codes and an Arrow UTF-8 column's ids): an analysis that is done
   * with a column frees the memory, and reads it again if it must.
   */
  forget(name: string): void {
    this.cache.delete(name);
    this.codeCache.delete(name);
    forgetUtf8Ids(this.table.column(name));
  }

  /** `countKinds` of the column; for an Arrow UTF-8 column from its codes (strings and nulls only). */
  kinds(name: string): KindCounts {
    const utf8 = utf8Ids(this.table.column(name));
    if (!utf8) {
      return countKinds(this.values(name));
    }
    let missing = 0;
    for (let code = 0; code < utf8.counts.length; code++) {
      if (utf8.values[code] === null) {
        missing += utf8.counts[code];
      }
    }
    return { missing, numbers: 0, strings: utf8.ids.length - missing, booleans: 0, dates: 0, others: 0 };
  }
}

/** How many values of each kind a column holds. */
export interface KindCounts {
  missing: number;
  numbers: number;
  strings: number;
  booleans: number;
  /** Dates count with numbers (a date feature is numeric, in epoch milliseconds). */
  dates: number;
  /** Objects, arrays and anything else. */
  others: number;
}

export function countKinds(values: ArrayLike<unknown>): KindCounts {
  const counts: KindCounts = { missing: 0, numbers: 0, strings: 0, booleans: 0, dates: 0, others: 0 };
  if (isNumericArray(values)) {
    for (let i = 0; i < values.length; i++) {
      if (Number.isNaN(values[i])) {
        counts.missing++;
      }
    }
    counts.numbers = values.length - counts.missing;
    return counts;
  }
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    counts.numbers = values.length;
    return counts;
  }
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    switch (typeof value) {
      case 'number':
        if (Number.isNaN(value)) {
          counts.missing++;
        } else {
          counts.numbers++;
        }
        break;
      case 'bigint':
        counts.numbers++;
        break;
      case 'string':
        counts.strings++;
        break;
      case 'boolean':
        counts.booleans++;
        break;
      case 'undefined':
        counts.missing++;
        break;
      default:
        if (value === null) {
          counts.missing++;
        } else if (value instanceof Date) {
          counts.dates++;
        } else {
          counts.others++;
        }
    }
  }
  return counts;
}

export function addKindCounts(a: KindCounts, b: KindCounts): KindCounts {
  return {
    missing: a.missing + b.missing,
    numbers: a.numbers + b.numbers,
    strings: a.strings + b.strings,
    booleans: a.booleans + b.booleans,
    dates: a.dates + b.dates,
    others: a.others + b.others
  };
}

/** Numeric when numbers (and dates) outnumber the other kinds; a column without any value by its storage. */
export function featureTypeOf(counts: KindCounts, storedAsNumbers = false): FeatureType {
  const numeric = counts.numbers + counts.dates;
  const other = counts.strings + counts.booleans + counts.others;
  if (numeric + other === 0) {
    return storedAsNumbers ? 'numeric' : 'categorical';
  }
  return numeric > other ? 'numeric' : 'categorical';
}

/** Non-missing values whose kind differs from the feature type. */
export function typeMismatches(counts: KindCounts, type: FeatureType): number {
  if (type === 'numeric') {
    return counts.strings + counts.booleans + counts.others;
  }
  const present = counts.numbers + counts.strings + counts.booleans + counts.dates + counts.others;
  return present - Math.max(counts.strings, counts.booleans);
}

/**
 * Numbers as a Float64Array, NaN for missing values and non-numbers. A Float64Array input is returned as is
 * (zero-copy); numeric strings are parsed.
 */
export function encodeNumeric(values: ArrayLike<unknown>): Float64Array {
  if (values instanceof Float64Array) {
    return values;
  }
  if (isNumericArray(values)) {
    return Float64Array.from(values);
  }
  const encoded = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    encoded[i] = toNumber(values[i]);
  }
  return encoded;
}

export function toNumber(value: unknown): number {
  switch (typeof value) {
    case 'number':
      return value;
    case 'bigint':
      return Number(value);
    case 'string':
      return parseNumber(value);
    default:
      return value instanceof Date ? value.getTime() : NaN;
  }
}

/** A number written as text ("3.5", "-1e-3", "inf", "NaN"); NaN when the text is not one. */
export function parseNumber(text: string): number {
  const trimmed = text.trim();
  if (NUMBER_PATTERN.test(trimmed)) {
    return Number(trimmed);
  }
  if (INFINITY_PATTERN.test(trimmed)) {
    return trimmed.startsWith('-') ? -Infinity : Infinity;
  }
  return NaN;
}

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY_PATTERN = /^[+-]?(inf|infinity)$/i;

/** Categories as strings (booleans "true"/"false", numbers in JavaScript notation), null for missing. */
export function encodeCategorical(values: ArrayLike<unknown>): Array<string | null> {
  if (Array.isArray(values) && values.every(value => typeof value === 'string' || value === null)) {
    return values as Array<string | null>;
  }
  const encoded = new Array<string | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    encoded[i] = categoryOf(values[i]);
  }
  return encoded;
}

/** `encodeCategorical` as codes: one dictionary entry per distinct category (null included), in order of first row. */
export function encodeCategoricalCodes(values: ArrayLike<unknown>): CategoryCodes {
  const codes = new Int32Array(values.length);
  const dictionary: Array<string | null> = [];
  const codeOf = new Map<string | null, number>();
  let previous: unknown = {};
  let previousCode = -1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === previous && typeof value === 'string') {
      codes[i] = previousCode;
      continue;
    }
    const category = categoryOf(value);
    let code = codeOf.get(category);
    if (code === undefined) {
      code = dictionary.length;
      codeOf.set(category, code);
      dictionary.push(category);
    }
    codes[i] = code;
    previous = value;
    previousCode = code;
  }
  return { codes, dictionary };
}

export function categoryOf(value: unknown): string | null {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) {
    return null;
  }
  if (typeof value === 'string') {
    return value;
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : value.toISOString();
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

/**
 * Timestamps as epoch milliseconds; an InputError for the first missing or unparseable one. Numbers already in a
 * Float64Array (an Arrow timestamp column) are checked and returned as they are.
 */
export function encodeTimestamps(values: ArrayLike<unknown>, column: string, source: string): Float64Array {
  if (values instanceof Float64Array) {
    for (let i = 0; i < values.length; i++) {
      const time = values[i];
      if (!(Math.abs(time) <= MAX_DATE_MS)) {
        throw new InputError(`column "${column}" of ${source}: value ${describeValue(time)} at row ${i} is not a timestamp`);
      }
    }
    return values;
  }
  const encoded = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const time = typeof value === 'number' ? value : timestampOf(value);
    if (!Number.isFinite(time) || Math.abs(time) > MAX_DATE_MS) {
      const shown = value === null || value === undefined ? 'a missing value' : `value ${describeValue(value)}`;
      throw new InputError(`column "${column}" of ${source}: ${shown} at row ${i} is not a timestamp`);
    }
    encoded[i] = time;
  }
  return encoded;
}

/** The largest time a JavaScript Date can hold (±8.64e15 ms). */
const MAX_DATE_MS = 8.64e15;

function timestampOf(value: unknown): number {
  if (value instanceof Date) {
    return value.getTime();
  }
  if (typeof value === 'string') {
    return parseIsoTimestamp(value);
  }
  if (typeof value === 'bigint') {
    return Number(value);
  }
  return NaN;
}

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch milliseconds of an ISO 8601 date or date-time (UTC unless it carries an offset); NaN otherwise. */
export function parseIsoTimestamp(text: string): number {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) {
    return NaN;
  }
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', offset] = match;
  const fields = [Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)];
  const milliseconds = fraction ? Number(`0.${fraction}`) * 1000 : 0;
  const time = Date.UTC(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
  const check = new Date(time);
  if (
    check.getUTCMonth() !== fields[1] ||
    check.getUTCDate() !== fields[2] ||
    fields[3] > 23 ||
    fields[4] > 59 ||
    fields[5] > 59
  ) {
    return NaN;
  }
  return time + milliseconds - offsetMinutes(offset) * 60000;
}

function offsetMinutes(offset: string | undefined): number {
  if (!offset || offset.toUpperCase() === 'Z') {
    return 0;
  }
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}

/** A short, safe rendering of a value for error messages. */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') {
    text = JSON.stringify(value);
  } else if (value instanceof Date) {
    text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  } else if (typeof value === 'object' && value !== null) {
    text = JSON.stringify(value) ?? String(value);
  } else {
    text = String(value);
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function isNumericArray(values: ArrayLike<unknown>): values is ArrayLike<number> {
  return ArrayBuffer.isView(values) && !(values instanceof BigInt64Array || values instanceof BigUint64Array) &&
    !(values instanceof DataView);
}

/** A feature column of one period, encoded for its type. */
export type EncodedFeature =
  | { type: 'numeric'; values: Float64Array; rows: number; missing: number; mismatches: number }
  | { type: 'categorical'; values: CategoryCodes; rows: number; missing: number; mismatches: number };

/** A feature's values (or, for a categorical feature, possibly its codes already) encoded for its type. */
export function encodeFeature(values: ArrayLike<unknown> | CategoryCodes, type: FeatureType, counts: KindCounts): EncodedFeature {
  const coded = isCategoryCodes(values as CategoryCodes);
  const rows = coded ? (values as CategoryCodes).codes.length : (values as ArrayLike<unknown>).length;
  const common = { rows, missing: counts.missing, mismatches: typeMismatches(counts, type) };
  if (type === 'categorical') {
    return { type, values: coded ? (values as CategoryCodes) : encodeCategoricalCodes(values as ArrayLike<unknown>), ...common };
  }
  if (coded) {
    const { codes, dictionary } = values as CategoryCodes;
    const numbers = new Float64Array(codes.length);
    for (let i = 0; i < codes.length; i++) {
      numbers[i] = toNumber(dictionary[codes[i]]);
    }
    return { type, values: numbers, ...common };
  }
  return { type, values: encodeNumeric(values as ArrayLike<unknown>), ...common };
}
