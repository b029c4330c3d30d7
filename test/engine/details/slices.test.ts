import assert from 'node:assert/strict';
import { test } from 'node:test';

import { sliceMetrics } from '../../../src/engine/details/slices.js';
import type { SliceMetrics } from '../../../src/engine/details/types.js';
import type { Targets } from '../../../src/engine/metrics/index.js';
import { assertClose, readFixture } from './fixtures.js';

interface SliceCase {
  labels: number[][];
  predictions: number[][];
  column: (string | null)[][];
  expected: Record<'reference' | 'current', Record<string, Record<string, number>>>;
}

const fixture = readFixture<Record<'binary' | 'multiclass' | 'regression', SliceCase>>('slices.json');

function targets(task: 'binary' | 'multiclass' | 'regression', labels: number[], predictions: number[]): Targets {
  switch (task) {
    case 'binary':
      return { task, labels: Uint8Array.from(labels), predictions: Uint8Array.from(predictions), scores: null };
    case 'multiclass':
      return {
        task,
        labels: Int32Array.from(labels),
        predictions: Int32Array.from(predictions),
        probabilities: null,
        classCount: 4
      };
    case 'regression':
      return { task, labels: Float64Array.from(labels), predictions: Float64Array.from(predictions) };
  }
}

for (const task of ['binary', 'multiclass', 'regression'] as const) {
  const data = fixture[task];
  const slices = sliceMetrics(
    [{ name: 'segment', reference: data.column[0], current: data.column[1] }],
    targets(task, data.labels[0], data.predictions[0]),
    targets(task, data.labels[1], data.predictions[1])
  );
  const metrics = task === 'regression' ? ['mae', 'rmse'] : ['accuracy', 'f1'];
  const primary = metrics[0];

  test(`${task} slice metrics as scikit-learn's per value, top 20 values, "(other)" and "(missing)"`, () => {
    const values = new Set([...Object.keys(data.expected.reference), ...Object.keys(data.expected.current)]);
    assert.equal(slices.length, values.size);
    for (const slice of slices) {
      assert.equal(slice.column, 'segment');
      assert.equal(slice.primary_metric, primary);
      assert.equal(slice.kind, slice.value === '(other)' ? 'other' : slice.value === '(missing)' ? 'missing' : 'value');
      for (const period of ['reference', 'current'] as const) {
        const expected = data.expected[period][slice.value];
        assert.equal(slice.rows[period], expected?.rows ?? 0, `${slice.value} rows`);
        for (const metric of metrics) {
          assertClose(
            slice.metrics[period]?.[metric],
            expected?.[metric] ?? null,
            `${period} ${slice.value} ${metric}`
          );
        }
      }
      const reference = data.expected.reference[slice.value]?.[primary];
      const current = data.expected.current[slice.value]?.[primary];
      assertClose(
        slice.change,
        reference !== undefined && current !== undefined ? current - reference : null,
        'change'
      );
    }
  });

  test(`${task} slices come worst first`, () => {
    const worsening = (slice: SliceMetrics): number =>
      slice.change === null ? -Infinity : task === 'regression' ? slice.change : -slice.change;
    for (let i = 1; i < slices.length; i++) {
      assert.ok(worsening(slices[i - 1]) >= worsening(slices[i]), `${slices[i - 1].value} before ${slices[i].value}`);
    }
  });
}

test('values seen in one period only have no change and come last, more current rows first', () => {
  const binary = (labels: number[], predictions: number[]): Targets => ({
    task: 'binary',
    labels: Uint8Array.from(labels),
    predictions: Uint8Array.from(predictions),
    scores: null
  });
  const reference = binary([1, 1, 0], [1, 0, 0]);
  const current = binary([1, 0, 1], [0, 0, 1]);
  const slices = sliceMetrics(
    [{ name: 's', reference: ['a', 'a', 'b'], current: ['a', 'c', 'c'] }],
    reference,
    current
  );
  assert.deepEqual(
    slices.map(slice => slice.value),
    ['a', 'c', 'b']
  );
  assert.equal(slices[0].change, 0 - 0.5);
  assert.deepEqual(slices[1].metrics.reference, null);
  assert.deepEqual(slices[1].rows, { reference: 0, current: 2 });
  assert.deepEqual(slices[2].metrics.current, null);
  assert.equal(slices[2].change, null);
});
