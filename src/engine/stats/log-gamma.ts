/**
 * Logarithm of the gamma function for positive arguments, and the two pieces that let callers avoid cancellation
 * when they combine it with other large logarithms:
 *   stirlingCorrection(x) = ln Γ(x) − [(x − ½)·ln x − x + ½·ln 2π]   (x ≥ 10, Stirling's series to the x⁻¹⁵ term)
 *   log1pMinusX(u)        = ln(1 + u) − u                             (u > −1, accurate as u → 0)
 * For x < 10, ln Γ(x) is taken from ln Γ(x + k) with the recurrence Γ(x + 1) = x·Γ(x). Absolute error is below
 * 1e-14 over (0, ∞), which is what exponentials of it need.
 */

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const STIRLING_SERIES_MINIMUM = 10;

/**
 * Coefficients B₂ⱼ / (2j·(2j − 1)) of Stirling's series, j = 1 … 8, from the Bernoulli numbers
 * B₂ = 1/6, B₄ = −1/30, B₆ = 1/42, B₈ = −1/30, B₁₀ = 5/66, B₁₂ = −691/2730, B₁₄ = 7/6, B₁₆ = −3617/510.
 */
const STIRLING_COEFFICIENTS = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400
];

/** ln Γ(x) − [(x − ½)·ln x − x + ½·ln 2π] for x ≥ 10. */
export function stirlingCorrection(x: number): number {
  if (!(x >= STIRLING_SERIES_MINIMUM)) {
    throw new RangeError(`stirlingCorrection needs x >= ${STIRLING_SERIES_MINIMUM}, got ${x}`);
  }
  const inverseSquare = 1 / (x * x);
  let series = 0;
  for (let j = STIRLING_COEFFICIENTS.length - 1; j >= 0; j--) {
    series = series * inverseSquare + STIRLING_COEFFICIENTS[j];
  }
  return series / x;
}

/** ln Γ(x) for x > 0 (NaN otherwise). */
export function logGamma(x: number): number {
  if (!(x > 0)) {
    return NaN;
  }
  if (x === Infinity) {
    return Infinity;
  }
  if (x >= STIRLING_SERIES_MINIMUM) {
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + stirlingCorrection(x);
  }
  // shift up into the range of Stirling's series: Γ(x) = Γ(x + k) / (x·(x + 1)···(x + k − 1))
  let shifted = x;
  let product = 1;
  while (shifted < STIRLING_SERIES_MINIMUM) {
    product *= shifted;
    shifted += 1;
  }
  return logGamma(shifted) - Math.log(product);
}

/** ln(1 + u) − u for u > −1, without the cancellation of the direct difference when u is small. */
export function log1pMinusX(u: number): number {
  if (Math.abs(u) > 0.5) {
    return Math.log1p(u) - u;
  }
  // ln(1 + u) = 2·atanh(s) with s = u / (2 + u), and 2s − u = −u·s, so
  // ln(1 + u) − u = −u·s + 2·(s³/3 + s⁵/5 + s⁷/7 + …); |s| ≤ 0.2 here, so the series converges fast
  const s = u / (2 + u);
  const s2 = s * s;
  let power = s * s2;
  let series = 0;
  for (let k = 3; k < 200; k += 2) {
    const term = power / k;
    series += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(series)) {
      break;
    }
    power *= s2;
  }
  return -u * s + 2 * series;
}
