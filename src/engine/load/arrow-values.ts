/**
 * The values of an Arrow column (a flechette Column inside an Arquero table) read straight from its buffers,
 * without a JavaScript value per row where the engine does not need one:
 * - integers, floats, dates and timestamps → Float64Array (null → NaN; dates and timestamps in epoch
 *   milliseconds, as flechette reads them with `useDate: false`; 64-bit integers from their two 32-bit halves,
 *   exact up to 2^53);
 * - UTF-8 strings → an array of strings, each distinct byte sequence decoded once (null stays null);
 * - booleans → an array of booleans.
 * Other types return null and are read by flechette's own `toArray()`.
 */

import { utf8Ids } from './utf8-ids.js';

const TYPE_INT = 2;
const TYPE_FLOAT = 3;
const TYPE_UTF8 = 5;
const TYPE_BOOL = 6;
const TYPE_DATE = 8;
const TYPE_TIMESTAMP = 10;
const TYPE_LARGE_UTF8 = 20;

const FLOAT_HALF = 0;
const DATE_DAY = 0;
const DAY_MS = 86_400_000;
/** Timestamp units (seconds, milliseconds, microseconds, nanoseconds) → milliseconds: × multiplier / divisor. */
const TIMESTAMP_UNITS: Array<[multiplier: number, divisor: number]> = [
  [1e3, 1],
  [1, 1],
  [1, 1e3],
  [1, 1e6]
];
const TWO_TO_32 = 4294967296;

export interface ArrowBatchLike {
  length: number;
  nullCount: number;
  validity?: Uint8Array | null;
  values?: ArrayLike<unknown> & { buffer?: ArrayBufferLike; byteOffset?: number };
  offsets?: ArrayLike<unknown> & { buffer?: ArrayBufferLike; byteOffset?: number };
}

export interface ArrowColumnLike {
  length: number;
  type: { typeId: number; precision?: number; unit?: number };
  data: ArrowBatchLike[];
}

/** Whether a column object is a flechette Column (batches of Arrow buffers). */
export function isArrowColumn(column: unknown): column is ArrowColumnLike {
  const candidate = column as Partial<ArrowColumnLike> | null;
  return (
    candidate !== null &&
    typeof candidate === 'object' &&
    Array.isArray(candidate.data) &&
    typeof candidate.type?.typeId === 'number'
  );
}

/** The column's values, or null when its type has no fast path here. */
export function arrowColumnValues(column: ArrowColumnLike): ArrayLike<unknown> | null {
  const { type } = column;
  switch (type.typeId) {
    case TYPE_INT:
      return numbers(column, 1, 1);
    case TYPE_FLOAT:
      return type.precision === FLOAT_HALF ? null : numbers(column, 1, 1);
    case TYPE_DATE:
      return numbers(column, type.unit === DATE_DAY ? DAY_MS : 1, 1);
    case TYPE_TIMESTAMP: {
      const [multiplier, divisor] = TIMESTAMP_UNITS[type.unit ?? 1] ?? [1, 1];
      return numbers(column, multiplier, divisor);
    }
    case TYPE_UTF8:
    case TYPE_LARGE_UTF8:
      return strings(column);
    case TYPE_BOOL:
      return booleans(column);
    default:
      return null;
  }
}

/** Numbers × multiplier / divisor; a single Float64 batch without nulls is returned without a copy. */
function numbers(column: ArrowColumnLike, multiplier: number, divisor: number): Float64Array | null {
  const batches = column.data;
  const scaled = multiplier !== 1 || divisor !== 1;
  if (batches.length === 1 && batches[0].nullCount === 0 && !scaled && batches[0].values instanceof Float64Array) {
    return batches[0].values.subarray(0, batches[0].length);
  }
  const output = new Float64Array(column.length);
  let row = 0;
  for (const batch of batches) {
    const values = batch.values;
    const n = batch.length;
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
      if (values instanceof BigInt64Array) {
        for (let i = 0; i < n; i++) {
          output[row + i] = (words[2 * i + 1] | 0) * TWO_TO_32 + words[2 * i];
        }
      } else {
        for (let i = 0; i < n; i++) {
          output[row + i] = words[2 * i + 1] * TWO_TO_32 + words[2 * i];
        }
      }
    } else if (ArrayBuffer.isView(values)) {
      output.set((values as unknown as Float64Array).subarray(0, n), row);
    } else {
      return null;
    }
    if (scaled) {
      for (let i = row; i < row + n; i++) {
        output[i] = (output[i] * multiplier) / divisor;
      }
    }
    if (batch.nullCount > 0 && batch.validity) {
      forEachNull(batch, n, i => {
        output[row + i] = NaN;
      });
    }
    row += n;
  }
  return output;
}

/**
 * UTF-8 strings, each distinct byte sequence decoded once: from the column's shared ids (`utf8Ids`), or for 64-bit
 * offsets by an FNV-1a hash of the bytes → first occurrence.
 */
function strings(column: ArrowColumnLike): Array<string | null> | null {
  const coded = utf8Ids(column);
  if (coded) {
    const { ids, values } = coded;
    const output = new Array<string | null>(ids.length);
    for (let i = 0; i < ids.length; i++) {
      output[i] = values[ids[i]];
    }
    return output;
  }
  const output = new Array<string | null>(column.length);
  const dictionary = new ByteDictionary();
  let row = 0;
  for (const batch of column.data) {
    const bytes = batch.values;
    const start = offsetReader(batch.offsets);
    if (!(bytes instanceof Uint8Array) || start === null) {
      return null;
    }
    const n = batch.length;
    for (let i = 0; i < n; i++) {
      output[row + i] = dictionary.string(bytes, start(i), start(i + 1));
    }
    if (batch.nullCount > 0 && batch.validity) {
      forEachNull(batch, n, i => {
        output[row + i] = null;
      });
    }
    row += n;
  }
  return output;
}

/** Distinct byte sequences and their decoded strings, in an open-addressing hash table. */
class ByteDictionary {
  private readonly decoder = new TextDecoder();
  private readonly decoded: string[] = [];
  private readonly sources: Uint8Array[] = [];
  private hashes = new Int32Array(64);
  /** Slot → entry + 1 (0 = empty). */
  private slots = new Int32Array(128);

  string(bytes: Uint8Array, from: number, to: number): string {
    let hash = 0x811c9dc5;
    for (let b = from; b < to; b++) {
      hash = Math.imul(hash ^ bytes[b], 0x01000193);
    }
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let entry = this.slots[slot]; entry !== 0; entry = this.slots[slot]) {
      if (this.hashes[entry - 1] === hash && sameBytes(this.sources[entry - 1], bytes, from, to)) {
        return this.decoded[entry - 1];
      }
      slot = (slot + 1) & mask;
    }
    const slice = bytes.subarray(from, to);
    const text = this.decoder.decode(slice);
    const entry = this.decoded.length;
    this.decoded.push(text);
    this.sources.push(slice);
    if (entry === this.hashes.length) {
      const grown = new Int32Array(2 * entry);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[entry] = hash;
    this.slots[slot] = entry + 1;
    if (2 * this.decoded.length > this.slots.length) {
      this.rehash();
    }
    return text;
  }

  private rehash(): void {
    const slots = new Int32Array(2 * this.slots.length);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.decoded.length; entry++) {
      let slot = this.hashes[entry] & mask;
      while (slots[slot] !== 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}

function booleans(column: ArrowColumnLike): Array<boolean | null> | null {
  const output = new Array<boolean | null>(column.length);
  let row = 0;
  for (const batch of column.data) {
    const bits = batch.values;
    if (!(bits instanceof Uint8Array)) {
      return null;
    }
    for (let i = 0; i < batch.length; i++) {
      output[row + i] = (bits[i >> 3] & (1 << (i & 7))) !== 0;
    }
    if (batch.nullCount > 0 && batch.validity) {
      forEachNull(batch, batch.length, i => {
        output[row + i] = null;
      });
    }
    row += batch.length;
  }
  return output;
}

/** Visit the rows of a batch whose validity bit is 0. */
function forEachNull(batch: ArrowBatchLike, n: number, visit: (row: number) => void): void {
  const validity = batch.validity as Uint8Array;
  for (let byte = 0; byte * 8 < n; byte++) {
    const bits = validity[byte];
    if (bits === 0xff) {
      continue;
    }
    for (let bit = 0; bit < 8 && byte * 8 + bit < n; bit++) {
      if ((bits & (1 << bit)) === 0) {
        visit(byte * 8 + bit);
      }
    }
  }
}

/** Reads 32-bit offsets directly and 64-bit ones from their 32-bit halves. */
function offsetReader(offsets: ArrowBatchLike['offsets']): ((index: number) => number) | null {
  if (offsets instanceof Int32Array) {
    return index => offsets[index];
  }
  if (offsets instanceof BigInt64Array) {
    const words = new Uint32Array(offsets.buffer, offsets.byteOffset, 2 * offsets.length);
    return index => words[2 * index + 1] * TWO_TO_32 + words[2 * index];
  }
  return null;
}

function sameBytes(first: Uint8Array, bytes: Uint8Array, from: number, to: number): boolean {
  if (first.length !== to - from) {
    return false;
  }
  for (let i = 0; i < first.length; i++) {
    if (first[i] !== bytes[from + i]) {
      return false;
    }
  }
  return true;
}
