/**
 * Exponent bookkeeping shared by the Kolmogorov-Smirnov recursions: intermediate values are rescaled by 2^±128 to
 * stay inside the float64 range, the exponent is tracked separately, and applied once at the end (C's `ldexp`).
 */

export const TWO_POW_128 = 2 ** 128;
export const TWO_POW_MINUS_128 = 2 ** -128;

/** value · 2^exponent, applied in steps so that neither the factor nor an intermediate result overflows early. */
export function scaleByPowerOfTwo(value: number, exponent: number): number {
  let result = value;
  let remaining = exponent;
  while (remaining > 1000) {
    result *= 2 ** 1000;
    remaining -= 1000;
  }
  while (remaining < -1000) {
    result *= 2 ** -1000;
    remaining += 1000;
  }
  return result * 2 ** remaining;
}
