/**
 * ln P(K = k) for K ~ Binomial(n, p), in the saddle-point form that keeps full relative precision for large n
 * (Loader 2000):
 *   ln P = ½·ln(n / (2π·k·(n − k))) + δ(n) − δ(k) − δ(n − k) − d(k, n·p) − d(n − k, n·q)
 * with δ(m) = ln m! − [(m + ½)·ln m − m + ½·ln 2π] (Stirling's correction) and the deviance
 * d(x, μ) = x·ln(x/μ) + μ − x. Each piece is of the size of the log-probability itself, not of n, so nothing large
 * cancels. The caller passes n·p and n·q separately, so that both stay exact when p is close to 0 or 1.
 */

import { logGamma, stirlingCorrection } from './log-gamma.js';

const LOG_TWO_PI = Math.log(2 * Math.PI);

export function binomialLogProbability(k: number, n: number, successMean: number, failureMean: number): number {
  if (k === 0) {
    return n * Math.log(failureMean / n);
  }
  if (k === n) {
    return n * Math.log(successMean / n);
  }
  return (
    0.5 * (Math.log(n / (k * (n - k))) - LOG_TWO_PI) +
    factorialCorrection(n) -
    factorialCorrection(k) -
    factorialCorrection(n - k) -
    deviance(k, successMean) -
    deviance(n - k, failureMean)
  );
}

/** ln m! − [(m + ½)·ln m − m + ½·ln 2π] for an integer m ≥ 1. */
function factorialCorrection(m: number): number {
  if (m >= 10) {
    return stirlingCorrection(m);
  }
  return logGamma(m + 1) - ((m + 0.5) * Math.log(m) - m + 0.5 * LOG_TWO_PI);
}

/** x·ln(x/μ) + μ − x for x, μ > 0, by the series in u = (x − μ)/(x + μ) when x and μ are close. */
function deviance(x: number, mean: number): number {
  if (Math.abs(x - mean) >= 0.1 * (x + mean)) {
    return x * Math.log(x / mean) + mean - x;
  }
  // ln(x/μ) = 2·atanh(u), and x·2u + μ − x = u·(x − μ), so d = u·(x − μ) + 2x·(u³/3 + u⁵/5 + …)
  const u = (x - mean) / (x + mean);
  const uSquared = u * u;
  let sum = u * (x - mean);
  let power = 2 * x * u;
  for (let j = 1; j < 1000; j++) {
    power *= uSquared;
    const next = sum + power / (2 * j + 1);
    if (next === sum) {
      return next;
    }
    sum = next;
  }
  return sum;
}
