/**
 * Everything the numeric drift statistics derive from the reference column alone, computed once and reused for the
 * whole current period and for every chunk: the non-missing values, numpy's mean and standard deviation (ddof 0),
 * the Doane bin edges and the reference's share of values in each bin (NannyML's Jensen-Shannon convention:
 * histogram counts divided by the number of reference values, plus a final bucket of share 0 that receives the
 * current values outside the edges). Given the reference's chunks, the bin counts of each chunk too, from the same
 * one binning of every value (the whole reference's counts are their sums).
 */

import { numpyMean, numpyStandardDeviation } from '../stats/numpy-reductions.js';
import { binCounts, doaneBinEdges, type BinCounts } from './histogram.js';
import type { NumericSample } from './numeric-sample.js';
import { numericSample } from './numeric-sample.js';

export interface PreparedNumericReference {
  sample: NumericSample;
  /** numpy's mean and std (ddof 0) of the non-missing values; NaN when there are none. */
  mean: number;
  standardDeviation: number;
  /** Doane edges, or null where numpy raises (see histogram.ts). */
  edges: Float64Array | null;
  /** Share of reference values per bin, then 0 for the outside bucket; null without edges. */
  binShares: Float64Array | null;
  /** With edges and chunks: the bin counts of each chunk's rows [start, end) of the column. */
  chunkCounts?: BinCounts[];
}

/** `chunks`: consecutive row ranges that cover the whole column, whose bin counts are wanted as well. */
export function prepareNumericReference(
  reference: Float64Array,
  chunks: ReadonlyArray<{ start: number; end: number }> = []
): PreparedNumericReference {
  const sample = numericSample(reference);
  const mean = numpyMean(sample.values);
  const standardDeviation = numpyStandardDeviation(sample.values, mean);
  const edges = doaneBinEdges(sample, mean, standardDeviation);
  let binShares: Float64Array | null = null;
  let chunkCounts: BinCounts[] | undefined;
  if (edges !== null) {
    let counts: Float64Array;
    if (covers(chunks, reference.length)) {
      chunkCounts = chunks.map(chunk => binCounts(reference.subarray(chunk.start, chunk.end), edges));
      counts = new Float64Array(edges.length - 1);
      for (const part of chunkCounts) {
        for (let bin = 0; bin < counts.length; bin++) {
          counts[bin] += part.counts[bin];
        }
      }
    } else {
      counts = binCounts(sample.values, edges).counts;
    }
    binShares = new Float64Array(counts.length + 1);
    for (let bin = 0; bin < counts.length; bin++) {
      binShares[bin] = counts[bin] / sample.values.length;
    }
  }
  return { sample, mean, standardDeviation, edges, binShares, ...(chunkCounts ? { chunkCounts } : {}) };
}

/** Whether consecutive ranges cover [0, rows) exactly. */
function covers(chunks: ReadonlyArray<{ start: number; end: number }>, rows: number): boolean {
  let next = 0;
  for (const { start, end } of chunks) {
    if (start !== next || end < start) {
      return false;
    }
    next = end;
  }
  return chunks.length > 0 && next === rows;
}
