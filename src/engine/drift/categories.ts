/**
 * Category counts of a reference column, prepared once, and of current data against them. A category is any
 * string; null and undefined are missing and excluded. Categories keep the order in which the reference first shows
 * them; current categories the reference never had ("unseen") follow in the order the current data first shows them.
 */

export interface PreparedCategoricalReference {
  /** Reference categories in first-seen order, and each one's position. */
  categories: string[];
  positionOf: Map<string, number>;
  /** Count of each reference category, and of all non-missing reference values. */
  counts: Float64Array;
  size: number;
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

export function prepareCategoricalReference(reference: ArrayLike<string | null>): PreparedCategoricalReference {
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
  current: ArrayLike<string | null>
): CurrentCategoryCounts {
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
