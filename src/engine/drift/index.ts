/**
 * Drift of one feature between the reference and current periods (shared DESIGN section 4).
 * Numeric features: ks, jensen_shannon, psi, wasserstein. Categorical features: jensen_shannon, psi, chi2.
 * Missing values (NaN, null) are excluded from every statistic. A method that cannot be computed for the data
 * (scipy raises or gives NaN, see each method's file) is left out of the returned methods; no value is ever NaN.
 *
 * Per-chunk drift prepares the reference once (`prepare…Reference`) and then evaluates each chunk's Jensen-Shannon
 * distance in one pass over the chunk.
 */

import type { DriftMethods } from '../types.js';
import { countCurrentCategories, prepareCategoricalReference } from './categories.js';
import type { CategoricalValues, PreparedCategoricalReference } from './categories.js';
import { chi2Test } from './chi2.js';
import { binCountsOnGrid, markBinEdges } from './histogram.js';
import { categoricalJensenShannonOfCounts, numericJensenShannonOfCounts } from './jensen-shannon.js';
import { ksStatistic, ksTest, markKsCandidates } from './ks.js';
import { prepareNumericReference } from './numeric-reference.js';
import type { PreparedNumericReference } from './numeric-reference.js';
import { numericSample } from './numeric-sample.js';
import { categoricalPsi, markDecileBuckets, numericPsi, referenceDecileEdges } from './psi.js';
import { buildTwoSampleGrid, resolveMarkedBuckets } from './two-sample-grid.js';
import { markWassersteinCrossings, wassersteinDistance, wassersteinResult } from './wasserstein.js';

export { categoricalJensenShannon, numericJensenShannon, numericJensenShannonOfCounts } from './jensen-shannon.js';
export { prepareCategoricalReference, prepareNumericReference };
export { isCategoryCodes, type CategoricalValues, type CategoryCodes } from './categories.js';
export type { PreparedCategoricalReference, PreparedNumericReference };

/**
 * ks, jensen_shannon, psi and wasserstein of a numeric feature. Pass the reference prepared for chunk drift to
 * reuse its work; it must have been prepared from the same `reference`.
 */
export function numericDrift(
  reference: Float64Array,
  current: Float64Array,
  prepared: PreparedNumericReference = prepareNumericReference(reference)
): DriftMethods {
  const methods: DriftMethods = {};
  const referenceSample = prepared.sample;
  const currentSample = numericSample(current);
  if (referenceSample.values.length === 0 || currentSample.values.length === 0) {
    return methods;
  }

  // one grid for everything that needs the joint order of both samples: mark the buckets each statistic must see
  // value by value, then gather and sort those only
  const grid = buildTwoSampleGrid(referenceSample, currentSample);
  markKsCandidates(grid);
  markWassersteinCrossings(grid);
  markDecileBuckets(grid);
  if (prepared.edges !== null) {
    markBinEdges(grid, prepared.edges);
  }
  const resolved = resolveMarkedBuckets(grid);

  methods.ks = ksTest(ksStatistic(grid, resolved), referenceSample.values.length, currentSample.values.length);
  if (prepared.edges !== null) {
    const currentCounts = binCountsOnGrid(grid, resolved, 'current', prepared.edges);
    const jensenShannon = numericJensenShannonOfCounts(prepared, currentCounts);
    if (jensenShannon !== null) {
      methods.jensen_shannon = { value: jensenShannon };
    }
  }
  const decileEdges = referenceDecileEdges(grid, resolved);
  if (decileEdges !== null) {
    methods.psi = { value: numericPsi(grid, resolved, decileEdges) };
  }
  const wasserstein = wassersteinResult(wassersteinDistance(grid, resolved), prepared.standardDeviation);
  if (wasserstein !== null) {
    methods.wasserstein = wasserstein;
  }
  return methods;
}

/** jensen_shannon, psi and chi2 of a categorical feature (null and undefined are missing). */
export function categoricalDrift(
  reference: CategoricalValues,
  current: CategoricalValues,
  prepared: PreparedCategoricalReference = prepareCategoricalReference(reference)
): DriftMethods {
  const methods: DriftMethods = {};
  const currentCounts = countCurrentCategories(prepared, current);
  const jensenShannon = categoricalJensenShannonOfCounts(prepared, currentCounts);
  if (jensenShannon !== null) {
    methods.jensen_shannon = { value: jensenShannon };
  }
  const psi = categoricalPsi(prepared, currentCounts);
  if (psi !== null) {
    methods.psi = { value: psi };
  }
  const chi2 = chi2Test(prepared, currentCounts);
  if (chi2 !== null) {
    methods.chi2 = chi2;
  }
  return methods;
}
