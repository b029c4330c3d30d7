/**
 * CDF of the two-sided one-sample Kolmogorov-Smirnov statistic, P(Dₙ ≤ d), by Durbin's matrix method in the form of
 * Marsaglia, Tsang & Wang (2003), as scipy's `_kolmogn_DMTW`: write n·d = k − h with k an integer and 0 ≤ h < 1,
 * build the (2k − 1)×(2k − 1) matrix H, and P = n!/nⁿ · (Hⁿ)ₖₖ. Powers are taken by repeated squaring with
 * rescaling by 2^128, so the cost is O(k³·log n); scipy uses it when k is small.
 */

import { scaleByPowerOfTwo, TWO_POW_128, TWO_POW_MINUS_128 } from './power-of-two.js';

export function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) {
    return 1;
  }
  const nd = n * d;
  if (nd <= 0.5) {
    return 0;
  }
  const k = Math.ceil(nd);
  const h = k - nd;
  const size = 2 * k - 1;
  let matrix = durbinMatrix(h, size);

  // (Hⁿ)ₖₖ by binary exponentiation, with a separate power-of-two exponent for each factor
  let power = identity(size);
  let powerExponent = 0;
  let matrixExponent = 0;
  const diagonal = (k - 1) * size + (k - 1);
  for (let remaining = n; remaining > 0; remaining = Math.floor(remaining / 2)) {
    if (remaining % 2 === 1) {
      power = multiply(power, matrix, size);
      powerExponent += matrixExponent;
    }
    matrix = multiply(matrix, matrix, size);
    matrixExponent *= 2;
    if (Math.abs(matrix[diagonal]) > TWO_POW_128) {
      for (let i = 0; i < matrix.length; i++) {
        matrix[i] /= TWO_POW_128;
      }
      matrixExponent += 128;
    }
  }

  // multiply by n!/nⁿ one factor at a time, rescaling before underflow
  let probability = power[diagonal];
  for (let i = 1; i <= n; i++) {
    probability = (i * probability) / n;
    if (Math.abs(probability) < TWO_POW_MINUS_128) {
      probability *= TWO_POW_128;
      powerExponent -= 128;
    }
  }
  if (powerExponent !== 0) {
    probability = scaleByPowerOfTwo(probability, powerExponent);
  }
  return Math.min(Math.max(probability, 0), 1);
}

/**
 * H: ones-over-factorials below the superdiagonal, first column vⱼ = (1 − h^(j+1)) / (j+1)!, last row the first
 * column reversed, and the corner (1 − 2hᵐ + max(2h − 1, 0)ᵐ) / m!.
 */
function durbinMatrix(h: number, size: number): Float64Array {
  const firstColumn = new Float64Array(size);
  const inverseFactorials = new Float64Array(size);
  let inverseFactorial = 1;
  for (let j = 1; j <= size; j++) {
    inverseFactorials[j - 1] = inverseFactorial;
    inverseFactorial /= j;
    firstColumn[j - 1] = (1 - h ** j) * inverseFactorial;
  }
  const corner = Math.max(2 * h - 1, 0) ** size - 2 * h ** size;
  firstColumn[size - 1] = (1 + corner) * inverseFactorial;

  const matrix = new Float64Array(size * size);
  for (let column = 1; column < size; column++) {
    for (let row = column - 1; row < size; row++) {
      matrix[row * size + column] = inverseFactorials[row - column + 1];
    }
  }
  for (let row = 0; row < size; row++) {
    matrix[row * size] = firstColumn[row];
  }
  for (let column = 0; column < size; column++) {
    matrix[(size - 1) * size + column] = firstColumn[size - 1 - column];
  }
  return matrix;
}

function identity(size: number): Float64Array {
  const matrix = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    matrix[i * size + i] = 1;
  }
  return matrix;
}

function multiply(left: Float64Array, right: Float64Array, size: number): Float64Array {
  const product = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    const rowOffset = row * size;
    for (let inner = 0; inner < size; inner++) {
      const factor = left[rowOffset + inner];
      if (factor === 0) {
        continue;
      }
      const innerOffset = inner * size;
      for (let column = 0; column < size; column++) {
        product[rowOffset + column] += factor * right[innerOffset + column];
      }
    }
  }
  return product;
}
