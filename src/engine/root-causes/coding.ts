/**
 * Integer-coded columns for the root-cause search: every column of both periods becomes one code per row
 * (a Uint8Array), so slices are counted with typed-array loops and no per-row objects.
 *
 * - categorical (slice columns, categorical features, model_version): the MAX_LEVELS values with the most rows over
 *   both periods get a code each, the others share "(other)"; missing values (null, undefined, NaN) get "(missing)".
 *   Each level remembers whether the reference holds it, so unseen values are found from codes.
 * - numeric features: bins from the reference, edges = unique([min, deciles (linear, numpy's default), max]); bins
 *   (−∞, min), [min, q1), …, [q9, max], (max, +∞) and "(missing)". Deciles come from an evenly strided sample of
 *   at most QUANTILE_SAMPLE reference values; min and max are exact, so the outer bins are the out-of-range values.
 */
import { sortFloat64 } from '../sorting.js';

export const MAX_LEVELS = 32;
const QUANTILE_SAMPLE = 1 << 16;

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
  codes: { reference: Uint8Array; current: Uint8Array };
  /** Code of "(missing)". */
  missingCode: number;
}

/** A numeric column: bins from the reference (see the top of this file). */
export function codeNumeric(column: string, reference: Float64Array, current: Float64Array): CodedColumn {
  const edges = referenceEdges(reference);
  const levels = binLevels(edges);
  const missingCode = levels.length;
  levels.push({ test: 'missing', label: '(missing)', inReference: hasNaN(reference) });
  const binCode = (values: Float64Array): Uint8Array => {
    const codes = new Uint8Array(values.length);
    const inner = Float64Array.from(edges.slice(1, -1));
    const lowest = edges[0];
    const highest = edges[edges.length - 1];
    const above = levels.length - 2;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value >= lowest && value <= highest) {
        // in range: 1 + how many inner edges lie at or below the value (at most 9, no branches to mispredict)
        let code = 1;
        for (let k = 0; k < inner.length; k++) {
          code += value >= inner[k] ? 1 : 0;
        }
        codes[i] = code;
      } else {
        codes[i] = value !== value ? missingCode : value < lowest ? 0 : above;
      }
    }
    return codes;
  };
  return { column, type: 'numeric', levels, codes: { reference: binCode(reference), current: binCode(current) }, missingCode };
}

/** unique([min, q10 … q90, max]) of the reference's non-missing values; [0] when it has none. */
export function referenceEdges(reference: Float64Array): number[] {
  let minimum = Infinity;
  let maximum = -Infinity;
  let present = 0;
  for (let i = 0; i < reference.length; i++) {
    const value = reference[i];
    if (value === value) {
      present++;
      if (value < minimum) {
        minimum = value;
      }
      if (value > maximum) {
        maximum = value;
      }
    }
  }
  if (present === 0) {
    return [0];
  }
  const step = Math.max(1, Math.floor(present / QUANTILE_SAMPLE));
  const sample = new Float64Array(Math.ceil(present / step));
  let taken = 0;
  let seen = 0;
  for (let i = 0; i < reference.length && taken < sample.length; i++) {
    const value = reference[i];
    if (value === value) {
      if (seen % step === 0) {
        sample[taken++] = value;
      }
      seen++;
    }
  }
  const sorted = sortFloat64(sample.subarray(0, taken));
  const edges = [minimum];
  for (let decile = 1; decile <= 9; decile++) {
    const position = (decile / 10) * (sorted.length - 1);
    const below = Math.floor(position);
    const above = Math.min(below + 1, sorted.length - 1);
    const quantile = sorted[below] + (sorted[above] - sorted[below]) * (position - below);
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
 * period's i-th row in timestamp order). One Map look-up per row: provisional ids in order of appearance, then
 * the MAX_LEVELS most frequent values keep a code.
 */
export function codeCategorical(
  column: string,
  reference: ArrayLike<unknown> | null,
  current: ArrayLike<unknown>,
  order: { reference: Int32Array | null; current: Int32Array | null } = { reference: null, current: null }
): CodedColumn {
  const ids = new Map<unknown, number>();
  const values: unknown[] = [];
  const referenceCounts: number[] = [];
  const currentCounts: number[] = [];
  const provisional = (raw: ArrayLike<unknown>, rowOrder: Int32Array | null, counts: number[]): Int32Array => {
    const out = new Int32Array(rowOrder ? rowOrder.length : raw.length);
    for (let i = 0; i < out.length; i++) {
      let value = raw[rowOrder ? rowOrder[i] : i];
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
      counts[id]++;
      out[i] = id;
    }
    return out;
  };
  const referenceIds = reference ? provisional(reference, order.reference, referenceCounts) : new Int32Array(0);
  const currentIds = provisional(current, order.current, currentCounts);

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
  const remap = (provisionalIds: Int32Array): Uint8Array => {
    const codes = new Uint8Array(provisionalIds.length);
    for (let i = 0; i < codes.length; i++) {
      codes[i] = codeOf[provisionalIds[i]];
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
