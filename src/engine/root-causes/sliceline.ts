/**
 * SliceLine (Sagadeeva & Boehm, SIGMOD 2021): the top-K slices — conjunctions of column = code predicates — where
 * the model errs most, on integer-coded columns.
 *
 * Score of a slice S of |S| rows with error sum se, over n rows of mean error ē:
 *   sc = α · ((se / |S|) / ē − 1) − (1 − α) · (n / |S| − 1),  α = 0.95 (the paper's default).
 * A slice is valid when |S| ≥ the minimum support σ and se > 0; the top-K keeps valid slices with sc > 0.
 * Level L + 1 extends valid level-L slices by one predicate on a later column; a candidate is evaluated only when
 * all its L + 1 parents are valid and the upper bound of its score (and of any descendant's) beats the K-th best
 * score so far. The bound, from the parents' smallest size ss, error se and largest row error sm, is the paper's:
 * the maximum of α · ((min(s · sm, se) / s) / ē − 1) − (1 − α) · (n / s − 1) over s ∈ {σ, max(se / sm, σ), ss}.
 * Candidates of level 2 are counted from a table of the two columns' code pairs (one pass over the rows), deeper ones
 * over the rows of their first predicate (row lists from one counting sort per column).
 */

export const SLICELINE_ALPHA = 0.95;
export const SLICELINE_MAX_LEVEL = 3;
export const SLICELINE_TOP_K = 20;

export interface SliceLineOptions {
  alpha?: number;
  /** σ; default max(32, 1 % of the rows). */
  minSupport?: number;
  maxLevel?: number;
  topK?: number;
}

export interface Predicate {
  column: number;
  code: number;
}

export interface FoundSlice {
  /** Sorted by column. */
  predicates: Predicate[];
  size: number;
  errorSum: number;
  maxError: number;
  score: number;
}

export function defaultMinSupport(rows: number): number {
  return Math.max(32, Math.ceil(0.01 * rows));
}

export function sliceScore(errorSum: number, size: number, rows: number, meanError: number, alpha = SLICELINE_ALPHA): number {
  return alpha * (errorSum / size / meanError - 1) - (1 - alpha) * (rows / size - 1);
}

/** Upper bound of the score of a slice (or any descendant) whose size, error sum and largest error are bounded. */
export function scoreUpperBound(
  size: number,
  errorSum: number,
  maxError: number,
  rows: number,
  meanError: number,
  minSupport: number,
  alpha = SLICELINE_ALPHA
): number {
  const scoreAt = (s: number, best: number): number => {
    if (s > size || !(s > 0)) {
      return best;
    }
    const score = alpha * (Math.min(s * maxError, errorSum) / s / meanError - 1) - (1 - alpha) * (rows / s - 1);
    return score > best ? score : best;
  };
  return scoreAt(size, scoreAt(Math.max(errorSum / maxError, minSupport), scoreAt(minSupport, -Infinity)));
}

/**
 * The top-K slices over `columns` (codes per row; `levelCounts[c]` codes in column c). `excluded[c][code]` = 1 keeps
 * a code out of every slice (e.g. "(other)").
 */
export function sliceLine(
  columns: Uint8Array[],
  levelCounts: number[],
  excluded: Uint8Array[],
  errors: Float64Array,
  options: SliceLineOptions = {}
): FoundSlice[] {
  const rows = errors.length;
  const alpha = options.alpha ?? SLICELINE_ALPHA;
  const minSupport = options.minSupport ?? defaultMinSupport(rows);
  const maxLevel = options.maxLevel ?? SLICELINE_MAX_LEVEL;
  const top = new TopSlices(options.topK ?? SLICELINE_TOP_K);
  let errorTotal = 0;
  for (let i = 0; i < rows; i++) {
    errorTotal += errors[i];
  }
  const meanError = rows > 0 ? errorTotal / rows : 0;
  if (!(meanError > 0) || rows < minSupport) {
    return [];
  }
  const score = (slice: { errorSum: number; size: number }): number => sliceScore(slice.errorSum, slice.size, rows, meanError, alpha);
  const bound = (size: number, errorSum: number, maxError: number): number =>
    scoreUpperBound(size, errorSum, maxError, rows, meanError, minSupport, alpha);

  // level 1: one histogram per column
  const keys = new SliceKeys(levelCounts, maxLevel);
  let valid = new Map<SliceKey, FoundSlice>();
  columns.forEach((codes, column) => {
    const stats = histogram(codes, null, errors, levelCounts[column]);
    for (let code = 0; code < levelCounts[column]; code++) {
      if (excluded[column][code] || stats.sizes[code] < minSupport || !(stats.errorSums[code] > 0)) {
        continue;
      }
      const slice = { predicates: [{ column, code }], size: stats.sizes[code], errorSum: stats.errorSums[code], maxError: stats.maxErrors[code], score: 0 };
      slice.score = score(slice);
      valid.set(keys.of(slice.predicates), slice);
      top.offer(slice);
    }
  });
  // the valid level-1 slices of each column, by ascending code: the only codes a slice can be extended by
  const basic = columns.map((_, column) =>
    Array.from({ length: levelCounts[column] }, (_, code) => valid.get(keys.of([{ column, code }]))).flatMap((slice, code) => (slice ? [{ code, slice }] : []))
  );
  const rowLists = new Map<number, { order: Int32Array; offsets: Int32Array }>();
  const rowsOfCode = (column: number, code: number): Int32Array => {
    let lists = rowLists.get(column);
    if (!lists) {
      lists = countingSort(columns[column], levelCounts[column]);
      rowLists.set(column, lists);
    }
    return lists.order.subarray(lists.offsets[code], lists.offsets[code + 1]);
  };

  // with errors of 0 or 1 (misclassifications), a column's codes with each row's error: 2 · code + error
  const binaryErrors = errors.every(error => error === 0 || error === 1);
  const codesWithErrors = new Map<number, Uint8Array>();
  const withErrors = (column: number): Uint8Array | null => {
    if (!binaryErrors || levelCounts[column] > 128) {
      return null;
    }
    let coded = codesWithErrors.get(column);
    if (!coded) {
      const codes = columns[column];
      coded = new Uint8Array(codes.length);
      for (let row = 0; row < codes.length; row++) {
        coded[row] = 2 * codes[row] + errors[row];
      }
      codesWithErrors.set(column, coded);
    }
    return coded;
  };
  const pairTables = new Map<number, PairTable>();
  const pairTable = (first: number, second: number): PairTable => {
    const key = first * columns.length + second;
    let table = pairTables.get(key);
    if (!table) {
      table = new PairTable(columns[first], columns[second], levelCounts[first], levelCounts[second], errors, withErrors(first));
      pairTables.set(key, table);
    }
    return table;
  };

  // levels 2 … maxLevel: extend each valid slice by a later column, pruned by the parents and the score bound
  for (let level = 2; level <= maxLevel && valid.size > 0; level++) {
    const next = new Map<SliceKey, FoundSlice>();
    for (const parent of valid.values()) {
      const lastColumn = parent.predicates[parent.predicates.length - 1].column;
      let parentRows: Int32Array | null = null;
      for (let column = lastColumn + 1; column < columns.length; column++) {
        // candidates of this column whose parents are all valid and whose bound beats the K-th score
        const candidates: Array<{ code: number; predicates: Predicate[] }> = [];
        for (const { code, slice: extension } of basic[column]) {
          const added = { column, code };
          // the parents: this one, and the others that drop one of its predicates (at level 2, the extension)
          let size = parent.size;
          let errorSum = parent.errorSum;
          let maxError = parent.maxError;
          let allParents = true;
          for (let drop = 0; drop < parent.predicates.length && allParents; drop++) {
            const other = level === 2 ? extension : valid.get(keys.of(parent.predicates, drop, added));
            if (!other) {
              allParents = false;
            } else {
              size = Math.min(size, other.size);
              errorSum = Math.min(errorSum, other.errorSum);
              maxError = Math.min(maxError, other.maxError);
            }
          }
          if (allParents && size >= minSupport && bound(size, errorSum, maxError) > top.minimumScore()) {
            candidates.push({ code, predicates: [...parent.predicates, added] });
          }
        }
        if (candidates.length === 0) {
          continue;
        }

        // count the candidates over the parent's rows (at level 2, a row of the parent's column's table with this one)
        let stats: CodeHistogram;
        if (level === 2) {
          const { column: parentColumn, code: parentCode } = parent.predicates[0];
          stats = pairTable(parentColumn, column).row(parentCode);
        } else {
          parentRows ??= rowsOf(parent.predicates, columns, rowsOfCode);
          stats = histogram(columns[column], parentRows, errors, levelCounts[column]);
        }
        for (const { code, predicates } of candidates) {
          if (stats.sizes[code] < minSupport || !(stats.errorSums[code] > 0)) {
            continue;
          }
          const slice = { predicates, size: stats.sizes[code], errorSum: stats.errorSums[code], maxError: stats.maxErrors[code], score: 0 };
          slice.score = score(slice);
          next.set(keys.of(predicates), slice);
          top.offer(slice);
        }
      }
    }
    valid = next;
  }
  return top.slices;
}

type SliceKey = number | string;

/**
 * Keys of slices by their predicates (sorted by column): each predicate is a number from 1 (its column's first code
 * plus its code), a slice the number of its predicates in that base, exact while base^maxLevel fits in a double's
 * integers (text otherwise).
 */
class SliceKeys {
  private readonly firstCode: number[] = [];
  private readonly base: number;
  private readonly numeric: boolean;

  constructor(levelCounts: number[], maxLevel: number) {
    let codes = 0;
    for (const count of levelCounts) {
      this.firstCode.push(codes);
      codes += count;
    }
    this.base = codes + 1;
    this.numeric = this.base ** maxLevel <= Number.MAX_SAFE_INTEGER;
  }

  /** The key of `predicates` without the one at `skip` (if any), then `added` (if any). */
  of(predicates: Predicate[], skip = -1, added: Predicate | null = null): SliceKey {
    if (!this.numeric) {
      const kept = predicates.filter((_, k) => k !== skip);
      if (added) {
        kept.push(added);
      }
      return kept.map(predicate => `${predicate.column}:${predicate.code}`).join('|');
    }
    let key = 0;
    for (let k = 0; k < predicates.length; k++) {
      if (k !== skip) {
        key = key * this.base + this.firstCode[predicates[k].column] + predicates[k].code + 1;
      }
    }
    return added ? key * this.base + this.firstCode[added.column] + added.code + 1 : key;
  }
}

/** Rows of a slice: the row list of its first predicate, filtered by the others. */
function rowsOf(predicates: Predicate[], columns: Uint8Array[], rowsOfCode: (column: number, code: number) => Int32Array): Int32Array {
  const first = rowsOfCode(predicates[0].column, predicates[0].code);
  if (predicates.length === 1) {
    return first;
  }
  const kept = new Int32Array(first.length);
  let count = 0;
  for (let k = 0; k < first.length; k++) {
    const row = first[k];
    let inside = true;
    for (let p = 1; p < predicates.length && inside; p++) {
      inside = columns[predicates[p].column][row] === predicates[p].code;
    }
    if (inside) {
      kept[count++] = row;
    }
  }
  return kept.subarray(0, count);
}

interface CodeHistogram {
  sizes: Float64Array;
  errorSums: Float64Array;
  maxErrors: Float64Array;
}

/** Rows, error sum and largest error per code, over all rows or over `rows` (two loops: each stays monomorphic). */
function histogram(codes: Uint8Array, rows: Int32Array | null, errors: Float64Array, levelCount: number): CodeHistogram {
  const sizes = new Float64Array(levelCount);
  const errorSums = new Float64Array(levelCount);
  const maxErrors = new Float64Array(levelCount);
  if (rows === null) {
    for (let row = 0; row < codes.length; row++) {
      const code = codes[row];
      const error = errors[row];
      sizes[code]++;
      errorSums[code] += error;
      maxErrors[code] = error > maxErrors[code] ? error : maxErrors[code];
    }
  } else {
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k];
      const code = codes[row];
      const error = errors[row];
      sizes[code]++;
      errorSums[code] += error;
      maxErrors[code] = error > maxErrors[code] ? error : maxErrors[code];
    }
  }
  return { sizes, errorSums, maxErrors };
}

/**
 * Rows, error sum and largest error per pair of codes of two columns, in one pass over the rows (row i of the table:
 * the histogram of the second column over the rows with code i in the first, its sums added in the same row order).
 */
class PairTable {
  private readonly sizes: Float64Array;
  private readonly errorSums: Float64Array;
  private readonly maxErrors: Float64Array;

  constructor(
    first: Uint8Array,
    second: Uint8Array,
    firstLevels: number,
    private readonly secondLevels: number,
    errors: Float64Array,
    /**
     * When every error is 0 or 1 (a misclassification): 2 · first code + error per row. A cell's errors are then
     * counted, which gives the same sums.
     */
    firstWithErrors: Uint8Array | null
  ) {
    const cells = firstLevels * secondLevels;
    const sizes = (this.sizes = new Float64Array(cells));
    const errorSums = (this.errorSums = new Float64Array(cells));
    const maxErrors = (this.maxErrors = new Float64Array(cells));
    if (firstWithErrors) {
      // counts by (second code, first code, error): one look-up per row
      const stride = 2 * firstLevels;
      const counts = new Int32Array(secondLevels * stride);
      for (let row = 0; row < firstWithErrors.length; row++) {
        counts[second[row] * stride + firstWithErrors[row]]++;
      }
      for (let firstCode = 0; firstCode < firstLevels; firstCode++) {
        for (let secondCode = 0; secondCode < secondLevels; secondCode++) {
          const at = secondCode * stride + 2 * firstCode;
          const cell = firstCode * secondLevels + secondCode;
          sizes[cell] = counts[at] + counts[at + 1];
          errorSums[cell] = counts[at + 1];
          maxErrors[cell] = counts[at + 1] > 0 ? 1 : 0;
        }
      }
      return;
    }
    for (let row = 0; row < first.length; row++) {
      const cell = first[row] * secondLevels + second[row];
      const error = errors[row];
      sizes[cell]++;
      errorSums[cell] += error;
      maxErrors[cell] = error > maxErrors[cell] ? error : maxErrors[cell];
    }
  }

  row(code: number): CodeHistogram {
    const from = code * this.secondLevels;
    const to = from + this.secondLevels;
    return { sizes: this.sizes.subarray(from, to), errorSums: this.errorSums.subarray(from, to), maxErrors: this.maxErrors.subarray(from, to) };
  }
}

/** Row indices grouped by code: rows of code c are order[offsets[c] … offsets[c + 1]), ascending. */
function countingSort(codes: Uint8Array, levelCount: number): { order: Int32Array; offsets: Int32Array } {
  const offsets = new Int32Array(levelCount + 1);
  for (let i = 0; i < codes.length; i++) {
    offsets[codes[i] + 1]++;
  }
  for (let code = 0; code < levelCount; code++) {
    offsets[code + 1] += offsets[code];
  }
  const next = offsets.slice(0, levelCount);
  const order = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    order[next[codes[i]]++] = i;
  }
  return { order, offsets };
}

/** The K best slices with a positive score, best first. */
class TopSlices {
  readonly slices: FoundSlice[] = [];

  constructor(private readonly k: number) {}

  minimumScore(): number {
    return this.slices.length < this.k ? 0 : this.slices[this.slices.length - 1].score;
  }

  offer(slice: FoundSlice): void {
    if (!(slice.score > this.minimumScore())) {
      return;
    }
    let position = this.slices.length;
    while (position > 0 && this.slices[position - 1].score < slice.score) {
      position--;
    }
    this.slices.splice(position, 0, slice);
    if (this.slices.length > this.k) {
      this.slices.pop();
    }
  }
}
