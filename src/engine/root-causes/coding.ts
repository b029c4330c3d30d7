/**
 * Integer-coded columns for the root-cause search: every column of both periods becomes one code per row
 * (a Uint8Array), so slices are counted with typed-array loops and no per-row objects.
 *
 * - categorical (slice columns, categorical features, model_version): the MAX_LEVELS values with the most rows over
 *   both periods get a code each, the others share "(other)"; missing values (null, undefined, NaN) get "(missing)".
 *   Each level remembers whether the reference holds it, so unseen values are found from codes.
 * - numeric features: bins from the reference, edges = unique([min, deciles (linear, numpy's default), max]); bins
 *   (−∞, min), [min, q1), …, [q9, max], (max, +∞) and "(missing)". Deciles come from an evenly strided sample of
 *   at most QUANTILE_SAMPLE reference values (its order statistics, not a sort); min and max are exact, so the
 *   outer bins are the out-of-range values.
 */
import { numericSample, type NumericSample } from '../drift/numeric-sample.js';
import { type Utf8Ids } from '../load/utf8-ids.js';
import { orderStatistics, rangeOf } from '../stats/order-statistics.js';

export { utf8Ids, type Utf8Ids } from '../load/utf8-ids.js';

export const MAX_LEVELS = 32;
const QUANTILE_SAMPLE = 1 << 16;
/** Cells of the binning grid (coding a numeric value is a look-up in most cells); a cell's state below 0. */
const GRID_CELLS = 4096;
const UNKNOWN_CELL = -1;
const EDGE_CELL = -2;

/** What rows of one code share, as a test a pandas probe can state. */
export type Level =
  | { test: 'equals'; value: string | number | boolean; label: string; inReference: boolean }
  | { test: 'other'; label: string; inReference: boolean }
  | { test: 'missing'; label: string; inReference: boolean }
  | {
      test: 'range';
      /** null for an unbounded side. */
      lower: number | null;
      upper: number | null;
      lowerClosed: boolean;
      upperClosed: boolean;
      label: string;
      inReference: boolean;
    };

export interface CodedColumn {
  column: string;
  type: 'categorical' | 'numeric';
  levels: Level[];
  /** Numeric columns compute these on first use (many features never need all their rows coded). */
  codes: { readonly reference: Uint8Array; readonly current: Uint8Array };
  /** Code of "(missing)". */
  missingCode: number;
  /** Codes of every `step`-th current row (rows 0, step, 2·step, …), without coding the others. */
  currentSample?: (step: number) => Uint8Array;
  /** A numeric column's bin edges. */
  edges?: number[];
}

/**
 * A numeric column: bins from the reference (see the top of this file); `edges`, and in `known` whether the
 * reference has missing values and the codes, when already computed (the feature stage computes them, on whichever
 * thread analysed the feature).
 */
export function codeNumeric(
  column: string,
  reference: Float64Array,
  current: Float64Array,
  edges: number[] = referenceEdges(reference),
  known?: { referenceMissing: boolean; codes: { reference: Uint8Array; current: Uint8Array } | null }
): CodedColumn {
  const levels = numericLevels(edges, known ? known.referenceMissing : hasNaN(reference));
  const missingCode = levels.length - 1;
  // the (at most 9) inner edges in locals, padded with NaN (a comparison with NaN is false)
  const inner = new Float64Array(9).fill(NaN);
  inner.set(edges.slice(1, -1));
  const [e1, e2, e3, e4, e5, e6, e7, e8, e9] = inner;
  const lowest = edges[0];
  const highest = edges[edges.length - 1];
  const above = levels.length - 2;
  // in range: 1 + how many inner edges lie at or below the value
  const innerCode = (value: number): number =>
    1 + (value >= e1 ? 1 : 0) + (value >= e2 ? 1 : 0) + (value >= e3 ? 1 : 0) + (value >= e4 ? 1 : 0) + (value >= e5 ? 1 : 0) +
    (value >= e6 ? 1 : 0) + (value >= e7 ? 1 : 0) + (value >= e8 ? 1 : 0) + (value >= e9 ? 1 : 0);
  // a grid of GRID_CELLS equal cells over [lowest, highest]: a cell no inner edge falls in holds one bin, learnt from
  // its first value; the cell of an edge (and every cell when the grid cannot be computed) compares with the edges.
  // cell(v) = floor((v − lowest) · scale) never decreases with v, so values on both sides of an edge share a cell
  // only when the edge's own cell is theirs.
  const scale = GRID_CELLS / (highest - lowest);
  const gridUsable = Number.isFinite(scale) && scale > 0;
  const binCode = (values: Float64Array, step = 1): Uint8Array => {
    const codes = new Uint8Array(Math.ceil(values.length / step));
    const cells = new Int8Array(GRID_CELLS + 2).fill(UNKNOWN_CELL);
    for (let k = 1; k < edges.length - 1; k++) {
      cells[gridUsable ? Math.min(GRID_CELLS + 1, Math.floor((edges[k] - lowest) * scale)) : 0] = EDGE_CELL;
    }
    if (!gridUsable) {
      cells.fill(EDGE_CELL);
    }
    const shift = gridUsable ? scale : 0;
    for (let i = 0; i < codes.length; i++) {
      const value = values[i * step];
      if (value >= lowest && value <= highest) {
        const cell = Math.min(GRID_CELLS + 1, ((value - lowest) * shift) | 0);
        let code = cells[cell];
        if (code < 0) {
          code = innerCode(value);
          if (cells[cell] === UNKNOWN_CELL) {
            cells[cell] = code;
          }
        }
        codes[i] = code;
      } else {
        codes[i] = value !== value ? missingCode : value < lowest ? 0 : above;
      }
    }
    return codes;
  };
  let referenceCodes: Uint8Array | null = known?.codes?.reference ?? null;
  let currentCodes: Uint8Array | null = known?.codes?.current ?? null;
  const codes = {
    get reference(): Uint8Array {
      return (referenceCodes ??= binCode(reference));
    },
    get current(): Uint8Array {
      return (currentCodes ??= binCode(current));
    }
  };
  return { column, type: 'numeric', levels, codes, missingCode, currentSample: step => binCode(current, Math.max(1, step)), edges };
}

/**
 * A numeric column from its codes alone, as the feature stage computed them on `edges` (the analysis then let the
 * values go): the same column `codeNumeric` gives, its current sample taken from the codes.
 */
export function codedNumericFromCodes(
  column: string,
  edges: number[],
  referenceMissing: boolean,
  codes: { reference: Uint8Array; current: Uint8Array }
): CodedColumn {
  const levels = numericLevels(edges, referenceMissing);
  const currentSample = (step: number): Uint8Array => {
    const stride = Math.max(1, step);
    const sample = new Uint8Array(Math.ceil(codes.current.length / stride));
    for (let i = 0; i < sample.length; i++) {
      sample[i] = codes.current[i * stride];
    }
    return sample;
  };
  return { column, type: 'numeric', levels, codes, missingCode: levels.length - 1, currentSample, edges };
}

/** The bins of `edges`, then "(missing)". */
function numericLevels(edges: number[], referenceMissing: boolean): Level[] {
  const levels = binLevels(edges);
  levels.push({ test: 'missing', label: '(missing)', inReference: referenceMissing });
  return levels;
}

/** unique([min, q10 … q90, max]) of the reference's non-missing values; [0] when it has none. */
export function referenceEdges(reference: Float64Array): number[] {
  return sampleEdges(numericSample(reference));
}

/** `referenceEdges` from the reference's non-missing values (in column order), their minimum and maximum. */
export function sampleEdges(sample: Pick<NumericSample, 'values' | 'minimum' | 'maximum'>): number[] {
  const { values, minimum, maximum } = sample;
  if (values.length === 0) {
    return [0];
  }
  const step = Math.max(1, Math.floor(values.length / QUANTILE_SAMPLE));
  const strided = new Float64Array(Math.ceil(values.length / step));
  for (let k = 0; k < strided.length; k++) {
    strided[k] = values[k * step];
  }
  const n = strided.length;
  const positions = Array.from({ length: 9 }, (_, k) => ((k + 1) / 10) * (n - 1));
  const ranks = [...new Set(positions.flatMap(position => [Math.floor(position), Math.min(Math.floor(position) + 1, n - 1)]))].sort((x, y) => x - y);
  const statistics = orderStatistics(strided, rangeOf(strided), ranks);
  const valueAt = (rank: number): number => statistics[ranks.indexOf(rank)];
  const edges = [minimum];
  for (const position of positions) {
    const below = Math.floor(position);
    const low = valueAt(below);
    const quantile = low + (valueAt(Math.min(below + 1, n - 1)) - low) * (position - below);
    if (quantile > edges[edges.length - 1] && quantile < maximum) {
      edges.push(quantile);
    }
  }
  if (maximum > edges[edges.length - 1]) {
    edges.push(maximum);
  }
  return edges;
}

function binLevels(edges: number[]): Level[] {
  const last = edges.length - 1;
  const levels: Level[] = [
    { test: 'range', lower: null, upper: edges[0], lowerClosed: false, upperClosed: false, label: '', inReference: false }
  ];
  if (last === 0) {
    levels.push({ test: 'range', lower: edges[0], upper: edges[0], lowerClosed: true, upperClosed: true, label: '', inReference: true });
  }
  for (let i = 0; i < last; i++) {
    const upperClosed = i === last - 1;
    levels.push({ test: 'range', lower: edges[i], upper: edges[i + 1], lowerClosed: true, upperClosed, label: '', inReference: true });
  }
  levels.push({ test: 'range', lower: edges[last], upper: null, lowerClosed: false, upperClosed: false, label: '', inReference: false });
  for (const level of levels) {
    if (level.test === 'range') {
      level.label = rangeLabel(level);
    }
  }
  return levels;
}

/** "[0.62, 0.81)", "(-inf, 3)", "(9.5, +inf)", or "= 2" for a one-value bin, with 3 significant digits. */
export function rangeLabel(range: { lower: number | null; upper: number | null; lowerClosed: boolean; upperClosed: boolean }): string {
  if (range.lower !== null && range.lower === range.upper) {
    return `= ${readable(range.lower)}`;
  }
  const lower = range.lower === null ? '(-inf' : `${range.lowerClosed ? '[' : '('}${readable(range.lower)}`;
  const upper = range.upper === null ? '+inf)' : `${readable(range.upper)}${range.upperClosed ? ']' : ')'}`;
  return `${lower}, ${upper}`;
}

export function readable(value: number): string {
  return String(Number(value.toPrecision(3)));
}

function hasNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== values[i]) {
      return true;
    }
  }
  return false;
}

/**
 * A categorical column of raw values (strings, numbers, booleans; `order` maps row i to the table row of the
 * period's i-th row in timestamp order). Provisional ids in order of appearance (one Map look-up per row, skipped
 * when a row repeats the previous row's value), then the MAX_LEVELS most frequent values keep a code.
 */
export function codeCategorical(
  column: string,
  reference: ArrayLike<unknown> | null,
  current: ArrayLike<unknown>,
  order: { reference: Int32Array | null; current: Int32Array | null } = { reference: null, current: null }
): CodedColumn {
  return codeSources(column, reference === null ? null : { values: reference }, { values: current }, order);
}

/**
 * Where a period's values of a categorical column come from: raw values, or — for an Arrow UTF-8 column — the
 * column itself, read straight from its bytes (`utf8Ids`; its rows per id, when known, spare a pass), or codes into
 * a dictionary of the same shape.
 */
export type CategoricalSource = { values: ArrayLike<unknown> } | { utf8: Pick<Utf8Ids, 'ids' | 'values'> & Partial<Pick<Utf8Ids, 'counts'>> };

/** A period's rows as ids of the column's values: per row, or per entry of a UTF-8 source's dictionary. */
type PeriodIds = { rows: Int32Array } | { entries: Int32Array; local: Int32Array; rowOrder: Int32Array | null };

/** `codeCategorical` over sources; an Arrow source gives the same codes as its decoded strings. */
export function codeSources(
  column: string,
  reference: CategoricalSource | null,
  current: CategoricalSource,
  order: { reference: Int32Array | null; current: Int32Array | null } = { reference: null, current: null }
): CodedColumn {
  const ids = new Map<unknown, number>();
  const values: unknown[] = [];
  const referenceCounts: number[] = [];
  const currentCounts: number[] = [];
  const idOf = (raw: unknown): number => {
    let value = raw;
    if (value === undefined || (typeof value === 'number' && value !== value)) {
      value = null;
    } else if (typeof value === 'bigint') {
      value = Number(value);
    } else if (value instanceof Date) {
      value = value.toISOString();
    }
    let id = ids.get(value);
    if (id === undefined) {
      id = values.length;
      ids.set(value, id);
      values.push(value);
      referenceCounts.push(0);
      currentCounts.push(0);
    }
    return id;
  };
  const provisional = (raw: ArrayLike<unknown>, rowOrder: Int32Array | null, counts: number[]): PeriodIds => {
    const out = new Int32Array(rowOrder ? rowOrder.length : raw.length);
    let previous: unknown = {};
    let previousId = -1;
    for (let i = 0; i < out.length; i++) {
      const value = raw[rowOrder ? rowOrder[i] : i];
      // a repeated value (same string, number or object) has the same id; NaN never equals itself and is looked up
      const id = value === previous ? previousId : idOf(value);
      previous = value;
      previousId = id;
      counts[id]++;
      out[i] = id;
    }
    return { rows: out };
  };
  const fromUtf8 = (source: Extract<CategoricalSource, { utf8: unknown }>['utf8'], rowOrder: Int32Array | null, counts: number[]): PeriodIds => {
    const local = source.ids;
    let localCounts = source.counts;
    if (!localCounts) {
      localCounts = new Float64Array(source.values.length);
      for (let i = 0; i < local.length; i++) {
        localCounts[local[i]]++;
      }
    }
    // values in order of first appearance among the rows, as the raw values would have been seen (a value on no
    // row, e.g. the bytes under a null, gets no id)
    const entries = new Int32Array(source.values.length).fill(-1);
    for (let entry = 0; entry < source.values.length; entry++) {
      if (localCounts[entry] > 0) {
        entries[entry] = idOf(source.values[entry]);
        counts[entries[entry]] += localCounts[entry];
      }
    }
    return { entries, local, rowOrder };
  };
  const read = (source: CategoricalSource, rowOrder: Int32Array | null, counts: number[]): PeriodIds =>
    'utf8' in source ? fromUtf8(source.utf8, rowOrder, counts) : provisional(source.values, rowOrder, counts);
  const referenceIds = reference ? read(reference, order.reference, referenceCounts) : { rows: new Int32Array(0) };
  const currentIds = read(current, order.current, currentCounts);

  // the most frequent values keep a code; then "(other)" (seen / unseen in the reference) and "(missing)"
  const ranked = values
    .map((value, id) => ({ value, id, rows: referenceCounts[id] + currentCounts[id] }))
    .filter(entry => entry.value !== null)
    .sort((a, b) => b.rows - a.rows || String(a.value).localeCompare(String(b.value)));
  const levels: Level[] = [];
  const codeOf = new Uint8Array(values.length);
  for (const entry of ranked.slice(0, MAX_LEVELS)) {
    codeOf[entry.id] = levels.length;
    levels.push({
      test: 'equals',
      value: typeof entry.value === 'number' || typeof entry.value === 'boolean' ? entry.value : String(entry.value),
      label: String(entry.value),
      inReference: referenceCounts[entry.id] > 0
    });
  }
  const otherSeen = levels.length;
  levels.push({ test: 'other', label: '(other)', inReference: true });
  const otherUnseen = levels.length;
  levels.push({ test: 'other', label: '(other, unseen)', inReference: false });
  const missingCode = levels.length;
  const missingId = ids.get(null);
  levels.push({ test: 'missing', label: '(missing)', inReference: missingId !== undefined && referenceCounts[missingId] > 0 });
  for (const entry of ranked.slice(MAX_LEVELS)) {
    codeOf[entry.id] = referenceCounts[entry.id] > 0 ? otherSeen : otherUnseen;
  }
  if (missingId !== undefined) {
    codeOf[missingId] = missingCode;
  }
  const remap = (periodIds: PeriodIds): Uint8Array => {
    if ('rows' in periodIds) {
      const codes = new Uint8Array(periodIds.rows.length);
      for (let i = 0; i < codes.length; i++) {
        codes[i] = codeOf[periodIds.rows[i]];
      }
      return codes;
    }
    // one look-up per row, from the dictionary entry straight to its code
    const { entries, local, rowOrder } = periodIds;
    const codeOfEntry = Uint8Array.from(entries, id => (id < 0 ? 0 : codeOf[id]));
    const codes = new Uint8Array(rowOrder ? rowOrder.length : local.length);
    if (rowOrder) {
      for (let i = 0; i < codes.length; i++) {
        codes[i] = codeOfEntry[local[rowOrder[i]]];
      }
    } else {
      for (let i = 0; i < codes.length; i++) {
        codes[i] = codeOfEntry[local[i]];
      }
    }
    return codes;
  };
  return {
    column,
    type: 'categorical',
    levels,
    codes: { reference: remap(referenceIds), current: remap(currentIds) },
    missingCode
  };
}

/** Rows per code. */
export function codeCounts(codes: Uint8Array, levelCount: number): Float64Array {
  const counts = new Float64Array(levelCount);
  for (let i = 0; i < codes.length; i++) {
    counts[codes[i]]++;
  }
  return counts;
}
