/**
 * Survival function of the chi-square distribution, P(X > x) for X ~ χ²(k), as scipy's `chi2.sf(x, k)` /
 * `special.chdtrc(k, x)`: Q(k/2, x/2) with Q the regularized upper incomplete gamma function; 1 for x ≤ 0.
 */

import { regularizedUpperGamma } from './incomplete-gamma.js';

export function chiSquareSurvival(statistic: number, degreesOfFreedom: number): number {
  if (!(degreesOfFreedom > 0)) {
    throw new RangeError(`chi-square degrees of freedom must be positive, got ${degreesOfFreedom}`);
  }
  if (Number.isNaN(statistic)) {
    return NaN;
  }
  if (statistic <= 0) {
    return 1;
  }
  return regularizedUpperGamma(degreesOfFreedom / 2, statistic / 2);
}
