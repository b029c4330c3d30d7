import assert from 'node:assert/strict';
import { test } from 'node:test';

import { classPositions, confusionMatrix, metricsFromConfusion } from '../../../src/engine/details/confusion.js';
import type { Targets } from '../../../src/engine/metrics/index.js';
import { assertClose, readFixture } from './fixtures.js';

interface ConfusionCase {
  name: string;
  task: 'binary' | 'multiclass';
  classes: string[];
  positive_class: string | null;
  actual: string[];
  predicted: string[];
  matrix: number[][];
  metrics: Record<string, number>;
}

const { cases } = readFixture<{ cases: ConfusionCase[] }>('confusion.json');

/** The engine's encoding: binary 1 = positive class; multiclass the index into the sorted classes. */
function encode(fixture: ConfusionCase, values: string[]): number[] {
  return values.map(value =>
    fixture.task === 'binary' ? (value === fixture.positive_class ? 1 : 0) : fixture.classes.indexOf(value)
  );
}

function targetsOf(fixture: ConfusionCase): Extract<Targets, { task: 'binary' | 'multiclass' }> {
  const labels = encode(fixture, fixture.actual);
  const predictions = encode(fixture, fixture.predicted);
  return fixture.task === 'binary'
    ? { task: 'binary', labels: Uint8Array.from(labels), predictions: Uint8Array.from(predictions), scores: null }
    : {
        task: 'multiclass',
        labels: Int32Array.from(labels),
        predictions: Int32Array.from(predictions),
        probabilities: null,
        classCount: fixture.classes.length
      };
}

for (const fixture of cases) {
  test(`confusion matrix as confusion_matrix(labels=classes): ${fixture.name}`, () => {
    const matrix = confusionMatrix(targetsOf(fixture), fixture.classes, fixture.positive_class);
    assert.ok(matrix);
    assert.deepEqual(matrix.labels, fixture.classes);
    assert.deepEqual(matrix.counts, fixture.matrix);
    assert.equal(matrix.rows, fixture.actual.length);
  });

  test(`metrics of the confusion table as scikit-learn's: ${fixture.name}`, () => {
    const targets = targetsOf(fixture);
    const classCount = fixture.classes.length;
    const codes = fixture.task === 'binary' ? 2 : classCount;
    const table = new Float64Array(codes * codes);
    const predictions = targets.predictions as ArrayLike<number>;
    for (let i = 0; i < targets.labels.length; i++) {
      table[targets.labels[i] * codes + predictions[i]]++;
    }
    const metrics = metricsFromConfusion(fixture.task, table, codes);
    for (const [name, expected] of Object.entries(fixture.metrics)) {
      assertClose(metrics[name], expected, name);
    }
  });
}

test('binary codes land where the classes sort: the positive class may come first', () => {
  assert.deepEqual([...classPositions('binary', ['no', 'yes'], 'no')], [1, 0]);
  assert.deepEqual([...classPositions('binary', ['no', 'yes'], 'yes')], [0, 1]);
  assert.throws(() => classPositions('binary', ['no', 'yes'], 'maybe'), /not one of the classes/);
});

test('no predictions give no matrix', () => {
  const targets: Targets = { task: 'binary', labels: Uint8Array.from([0, 1]), predictions: null, scores: null };
  assert.equal(confusionMatrix(targets, ['0', '1'], '1'), null);
});
