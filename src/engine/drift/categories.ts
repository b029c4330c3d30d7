/**
 * Category counts of a reference column, prepared once, and of current data against them. A category is any
 * string; null and undefined are missing and excluded. Categories keep the order in which the reference first shows
 * them; current categories the reference never had ("unseen") follow in the order the current data first shows them.
 *
 * A column comes as strings, or as integer codes into a dictionary (`CategoryCodes`, what the analysis encodes: one
 * look-up per distinct value instead of one per row).
 */

/** A categorical column as codes: row i holds `dictionary[codes[i]]`; a null entry is a missing value. */
export interface CategoryCodes {
  codes: Int32Array;
  dictionary: Array<string | null>;
}

export type CategoricalValues = ArrayLike<string | null> | CategoryCodes;

export function isCategoryCodes(values: CategoricalValues): values is CategoryCodes {
  return (values as Partial<CategoryCodes>).codes instanceof Int32Array;
}

/** Rows per code over rows [start, end). */
export function codeCounts(codes: Int32Array, codeCount: number, start = 0, end = codes.length): Float64Array {
  const counts = new Float64Array(codeCount);
  for (let i = start; i < end; i++) {
    counts[codes[i]]++;
  }
  return counts;
}

export interface PreparedCategoricalReference {
  /** Reference categories in first-seen order, and each one's position. */
  categories: string[];
  positionOf: Map<string, number>;
  /** Count of each reference category, and of all non-missing reference values. */
  counts: Float64Array;
  size: number;
  /** For each code dictionary of current data met so far: code → reference position, −1 unseen, −2 missing. */
  positionsByDictionary?: WeakMap<object, Int32Array>;
}

export interface CurrentCategoryCounts {
  /** Count of each reference category in the current data (same order as the reference's categories). */
  counts: Float64Array;
  /** Categories the reference never had, in first-seen order, with their counts. */
  unseenCategories: string[];
  unseenCounts: number[];
  /** Non-missing current values. */
  size: number;
}

export function prepareCategoricalReference(reference: CategoricalValues): PreparedCategoricalReference {
  if (isCategoryCodes(reference)) {
    return prepareFromCodes(reference);
  }
  const positionOf = new Map<string, number>();
  const categories: string[] = [];
  let counts = new Float64Array(16);
  let size = 0;
  for (let i = 0; i < reference.length; i++) {
    const value = reference[i];
    if (value === null || value === undefined) {
      continue;
    }
    size++;
    let position = positionOf.get(value);
    if (position === undefined) {
      position = categories.length;
      positionOf.set(value, position);
      categories.push(value);
      if (position === counts.length) {
        const grown = new Float64Array(counts.length * 2);
        grown.set(counts);
        counts = grown;
      }
    }
    counts[position]++;
  }
  return { categories, positionOf, counts: counts.slice(0, categories.length), size };
}

export function countCurrentCategories(
  prepared: PreparedCategoricalReference,
  current: CategoricalValues
): CurrentCategoryCounts {
  if (isCategoryCodes(current)) {
    return countCodesAgainst(prepared, current);
  }
  const counts = new Float64Array(prepared.categories.length);
  const unseenPositionOf = new Map<string, number>();
  const unseenCategories: string[] = [];
  const unseenCounts: number[] = [];
  let size = 0;
  for (let i = 0; i < current.length; i++) {
    const value = current[i];
    if (value === null || value === undefined) {
      continue;
    }
    size++;
    const position = prepared.positionOf.get(value);
    if (position !== undefined) {
      counts[position]++;
      continue;
    }
    const unseenPosition = unseenPositionOf.get(value);
    if (unseenPosition === undefined) {
      unseenPositionOf.set(value, unseenCategories.length);
      unseenCategories.push(value);
      unseenCounts.push(1);
    } else {
      unseenCounts[unseenPosition]++;
    }
  }
  return { counts, unseenCategories, unseenCounts, size };
}

/** Counts per code, then categories in the order of their first row (a scan that stops once all are placed). */
function prepareFromCodes({ codes, dictionary }: CategoryCodes): PreparedCategoricalReference {
  const perCode = codeCounts(codes, dictionary.length);
  let remaining = 0;
  for (let code = 0; code < dictionary.length; code++) {
    if (perCode[code] > 0 && dictionary[code] !== null && dictionary[code] !== undefined) {
      remaining++;
    }
  }
  const placed = new Uint8Array(dictionary.length);
  const positionOf = new Map<string, number>();
  const categories: string[] = [];
  const counts: number[] = [];
  let size = 0;
  for (let i = 0; i < codes.length && remaining > 0; i++) {
    const code = codes[i];
    const value = dictionary[code];
    if (placed[code] === 1 || value === null || value === undefined) {
      continue;
    }
    placed[code] = 1;
    remaining--;
    size += perCode[code];
    const position = positionOf.get(value);
    if (position === undefined) {
      positionOf.set(value, categories.length);
      categories.push(value);
      counts.push(perCode[code]);
    } else {
      counts[position] += perCode[code]; // two codes for one string: merge them
    }
  }
  return { categories, positionOf, counts: Float64Array.from(counts), size };
}

/** Current codes against a prepared reference: a position per code (once per dictionary), then a count per row. */
function countCodesAgainst(prepared: PreparedCategoricalReference, { codes, dictionary }: CategoryCodes): CurrentCategoryCounts {
  const dictionaryKey = dictionary as object;
  prepared.positionsByDictionary ??= new WeakMap();
  let positions = prepared.positionsByDictionary.get(dictionaryKey);
  if (positions === undefined) {
    positions = new Int32Array(dictionary.length);
    for (let code = 0; code < dictionary.length; code++) {
      const value = dictionary[code];
      positions[code] = value === null || value === undefined ? -2 : (prepared.positionOf.get(value) ?? -1);
    }
    prepared.positionsByDictionary.set(dictionaryKey, positions);
  }
  const counts = new Float64Array(prepared.categories.length);
  // unseen codes in order of their first row (a Map keeps insertion order)
  const unseen = new Map<number, number>();
  let size = 0;
  for (let i = 0; i < codes.length; i++) {
    const position = positions[codes[i]];
    if (position >= 0) {
      counts[position]++;
      size++;
    } else if (position === -1) {
      size++;
      unseen.set(codes[i], (unseen.get(codes[i]) ?? 0) + 1);
    }
  }
  const unseenCategories: string[] = [];
  const unseenCounts: number[] = [];
  const unseenPositionOf = new Map<string, number>();
  for (const [code, count] of unseen) {
    const value = dictionary[code] as string;
    const known = unseenPositionOf.get(value);
    if (known === undefined) {
      unseenPositionOf.set(value, unseenCategories.length);
      unseenCategories.push(value);
      unseenCounts.push(count);
    } else {
      unseenCounts[known] += count;
    }
  }
  return { counts, unseenCategories, unseenCounts, size };
}
