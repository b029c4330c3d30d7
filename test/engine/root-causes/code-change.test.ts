import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeChange, codeChangeCause, lineDiff, literalTokens } from '../../../src/engine/root-causes/code-change.js';

const before = ['import sklearn', 'model = LogisticRegression(C=1.0, penalty="l2")', 'model.fit(X, y)', 'score = model.score(Xv, yv)'].join('\n');
const after = ['import sklearn', 'model = LogisticRegression(C=0.01, penalty="l1")', 'model.fit(X, y)', 'print(model)', 'score = model.score(Xv, yv)'].join('\n');

describe('code change', () => {
  it('diffs lines by their longest common subsequence', () => {
    const lines = lineDiff(before.split('\n'), after.split('\n'));
    assert.deepEqual(
      lines.map(line => [line.op, line.before, line.after]),
      [['same', 1, 1], ['removed', 2, null], ['added', null, 2], ['same', 3, 3], ['added', null, 4], ['same', 4, 5]]
    );
    assert.deepEqual(lineDiff([], ['a']).map(line => line.op), ['added']);
    assert.deepEqual(lineDiff(['a', 'b'], ['a', 'b']).map(line => line.op), ['same', 'same']);
  });

  it('tokenizes numbers and strings, and stops at comments', () => {
    assert.deepEqual(
      literalTokens('f(x=1e-3, s="a,b", t=\'q\') # C=5').map(token => `${token.kind}:${token.text}`),
      ['name:f', 'operator:(', 'name:x', 'operator:=', 'number:1e-3', 'operator:,', 'name:s', 'operator:=', 'string:"a,b"', 'operator:,', 'name:t', 'operator:=', "string:'q'", 'operator:)']
    );
  });

  it('names the changed literals when the data are the same and the metric moved', () => {
    const change = codeChange({ source: before, metrics: { accuracy: 0.91 }, data: 'h1' }, { source: after, metrics: { accuracy: 0.84 }, data: 'h1' }, 'accuracy');
    assert.ok(change);
    assert.deepEqual(change.literals, [
      { name: 'C', before: '1.0', after: '0.01', line: 2 },
      { name: 'penalty', before: '"l2"', after: '"l1"', line: 2 }
    ]);
    const cause = codeChangeCause(change);
    assert.equal(cause.kind, 'code_change');
    assert.equal(cause.score, 1);
    assert.equal(cause.summary, 'C=1.0 → C=0.01, penalty="l2" → penalty="l1" in the cell; accuracy 0.91 → 0.84 on the same data');
  });

  it('is no cause when the data differ, the metric did not move or the code is the same', () => {
    const run = { source: before, metrics: { accuracy: 0.91 }, data: 'h1' };
    assert.equal(codeChange(run, { source: after, metrics: { accuracy: 0.84 }, data: 'h2' }, 'accuracy'), null);
    assert.equal(codeChange(run, { source: after, metrics: { accuracy: 0.91 }, data: 'h1' }, 'accuracy'), null);
    assert.equal(codeChange(run, { source: before, metrics: { accuracy: 0.8 }, data: 'h1' }, 'accuracy'), null);
  });
});
