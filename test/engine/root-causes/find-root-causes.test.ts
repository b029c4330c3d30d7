import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../src/engine/analyze.js';
import type { RootCause } from '../../../src/engine/types.js';
import { OPTIONS, scenario, type Fault } from './scenarios.js';

const causesOf = (fault: Fault, rows = 20000): RootCause[] => {
  const { reference, current } = scenario(fault, rows);
  return analyze(current, reference, OPTIONS).root_causes;
};

const assertWellFormed = (causes: RootCause[]): void => {
  causes.forEach((cause, index) => {
    assert.equal(cause.rank, index + 1);
    assert.ok(cause.score >= 0 && cause.score <= 1, `score ${cause.score}`);
    assert.equal(cause.metric, 'accuracy');
    assert.ok(cause.evidence && cause.probe && cause.summary.includes('% of the drop'));
  });
  for (let k = 1; k < causes.length; k++) {
    assert.ok(causes[k - 1].score >= causes[k].score - 1e-12, 'ranked by score');
  }
};

describe('findRootCauses on constructed traces', () => {
  it('finds a broken slice, with its error rates and a probe', () => {
    const causes = causesOf('slice');
    assertWellFormed(causes);
    assert.equal(causes[0].kind, 'slice');
    assert.deepEqual(causes[0].slice, { region: 'west' });
    assert.ok(causes[0].score > 0.8, `score ${causes[0].score}`);
    const evidence = causes[0].evidence!;
    assert.ok(Math.abs((evidence.error.current ?? 0) - 0.45) < 0.03);
    assert.ok(Math.abs((evidence.error.reference ?? 0) - 0.12) < 0.02);
    assert.match(causes[0].summary, /^region = west: error rate 4\d% vs 1\d% in reference, \d+% of the drop$/);
    assert.match(causes[0].probe!, /frame\["region"\] == "west"/);
    assert.match(causes[0].probe!, /\(probe\["y"\] == probe\["y_hat"\]\)\.mean\(\)/);
  });

  it('prefers the two-column slice to either of its columns', () => {
    const causes = causesOf('two_column_slice');
    assertWellFormed(causes);
    assert.equal(causes[0].kind, 'slice');
    assert.deepEqual(causes[0].slice, { region: 'south', channel: 'partner' });
  });

  it('finds a feature that drifted past the training range, with a readable range', () => {
    const causes = causesOf('feature_drift');
    assertWellFormed(causes);
    assert.equal(causes[0].kind, 'feature_drift');
    assert.equal(causes[0].feature, 'x1');
    assert.match(String(causes[0].slice?.x1), /^\(1, \+inf\)$|^\[/);
    assert.ok(causes[0].score > 0.8);
  });

  it('finds missing values that carry the errors', () => {
    const causes = causesOf('missing_values');
    assertWellFormed(causes);
    assert.equal(causes[0].kind, 'data_quality');
    assert.equal(causes[0].feature, 'x2');
    assert.deepEqual(causes[0].slice, { x2: null });
    assert.match(causes[0].probe!, /frame\["x2"\]\.isna\(\)/);
  });

  it('finds a label shift when the inputs did not drift', () => {
    const causes = causesOf('label_shift');
    assertWellFormed(causes);
    assert.equal(causes[0].kind, 'label_shift');
    assert.deepEqual(causes[0].slice, { y: 1 });
  });

  it('finds a worse model version on part of the traffic', () => {
    const causes = causesOf('model_version');
    assertWellFormed(causes);
    assert.equal(causes[0].kind, 'model_change');
    assert.deepEqual(causes[0].slice, { model_version: 'v2' });
    assert.ok(causes[0].score > 0.8);
  });

  it('reports no root cause without a degradation, even when a feature drifted', () => {
    assert.deepEqual(causesOf('none'), []);
    const { reference, current } = scenario('benign_drift');
    const result = analyze(current, reference, OPTIONS);
    assert.ok(result.drift.find(drift => drift.feature === 'x1')?.drifted, 'x1 drifted');
    assert.deepEqual(result.root_causes, []);
  });

  it('keeps the result plain JSON', () => {
    const { reference, current } = scenario('slice', 5000);
    const result = analyze(current, reference, OPTIONS);
    assert.deepEqual(JSON.parse(JSON.stringify(result.root_causes)), result.root_causes);
  });
});
