import assert from 'node:assert/strict';
import { test } from 'node:test';

import { bootstrapDifferences, pairedBootstrapDifferences } from '../../../src/engine/details/bootstrap.js';
import { Xoshiro128 } from '../../../src/engine/details/random.js';
import type { MetricDifference } from '../../../src/engine/details/types.js';
import type { Targets } from '../../../src/engine/metrics/index.js';
import { assertClose, readFixture } from './fixtures.js';

interface Period {
  labels: number[];
  predictions: number[];
}

interface Replay {
  name: string;
  seed: number;
  resamples: number;
  baseline: Period;
  candidate: Period;
  expected: { lower: number[]; upper: number[]; rows_per_resample: [number, number] };
}

interface References {
  resamples: number;
  binary: {
    baseline: Period;
    candidate: Period;
    numpy_rows: Record<string, [number, number]>;
    scipy_accuracy: [number, number];
  };
  paired: { labels: number[]; baseline: number[]; candidate: number[]; scipy_accuracy: [number, number] };
  regression: { baseline: Period; candidate: Period; scipy_mae: [number, number] };
}

const { replays, references } = readFixture<{ replays: Replay[]; references: References }>('bootstrap.json');

const regression = (period: Period): Targets => ({
  task: 'regression',
  labels: Float64Array.from(period.labels),
  predictions: Float64Array.from(period.predictions)
});
const binary = (labels: ArrayLike<number>, predictions: ArrayLike<number>): Targets => ({
  task: 'binary',
  labels: Uint8Array.from(labels),
  predictions: Uint8Array.from(predictions),
  scores: null
});

function intervalOf(differences: MetricDifference[], metric: string): [number, number] {
  const difference = differences.find(entry => entry.metric === metric);
  assert.ok(difference && difference.lower !== null && difference.upper !== null, `${metric} has an interval`);
  return [difference.lower, difference.upper];
}

/** Two intervals from different random numbers agree when each end is within `share` of the width. */
function assertSameInterval(actual: [number, number], expected: [number, number], share: number, label: string): void {
  const width = expected[1] - expected[0];
  for (const end of [0, 1]) {
    const error = Math.abs(actual[end] - expected[end]);
    assert.ok(
      error <= share * width,
      `${label}: [${actual}] vs [${expected}], end ${end} off by ${error / width} widths`
    );
  }
}

for (const replay of replays) {
  test(`the regression bootstrap, replayed step by step in Python, gives the same interval: ${replay.name}`, () => {
    const differences = bootstrapDifferences(regression(replay.baseline), regression(replay.candidate), {
      resamples: replay.resamples,
      seed: replay.seed
    });
    assert.deepEqual(
      differences.map(entry => entry.metric),
      ['mae', 'rmse', 'mape']
    );
    differences.forEach((entry, m) => {
      assertClose(entry.lower, replay.expected.lower[m], `${entry.metric} lower`);
      assertClose(entry.upper, replay.expected.upper[m], `${entry.metric} upper`);
      assert.deepEqual(entry.rows_per_resample, {
        baseline: replay.expected.rows_per_resample[0],
        candidate: replay.expected.rows_per_resample[1]
      });
      assert.equal(entry.pairing, 'independent');
    });
  });
}

test('classification intervals agree with a numpy row bootstrap and scipy.stats.bootstrap, up to sampling', () => {
  const { baseline, candidate } = references.binary;
  const differences = bootstrapDifferences(
    binary(baseline.labels, baseline.predictions),
    binary(candidate.labels, candidate.predictions),
    { resamples: references.resamples, seed: 1 }
  );
  for (const [metric, expected] of Object.entries(references.binary.numpy_rows)) {
    assertSameInterval(intervalOf(differences, metric), expected, 0.05, `${metric} vs numpy`);
  }
  assertSameInterval(intervalOf(differences, 'accuracy'), references.binary.scipy_accuracy, 0.05, 'accuracy vs scipy');
  const accuracy = differences[0];
  assert.ok(accuracy.lower! < accuracy.difference! && accuracy.difference! < accuracy.upper!);
});

test('paired classification intervals agree with scipy.stats.bootstrap(paired=True)', () => {
  const { labels, baseline, candidate, scipy_accuracy } = references.paired;
  const differences = pairedBootstrapDifferences(binary(labels, baseline), binary(labels, candidate), {
    resamples: references.resamples,
    seed: 2
  });
  assertSameInterval(intervalOf(differences, 'accuracy'), scipy_accuracy, 0.05, 'paired accuracy');
  assert.equal(differences[0].pairing, 'paired');
  // pairing removes the shared variation: narrower than treating the runs as independent samples
  const independent = bootstrapDifferences(binary(labels, baseline), binary(labels, candidate), { seed: 2 });
  const [pairedLower, pairedUpper] = intervalOf(differences, 'accuracy');
  const [independentLower, independentUpper] = intervalOf(independent, 'accuracy');
  assert.ok(pairedUpper - pairedLower < independentUpper - independentLower);
});

test('regression mae intervals agree with scipy.stats.bootstrap', () => {
  const { baseline, candidate, scipy_mae } = references.regression;
  const differences = bootstrapDifferences(regression(baseline), regression(candidate), {
    resamples: references.resamples,
    seed: 3
  });
  assertSameInterval(intervalOf(differences, 'mae'), scipy_mae, 0.05, 'mae');
});

test('m-out-of-n intervals of 300,000 rows have the normal-theory width of the full sample', () => {
  const random = new Xoshiro128(17);
  const sample = (rows: number, noise: number): Targets => {
    const labels = new Float64Array(rows);
    const predictions = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      labels[i] = 10 + 20 * random.nextDouble();
      // a skewed error: the square of a uniform, times noise
      predictions[i] = labels[i] + noise * random.nextDouble() ** 2 * (random.nextDouble() < 0.5 ? -1 : 1);
    }
    return { task: 'regression', labels, predictions };
  };
  const baseline = sample(300_000, 2);
  const candidate = sample(250_000, 2.2);
  const differences = bootstrapDifferences(baseline, candidate, { seed: 4 });
  // delta method: var(mean of terms) = var(term) / n; rmse = sqrt(mean of squares)
  const termStatistics = (targets: Targets, term: (error: number, label: number) => number) => {
    const predictions = targets.predictions as Float64Array;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < targets.labels.length; i++) {
      const value = term(Math.abs(targets.labels[i] - predictions[i]), targets.labels[i]);
      sum += value;
      squares += value * value;
    }
    const n = targets.labels.length;
    const mean = sum / n;
    return { mean, variance: squares / n - mean * mean, n };
  };
  const terms = {
    mae: (error: number) => error,
    rmse: (error: number) => error * error,
    mape: (error: number, label: number) => error / Math.abs(label)
  };
  for (const [metric, term] of Object.entries(terms)) {
    const [a, b] = [termStatistics(baseline, term), termStatistics(candidate, term)];
    const slope = (mean: number) => (metric === 'rmse' ? 1 / (2 * Math.sqrt(mean)) : 1);
    const standardError = Math.sqrt((slope(a.mean) ** 2 * a.variance) / a.n + (slope(b.mean) ** 2 * b.variance) / b.n);
    const entry = differences.find(difference => difference.metric === metric)!;
    assert.deepEqual(entry.rows_per_resample, { baseline: 10_000, candidate: 10_000 });
    const normal: [number, number] = [
      entry.difference! - 1.959964 * standardError,
      entry.difference! + 1.959964 * standardError
    ];
    assertSameInterval(intervalOf(differences, metric), normal, 0.1, metric);
  }
});

test('the same seed gives the same intervals, another seed other ones', () => {
  const { baseline, candidate } = references.binary;
  const run = (seed: number) =>
    bootstrapDifferences(
      binary(baseline.labels, baseline.predictions),
      binary(candidate.labels, candidate.predictions),
      {
        resamples: 200,
        seed
      }
    );
  assert.deepEqual(run(8), run(8));
  assert.notDeepEqual(run(8), run(9));
});

test('a resample without rows leaves no interval; bad options are refused', () => {
  const empty = binary([], []);
  const some = binary([1, 0, 1], [1, 1, 1]);
  const accuracy = bootstrapDifferences(empty, some, { resamples: 50 })[0];
  assert.equal(accuracy.baseline, null);
  assert.equal(accuracy.lower, null);
  assert.equal(accuracy.upper, null);
  assert.throws(() => bootstrapDifferences(some, some, { resamples: 0 }), /resamples 0/);
  assert.throws(() => bootstrapDifferences(some, some, { confidence: 1 }), /confidence 1/);
  assert.throws(() => pairedBootstrapDifferences(some, binary([1], [1])), /same rows/);
});
