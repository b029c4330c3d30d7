import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { table } from 'arquero';
import { customMetrics } from '../../../src/engine/metrics/custom.js';
import { InputError } from '../../../src/engine/types.js';

const data = table({ y: [1, 0, 1, 1, 0, 1], p: [0.9, 0.2, 0.6, 0.4, 0.1, 0.8], region: ['a', 'b', 'a', 'b', 'a', 'b'] });

describe('custom metrics', () => {
  it('evaluate Arquero aggregate expressions over all rows', () => {
    const metrics = customMetrics(data, {
      mean_score: 'd => op.mean(d.p)',
      positives: 'd => op.sum(d.y)',
      share_a: "d => op.mean(d.region === 'a')"
    });
    assert.deepEqual(Object.keys(metrics), ['mean_score', 'positives', 'share_a']);
    assert.ok(Math.abs((metrics.mean_score as number) - 0.5) < 1e-15);
    assert.equal(metrics.positives, 4);
    assert.equal(metrics.share_a, 0.5);
  });

  it('evaluate over a chunk given by row indices, in any order', () => {
    const metrics = customMetrics(data, { positives: 'd => op.sum(d.y)', rows: 'd => op.count()' }, Int32Array.of(5, 1, 0));
    assert.deepEqual(metrics, { positives: 2, rows: 3 });
  });

  it('give null for an aggregate of nothing', () => {
    const metrics = customMetrics(data, { m: 'd => op.mean(d.p)' }, new Int32Array(0));
    assert.equal(metrics.m, null);
  });

  it('name the metric and the expression when the expression fails', () => {
    assert.throws(
      () => customMetrics(data, { broken: 'd => op.nosuchop(d.p)' }),
      (error: Error) =>
        error instanceof InputError && error.message.includes('"broken"') && error.message.includes('op.nosuchop(d.p)')
    );
    assert.throws(
      () => customMetrics(data, { label: "d => op.any(d.region)" }),
      (error: Error) => error instanceof InputError && /custom metric "label".*expected a finite number/.test(error.message)
    );
  });
});
