/**
 * Data quality of a feature, current data against the reference:
 * - missing: share of rows whose value is null, undefined or NaN, per period;
 * - unseen: categories of the current data absent from the reference, most frequent first, at most 50
 *   listed (`unseen_count` counts them all);
 * - out_of_range: share of the current non-missing numeric values outside the reference [min, max];
 * - type_mismatches: values whose kind differs from the feature's type (see columns.ts), per period.
 * Without a reference, reference figures are null or 0 and nothing is unseen or out of range.
 */
import type { EncodedFeature } from './columns.js';
import { codeCounts, isCategoryCodes, type CategoricalValues } from './drift/categories.js';
import type { DataQuality } from './types.js';

export const MAX_UNSEEN_LISTED = 50;

/** What the drift stage already knows of the reference; it saves a pass over the reference rows. */
export interface KnownReference {
  categories?: CategorySet;
  range?: { minimum: number; maximum: number };
}

export function featureQuality(
  feature: string,
  current: EncodedFeature,
  reference: EncodedFeature | null,
  known: KnownReference = {}
): DataQuality {
  const quality: DataQuality = {
    feature,
    missing: {
      reference: reference ? share(reference.missing, reference.rows) : null,
      current: share(current.missing, current.rows)
    },
    unseen: [],
    unseen_count: 0,
    out_of_range: 0,
    type_mismatches: { reference: reference?.mismatches ?? 0, current: current.mismatches }
  };
  if (reference?.type === 'numeric' && current.type === 'numeric') {
    quality.out_of_range = outOfRangeShare(known.range ?? valueRange(reference.values), current.values);
  } else if (reference?.type === 'categorical' && current.type === 'categorical') {
    const unseen = unseenCategories(known.categories ?? categorySet(reference.values), current.values);
    quality.unseen = mostFrequent(unseen, MAX_UNSEEN_LISTED);
    quality.unseen_count = unseen.size;
  }
  return quality;
}

/** Smallest and largest non-NaN value; minimum > maximum when there is none. */
export function valueRange(values: Float64Array): { minimum: number; maximum: number } {
  let minimum = Infinity;
  let maximum = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value < minimum) {
      minimum = value;
    }
    if (value > maximum) {
      maximum = value;
    }
  }
  return { minimum, maximum };
}

/** Share of the current non-NaN values outside the reference [minimum, maximum]; 0 without reference values. */
export function outOfRangeShare(range: { minimum: number; maximum: number }, current: Float64Array): number {
  const { minimum, maximum } = range;
  if (!(minimum <= maximum)) {
    return 0;
  }
  let present = 0;
  let outside = 0;
  for (let i = 0; i < current.length; i++) {
    const value = current[i];
    if (value === value) {
      present++;
      if (value < minimum || value > maximum) {
        outside++;
      }
    }
  }
  return share(outside, present);
}

/** Anything that answers whether a category was seen in the reference (a Set, or a Map of categories). */
export interface CategorySet {
  has(category: string): boolean;
}

export function categorySet(values: CategoricalValues): Set<string> {
  const categories = new Set<string>();
  if (isCategoryCodes(values)) {
    const counts = codeCounts(values.codes, values.dictionary.length);
    for (let code = 0; code < counts.length; code++) {
      const category = values.dictionary[code];
      if (counts[code] > 0 && category !== null && category !== undefined) {
        categories.add(category);
      }
    }
    return categories;
  }
  for (let i = 0; i < values.length; i++) {
    const category = values[i];
    if (category !== null) {
      categories.add(category);
    }
  }
  return categories;
}

/** Counts of the current categories never seen in the reference. */
export function unseenCategories(seen: CategorySet, current: CategoricalValues): Map<string, number> {
  const counts = new Map<string, number>();
  if (isCategoryCodes(current)) {
    // one look-up per code of the dictionary, one count per row
    const perCode = codeCounts(current.codes, current.dictionary.length);
    for (let code = 0; code < perCode.length; code++) {
      const category = current.dictionary[code];
      if (perCode[code] > 0 && category !== null && category !== undefined && !seen.has(category)) {
        counts.set(category, (counts.get(category) ?? 0) + perCode[code]);
      }
    }
    return counts;
  }
  let previous: string | null = null;
  let previousUnseen = false;
  for (let i = 0; i < current.length; i++) {
    const category = current[i];
    if (category === null) {
      continue;
    }
    if (category !== previous) {
      previous = category;
      previousUnseen = !seen.has(category);
    }
    if (previousUnseen) {
      counts.set(category, (counts.get(category) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * The `limit` most frequent categories, by decreasing count, then by name; one pass keeping a sorted top list,
 * so a million distinct categories are never sorted.
 */
export function mostFrequent(counts: Map<string, number>, limit: number): string[] {
  const before = (a: [string, number], b: [string, number]): boolean => a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);
  const top: Array<[string, number]> = [];
  for (const entry of counts) {
    if (top.length === limit && !before(entry, top[limit - 1])) {
      continue;
    }
    let position = top.length;
    while (position > 0 && before(entry, top[position - 1])) {
      position--;
    }
    top.splice(position, 0, entry);
    if (top.length > limit) {
      top.pop();
    }
  }
  return top.map(([category]) => category);
}

function share(count: number, total: number): number {
  return total === 0 ? 0 : count / total;
}
