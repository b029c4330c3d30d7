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
  const values: Array<string | null> = [];
  const decoder = new TextDecoder();
  const sources: Uint8Array[] = [];
  let hashes = new Int32Array(64);
  let slots = new Int32Array(128);
  /** (length, first and last byte) → the one entry with them + 1; 0 for none, −1 for several. */
  const quick = new Int32Array(32 << 8);
  let nullId = -1;
  let row = 0;
  for (const batch of arrow.data) {
    const bytes = batch.values as Uint8Array;
    const offsets = batch.offsets as Int32Array;
    const n = batch.length;
    let mask = slots.length - 1;
    for (let i = 0; i < n; i++) {
      const from = offsets[i];
      const to = offsets[i + 1];
      // most columns tell their few values apart by length, first and last byte: check that one candidate first
      const length = to - from;
      const quickKey = length === 0 ? 0 : (Math.min(length, 31) << 8) | ((bytes[from] * 31 + bytes[to - 1]) & 255);
      const quickEntry = quick[quickKey];
      if (quickEntry > 0 && sameBytes(sources[quickEntry - 1], bytes, from, to)) {
        ids[row + i] = quickEntry - 1;
        continue;
      }
      let hash = 0x811c9dc5;
      for (let b = from; b < to; b++) {
        hash = Math.imul(hash ^ bytes[b], 0x01000193);
      }
      let slot = hash & mask;
      let id = -1;
      for (let entry = slots[slot]; entry !== 0; entry = slots[slot]) {
        if (hashes[entry - 1] === hash && sameBytes(sources[entry - 1], bytes, from, to)) {
          id = entry - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (id === -1) {
        id = values.length;
        const slice = bytes.subarray(from, to);
        values.push(decoder.decode(slice));
        sources.push(slice);
        if (id >= hashes.length) {
          const grown = new Int32Array(2 * id + 2);
          grown.set(hashes);
          hashes = grown;
        }
        hashes[id] = hash;
        slots[slot] = id + 1;
        quick[quickKey] = quick[quickKey] === 0 ? id + 1 : -1;
        if (2 * values.length > slots.length) {
          slots = new Int32Array(2 * slots.length);
          mask = slots.length - 1;
          for (let entry = 0; entry < values.length; entry++) {
            if (values[entry] === null) {
              continue; // the null rows' id is never looked up by bytes
            }
            let free = hashes[entry] & mask;
            while (slots[free] !== 0) {
              free = (free + 1) & mask;
            }
            slots[free] = entry + 1;
          }
        }
      }
      ids[row + i] = id;
    }
    if (batch.nullCount > 0 && batch.validity) {
      const validity = batch.validity;
      for (let i = 0; i < n; i++) {
        if ((validity[i >> 3] & (1 << (i & 7))) === 0) {
          if (nullId === -1) {
            nullId = values.length;
            values.push(null);
            sources.push(new Uint8Array(0));
          }
          ids[row + i] = nullId;
        }
      }
    }
    row += n;
  }
  return { ids, values };
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
