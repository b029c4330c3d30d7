/**
 * Pelz-Good (1976) approximation of the two-sided one-sample Kolmogorov-Smirnov CDF, P(Dₙ ≤ x), as scipy's
 * `_kolmogn_PelzGood`: the Li-Chien/Korolyuk expansion K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^1.5 with z = x·√n, each
 * Kᵢ rewritten through Jacobi theta identities into sums of q^(k²) terms that converge fast for small z.
 * scipy uses it for n > 140 and small n·x² where the exact methods are too slow. The result is not clipped.
 */

const PI_SQUARED = Math.PI ** 2;
const PI_FOURTH = Math.PI ** 4;
const PI_SIXTH = Math.PI ** 6;
const SQRT_TWO_PI = Math.sqrt(2 * Math.PI);
const SQRT_THREE = Math.sqrt(3);
const SMALLEST_LOG = -708;

export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) {
    return 0;
  }
  if (x >= 1) {
    return 1;
  }
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;

  const logQ = -PI_SQUARED / 8 / z2;
  if (logQ < SMALLEST_LOG) {
    return 0;
  }
  let q = Math.exp(logQ);

  // coefficients of the m² powers in the sums for K₁, K₂ and K₃
  const k1a = -z2;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI_SQUARED) / 4;
  const k2c = (PI_FOURTH * (1 - 2 * z2)) / 16;
  const k3d = (PI_SIXTH * (5 - 30 * z2)) / 64;
  const k3c = (PI_FOURTH * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI_SQUARED * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  // Horner scheme over odd m = 2k − 1 of Σ cₘ q^(m²)
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qPower = q ** (8 * k);
    const coefficients = [
      1,
      k1a + k1b * m2,
      k2a + k2b * m2 + k2c * m4,
      k3a + k3b * m2 + k3c * m4 + k3d * m6
    ];
    for (let i = 0; i < 4; i++) {
      terms[i] = terms[i] * qPower + coefficients[i];
    }
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) {
    terms[i] = (terms[i] * q * SQRT_TWO_PI) / divisors[i];
  }

  // the sums over all integers k that K₂ and K₃ also carry
  q = Math.exp(-PI_SQUARED / 2 / z2);
  const sqrt3z = SQRT_THREE * z;
  let k2Extra = 0;
  let k3Extra = 0;
  for (let k = maxK; k > 0; k--) {
    const k2 = k ** 2;
    const qPower = q ** k2;
    const kPi = Math.PI * k;
    k2Extra += k2 * qPower;
    k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qPower;
  }
  terms[2] += (k2Extra * PI_SQUARED * SQRT_TWO_PI) / (-36 * z3);
  terms[3] += (k3Extra * PI_SQUARED * SQRT_TWO_PI) / (216 * z6);

  let cdf = 0;
  for (let i = 0; i < 4; i++) {
    cdf += terms[i] / n ** (i / 2);
  }
  return cdf;
}
