/**
 * Regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), the survival function of a Gamma(a, 1)
 * variable (scipy's `gammaincc`). Both classic expansions share the prefactor xᵃ·e⁻ˣ / Γ(a):
 *   x < a + 1:  Q = 1 − P, with P = prefactor / a · Σₖ xᵏ / ((a + 1)···(a + k))      (DLMF 8.11.4)
 *   x ≥ a + 1:  Q = prefactor / (x + 1 − a − 1·(1 − a) / (x + 3 − a − 2·(2 − a) / …)) (DLMF 8.9.2, Lentz)
 * For a ≥ 10 the prefactor is evaluated as exp(a·(ln(1 + u) − u) + ½·ln(a / 2π) − stirlingCorrection(a)) with
 * u = (x − a) / a, which keeps full relative precision when a and x are large and close (many categories in a
 * chi-square test); the iteration count of either expansion then grows like √a. Relative error is about 1e-13
 * wherever Q is representable.
 */

import { log1pMinusX, logGamma, stirlingCorrection } from './log-gamma.js';

const RELATIVE_TOLERANCE = Number.EPSILON;
const MAXIMUM_ITERATIONS = 10_000_000;
const TINY = 1e-300;
const LARGE_SHAPE = 10;

/** Q(a, x) for a > 0 and x ≥ 0; NaN outside that domain. */
export function regularizedUpperGamma(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) {
    return NaN;
  }
  if (x === 0) {
    return 1;
  }
  if (x === Infinity) {
    return 0;
  }
  if (x < a + 1) {
    return 1 - lowerBySeries(a, x);
  }
  return upperByContinuedFraction(a, x);
}

/** xᵃ·e⁻ˣ / Γ(a). */
function gammaPrefactor(a: number, x: number): number {
  if (a >= LARGE_SHAPE) {
    const u = (x - a) / a;
    return Math.exp(a * log1pMinusX(u) + 0.5 * Math.log(a / (2 * Math.PI)) - stirlingCorrection(a));
  }
  return Math.exp(a * Math.log(x) - x - logGamma(a));
}

function lowerBySeries(a: number, x: number): number {
  const prefactor = gammaPrefactor(a, x);
  if (prefactor === 0) {
    return 0;
  }
  let term = 1;
  let sum = 1;
  for (let k = 1; k < MAXIMUM_ITERATIONS; k++) {
    term *= x / (a + k);
    sum += term;
    if (term <= RELATIVE_TOLERANCE * sum) {
      break;
    }
  }
  return (prefactor / a) * sum;
}

function upperByContinuedFraction(a: number, x: number): number {
  const prefactor = gammaPrefactor(a, x);
  if (prefactor === 0) {
    return 0;
  }
  // modified Lentz evaluation of b₀ + a₁/(b₁ + a₂/(b₂ + …)) with aᵢ = −i·(i − a), bᵢ = x + 2i + 1 − a
  const b0 = x + 1 - a;
  let fraction = b0 === 0 ? TINY : b0;
  let numeratorRatio = fraction;
  let denominatorRatio = 0;
  for (let i = 1; i < MAXIMUM_ITERATIONS; i++) {
    const partialNumerator = -i * (i - a);
    const partialDenominator = b0 + 2 * i;
    denominatorRatio = partialDenominator + partialNumerator * denominatorRatio;
    if (Math.abs(denominatorRatio) < TINY) {
      denominatorRatio = TINY;
    }
    numeratorRatio = partialDenominator + partialNumerator / numeratorRatio;
    if (Math.abs(numeratorRatio) < TINY) {
      numeratorRatio = TINY;
    }
    denominatorRatio = 1 / denominatorRatio;
    const delta = numeratorRatio * denominatorRatio;
    fraction *= delta;
    if (Math.abs(delta - 1) <= RELATIVE_TOLERANCE) {
      break;
    }
  }
  return prefactor / fraction;
}
