import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compareSpec, sliceDeltasSpec } from '../../src/charts/index.js';
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

test('slice deltas: one bar per slice, worst first, coloured by verdict for the metric, absent slices counted', () => {
  const slice = (value: string, baseline: number | null, candidate: number | null, metric = 'accuracy') => ({
    column: 'region',
    value,
    kind: 'value' as const,
    rows: { reference: 50, current: 40 },
    metrics: {
      reference: baseline === null ? null : { [metric]: baseline },
      current: candidate === null ? null : { [metric]: candidate }
    },
    primary_metric: metric,
    change: baseline === null || candidate === null ? null : candidate - baseline
  });
  const spec = sliceDeltasSpec({
    slices: [slice('north', 0.9, 0.6), slice('south', 0.8, 0.85), slice('west', null, 0.7)],
    baseline: 'run 1',
    candidate: 'run 2'
  });
  compileQuietly(spec);
  assert.deepEqual(
    valuesOf(spec).map(row => [row.slice, row.verdict, Number((row.change as number).toFixed(12))]),
    [
      ['region = north', 'worse', -0.3],
      ['region = south', 'better', 0.05]
    ]
  );
  const bars = layerWith(spec, 'bar', 'x');
  assert.equal(bars.encoding.x.field, 'change');
  assert.match(JSON.stringify(spec.title), /1 slice value absent from one run/);
  // for an error metric a rise is worse
  const mae = sliceDeltasSpec({ slices: [slice('north', 1, 2, 'mae')], baseline: 'a', candidate: 'b' });
  assert.equal(valuesOf(mae)[0].verdict, 'worse');
});
