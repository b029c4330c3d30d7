/**
 * Feature drift as a root cause: a feature whose distribution moved (its drift alerts, see drift/) and whose moved
 * region carries the extra error. The moved region is, over the feature's coded bins (coding.ts), the bins whose
 * share of rows grew significantly (two-proportion z ≥ GROWTH_Z) and whose rows explain extra errors (rank.ts);
 * for a numeric feature the contiguous run of such bins explaining most, for a categorical one all such values.
 */
import type { FeatureDrift } from '../types.js';
import type { Candidate, Condition } from './candidate.js';
import { rangeLabel, type CodedColumn, type Level } from './coding.js';
import { explanationOf, type RankContext } from './rank.js';
import { RowSet, type ErrorStatistics } from './row-sets.js';

const GROWTH_Z = 3;

/** The error statistics of each code of a feature, in each period. */
export interface CodeStatistics {
  reference: ErrorStatistics[];
  current: ErrorStatistics[];
}

/** `known`: the code statistics of features computed beforehand (`codeStatistics`, e.g. where the feature was analysed). */
export function featureDriftCandidates(
  drift: FeatureDrift[],
  columns: Map<string, CodedColumn>,
  context: RankContext,
  known: ReadonlyMap<string, CodeStatistics> = new Map()
): Candidate[] {
  const candidates: Candidate[] = [];
  const drifted = drift.flatMap(({ feature, drifted }) => {
    const coded = columns.get(feature);
    return drifted && coded ? [{ feature, coded }] : [];
  });
  // the error statistics of the other drifted features' codes, one pass over each period's errors for all of them
  const statistics = new Map(known);
  const unknown = drifted.filter(({ feature }) => !known.has(feature));
  if (unknown.length > 0) {
    const levelCounts = unknown.map(({ coded }) => coded.levels.length);
    const referenceStatistics = columnStatistics(unknown.map(({ coded }) => coded.codes.reference), context.reference.errors, levelCounts);
    const currentStatistics = columnStatistics(unknown.map(({ coded }) => coded.codes.current), context.current.errors, levelCounts);
    unknown.forEach(({ feature }, index) => statistics.set(feature, { reference: referenceStatistics[index], current: currentStatistics[index] }));
  }
  for (const { feature, coded } of drifted) {
    const { reference, current } = statistics.get(feature) as CodeStatistics;
    const moved = coded.levels.map((_, code) => {
      if (code === coded.missingCode || !grew(reference[code].rows, context.reference.rows, current[code].rows, context.current.rows)) {
        return 0;
      }
      return Math.max(0, explanationOf(reference[code], current[code], context).extraErrors);
    });
    const codes = coded.type === 'numeric' ? bestRun(moved) : moved.flatMap((extra, code) => (extra > 0 ? [code] : []));
    if (codes.length === 0) {
      continue;
    }
    const accepted = new Uint8Array(coded.levels.length);
    codes.forEach(code => (accepted[code] = 1));
    candidates.push({
      kind: 'feature_drift',
      feature,
      where: [{ column: feature, condition: conditionOf(codes.map(code => coded.levels[code])) }],
      rows: { reference: RowSet.ofCodes(coded.codes.reference, accepted), current: RowSet.ofCodes(coded.codes.current, accepted) }
    });
  }
  return candidates;
}

/** Whether a bin's share of rows grew beyond noise. */
export function grew(referenceRows: number, referenceTotal: number, currentRows: number, currentTotal: number): boolean {
  const before = referenceRows / referenceTotal;
  const after = currentRows / currentTotal;
  const pooled = (referenceRows + currentRows) / (referenceTotal + currentTotal);
  const error = Math.sqrt(pooled * (1 - pooled) * (1 / referenceTotal + 1 / currentTotal));
  return after > before && (error === 0 || (after - before) / error >= GROWTH_Z);
}

/** The code statistics of one feature's codes (`levels` codes), as `featureDriftCandidates` computes them. */
export function codeStatistics(
  codes: { reference: Uint8Array; current: Uint8Array },
  levels: number,
  errors: { reference: Float64Array; current: Float64Array }
): CodeStatistics {
  return {
    reference: columnStatistics([codes.reference], errors.reference, [levels])[0],
    current: columnStatistics([codes.current], errors.current, [levels])[0]
  };
}

/** Rows, Σ error and Σ error² per code of each of several columns over the same rows, in one pass (sums in row order). */
export function columnStatistics(columns: Uint8Array[], errors: Float64Array, levelCounts: number[]): ErrorStatistics[][] {
  const count = columns.length;
  const offsets = new Int32Array(count);
  let cells = 0;
  levelCounts.forEach((levels, c) => {
    offsets[c] = cells;
    cells += levels;
  });
  const rows = new Float64Array(cells);
  const sums = new Float64Array(cells);
  const squares = new Float64Array(cells);
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i];
    const square = error * error;
    for (let c = 0; c < count; c++) {
      const cell = offsets[c] + columns[c][i];
      rows[cell]++;
      sums[cell] += error;
      squares[cell] += square;
    }
  }
  return levelCounts.map((levels, c) =>
    Array.from({ length: levels }, (_, code) => ({ rows: rows[offsets[c] + code], sum: sums[offsets[c] + code], sumOfSquares: squares[offsets[c] + code] }))
  );
}

/** Positions of the contiguous run of positive values with the largest sum (bins are in value order). */
export function bestRun(values: number[]): number[] {
  let best: number[] = [];
  let bestSum = 0;
  let run: number[] = [];
  let sum = 0;
  values.forEach((value, code) => {
    if (value > 0) {
      run.push(code);
      sum += value;
      if (sum > bestSum) {
        best = [...run];
        bestSum = sum;
      }
    } else {
      run = [];
      sum = 0;
    }
  });
  return best;
}

/** One condition for a set of levels: a merged range of adjacent bins, a value, or a list of values. */
export function conditionOf(levels: Level[]): Condition {
  if (levels.length === 1) {
    return levels[0];
  }
  const first = levels[0];
  const last = levels[levels.length - 1];
  if (first.test === 'range' && last.test === 'range') {
    const range = { lower: first.lower, upper: last.upper, lowerClosed: first.lowerClosed, upperClosed: last.upperClosed };
    return { test: 'range', ...range, label: rangeLabel(range), inReference: true };
  }
  const values = levels.flatMap(level => (level.test === 'equals' ? [level.value] : []));
  return { test: 'in', values, label: values.map(String).join(', ') };
}
