import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compareRuns } from '../../../src/engine/details/compare.js';
import { mcnemarFromDiscordant } from '../../../src/engine/details/mcnemar.js';
import type { Targets } from '../../../src/engine/metrics/index.js';
import { InputError } from '../../../src/engine/types.js';

const binary = (labels: number[], predictions: number[]): Targets => ({
  task: 'binary',
  labels: Uint8Array.from(labels),
  predictions: Uint8Array.from(predictions),
  scores: null
});

test('runs with ids are joined on them and compared row by row', () => {
  // ids in a different order in each run; "x" and 9 only in one run, a row without id in the candidate
  const baseline = {
    name: 'a',
    ids: ['1', '2', '3', '4', 'x', '5'],
    targets: binary([1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 1, 0])
  };
  const candidate = {
    name: 'b',
    ids: [5, 4, 3, 2, 1, 9, null],
    targets: binary([0, 1, 1, 0, 1, 1, 1], [1, 1, 1, 0, 1, 0, 0])
  };
  const comparison = compareRuns(baseline, candidate, { resamples: 100 });
  assert.equal(comparison.paired, true);
  assert.deepEqual(comparison.rows, { baseline: 6, candidate: 7, shared: 5 });
  // shared ids 1..5: baseline right on 1, 2, 4, 5; candidate right on 1, 2, 3, 4
  assert.deepEqual(comparison.mcnemar, mcnemarFromDiscordant(1, 1, 5));
  const accuracy = comparison.differences.find(difference => difference.metric === 'accuracy')!;
  assert.equal(accuracy.baseline, 4 / 5);
  assert.equal(accuracy.candidate, 4 / 5);
  assert.equal(accuracy.pairing, 'paired');
});

test('runs without ids are independent samples, without McNemar', () => {
  const comparison = compareRuns(
    { name: 'a', ids: null, targets: binary([1, 0, 1], [1, 0, 0]) },
    { name: 'b', ids: null, targets: binary([1, 1], [1, 1]) },
    { resamples: 50 }
  );
  assert.equal(comparison.paired, false);
  assert.equal(comparison.rows.shared, null);
  assert.equal(comparison.mcnemar, null);
  assert.equal(comparison.differences[0].pairing, 'independent');
});

test('regression runs are compared without McNemar', () => {
  const targets: Targets = {
    task: 'regression',
    labels: Float64Array.from([1, 2, 3]),
    predictions: Float64Array.from([1, 2, 4])
  };
  const comparison = compareRuns(
    { name: 'a', ids: [1, 2, 3], targets },
    { name: 'b', ids: [3, 2, 1], targets },
    { resamples: 20 }
  );
  assert.equal(comparison.mcnemar, null);
  assert.deepEqual(
    comparison.differences.map(difference => difference.metric),
    ['mae', 'rmse', 'mape']
  );
});

test('a duplicated id or different tasks are input errors naming the run', () => {
  const targets = binary([1, 0], [1, 0]);
  assert.throws(
    () => compareRuns({ name: 'first run', ids: ['7', '7'], targets }, { name: 'b', ids: ['7', '8'], targets }),
    (error: unknown) =>
      error instanceof InputError && /run "first run": id "7" occurs twice, at rows 0 and 1/.test(error.message)
  );
  const regression: Targets = {
    task: 'regression',
    labels: Float64Array.from([1]),
    predictions: Float64Array.from([1])
  };
  assert.throws(
    () => compareRuns({ name: 'a', ids: null, targets }, { name: 'b', ids: null, targets: regression }),
    /runs "a" \(binary\) and "b" \(regression\) have different tasks/
  );
});
