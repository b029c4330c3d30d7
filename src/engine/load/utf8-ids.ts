/**
 * Arrow UTF-8 columns read as integer ids: the one pass over a string column's bytes that every reader shares
 * (the decoded strings of `arrowColumnValues`, category counts, the root-cause coding).
 */

/** An Arrow UTF-8 column as ids per table row and the value of each id (null for missing). */
export interface Utf8Ids {
  ids: Int32Array;
  values: Array<string | null>;
}

const ARROW_UTF8 = 5;

/**
 * Ids of the values of an Arrow (flechette) UTF-8 column with 32-bit offsets, read from its bytes: each row's bytes
 * are hashed (FNV-1a) into an open-addressing table of the distinct byte sequences, each decoded once; null rows
 * (validity bit 0) share one id. Null for any other column (the caller then reads its decoded values). Computed once
 * per column object.
 */
export function utf8Ids(column: unknown): Utf8Ids | null {
  if (column === null || typeof column !== 'object') {
    return null;
  }
  const known = cache.get(column);
  if (known !== undefined) {
    return known;
  }
  const ids = readUtf8Ids(column);
  cache.set(column, ids);
  return ids;
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
          ids[row + i] = nullId;
        }
      }
    }
    row += batch.length;
  }
  return { ids, values: store.values };
}

/**
 * The distinct byte sequences met so far, their bytes copied one after the other into one buffer so a comparison is a
 * loop over two Uint8Arrays. A row is first checked against the one entry with its length and first and last byte
 * (most categorical columns tell their values apart that way); otherwise an FNV-1a hash of its bytes finds it in an
 * open-addressing table.
 */
class DistinctBytes {
  readonly values: Array<string | null> = [];
  private readonly decoder = new TextDecoder();
  private bytes = new Uint8Array(1024);
  private used = 0;
  private starts = new Int32Array(64);
  private lengths = new Int32Array(64);
  private hashes = new Int32Array(64);
  /** Slot → entry + 1 (0 = empty). */
  private slots = new Int32Array(128);
  /** (length, first and last byte) → the one entry with them + 1; 0 for none, −1 for several. */
  private readonly quick = new Int32Array(32 << 8);

  /** Ids of rows [0, n) of one batch, written to `ids` from `offset`. */
  idsOf(data: Uint8Array, offsets: Int32Array, n: number, ids: Int32Array, offset: number): void {
    const quick = this.quick;
    let stored = this.bytes;
    let starts = this.starts;
    let lengths = this.lengths;
    for (let i = 0; i < n; i++) {
      const from = offsets[i];
      const to = offsets[i + 1];
      const length = to - from;
      const quickKey = length === 0 ? 0 : (Math.min(length, 31) << 8) | ((data[from] * 31 + data[to - 1]) & 255);
      const candidate = quick[quickKey] - 1;
      if (candidate >= 0 && lengths[candidate] === length) {
        let at = starts[candidate];
        let b = from;
        while (b < to && stored[at] === data[b]) {
          at++;
          b++;
        }
        if (b === to) {
          ids[offset + i] = candidate;
          continue;
        }
      }
      ids[offset + i] = this.lookUp(data, from, to, quickKey);
      stored = this.bytes;
      starts = this.starts;
      lengths = this.lengths;
    }
  }

  addNull(): number {
    this.values.push(null);
    this.reserve(0);
    return this.values.length - 1;
  }

  private lookUp(data: Uint8Array, from: number, to: number, quickKey: number): number {
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
