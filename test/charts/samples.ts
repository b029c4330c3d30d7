/**
 * Inputs for the chart builders, shaped like a real analysis: per-chunk metrics and drift with thresholds and
 * alerts, drift of every method, and details computed by the engine from seeded synthetic data. The size sets the
 * rows per period and the number of features, so the benchmark can draw the same charts at realistic sizes.
 */
import { compareRuns } from '../../src/engine/details/compare.js';
import { computeDetails } from '../../src/engine/details/index.js';
import { Xoshiro128 } from '../../src/engine/details/random.js';
import type { AnalysisDetails, RunComparison } from '../../src/engine/details/types.js';
import type { Targets } from '../../src/engine/metrics/index.js';
import type { Alert, ChunkResult, FeatureDrift, Threshold } from '../../src/engine/types.js';

export interface ChartSamples {
  chunks: ChunkResult[];
  thresholds: Record<string, Threshold>;
  alerts: Alert[];
  drift: FeatureDrift[];
  binary: AnalysisDetails;
  regression: AnalysisDetails;
  comparison: RunComparison;
  regressionComparison: RunComparison;
  features: string[];
}

export interface SampleSize {
  rows: number;
  features: number;
  chunksPerPeriod: number;
}

export const SMALL: SampleSize = { rows: 2_000, features: 6, chunksPerPeriod: 10 };

/** Feature names, including ones that look like field paths or markup: they must stay plain data. */
export function featureNames(count: number, nasty: string[] = []): string[] {
  return [...nasty, ...Array.from({ length: count - nasty.length }, (_, k) => `feature_${k}`)];
}

export function chartSamples(size: SampleSize = SMALL, nastyNames: string[] = []): ChartSamples {
  const random = new Xoshiro128(size.rows + size.features);
  const features = featureNames(size.features, nastyNames);

  // chunks: accuracy falls and drift rises through the current period
  const chunks: ChunkResult[] = [];
  for (const period of ['reference', 'current'] as const) {
    for (let index = 0; index < size.chunksPerPeriod; index++) {
      const decline = period === 'current' ? index / size.chunksPerPeriod : 0;
      const drift = Object.fromEntries(
        features.map((feature, k) => [
          feature,
          { jensen_shannon: 0.02 + 0.01 * random.nextDouble() + (k % 3 === 0 ? 0.1 * decline : 0) }
        ])
      );
      chunks.push({
        period,
        index,
        start: new Date(Date.UTC(2026, 0, 1 + index + (period === 'current' ? 30 : 0))).toISOString(),
        end: new Date(Date.UTC(2026, 0, 1 + index + (period === 'current' ? 30 : 0), 23)).toISOString(),
        rows: Math.floor(size.rows / size.chunksPerPeriod),
        metrics: {
          accuracy: 0.85 + 0.01 * (random.nextDouble() - 0.5) - 0.08 * decline,
          f1: index === 3 && period === 'current' ? null : 0.8 + 0.01 * random.nextDouble() - 0.1 * decline,
          latency_p50: 20 + 2 * random.nextDouble(),
          latency_p95: 45 + 5 * random.nextDouble() + 20 * decline,
          latency_p99: 80 + 10 * random.nextDouble() + 40 * decline
        },
        drift
      });
    }
  }
  const thresholds: Record<string, Threshold> = {
    accuracy: { lower: 0.83, upper: 0.87 },
    f1: { lower: 0.78, upper: 0.83 },
    ...Object.fromEntries(features.map(feature => [`drift:${feature}`, { lower: null, upper: 0.04 }]))
  };
  const alerts: Alert[] = [];
  for (const chunk of chunks.filter(chunk => chunk.period === 'current')) {
    for (const [metric, bound] of Object.entries(thresholds)) {
      const value = metric.startsWith('drift:') ? chunk.drift[metric.slice(6)].jensen_shannon : chunk.metrics[metric];
      if (
        value !== null &&
        ((bound.lower !== null && value < bound.lower) || (bound.upper !== null && value > bound.upper))
      ) {
        alerts.push({ period: 'current', index: chunk.index, metric, value, lower: bound.lower, upper: bound.upper });
      }
    }
  }
  const drift: FeatureDrift[] = features.map((feature, k) => {
    const numeric = k % 4 !== 3;
    const shift = k % 3 === 0 ? 0.15 : 0.01 * random.nextDouble();
    return {
      feature,
      type: numeric ? 'numeric' : 'categorical',
      drifted: alerts.some(alert => alert.metric === `drift:${feature}`),
      methods: numeric
        ? {
            ks: { statistic: shift, p_value: Math.exp(-50 * shift) },
            jensen_shannon: { value: shift * 0.8 },
            psi: { value: shift * 1.5 },
            wasserstein: { value: shift * 3, normed: shift * 1.2 }
          }
        : {
            jensen_shannon: { value: shift * 0.7 },
            psi: { value: shift * 1.4 },
            chi2: { statistic: shift * 900, p_value: Math.exp(-30 * shift) }
          }
    };
  });
  return {
    chunks,
    thresholds,
    alerts,
    drift,
    features,
    ...syntheticDetails(size, features, random)
  };
}

function syntheticDetails(size: SampleSize, features: string[], random: Xoshiro128) {
  const rows = size.rows;
  const period = (noise: number, shift: number) => {
    const labels = new Uint8Array(rows);
    const predictions = new Uint8Array(rows);
    const scores = new Float64Array(rows);
    const actual = new Float64Array(rows);
    const predicted = new Float64Array(rows);
    const columns = features.map(() => new Float64Array(rows));
    const categories = features.map(() => new Array<string | null>(rows));
    const segment = new Array<string | null>(rows);
    for (let i = 0; i < rows; i++) {
      const risk = random.nextDouble();
      labels[i] = random.nextDouble() < risk ? 1 : 0;
      scores[i] = Math.min(1, Math.max(0, risk + noise * (random.nextDouble() - 0.5)));
      predictions[i] = scores[i] >= 0.5 ? 1 : 0;
      actual[i] = 100 * risk;
      predicted[i] = actual[i] + 20 * noise * (random.nextDouble() - 0.5) + 10 * shift;
      columns.forEach(column => {
        column[i] = 10 * risk + 5 * shift + random.nextDouble();
      });
      categories.forEach((column, k) => {
        column[i] = i % 41 === 0 ? null : `${features[k]}=${random.nextIndex(12 + k)}`;
      });
      segment[i] = i % 57 === 0 ? null : `segment ${random.nextIndex(25)}`;
    }
    return {
      binary: { task: 'binary', labels, predictions, scores } as Targets,
      regression: { task: 'regression', labels: actual, predictions: predicted } as Targets,
      columns,
      categories,
      segment
    };
  };
  const reference = period(0.3, 0);
  const current = period(0.6, 0.5);
  const featureInputs = features.map((name, k) =>
    k % 4 === 3
      ? { name, type: 'categorical' as const, reference: reference.categories[k], current: current.categories[k] }
      : { name, type: 'numeric' as const, reference: reference.columns[k], current: current.columns[k] }
  );
  const slices = [
    { name: 'segment', reference: reference.segment, current: current.segment },
    { name: features[0], reference: reference.categories[0], current: current.categories[0] }
  ];
  const binary = computeDetails({
    task: 'binary',
    classes: ['0', '1'],
    positiveClass: '1',
    reference: reference.binary,
    current: current.binary,
    features: featureInputs,
    slices
  });
  const regression = computeDetails({
    task: 'regression',
    classes: null,
    positiveClass: null,
    reference: reference.regression,
    current: current.regression,
    features: [],
    slices
  });
  const ids = Array.from({ length: rows }, (_, i) => i);
  const comparison = compareRuns(
    { name: 'baseline', ids, targets: reference.binary },
    { name: 'candidate', ids, targets: current.binary },
    { resamples: 300 }
  );
  const regressionComparison = compareRuns(
    { name: 'baseline', ids: null, targets: reference.regression },
    { name: 'candidate', ids: null, targets: current.regression },
    { resamples: 300 }
  );
  return { binary, regression, comparison, regressionComparison };
}
