/**
 * Survival function of the two-sided one-sample Kolmogorov-Smirnov statistic Dₙ, P(Dₙ ≥ x): scipy's
 * `stats.kstwo.sf(x, n)`, with scipy's own choice of method for each (n, x) (Simard & L'Ecuyer 2011, as
 * `scipy.stats._ksstats._kolmogn`):
 *   x ≤ 1/2n → 1;  x ≥ 1 → 0
 *   n·x ≤ 1                 → Ruben-Gambino closed form, P(Dₙ ≤ x) = n!/nⁿ · (2nx − 1)ⁿ
 *   n·x ≥ n − 1             → 2·(1 − x)ⁿ
 *   x ≥ 1/2                 → 2·smirnov(n, x)
 *   n ≤ 140:  n·x² ≤ 0.754693 → 1 − Durbin matrix;  n·x² ≤ 4 → 1 − Pomeranz;  else 2·smirnov(n, x)
 *   n > 140:  n·x² ≥ 370 → 0;  n·x² ≥ 2.2 → 2·smirnov(n, x);
 *             n ≤ 100000 and n·x^1.5 ≤ 1.4 → 1 − Durbin matrix;  else 1 − Pelz-Good
 * Results are clipped to [0, 1].
 */

import { stirlingCorrection } from './log-gamma.js';
import { durbinMatrixCdf } from './kstwo-durbin-matrix.js';
import { pelzGoodCdf } from './kstwo-pelz-good.js';
import { pomeranzCdf } from './kstwo-pomeranz.js';
import { smirnovSurvival } from './smirnov.js';

const SMALL_N = 140;
const DURBIN_LARGEST_N = 100_000;

export function kstwoSurvival(x: number, n: number): number {
  if (!Number.isInteger(n) || n <= 0) {
    throw new RangeError(`kstwo needs a positive integer sample size, got ${n}`);
  }
  if (Number.isNaN(x)) {
    return NaN;
  }
  if (x >= 1) {
    return 0;
  }
  if (x <= 0) {
    return 1;
  }
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) {
      return 1;
    }
    return clip(1 - rubenGambinoCdf(n, t));
  }
  if (t >= n - 1) {
    return clip(2 * (1 - x) ** n);
  }
  if (x >= 0.5) {
    return clip(2 * smirnovSurvival(n, x));
  }
  const nxSquared = t * x;
  if (n <= SMALL_N) {
    if (nxSquared <= 0.754693) {
      return clip(1 - durbinMatrixCdf(n, x));
    }
    if (nxSquared <= 4) {
      return clip(1 - pomeranzCdf(n, x));
    }
    return clip(2 * smirnovSurvival(n, x));
  }
  if (nxSquared >= 370) {
    return 0;
  }
  if (nxSquared >= 2.2) {
    return clip(2 * smirnovSurvival(n, x));
  }
  const cdf = n <= DURBIN_LARGEST_N && n * x ** 1.5 <= 1.4 ? durbinMatrixCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}

/** P(Dₙ ≤ x) = n!/nⁿ · (2t − 1)ⁿ for 1/2 < t = n·x ≤ 1. */
function rubenGambinoCdf(n: number, t: number): number {
  if (n <= SMALL_N) {
    let product = 1;
    const inverseN = 1 / n;
    for (let i = 1; i <= n; i++) {
      product *= i * inverseN * (2 * t - 1);
    }
    return product;
  }
  // ln(n!/nⁿ) = ½·ln n − n + ½·ln 2π + Stirling's correction
  const logFactorialOverPower = Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + stirlingCorrection(n);
  return Math.exp(logFactorialOverPower + n * Math.log(2 * t - 1));
}

function clip(probability: number): number {
  return Math.min(Math.max(probability, 0), 1);
}
