import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inferScoreColumns, resolveRoles } from '../../src/engine/roles.js';
import { InputError } from '../../src/engine/types.js';

describe('role inference', () => {
  it('infers roles from common names and leaves the rest as features', () => {
    const { roles, inferred } = resolveRoles(
      ['Timestamp', 'age', 'Y_True', 'y_pred', 'proba', 'latency_ms', 'model_version', 'id', 'region'],
      { features: [], slices: [] },
      'a.csv'
    );
    assert.equal(roles.label, 'Y_True');
    assert.equal(roles.prediction, 'y_pred');
    assert.equal(roles.score, 'proba');
    assert.equal(roles.timestamp, 'Timestamp');
    assert.equal(roles.latency, 'latency_ms');
    assert.equal(roles.model_version, 'model_version');
    assert.equal(roles.id, 'id');
    assert.deepEqual(roles.features, ['age', 'region']);
    assert.deepEqual(inferred, ['label', 'prediction', 'score', 'timestamp', 'latency', 'model_version', 'id', 'features']);
  });

  it('keeps given roles, infers only the missing ones, and never gives a column two roles', () => {
    const { roles, inferred } = resolveRoles(['y', 'target', 'p', 'x'], { label: 'target', features: [], slices: ['x'] }, 'a.csv');
    assert.equal(roles.label, 'target');
    assert.equal(roles.score, 'p');
    assert.deepEqual(roles.features, ['y', 'x']);
    assert.deepEqual(roles.slices, ['x']);
    assert.ok(!inferred.includes('label'));
  });

  it('names the unknown column, the role and the data', () => {
    assert.throws(
      () => resolveRoles(['y', 'p'], { label: 'target', features: [], slices: [] }, 'current.csv'),
      (error: Error) =>
        error instanceof InputError && error.message === 'label column "target" not found in current.csv (columns: "y", "p")'
    );
    assert.throws(() => resolveRoles(['y', 'p'], { features: ['nope'], slices: [] }, 'c.csv'), /feature column "nope" not found in c\.csv/);
    assert.throws(
      () => resolveRoles(['y', 'p'], { label: 'y', prediction: 'y', features: [], slices: [] }, 'c.csv'),
      /column "y" is given as both label and prediction/
    );
  });

  it('finds per-class score columns by class name', () => {
    assert.deepEqual(inferScoreColumns(['x', 'proba_cat', 'proba_dog', 'p'], ['cat', 'dog']), ['proba_cat', 'proba_dog']);
    assert.equal(inferScoreColumns(['x', 'proba_cat'], ['cat', 'dog']), null);
  });
});
