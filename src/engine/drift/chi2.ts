/**
 * Chi-square test of homogeneity between the reference and current category counts, as
 * `scipy.stats.chi2_contingency(table)` with its defaults, on the 2 × k table of counts (row 1 reference, row 2
 * current) over the union of the k categories:
 *   expected e_ij = row_i · column_j / total;  dof = k − 1;
 *   dof = 1: Yates' correction, each observed count moved towards its expectation by min(0.5, |e − o|);
 *   statistic = Σ (o − e)² / e over the 2k cells (summed in numpy's order, row by row); p = chi2.sf(statistic, dof).
 * Degenerate cases: k = 1 (dof 0) gives statistic 0 and p-value 1, as scipy; an empty period makes an expected count
 * 0, which scipy rejects, so there is no result (null).
 */

import { chiSquareSurvival } from '../stats/chi-square.js';
import { numpySum } from '../stats/numpy-reductions.js';
import type { CurrentCategoryCounts, PreparedCategoricalReference } from './categories.js';

export interface Chi2Result {
  statistic: number;
  p_value: number;
}

export function chi2Test(prepared: PreparedCategoricalReference, current: CurrentCategoryCounts): Chi2Result | null {
  if (prepared.size === 0 || current.size === 0) {
    return null;
  }
  const referenceCategories = prepared.categories.length;
  const categoryCount = referenceCategories + current.unseenCategories.length;
  const degreesOfFreedom = categoryCount - 1;
  if (degreesOfFreedom === 0) {
    return { statistic: 0, p_value: 1 };
  }
  const total = prepared.size + current.size;
  const terms = new Float64Array(2 * categoryCount);
  for (let position = 0; position < categoryCount; position++) {
    const referenceCount = position < referenceCategories ? prepared.counts[position] : 0;
    const currentCount =
      position < referenceCategories
        ? current.counts[position]
        : current.unseenCounts[position - referenceCategories];
    const columnTotal = referenceCount + currentCount;
    terms[position] = cellTerm(referenceCount, (prepared.size * columnTotal) / total, degreesOfFreedom);
    terms[categoryCount + position] = cellTerm(currentCount, (current.size * columnTotal) / total, degreesOfFreedom);
  }
  const statistic = numpySum(terms);
  return { statistic, p_value: chiSquareSurvival(statistic, degreesOfFreedom) };
}

/** (o − e)² / e, with Yates' continuity correction of o when dof = 1. */
function cellTerm(observed: number, expected: number, degreesOfFreedom: number): number {
  let corrected = observed;
  if (degreesOfFreedom === 1) {
    const difference = expected - observed;
    corrected = observed + Math.sign(difference) * Math.min(0.5, Math.abs(difference));
  }
  const deviation = corrected - expected;
  return (deviation * deviation) / expected;
}
