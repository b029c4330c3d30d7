/**
 * Percentile bootstrap confidence intervals for the difference candidate − baseline of each headline metric
 * (Efron & Tibshirani 1993, ch. 13; scipy.stats.bootstrap with `method="percentile"`):
 * - `resamples` (default 1000) redraws of the rows with replacement, from a seeded xoshiro128** (random.ts, default
 *   seed 0), so the same data and options give the same interval everywhere;
 * - independent samples (reference vs current): each sample is redrawn on its own, baseline first;
 *   paired samples (two runs on shared ids, row i of both = the same id): the shared rows are redrawn together;
 * - interval: numpy.percentile (linear) of the resampled differences at 100·(1 − confidence)/2 and
 *   100·(1 + confidence)/2 (default confidence 0.95); null when some resample leaves the metric undefined.
 * Metrics: accuracy, precision, recall, f1 (macro for multiclass), redrawn through the confusion table
 * (confusion-resampling.ts); mae, rmse, mape, redrawn through per-row error terms, m-out-of-n above 10,000 rows
 * (error-resampling.ts).
 */
import type { Targets } from '../metrics/index.js';
import { percentileOfSorted } from '../metrics/latency.js';
import type { MetricValues } from '../types.js';
import { CONFUSION_METRICS } from './confusion.js';
import { confusionResampler, pairedConfusionResampler } from './confusion-resampling.js';
import { errorResampler, pairedErrorResampler, REGRESSION_BOOTSTRAP_METRICS } from './error-resampling.js';
import { Xoshiro128 } from './random.js';
import type { PairedResampler, Resampler } from './resampling.js';
import type { BootstrapOptions, MetricDifference } from './types.js';

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 1000, confidence: 0.95, seed: 0 };

/** Two independent samples (reference vs current). Empty unless both have predictions. */
export function bootstrapDifferences(
  baseline: Targets,
  candidate: Targets,
  options: Partial<BootstrapOptions> = {}
): MetricDifference[] {
  if (!baseline.predictions || !candidate.predictions || baseline.task !== candidate.task) {
    return [];
  }
  const settings = checkedOptions(options);
  const random = new Xoshiro128(settings.seed);
  const baselineSample = resamplerOf(baseline, random);
  const candidateSample = resamplerOf(candidate, random);
  const metrics = metricsOf(candidate);
  const baselineValues = new Float64Array(metrics.length);
  const candidateValues = new Float64Array(metrics.length);
  const differences = resampledDifferences(metrics.length, settings.resamples, into => {
    baselineSample.resample(random, baselineValues);
    candidateSample.resample(random, candidateValues);
    for (let m = 0; m < metrics.length; m++) {
      into[m] = candidateValues[m] - baselineValues[m];
    }
  });
  return percentileIntervals(metrics, baselineSample.observed, candidateSample.observed, differences, settings, {
    pairing: 'independent',
    rows_per_resample: { baseline: baselineSample.rowsPerResample, candidate: candidateSample.rowsPerResample }
  });
}

/** Two runs on the same rows (row i of both is the same id). Empty unless both have predictions. */
export function pairedBootstrapDifferences(
  baseline: Targets,
  candidate: Targets,
  options: Partial<BootstrapOptions> = {}
): MetricDifference[] {
  if (!baseline.predictions || !candidate.predictions) {
    return [];
  }
  if (baseline.labels.length !== candidate.labels.length) {
    throw new RangeError(
      `paired runs need the same rows, got ${baseline.labels.length} and ${candidate.labels.length}`
    );
  }
  const settings = checkedOptions(options);
  const random = new Xoshiro128(settings.seed);
  const paired = pairedResamplerOf(baseline, candidate, random);
  const metrics = metricsOf(candidate);
  const differences = resampledDifferences(metrics.length, settings.resamples, into => paired.resample(random, into));
  return percentileIntervals(metrics, paired.baseline, paired.candidate, differences, settings, {
    pairing: 'paired',
    rows_per_resample: { baseline: paired.rowsPerResample, candidate: paired.rowsPerResample }
  });
}

function checkedOptions(options: Partial<BootstrapOptions>): BootstrapOptions {
  const settings = { ...DEFAULT_BOOTSTRAP, ...options };
  if (!(Number.isInteger(settings.resamples) && settings.resamples >= 1)) {
    throw new RangeError(`bootstrap resamples ${settings.resamples}: expected a whole number ≥ 1`);
  }
  if (!(settings.confidence > 0 && settings.confidence < 1)) {
    throw new RangeError(`bootstrap confidence ${settings.confidence}: expected a number in (0, 1)`);
  }
  return settings;
}

function metricsOf(targets: Targets): string[] {
  return targets.task === 'regression' ? REGRESSION_BOOTSTRAP_METRICS : CONFUSION_METRICS;
}

function resamplerOf(targets: Targets, random: Xoshiro128): Resampler {
  return targets.task === 'regression' ? errorResampler(targets, random) : confusionResampler(targets);
}

function pairedResamplerOf(baseline: Targets, candidate: Targets, random: Xoshiro128): PairedResampler {
  if (baseline.task === 'regression' && candidate.task === 'regression') {
    return pairedErrorResampler(baseline, candidate, random);
  }
  if (baseline.task !== 'regression' && candidate.task === baseline.task) {
    return pairedConfusionResampler(baseline, candidate as typeof baseline);
  }
  throw new RangeError(`paired runs need the same task, got ${baseline.task} and ${candidate.task}`);
}

/** One column of resampled differences per metric. */
function resampledDifferences(
  metricCount: number,
  resamples: number,
  drawDifferences: (into: Float64Array) => void
): Float64Array[] {
  const columns = Array.from({ length: metricCount }, () => new Float64Array(resamples));
  const differences = new Float64Array(metricCount);
  for (let r = 0; r < resamples; r++) {
    drawDifferences(differences);
    for (let m = 0; m < metricCount; m++) {
      columns[m][r] = differences[m];
    }
  }
  return columns;
}

function percentileIntervals(
  metrics: string[],
  baseline: MetricValues,
  candidate: MetricValues,
  differences: Float64Array[],
  settings: BootstrapOptions,
  design: Pick<MetricDifference, 'pairing' | 'rows_per_resample'>
): MetricDifference[] {
  const { resamples, confidence, seed } = settings;
  return metrics.map((metric, m) => {
    const baselineValue = baseline[metric] ?? null;
    const candidateValue = candidate[metric] ?? null;
    const sorted = differences[m].sort();
    // NaN sorts last: one undefined resample leaves no interval
    const defined = !Number.isNaN(sorted[resamples - 1]);
    return {
      metric,
      baseline: baselineValue,
      candidate: candidateValue,
      difference: baselineValue !== null && candidateValue !== null ? candidateValue - baselineValue : null,
      lower: defined ? percentileOfSorted(sorted, (100 * (1 - confidence)) / 2) : null,
      upper: defined ? percentileOfSorted(sorted, (100 * (1 + confidence)) / 2) : null,
      confidence,
      resamples,
      seed,
      ...design
    };
  });
}
