/**
 * Arrow UTF-8 columns read as integer ids: the one pass over a string column's bytes that every reader shares
 * (the decoded strings of `arrowColumnValues`, category counts, the root-cause coding).
 */

/** An Arrow UTF-8 column as ids per table row, the value of each id (null for missing) and its number of rows. */
export interface Utf8Ids {
  ids: Int32Array;
  values: Array<string | null>;
  counts: Float64Array;
}

const ARROW_UTF8 = 5;

/**
 * Ids of the values of an Arrow (flechette) UTF-8 column with 32-bit offsets, read from its bytes: each row's bytes
 * are hashed (FNV-1a) into an open-addressing table of the distinct byte sequences, each decoded once; null rows
 * (validity bit 0) share one id. Null for any other column (the caller then reads its decoded values). Computed once
 * per column object and kept while the column lives, unless `keep` is false (a reader that needs them once: they
 * take 4 bytes per row) or `forgetUtf8Ids` drops them.
 */
export function utf8Ids(column: unknown, keep = true): Utf8Ids | null {
  if (column === null || typeof column !== 'object') {
    return null;
  }
  const known = cache.get(column);
  if (known !== undefined) {
    return known;
  }
  const ids = readUtf8Ids(column);
  if (keep) {
    cache.set(column, ids);
  }
  return ids;
}

/** Drops a column's kept ids (the next `utf8Ids` reads its bytes again). */
export function forgetUtf8Ids(column: unknown): void {
  if (column !== null && typeof column === 'object') {
    cache.delete(column);
  }
}

/** Ids per column object: the analysis, its root causes and the decoded strings all share one pass. */
const cache = new WeakMap<object, Utf8Ids | null>();

function readUtf8Ids(column: object): Utf8Ids | null {
  const arrow = column as {
    length?: number;
    type?: { typeId?: number };
    data?: Array<{ length: number; nullCount: number; validity?: Uint8Array | null; values?: unknown; offsets?: unknown }>;
  } | null;
  if (!arrow || typeof arrow !== 'object' || arrow.type?.typeId !== ARROW_UTF8 || !Array.isArray(arrow.data) || typeof arrow.length !== 'number') {
    return null;
  }
  for (const batch of arrow.data) {
    if (!(batch.values instanceof Uint8Array) || !(batch.offsets instanceof Int32Array)) {
      return null;
    }
  }
  const ids = new Int32Array(arrow.length);
  const store = new DistinctBytes();
  let nullId = -1;
  let row = 0;
  for (const batch of arrow.data) {
    store.idsOf(batch.values as Uint8Array, batch.offsets as Int32Array, batch.length, ids, row);
    if (batch.nullCount > 0 && batch.validity) {
      const validity = batch.validity;
      for (let i = 0; i < batch.length; i++) {
        if ((validity[i >> 3] & (1 << (i & 7))) === 0) {
          if (nullId === -1) {
            nullId = store.addNull();
          }
          store.recount(ids[row + i], nullId);
          ids[row + i] = nullId;
        }
      }
    }
    row += batch.length;
  }
  return { ids, values: store.values, counts: store.rowCounts() };
}

/**
 * The distinct byte sequences met so far, their bytes copied one after the other into one buffer, and the rows of
 * each. A row's words are its first and last four bytes, which cover a value of up to 8 bytes (a value shorter than 4
 * bytes is one word of its bytes). The row is first checked against the one entry with its length and a hash of its words
 * (most categorical columns tell their values apart that way), by comparing the words and the bytes between them;
 * otherwise an FNV-1a hash of its bytes finds it in an open-addressing table.
 */
class DistinctBytes {
  readonly values: Array<string | null> = [];
  private readonly decoder = new TextDecoder();
  private bytes = new Uint8Array(1024);
  private used = 0;
  private starts = new Int32Array(64);
  private lengths = new Int32Array(64);
  private hashes = new Int32Array(64);
  /** Each entry's first and last word (see `firstWord`, `lastWord`). */
  private firstWords = new Int32Array(64);
  private lastWords = new Int32Array(64);
  private counts = new Float64Array(64);
  /** Slot → entry + 1 (0 = empty). */
  private slots = new Int32Array(128);
  /** (length, hash of the first and last word) → the one entry with them + 1; 0 for none, −1 for several. */
  private readonly quick = new Int32Array(32 << 10);

  /** Ids of rows [0, n) of one batch, written to `ids` from `offset`. */
  idsOf(data: Uint8Array, offsets: Int32Array, n: number, ids: Int32Array, offset: number): void {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const size = data.byteLength;
    const quick = this.quick;
    let { bytes, starts, lengths, firstWords, lastWords, counts } = this;
    for (let i = 0; i < n; i++) {
      const from = offsets[i];
      const to = offsets[i + 1];
      const length = to - from;
      let first: number;
      let last: number;
      if (from + 4 <= size) {
        // without a branch on the length: a shorter value's word is masked to its bytes, and is also its last word
        const mask = WORD_MASKS[Math.min(length, 4)];
        first = view.getInt32(from, true) & mask;
        last = view.getInt32(Math.max(from, to - 4), true) & mask;
      } else {
        first = length === 0 ? 0 : data[from] | (length > 1 ? data[from + 1] << 8 : 0) | (length > 2 ? data[from + 2] << 16 : 0);
        last = length >= 4 ? view.getInt32(to - 4, true) : first;
      }
      const quickKey = quickKeyOf(length, first, last);
      const candidate = quick[quickKey] - 1;
      if (candidate >= 0 && lengths[candidate] === length && firstWords[candidate] === first && lastWords[candidate] === last) {
        let same = true;
        if (length > 8) {
          for (let at = starts[candidate] + 4, b = from + 4; b < to - 4 && same; at++, b++) {
            same = bytes[at] === data[b];
          }
        }
        if (same) {
          ids[offset + i] = candidate;
          counts[candidate]++;
          continue;
        }
      }
      const id = this.lookUp(data, from, to, quickKey, first, last);
      ids[offset + i] = id;
      ({ bytes, starts, lengths, firstWords, lastWords, counts } = this);
      counts[id]++;
    }
  }

  /** A row counted for entry `from` belongs to entry `to` (a null row's bytes). */
  recount(from: number, to: number): void {
    this.counts[from]--;
    this.counts[to]++;
  }

  rowCounts(): Float64Array {
    return this.counts.slice(0, this.values.length);
  }

  addNull(): number {
    this.values.push(null);
    this.reserve(0);
    return this.values.length - 1;
  }

  private lookUp(data: Uint8Array, from: number, to: number, quickKey: number, first: number, last: number): number {
    let hash = 0x811c9dc5;
    for (let b = from; b < to; b++) {
      hash = Math.imul(hash ^ data[b], 0x01000193);
    }
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let entry = this.slots[slot]; entry !== 0; entry = this.slots[slot]) {
      if (this.hashes[entry - 1] === hash && this.same(entry - 1, data, from, to)) {
        return entry - 1;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.values.length;
    this.values.push(this.decoder.decode(data.subarray(from, to)));
    this.reserve(to - from);
    this.bytes.set(data.subarray(from, to), this.used);
    this.starts[id] = this.used;
    this.lengths[id] = to - from;
    this.hashes[id] = hash;
    this.firstWords[id] = first;
    this.lastWords[id] = last;
    this.used += to - from;
    this.slots[slot] = id + 1;
    this.quick[quickKey] = this.quick[quickKey] === 0 ? id + 1 : -1;
    if (2 * this.values.length > this.slots.length) {
      this.rehash();
    }
    return id;
  }

  private same(entry: number, data: Uint8Array, from: number, to: number): boolean {
    if (this.lengths[entry] !== to - from) {
      return false;
    }
    const start = this.starts[entry];
    for (let k = 0; k < to - from; k++) {
      if (this.bytes[start + k] !== data[from + k]) {
        return false;
      }
    }
    return true;
  }

  /** Room for one more entry of `length` bytes (the null entry has no bytes and never gets a slot). */
  private reserve(length: number): void {
    const entries = this.values.length;
    if (entries > this.starts.length) {
      const grow = (array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const grown = new Int32Array(2 * array.length);
        grown.set(array);
        return grown;
      };
      this.starts = grow(this.starts);
      this.lengths = grow(this.lengths);
      this.hashes = grow(this.hashes);
      this.firstWords = grow(this.firstWords);
      this.lastWords = grow(this.lastWords);
      const counts = new Float64Array(2 * this.counts.length);
      counts.set(this.counts);
      this.counts = counts;
    }
    if (entries > 0 && this.values[entries - 1] === null) {
      this.lengths[entries - 1] = -1;
    }
    if (this.used + length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.used + length));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
  }

  private rehash(): void {
    const slots = new Int32Array(2 * this.slots.length);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.values.length; entry++) {
      if (this.values[entry] === null) {
        continue; // the null rows' id is never looked up by bytes
      }
      let slot = this.hashes[entry] & mask;
      while (slots[slot] !== 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}

/** The bytes of a word that belong to a value of 0, 1, 2, 3 or at least 4 bytes (little-endian). */
const WORD_MASKS = Int32Array.of(0, 0xff, 0xffff, 0xffffff, -1);

/** A value's length and a 10-bit hash of its first and last word, as an index into the quick table. */
function quickKeyOf(length: number, first: number, last: number): number {
  return (Math.min(length, 31) << 10) | (Math.imul(first ^ Math.imul(last, 0x85ebca6b), 0x9e3779b1) >>> 22);
}
