/**
 * Sets of rows of one period as bitsets (bit i of word i >>> 5), and the error statistics of the rows in a set:
 * count, Σ error and Σ error². A cause is a pair of such sets (reference, current); ranking compares causes by
 * intersecting and subtracting their sets, never by per-row objects.
 */

export class RowSet {
  readonly words: Uint32Array;

  constructor(readonly rows: number, words?: Uint32Array) {
    this.words = words ?? new Uint32Array((rows + 31) >>> 5);
  }

  /** Rows whose code is accepted (`accepted[code]` is 1). */
  static ofCodes(codes: Uint8Array, accepted: Uint8Array): RowSet {
    const set = new RowSet(codes.length);
    const words = set.words;
    const flags = Uint8Array.from(accepted, value => (value ? 1 : 0));
    // 32 rows per word, without branches
    const full = codes.length >>> 5;
    for (let w = 0; w < full; w++) {
      const base = w << 5;
      let word = 0;
      for (let bit = 0; bit < 32; bit++) {
        word |= flags[codes[base + bit]] << bit;
      }
      words[w] = word;
    }
    for (let i = full << 5; i < codes.length; i++) {
      words[i >>> 5] |= flags[codes[i]] << (i & 31);
    }
    return set;
  }

  static ofRows(rows: number, indices: ArrayLike<number>): RowSet {
    const set = new RowSet(rows);
    for (let k = 0; k < indices.length; k++) {
      set.words[indices[k] >>> 5] |= 1 << (indices[k] & 31);
    }
    return set;
  }

  size(): number {
    let count = 0;
    for (let w = 0; w < this.words.length; w++) {
      count += popCount(this.words[w]);
    }
    return count;
  }

  and(other: RowSet): RowSet {
    const words = new Uint32Array(this.words.length);
    for (let w = 0; w < words.length; w++) {
      words[w] = this.words[w] & other.words[w];
    }
    return new RowSet(this.rows, words);
  }

  andNot(other: RowSet): RowSet {
    const words = new Uint32Array(this.words.length);
    for (let w = 0; w < words.length; w++) {
      words[w] = this.words[w] & ~other.words[w];
    }
    return new RowSet(this.rows, words);
  }

  or(other: RowSet): RowSet {
    const words = new Uint32Array(this.words.length);
    for (let w = 0; w < words.length; w++) {
      words[w] = this.words[w] | other.words[w];
    }
    return new RowSet(this.rows, words);
  }

  /** |this ∩ other|, without building the intersection. */
  overlap(other: RowSet): number {
    let count = 0;
    for (let w = 0; w < this.words.length; w++) {
      count += popCount(this.words[w] & other.words[w]);
    }
    return count;
  }
}

export function popCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export interface ErrorStatistics {
  rows: number;
  sum: number;
  sumOfSquares: number;
}

/** Count, Σ error and Σ error² of the rows in `set`. */
export function errorStatistics(set: RowSet, errors: Float64Array): ErrorStatistics {
  let rows = 0;
  let sum = 0;
  let sumOfSquares = 0;
  const words = set.words;
  for (let w = 0; w < words.length; w++) {
    let word = words[w];
    while (word !== 0) {
      const bit = 31 - Math.clz32(word & -word);
      const error = errors[(w << 5) + bit];
      rows++;
      sum += error;
      sumOfSquares += error * error;
      word &= word - 1;
    }
  }
  return { rows, sum, sumOfSquares };
}
