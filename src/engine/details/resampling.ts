/**
 * What the bootstrap (bootstrap.ts) redraws: a sample, or two runs on shared rows, with their metrics as observed
 * and a way to compute them on one resample. Metric values on a resample are written in a fixed metric order,
 * NaN where a metric is undefined. Implementations: confusion-resampling.ts (classification),
 * error-resampling.ts (regression).
 */
import type { MetricValues } from '../types.js';
import type { Xoshiro128 } from './random.js';

export interface Resampler {
  observed: MetricValues;
  /** Rows drawn per resample. */
  rowsPerResample: number;
  resample(random: Xoshiro128, into: Float64Array): void;
}

/** Two runs on the same rows (row i of both = the same id), redrawn together; a resample writes their difference. */
export interface PairedResampler {
  baseline: MetricValues;
  candidate: MetricValues;
  rowsPerResample: number;
  resample(random: Xoshiro128, differences: Float64Array): void;
}
