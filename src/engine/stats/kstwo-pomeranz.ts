/**
 * CDF of the two-sided one-sample Kolmogorov-Smirnov statistic, P(Dₙ ≤ x), by Pomeranz's recursion (1974), as scipy's
 * `_kolmogn_Pomeranz`: 2n + 1 steps, each convolving the previous row with truncated Poisson-like weights
 * (g/n)ᵐ/m!, (2g/n)ᵐ/m! or ((1 − 2g)/n)ᵐ/m!, where g = min(f, 1 − f) and f is the fractional part of n·x. Only a
 * sliding window of each row can be non-zero; rows are rescaled by 2^128 before they underflow. P = n!·(last entry).
 */

import { scaleByPowerOfTwo, TWO_POW_128, TWO_POW_MINUS_128 } from './power-of-two.js';

export function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const whole = Math.floor(t);
  const fraction = t - whole;
  const g = Math.min(fraction, 1 - fraction);
  const ceilFraction = fraction > 0 ? 1 : 0;
  const roundFraction = fraction > 0.5 ? 1 : 0;
  const powerCount = 2 * (whole + 1);

  const gPowers = new Float64Array(powerCount);
  const twoGPowers = new Float64Array(powerCount);
  const oneMinusTwoGPowers = new Float64Array(powerCount);
  gPowers[0] = 1;
  twoGPowers[0] = 1;
  oneMinusTwoGPowers[0] = 1;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < powerCount; m++) {
    gPowers[m] = (gPowers[m - 1] * gOverN) / m;
    twoGPowers[m] = (twoGPowers[m - 1] * twoGOverN) / m;
    oneMinusTwoGPowers[m] = (oneMinusTwoGPowers[m - 1] * oneMinusTwoGOverN) / m;
  }

  let previousRow = new Float64Array(powerCount);
  let row = new Float64Array(powerCount);
  row[0] = 1;
  let previousStart = 0;
  let rowStart = 0;
  let exponent = 0;
  let [low] = windowOfRow(0, n, whole, ceilFraction, roundFraction);
  for (let i = 1; i < 2 * n + 2; i++) {
    const previousLow = low;
    [previousRow, row] = [row, previousRow];
    [previousStart, rowStart] = [rowStart, previousStart];
    row.fill(0);
    const window = windowOfRow(i, n, whole, ceilFraction, roundFraction);
    low = window[0];
    const high = window[1];
    const weights = i === 1 || i === 2 * n + 1 ? gPowers : i % 2 === 1 ? twoGPowers : oneMinusTwoGPowers;
    const length = high - previousLow + 1;
    if (length > 0) {
      // entries [low − previousLow, high − previousLow] of the full convolution of the previous row's window
      // (starting at previousLow) with the first `length` weights
      const sourceOffset = previousLow - previousStart;
      const sourceLength = Math.min(length, powerCount - sourceOffset);
      const weightLength = Math.min(length, powerCount);
      const firstIndex = low - previousLow;
      const entryCount = high - low + 1;
      let largest = 0;
      for (let entry = 0; entry < entryCount; entry++) {
        const convolutionIndex = firstIndex + entry;
        let sum = 0;
        const from = Math.max(0, convolutionIndex - (weightLength - 1));
        const to = Math.min(convolutionIndex, sourceLength - 1);
        for (let s = from; s <= to; s++) {
          sum += previousRow[sourceOffset + s] * weights[convolutionIndex - s];
        }
        row[entry] = sum;
        if (sum > largest) {
          largest = sum;
        }
      }
      if (largest > 0 && largest < TWO_POW_MINUS_128) {
        for (let entry = 0; entry < entryCount; entry++) {
          row[entry] *= TWO_POW_128;
        }
        exponent -= 128;
      }
      rowStart = previousStart + low - previousLow;
    }
  }

  // multiply by n!, rescaling before overflow
  let probability = row[n - rowStart];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(probability) > TWO_POW_128) {
      probability *= TWO_POW_MINUS_128;
      exponent += 128;
    }
    probability *= m;
  }
  if (exponent !== 0) {
    probability = scaleByPowerOfTwo(probability, exponent);
  }
  return Math.min(Math.max(probability, 0), 1);
}

/** First and last index (inclusive) of the entries of row i that can be non-zero. */
function windowOfRow(
  i: number,
  n: number,
  whole: number,
  ceilFraction: number,
  roundFraction: number
): [number, number] {
  let low: number;
  let high: number;
  if (i === 0) {
    low = -whole - ceilFraction - 1;
    high = whole + ceilFraction - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        low = n - whole - ceilFraction - 1;
        high = n + whole + ceilFraction - 1;
      } else {
        low = half - 1 - whole - roundFraction - 1;
        high = half + whole - 1 + ceilFraction - 1;
      }
    } else {
      low = half - 1 - whole - 1;
      high = half + whole + roundFraction - 1;
    }
  }
  return [Math.max(low + 2, 0), Math.min(high, n)];
}
