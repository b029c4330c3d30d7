/**
 * Every builder applied to the samples, in the variants the tests and the benchmark draw: both tasks, every drift
 * method, one-sided thresholds, missing periods and empty inputs.
 */
import type { TopLevelSpec } from 'vega-lite';
import {
  calibrationSpec,
  compareSpec,
  confusionMatrixSpec,
  distributionSpec,
  driftRankingSpec,
  driftTimelineSpec,
  latencySpec,
  metricTimelineSpec,
  predictedVsActualSpec,
  prSpec,
  residualsSpec,
  rocSpec,
  sliceDeltasSpec,
  sliceMetricsSpec,
  type DriftMethod
} from '../../src/charts/index.js';
import type { ChartSamples } from './samples.js';

export function allSpecs(samples: ChartSamples): Record<string, TopLevelSpec> {
  const { chunks, thresholds, alerts, drift, binary, regression } = samples;
  const specs: Record<string, TopLevelSpec> = {
    'metric timeline': metricTimelineSpec({ chunks, thresholds, alerts, metric: 'accuracy' }),
    'metric timeline, one-sided threshold, missing values': metricTimelineSpec({
      chunks,
      thresholds: { f1: { lower: 0.78, upper: null } },
      alerts,
      metric: 'f1'
    }),
    'metric timeline without threshold': metricTimelineSpec({ chunks, thresholds: {}, alerts: [], metric: 'accuracy' }),
    'drift timeline': driftTimelineSpec({ chunks, thresholds, alerts }),
    'slice metrics': sliceMetricsSpec({ slices: binary.slices }),
    'slice metrics, regression': sliceMetricsSpec({ slices: regression.slices }),
    'confusion matrix': confusionMatrixSpec({ matrix: binary.confusion!.current!, period: 'current' }),
    roc: rocSpec(binary.roc!),
    'roc without reference': rocSpec({ reference: null, current: binary.roc!.current }),
    pr: prSpec(binary.pr!),
    calibration: calibrationSpec(binary.calibration!),
    residuals: residualsSpec(regression.residuals!),
    'predicted vs actual': predictedVsActualSpec({ view: regression.predicted_vs_actual!, period: 'reference' }),
    latency: latencySpec({ chunks, unit: 'ms' }),
    compare: compareSpec({ comparison: samples.comparison, baseline: 'run A', candidate: 'run B' }),
    'compare, regression': compareSpec({ comparison: samples.regressionComparison, baseline: 'A', candidate: 'B' }),
    'slice deltas': sliceDeltasSpec({ slices: binary.slices, baseline: 'run A', candidate: 'run B' }),
    'slice deltas, regression': sliceDeltasSpec({ slices: regression.slices, baseline: 'A', candidate: 'B' })
  };
  for (const method of ['jensen_shannon', 'ks', 'psi', 'wasserstein', 'chi2'] as DriftMethod[]) {
    specs[`drift ranking by ${method}`] = driftRankingSpec({ drift, method });
  }
  binary.distributions.forEach(distribution => {
    specs[`distribution of ${distribution.type} ${distribution.feature}`] = distributionSpec(distribution);
  });
  return specs;
}
