/**
 * Bootstrap resamples of regression runs. mae, rmse and mape are functions of the means of three per-row error
 * terms, |y − ŷ|, (y − ŷ)² and |y − ŷ| / max(|y|, ε) (metrics/regression.ts), so a resample sums the terms of
 * the rows it draws:
 * - n ≤ 10,000 rows: the ordinary bootstrap, n rows drawn with replacement;
 * - n > 10,000: the m-out-of-n bootstrap (Bickel, Götze & van Zwet 1997) with m = 10,000, each resampled value
 *   rescaled to θ̂ + √(m/n) · (θ*ₘ − θ̂ₚ), which gives it the spread of an n-row resample for these smooth
 *   functions of means. Rows are drawn from a pool: all rows up to 100,000, otherwise 100,000 rows drawn once with
 *   replacement (the pool adds a relative error of about 1/√100,000 to the spread); θ̂ₚ is the pool's value and
 *   θ̂ the sample's. The pool's terms sit side by side in memory, since random reads over millions of rows would
 *   each cost a cache miss.
 * Two runs on shared rows share one pool of rows, so they are redrawn together.
 */
import { EPSILON } from '../metrics/binary.js';
import type { Targets } from '../metrics/index.js';
import { regressionMetrics } from '../metrics/regression.js';
import type { MetricValues } from '../types.js';
import type { Xoshiro128 } from './random.js';
import type { PairedResampler, Resampler } from './resampling.js';

export const REGRESSION_BOOTSTRAP_METRICS = ['mae', 'rmse', 'mape'];
/** Rows drawn per resample at most (m of the m-out-of-n bootstrap). */
export const MAX_ROWS_PER_RESAMPLE = 10_000;
/** Rows of the pool that resamples are drawn from, at most. */
export const POOL_ROWS = 100_000;

const TERMS = 3;

type RegressionTargets = Extract<Targets, { task: 'regression' }>;

/** Writes REGRESSION_BOOTSTRAP_METRICS in order. `random` draws the pool. */
export function errorResampler(targets: RegressionTargets, random: Xoshiro128): Resampler {
  const rows = targets.labels.length;
  const observed = observedMetrics(targets);
  const pool = errorPool([targets], random);
  const drawn = Math.min(rows, MAX_ROWS_PER_RESAMPLE);
  const rescale = rescaling(observed, pool.metrics[0], drawn, rows);
  const sums = new Float64Array(TERMS);
  return {
    observed,
    rowsPerResample: drawn,
    resample(random, into) {
      sumDrawnTerms(pool, drawn, random, sums);
      writeMetrics(sums, 0, drawn, into);
      rescale(into);
    }
  };
}

/** Two runs of the same rows; writes candidate − baseline of REGRESSION_BOOTSTRAP_METRICS in order. */
export function pairedErrorResampler(
  baseline: RegressionTargets,
  candidate: RegressionTargets,
  random: Xoshiro128
): PairedResampler {
  const rows = baseline.labels.length;
  const baselineObserved = observedMetrics(baseline);
  const candidateObserved = observedMetrics(candidate);
  const pool = errorPool([baseline, candidate], random);
  const drawn = Math.min(rows, MAX_ROWS_PER_RESAMPLE);
  const rescaleBaseline = rescaling(baselineObserved, pool.metrics[0], drawn, rows);
  const rescaleCandidate = rescaling(candidateObserved, pool.metrics[1], drawn, rows);
  const sums = new Float64Array(2 * TERMS);
  const baselineValues = new Float64Array(TERMS);
  const candidateValues = new Float64Array(TERMS);
  return {
    baseline: baselineObserved,
    candidate: candidateObserved,
    rowsPerResample: drawn,
    resample(random, differences) {
      sumDrawnTerms(pool, drawn, random, sums);
      writeMetrics(sums, 0, drawn, baselineValues);
      writeMetrics(sums, TERMS, drawn, candidateValues);
      rescaleBaseline(baselineValues);
      rescaleCandidate(candidateValues);
      for (let m = 0; m < TERMS; m++) {
        differences[m] = candidateValues[m] - baselineValues[m];
      }
    }
  };
}

function observedMetrics(targets: RegressionTargets): MetricValues {
  return regressionMetrics({ labels: targets.labels, predictions: targets.predictions as Float64Array });
}

/** Error terms of the pool's rows, row-major: for each row, the three terms of each run. */
interface ErrorPool {
  terms: Float64Array;
  rows: number;
  /** Terms per row: 3 per run, 1 or 2 runs. */
  width: number;
  /** The pool's own mae, rmse, mape per run. */
  metrics: Float64Array[];
}

function errorPool(runs: RegressionTargets[], random: Xoshiro128): ErrorPool {
  const sampleRows = runs[0].labels.length;
  const rows = Math.min(sampleRows, POOL_ROWS);
  const width = TERMS * runs.length;
  const terms = new Float64Array(rows * width);
  const totals = new Float64Array(width);
  for (let slot = 0; slot < rows; slot++) {
    const row = rows === sampleRows ? slot : random.nextIndex(sampleRows);
    runs.forEach((run, r) => {
      const label = run.labels[row];
      const error = Math.abs(label - (run.predictions as Float64Array)[row]);
      const offset = slot * width + r * TERMS;
      terms[offset] = error;
      terms[offset + 1] = error * error;
      terms[offset + 2] = error / Math.max(Math.abs(label), EPSILON);
    });
    for (let t = 0; t < width; t++) {
      totals[t] += terms[slot * width + t];
    }
  }
  const metrics = runs.map((_, r) => {
    const values = new Float64Array(TERMS);
    writeMetrics(totals, r * TERMS, rows, values);
    return values;
  });
  return { terms, rows, width, metrics };
}

/** Sums of each term over `drawn` rows drawn from the pool with replacement (accumulated in locals: fast). */
function sumDrawnTerms(pool: ErrorPool, drawn: number, random: Xoshiro128, sums: Float64Array): void {
  const { terms, rows, width } = pool;
  let absolute = 0;
  let squared = 0;
  let relative = 0;
  if (width === TERMS) {
    for (let i = 0; i < drawn; i++) {
      const offset = TERMS * random.nextIndex(rows);
      absolute += terms[offset];
      squared += terms[offset + 1];
      relative += terms[offset + 2];
    }
    sums[0] = absolute;
    sums[1] = squared;
    sums[2] = relative;
    return;
  }
  let otherAbsolute = 0;
  let otherSquared = 0;
  let otherRelative = 0;
  for (let i = 0; i < drawn; i++) {
    const offset = 2 * TERMS * random.nextIndex(rows);
    absolute += terms[offset];
    squared += terms[offset + 1];
    relative += terms[offset + 2];
    otherAbsolute += terms[offset + 3];
    otherSquared += terms[offset + 4];
    otherRelative += terms[offset + 5];
  }
  sums[0] = absolute;
  sums[1] = squared;
  sums[2] = relative;
  sums[3] = otherAbsolute;
  sums[4] = otherSquared;
  sums[5] = otherRelative;
}

/** mae, rmse, mape from the sums of one run's terms (starting at `offset`) over `rows` rows. */
function writeMetrics(sums: Float64Array, offset: number, rows: number, into: Float64Array): void {
  into[0] = sums[offset] / rows;
  into[1] = Math.sqrt(sums[offset + 1] / rows);
  into[2] = sums[offset + 2] / rows;
}

/** θ*ₘ ↦ θ̂ + √(m/n) · (θ*ₘ − θ̂ₚ) for an m-out-of-n resample; nothing for an ordinary one. */
function rescaling(
  observed: MetricValues,
  poolMetrics: Float64Array,
  drawn: number,
  rows: number
): (values: Float64Array) => void {
  if (drawn === rows) {
    return () => undefined;
  }
  const factor = Math.sqrt(drawn / rows);
  const centres = REGRESSION_BOOTSTRAP_METRICS.map(metric => observed[metric] ?? NaN);
  return values => {
    for (let m = 0; m < TERMS; m++) {
      values[m] = centres[m] + factor * (values[m] - poolMetrics[m]);
    }
  };
}
