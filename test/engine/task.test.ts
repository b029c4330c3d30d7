import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { table } from 'arquero';
import { TableColumns } from '../../src/engine/columns.js';
import { encodeTargets, inferTask, mapScoreColumns, sortClasses, summarize } from '../../src/engine/task.js';
import { InputError, type Roles } from '../../src/engine/types.js';

const roles = (extra: Partial<Roles>): Roles => ({ features: [], slices: [], ...extra });
const period = (columns: Record<string, unknown[]>, source = 'current.csv') => ({ columns: new TableColumns(table(columns)), source });

describe('task inference', () => {
  it('binary, multiclass or regression from the label (and prediction)', () => {
    const task = (label: unknown[], prediction: unknown[] | null = null) =>
      inferTask(summarize([label]), prediction ? summarize([prediction]) : null);
    assert.equal(task([0, 1, 1, 0]), 'binary');
    assert.equal(task([true, false]), 'binary');
    assert.equal(task(['yes', 'no', 'yes']), 'binary');
    assert.equal(task(['cat', 'dog', 'bird']), 'multiclass');
    assert.equal(task([0, 1, 2, 3, 2]), 'multiclass');
    assert.equal(task([0.5, 1.25, 3]), 'regression');
    assert.equal(task([1, 2, 3, 4], [1.4, 2.2, 2.9, 4.1]), 'regression');
    assert.equal(task(Array.from({ length: 100 }, (_, i) => i)), 'regression');
  });

  it('reads a numeric column (Float64Array) as it reads the same numbers in a plain array', () => {
    const columns: number[][] = [
      [0, 1, 1, NaN, 0],
      [-0, 0, 1, 2, 3],
      [1e10, 2e10, 1e10, 1, NaN],
      [0.5, 1, 2, 1, 0],
      Array.from({ length: 30 }, (_, i) => i % 25),
      Array.from({ length: 30 }, (_, i) => 2000 + i),
      [-1, -2, 1023, 1024, -1],
      [Infinity, 1, 0, -Infinity, 1]
    ];
    for (const values of columns) {
      assert.deepEqual(summarize([Float64Array.from(values)]), summarize([values]), `summarize ${values}`);
      assert.deepEqual(summarize([Float64Array.from(values), [7, 'x', null]]), summarize([values, [7, 'x', null]]), `summarize ${values}`);
    }
    const fromTable = (y: ArrayLike<number>) =>
      encodeTargets({ columns: new TableColumns(table({ y, y_hat: y })), source: 'current.csv' }, null, {
        roles: roles({ label: 'y', prediction: 'y_hat' }),
        task: 'multiclass'
      });
    for (const y of [[3, -0, 0, 2, 1e10, 3, 0.5], [1, 0, 1, 1], [2000, 5, 2000, 7]]) {
      const typed = fromTable(Float64Array.from(y));
      const plain = fromTable(y);
      assert.deepEqual(typed.classes, plain.classes);
      assert.ok(typed.current?.task === 'multiclass' && plain.current?.task === 'multiclass');
      assert.deepEqual(Array.from(typed.current.labels), Array.from(plain.current.labels));
    }
  });

  it('sorts classes as scikit-learn does', () => {
    assert.deepEqual(sortClasses(['10', '9', '1']), ['1', '9', '10']);
    assert.deepEqual(sortClasses(['dog', 'Cat', 'bird']), ['Cat', 'bird', 'dog']);
  });
});

describe('binary targets', () => {
  it('encode the positive class (default 1 / true) and derive predictions from scores', () => {
    const encoded = encodeTargets(period({ y: [true, false, true], p: [0.9, 0.4, 0.5] }), null, { roles: roles({ label: 'y', score: 'p' }) });
    assert.equal(encoded.task, 'binary');
    assert.equal(encoded.positiveClass, 'true');
    const targets = encoded.current;
    assert.ok(targets && targets.task === 'binary');
    assert.deepEqual(Array.from(targets.labels), [1, 0, 1]);
    assert.deepEqual(Array.from(targets.predictions ?? []), [1, 0, 1]);
    assert.match(encoded.warnings.join(' '), /no prediction column: predictions are "p" ≥ 0\.5/);
  });

  it('match the positive label given as text against numbers, and predictions written differently', () => {
    const encoded = encodeTargets(period({ y: [1, 2, 2, 1], y_hat: ['2.0', '1', '2', '2'] }), null, {
      roles: roles({ label: 'y', prediction: 'y_hat' }),
      positiveLabel: '2'
    });
    const targets = encoded.current;
    assert.ok(targets && targets.task === 'binary');
    assert.deepEqual(Array.from(targets.labels), [0, 1, 1, 0]);
    assert.deepEqual(Array.from(targets.predictions ?? []), [1, 0, 1, 1]);
  });

  const rejects = (columns: Record<string, unknown[]>, extra: Partial<Roles>, pattern: RegExp, positiveLabel?: string) =>
    assert.throws(
      () => encodeTargets(period(columns), null, { roles: roles(extra), positiveLabel }),
      (error: Error) => error instanceof InputError && pattern.test(error.message)
    );

  it('refuse one class only, missing labels, unknown positive labels and foreign predictions', () => {
    rejects({ y: [1, 1, 1], p: [0.2, 0.3, 0.9] }, { label: 'y', score: 'p' }, /column "y" of current\.csv: one class only \(1\)/);
    rejects({ y: [1, null, 0], p: [0.2, 0.3, 0.9] }, { label: 'y', score: 'p' }, /column "y" of current\.csv: 1 missing label, first at row 1/);
    rejects({ y: ['a', 'b'] }, { label: 'y' }, /classes a, b include neither 1 nor true/);
    rejects({ y: [0, 1] }, { label: 'y' }, /positive label "yes" is not a class of column "y" \(classes: 0, 1\)/, 'yes');
    assert.throws(
      () =>
        encodeTargets(period({ y: [0, 1, 1], y_hat: [0, 0.73, 1] }), null, {
          roles: roles({ label: 'y', prediction: 'y_hat' }),
          task: 'binary'
        }),
      /column "y_hat" of current\.csv: value 0\.73 at row 1 is not a class of label column "y"/
    );
  });

  it('refuse NaN, infinite and out-of-range scores with the count and the first row', () => {
    rejects({ y: [0, 1, 1, 0], p: [0.1, NaN, 0.3, Infinity] }, { label: 'y', score: 'p' }, /column "p" of current\.csv: 2 values are not a finite number .*first at row 1 \(NaN\)/);
    rejects({ y: [0, 1, 1, 0], p: [0.1, 0.2, 1.3, -2] }, { label: 'y', score: 'p' }, /^column "p" of current\.csv: 2 values outside \[0, 1\], first at row 2 \(1\.3\)$/);
    rejects({ y: [0, 1], p: [0.1, 'high'] }, { label: 'y', score: 'p' }, /first at row 1 \("high"\)/);
  });
});

describe('multiclass targets', () => {
  it('encode sorted classes, map score columns by name and predict the most probable class', () => {
    const encoded = encodeTargets(
      period({ y: ['dog', 'cat', 'bird'], p_dog: [0.7, 0.1, 0.2], p_bird: [0.1, 0.1, 0.6], p_cat: [0.2, 0.8, 0.2] }),
      null,
      { roles: roles({ label: 'y' }) }
    );
    assert.equal(encoded.task, 'multiclass');
    assert.deepEqual(encoded.classes, ['bird', 'cat', 'dog']);
    assert.deepEqual(encoded.scoreColumns, ['p_bird', 'p_cat', 'p_dog']);
    const targets = encoded.current;
    assert.ok(targets && targets.task === 'multiclass');
    assert.deepEqual(Array.from(targets.labels), [2, 1, 0]);
    assert.deepEqual(Array.from(targets.predictions ?? []), [2, 1, 0]);
    assert.deepEqual(Array.from(targets.probabilities ?? []).slice(0, 3), [0.1, 0.2, 0.7]);
  });

  it('add predicted classes the labels never show', () => {
    const encoded = encodeTargets(period({ y: [0, 1, 2, 1], y_hat: [0, 1, 3, 1] }), null, {
      roles: roles({ label: 'y', prediction: 'y_hat' })
    });
    assert.deepEqual(encoded.classes, ['0', '1', '2', '3']);
  });

  it('map score columns positionally when their names do not say the class', () => {
    assert.deepEqual(mapScoreColumns(['s0', 's1', 's2'], ['a', 'b', 'c']), ['s0', 's1', 's2']);
    assert.equal(mapScoreColumns(['s0', 's1'], ['a', 'b', 'c']), null);
  });
});

describe('regression targets', () => {
  it('refuse non-numeric targets', () => {
    assert.throws(
      () => encodeTargets(period({ y: [1.5, 'x', 3.25] }), null, { roles: roles({ label: 'y' }), task: 'regression' }),
      /column "y" of current\.csv: 1 value is not a finite number .*first at row 1 \("x"\)/
    );
  });
});
