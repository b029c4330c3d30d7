/**
 * Exact binomial and multinomial variates, so a bootstrap over a confusion table costs a few draws per cell
 * instead of one per row:
 * - Binomial(n, p) with p ≤ ½ (p > ½ by symmetry, n − Binomial(n, 1 − p)):
 *   n·p < 10: sequential inversion, walking the pmf from 0 with p(k + 1) = p(k)·((n + 1)·s / (k + 1) − s),
 *   s = p / (1 − p) (Kachitvichyanukul & Schmeiser 1988, algorithm BINV);
 *   n·p ≥ 10: BTRS, transformed rejection with squeeze (Hörmann, "The generation of binomial random variates",
 *   1993), accepting against the exact log-pmf ratio written with Stirling's series for ln k!.
 * - Multinomial(n, w) by conditional binomials: xᵢ ~ Binomial(n − Σ_{j<i} xⱼ, wᵢ / Σ_{j≥i} wⱼ).
 * Both are exact samplers of their distributions (up to float64 rounding in the acceptance test).
 */
import type { Xoshiro128 } from './random.js';

const INVERSION_LIMIT = 10;

export function binomial(random: Xoshiro128, trials: number, probability: number): number {
  if (trials === 0 || probability <= 0) {
    return 0;
  }
  if (probability >= 1) {
    return trials;
  }
  if (probability > 0.5) {
    return trials - binomial(random, trials, 1 - probability);
  }
  return trials * probability < INVERSION_LIMIT
    ? binomialByInversion(random, trials, probability)
    : binomialByTransformedRejection(random, trials, probability);
}

/** Counts of `trials` draws over cells with the given non-negative weights, written into `counts`. */
export function multinomial(
  random: Xoshiro128,
  trials: number,
  weights: ArrayLike<number>,
  counts: Float64Array
): void {
  let remainingTrials = trials;
  let remainingWeight = 0;
  for (let i = 0; i < weights.length; i++) {
    remainingWeight += weights[i];
  }
  for (let i = 0; i < weights.length; i++) {
    if (remainingTrials === 0 || remainingWeight <= 0) {
      counts[i] = 0;
      continue;
    }
    const drawn =
      i === weights.length - 1 ? remainingTrials : binomial(random, remainingTrials, weights[i] / remainingWeight);
    counts[i] = drawn;
    remainingTrials -= drawn;
    remainingWeight -= weights[i];
  }
}

function binomialByInversion(random: Xoshiro128, trials: number, probability: number): number {
  const q = 1 - probability;
  const s = probability / q;
  const a = (trials + 1) * s;
  const probabilityOfZero = q ** trials;
  for (;;) {
    let u = random.nextDouble();
    let pmf = probabilityOfZero;
    let k = 0;
    while (u > pmf && k <= trials) {
      u -= pmf;
      k++;
      pmf *= a / k - s;
    }
    // rounding can leave u above the whole mass: draw again
    if (k <= trials) {
      return k;
    }
  }
}

function binomialByTransformedRejection(random: Xoshiro128, trials: number, probability: number): number {
  const q = 1 - probability;
  const spread = Math.sqrt(trials * probability * q);
  const b = 1.15 + 2.53 * spread;
  const a = -0.0873 + 0.0248 * b + 0.01 * probability;
  const c = trials * probability + 0.5;
  const squeezeLimit = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spread;
  const logOdds = Math.log(probability / q);
  const mode = Math.floor((trials + 1) * probability);
  const logPmfAtMode = logFactorial(mode) + logFactorial(trials - mode);
  for (;;) {
    const u = random.nextDouble() - 0.5;
    let v = random.nextDouble();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > trials) {
      continue;
    }
    if (us >= 0.07 && v <= squeezeLimit) {
      return k;
    }
    v = Math.log((v * alpha) / (a / (us * us) + b));
    // ln(pmf(k) / pmf(mode))
    const logRatio = logPmfAtMode - logFactorial(k) - logFactorial(trials - k) + (k - mode) * logOdds;
    if (v <= logRatio) {
      return k;
    }
  }
}

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const EXACT_LOG_FACTORIALS = 256;
const LOG_FACTORIALS = (() => {
  const table = new Float64Array(EXACT_LOG_FACTORIALS);
  for (let k = 2; k < EXACT_LOG_FACTORIALS; k++) {
    table[k] = table[k - 1] + Math.log(k);
  }
  return table;
})();

/** ln k!: summed logarithms below 256, Stirling's series (to the x⁻⁷ term, error < 1e-17) above. */
function logFactorial(k: number): number {
  if (k < EXACT_LOG_FACTORIALS) {
    return LOG_FACTORIALS[k];
  }
  const x = k + 1;
  const inverseSquare = 1 / (x * x);
  const series = (1 / 12 - inverseSquare * (1 / 360 - inverseSquare * (1 / 1260 - inverseSquare / 1680))) / x;
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
}
