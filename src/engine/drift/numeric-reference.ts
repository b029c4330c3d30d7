/**
 * Everything the numeric drift statistics derive from the reference column alone, computed once and reused for the
 * whole current period and for every chunk: the non-missing values, numpy's mean and standard deviation (ddof 0),
 * the Doane bin edges and the reference's share of values in each bin (NannyML's Jensen-Shannon convention:
 * histogram counts divided by the number of reference values, plus a final bucket of share 0 that receives the
 * current values outside the edges).
 */

import { numpyMean, numpyStandardDeviation } from '../stats/numpy-reductions.js';
import { binCounts, doaneBinEdges } from './histogram.js';
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
}

export function prepareNumericReference(reference: Float64Array): PreparedNumericReference {
  const sample = numericSample(reference);
  const mean = numpyMean(sample.values);
  const standardDeviation = numpyStandardDeviation(sample.values, mean);
  const edges = doaneBinEdges(sample, mean, standardDeviation);
  let binShares: Float64Array | null = null;
  if (edges !== null) {
    const { counts } = binCounts(sample.values, edges);
    binShares = new Float64Array(counts.length + 1);
    for (let bin = 0; bin < counts.length; bin++) {
      binShares[bin] = counts[bin] / sample.values.length;
    }
  }
  return { sample, mean, standardDeviation, edges, binShares };
}
