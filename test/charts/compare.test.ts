import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compareSpec } from '../../src/charts/index.js';
import type { MetricDifference, RunComparison } from '../../src/engine/details/types.js';
import { compileQuietly, layerWith, valuesOf } from './vega-lite.js';

function difference(metric: string, value: number, lower: number, upper: number): MetricDifference {
  return {
    metric,
    baseline: 0.5,
    candidate: 0.5 + value,
    difference: value,
    lower,
    upper,
    confidence: 0.95,
    resamples: 1000,
    seed: 0,
    pairing: 'paired',
    rows_per_resample: { baseline: 100, candidate: 100 }
  };
}

test('each difference with its interval, a verdict aware of error metrics, McNemar in the subtitle', () => {
  const comparison: RunComparison = {
    task: 'binary',
    paired: true,
    rows: { baseline: 120, candidate: 110, shared: 100 },
    differences: [
      difference('accuracy', 0.05, 0.01, 0.09),
      difference('f1', -0.02, -0.05, 0.01),
      difference('mae', 0.3, 0.1, 0.5),
      difference('rmse', -0.3, -0.5, -0.1)
    ],
    mcnemar: {
      method: 'exact',
      statistic: 2,
      p_value: 0.0386,
      baseline_only_correct: 2,
      candidate_only_correct: 9,
      shared: 100
    }
  };
  const spec = compareSpec({ comparison, baseline: 'old', candidate: 'new' });
  compileQuietly(spec);
  assert.deepEqual(
    valuesOf(spec).map(row => [row.metric, row.verdict, row.lower, row.upper]),
    [
      ['accuracy', 'better', 0.01, 0.09],
      ['f1', 'no clear change', -0.05, 0.01],
      ['mae', 'worse', 0.1, 0.5],
      ['rmse', 'better', -0.5, -0.1]
    ]
  );
  const bars = layerWith(spec, 'rule', 'x2');
  assert.deepEqual([bars.encoding.x.field, bars.encoding.x2.field], ['lower', 'upper']);
  const title = JSON.stringify(spec.title);
  assert.match(title, /new − old/);
  assert.match(title, /95% percentile bootstrap intervals \(1000 resamples, seed 0, paired on 100 shared ids\)/);
  assert.match(title, /McNemar \(exact binomial\): p = 0\.0386/);
});
