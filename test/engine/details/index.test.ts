import assert from 'node:assert/strict';
import { test } from 'node:test';

import { computeDetails, type DetailsInput } from '../../../src/engine/details/index.js';
import { Xoshiro128 } from '../../../src/engine/details/random.js';
import type { Targets } from '../../../src/engine/metrics/index.js';

/** A binary trace of `rows` rows per period, drawn from a seeded generator. */
function binaryInput(rows: number, withScores = true): DetailsInput {
  const random = new Xoshiro128(rows);
  const period = (shift: number) => {
    const labels = new Uint8Array(rows);
    const predictions = new Uint8Array(rows);
    const scores = new Float64Array(rows);
    const amount = new Float64Array(rows);
    const region: (string | null)[] = [];
    for (let i = 0; i < rows; i++) {
      const risk = random.nextDouble();
      labels[i] = random.nextDouble() < risk ? 1 : 0;
      scores[i] = Math.min(1, Math.max(0, risk + shift * (random.nextDouble() - 0.5)));
      predictions[i] = scores[i] >= 0.5 ? 1 : 0;
      amount[i] = i % 97 === 0 ? NaN : 100 * risk + 40 * shift;
      region.push(i % 53 === 0 ? null : `r${random.nextIndex(30)}`);
    }
    const targets: Targets = { task: 'binary', labels, predictions, scores: withScores ? scores : null };
    return { targets, amount, region };
  };
  const reference = period(0.2);
  const current = period(0.6);
  return {
    task: 'binary',
    classes: ['no', 'yes'],
    positiveClass: 'yes',
    reference: reference.targets,
    current: current.targets,
    features: [
      { name: 'amount', type: 'numeric', reference: reference.amount, current: current.amount },
      { name: 'region', type: 'categorical', reference: reference.region, current: current.region }
    ],
    slices: [{ name: 'region', reference: reference.region, current: current.region }]
  };
}

/** JSON with no NaN or ±Infinity anywhere (JSON.stringify would write them as null). */
function assertPlainJson(value: unknown, path = 'details'): void {
  if (typeof value === 'number') {
    assert.ok(Number.isFinite(value), `${path} is ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => assertPlainJson(item, `${path}[${i}]`));
  } else if (value && typeof value === 'object') {
    assert.ok(!ArrayBuffer.isView(value), `${path} is a typed array`);
    for (const [key, item] of Object.entries(value)) {
      assertPlainJson(item, `${path}.${key}`);
    }
  }
}

test('a binary trace gives every binary detail as plain JSON', () => {
  const details = computeDetails(binaryInput(5000));
  assertPlainJson(details);
  assert.deepEqual(details.notes, []);
  assert.ok(details.roc?.reference && details.roc.current);
  assert.ok(details.pr?.current && details.calibration?.current);
  assert.deepEqual(details.confusion?.current?.labels, ['no', 'yes']);
  assert.equal(details.residuals, null);
  assert.deepEqual(
    details.distributions.map(distribution => distribution.type),
    ['numeric', 'categorical']
  );
  assert.equal(details.slices[0].column, 'region');
  assert.deepEqual(
    details.differences.map(difference => difference.metric),
    ['accuracy', 'precision', 'recall', 'f1']
  );
  // the current scores are noisier: a lower AUC than the reference
  assert.ok(details.roc.current.auc < details.roc.reference.auc);
});

test('the details stay small whatever the number of rows', () => {
  const small = JSON.stringify(computeDetails(binaryInput(2_000))).length;
  const large = JSON.stringify(computeDetails(binaryInput(200_000))).length;
  assert.ok(large < 120_000, `${large} characters`);
  assert.ok(large < 1.5 * small, `${small} → ${large} characters`);
});

test('what the data lacks is said in the notes', () => {
  const withoutScores = computeDetails(binaryInput(500, false));
  assert.equal(withoutScores.roc, null);
  assert.deepEqual(withoutScores.notes, ['roc, pr, calibration: no score column']);

  const input = binaryInput(500);
  const withoutReference = computeDetails({ ...input, reference: null });
  assert.equal(withoutReference.roc?.reference, null);
  assert.deepEqual(withoutReference.differences, []);
  assert.equal(withoutReference.slices[0].change, null);
  assert.match(withoutReference.notes.join(), /no reference data/);

  const withoutLabels = computeDetails({ ...input, reference: null, current: null });
  assert.equal(withoutLabels.confusion, null);
  assert.equal(withoutLabels.distributions.length, 2);
  assert.deepEqual(withoutLabels.notes, ['no label column: only feature distributions']);
});

test('multiclass and regression traces get their own views', () => {
  const multiclass: Targets = {
    task: 'multiclass',
    labels: Int32Array.from([0, 1, 2, 2, 1]),
    predictions: Int32Array.from([0, 2, 2, 2, 1]),
    probabilities: null,
    classCount: 3
  };
  const multiclassDetails = computeDetails({
    task: 'multiclass',
    classes: ['a', 'b', 'c'],
    positiveClass: null,
    reference: multiclass,
    current: multiclass,
    features: [],
    slices: []
  });
  assert.deepEqual(multiclassDetails.confusion?.current?.counts, [
    [1, 0, 0],
    [0, 1, 1],
    [0, 0, 2]
  ]);
  assert.equal(multiclassDetails.roc, null);
  assert.equal(multiclassDetails.differences[0].difference, 0);

  const regression: Targets = {
    task: 'regression',
    labels: Float64Array.from({ length: 400 }, (_, i) => i),
    predictions: Float64Array.from({ length: 400 }, (_, i) => i + (i % 7) - 3)
  };
  const regressionDetails = computeDetails({
    task: 'regression',
    classes: null,
    positiveClass: null,
    reference: null,
    current: regression,
    features: [],
    slices: []
  });
  assert.ok(regressionDetails.residuals?.current);
  assert.ok(regressionDetails.predicted_vs_actual?.current);
  assert.equal(regressionDetails.confusion, null);
  assertPlainJson(regressionDetails);
});

test('targets of another task are refused', () => {
  const input = binaryInput(100);
  assert.throws(
    () => computeDetails({ ...input, task: 'regression' }),
    /details of a regression task got binary targets/
  );
});
