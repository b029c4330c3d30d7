/**
 * Survival function of the one-sided one-sample Kolmogorov-Smirnov statistic, P(Dₙ⁺ ≥ x), scipy's
 * `special.smirnov(n, x)`, by the Smirnov / Birnbaum-Tingey sum
 *   P = x · Σ_{v=0}^{⌊n(1−x)⌋} C(n, v) · (x + v/n)^(v−1) · (1 − x − v/n)^(n−v)
 * with the same special cases as scipy's implementation: n = 1; x ≤ 1/n (closed form 1 − x(1 + x)^(n−1));
 * −2nx² below ln 2^−1075 (0); x ≥ 1 − 1/n (closed form (1 − x)ⁿ); n > 10⁶ (the approximation
 * exp(−(6nx + 1)² / 18n)). n·x is split exactly into ⌊n·x⌋ + α, so that x + v/n = (⌊nx⌋ + v + α)/n and
 * 1 − x − v/n = (n − v − ⌊nx⌋ − α)/n keep full relative precision.
 *
 * Up to n = 20000 the sum runs term by term from v = 0 in log space, with scipy's early stop once the remaining
 * terms cannot change it. Beyond, the terms form one smooth bump thousands of terms wide, far from both ends
 * (each term is the binomial probability of v at p = x + v/n, divided by p); the sum over all integers then equals
 * h · Σ of every h-th term to far below rounding as long as h is well under the bump's width. The sum is taken at
 * h = 2^k ≈ n/256, halving h until two successive values agree to 1e-14 (falling back to every term if the ends are
 * not negligible). That makes the p-value of a million-row comparison cost about a thousand terms instead of
 * hundreds of thousands. Both ways agree with scipy's double-double evaluation to about 1e-10 relative.
 */

import { binomialLogProbability } from './binomial-log-probability.js';

/** ln 2^-1075, below which scipy takes the survival function to underflow. */
const SMALLEST_LOG = -1075 * Math.LN2;
const LARGEST_EXACT_N = 1_000_000;
const SAMPLED_SUM_SMALLEST_N = 20_000;
const SAMPLED_SUM_FIRST_POINTS = 256;
const SAMPLED_SUM_TOLERANCE = 1e-14;
/** The end terms must be below e^-60 times the largest for the sampled sum to stand for the whole sum. */
const NEGLIGIBLE_LOG_RATIO = -60;

export function smirnovSurvival(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) {
    return NaN;
  }
  if (n === 1) {
    return 1 - x;
  }
  if (x === 0) {
    return 1;
  }
  if (x === 1) {
    return 0;
  }
  const { whole, fraction } = splitProduct(n, x);
  if (whole === 0 || (whole === 1 && fraction === 0)) {
    return 1 - x * (1 + x) ** (n - 1);
  }
  if (-2 * n * x * x < SMALLEST_LOG) {
    return 0;
  }
  if (whole >= n - 1) {
    return (1 - x) ** n;
  }
  if (n > LARGEST_EXACT_N) {
    const logP = -((6 * n * x + 1) ** 2) / 18 / n;
    return logP < -Math.LN2 ? Math.exp(logP) : 1 + Math.expm1(logP);
  }

  // the last term vanishes when n·(1 − x) is an integer
  const lastTerm = n - whole - 1;
  if (n >= SAMPLED_SUM_SMALLEST_N) {
    const sampled = sampledSum(n, x, whole, fraction, lastTerm);
    if (sampled !== null) {
      return Math.min(Math.max(sampled, 0), 1);
    }
  }
  const termCount = lastTerm + 1;
  const logN = Math.log(n);
  let logBinomial = 0;
  let largestLog = -Infinity;
  let scaledSum = 0;
  for (let v = 0; v <= lastTerm; v++) {
    const logTerm =
      logBinomial +
      (v - 1) * (Math.log(whole + v + fraction) - logN) +
      (n - v) * (Math.log(n - v - whole - fraction) - logN);
    if (logTerm > largestLog) {
      scaledSum = scaledSum * Math.exp(largestLog - logTerm) + 1;
      largestLog = logTerm;
    } else {
      const scaledTerm = Math.exp(logTerm - largestLog);
      scaledSum += scaledTerm;
      if (4 * (termCount - v) * scaledTerm < Number.EPSILON * scaledSum && v !== lastTerm) {
        break;
      }
    }
    logBinomial += Math.log((n - v) / (v + 1));
  }
  return Math.min(Math.max(scaleBack(x * scaledSum, largestLog), 0), 1);
}

/** x · Σ terms from every h-th term, or null when the end terms are not negligible. */
function sampledSum(n: number, x: number, whole: number, fraction: number, lastTerm: number): number | null {
  // term v = Binomial(n, p = (⌊nx⌋ + v + α)/n) probability of v, divided by p
  const logTerm = (v: number) => {
    const successMean = whole + v + fraction;
    return binomialLogProbability(v, n, successMean, n - v - whole - fraction) - Math.log(successMean / n);
  };
  let step = 2 ** Math.floor(Math.log2(lastTerm / SAMPLED_SUM_FIRST_POINTS));
  if (!(step >= 2)) {
    return null;
  }
  const firstLogs: number[] = [];
  for (let v = 0; v <= lastTerm; v += step) {
    firstLogs.push(logTerm(v));
  }
  let largestLog = Math.max(...firstLogs);
  if (firstLogs[0] - largestLog > NEGLIGIBLE_LOG_RATIO || logTerm(lastTerm) - largestLog > NEGLIGIBLE_LOG_RATIO) {
    return null;
  }
  let scaledSum = 0;
  for (const log of firstLogs) {
    scaledSum += Math.exp(log - largestLog);
  }
  let estimate = step * scaledSum;
  while (step > 1) {
    const half = step / 2;
    let midpointSum = 0;
    for (let v = half; v <= lastTerm; v += step) {
      const log = logTerm(v);
      if (log > largestLog) {
        const rescale = Math.exp(largestLog - log);
        scaledSum *= rescale;
        midpointSum *= rescale;
        estimate *= rescale;
        largestLog = log;
      }
      midpointSum += Math.exp(log - largestLog);
    }
    scaledSum += midpointSum;
    const refined = half * scaledSum;
    const converged = Math.abs(refined - estimate) <= SAMPLED_SUM_TOLERANCE * refined;
    estimate = refined;
    step = half;
    if (converged) {
      break;
    }
  }
  return scaleBack(x * estimate, largestLog);
}

/** value · e^logScale without underflowing early when logScale is very negative. */
function scaleBack(value: number, logScale: number): number {
  return logScale > -700 ? value * Math.exp(logScale) : Math.exp(logScale + Math.log(value));
}

/** n·x = whole + fraction exactly, 0 ≤ fraction < 1 (n·x itself may round across an integer). */
function splitProduct(n: number, x: number): { whole: number; fraction: number } {
  const product = n * x;
  const error = productRoundingError(n, x, product);
  let whole = Math.floor(product);
  let fraction = product - whole + error;
  if (fraction < 0) {
    whole -= 1;
    fraction += 1;
  } else if (fraction >= 1) {
    whole += 1;
    fraction -= 1;
  }
  return { whole, fraction };
}

/** a·b − fl(a·b), exactly, by Veltkamp splitting (Dekker's two-product without a fused multiply-add). */
function productRoundingError(a: number, b: number, product: number): number {
  const [aHigh, aLow] = split(a);
  const [bHigh, bLow] = split(b);
  return aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
}

function split(value: number): [number, number] {
  const scaled = 134217729 * value; // 2^27 + 1
  const high = scaled - (scaled - value);
  return [high, value - high];
}
