import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CurveThinner, THINNING_FACTOR, visvalingam } from '../../../src/engine/details/downsample.js';

test('Visvalingam keeps both endpoints and drops points on straight segments first', () => {
  // a polyline with two corners, (0.5, 0.9) and (0.8, 0.95), and points on the straight parts
  const x = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  const y = [0, 0.18, 0.36, 0.54, 0.72, 0.9, 0.9166666666666666, 0.9333333333333333, 0.95, 0.975, 1];
  assert.deepEqual([...visvalingam(x, y, 4, 'linear')], [0, 5, 8, 10]);
  assert.deepEqual([...visvalingam(x, y, 2, 'linear')], [0, 10]);
  assert.deepEqual(
    [...visvalingam(x, y, 20, 'linear')],
    Array.from(x, (_, i) => i)
  );
  assert.throws(() => visvalingam(x, y, 1, 'linear'), /at least its 2 endpoints/);
});

test('a step curve drops the points whose rectangle of area is smallest', () => {
  // recall decreasing; dropping point j changes the area by
  // |recall_j − recall_{j+1}| · |precision_j − precision_{j−1}|, for j = 1 … 4:
  // 0.2 · 0.05 = 0.01, 0.1 · 0.03 = 0.003 (the least), 0.3 · 0.18 = 0.054, 0.2 · 0.2 = 0.04
  const recall = [1, 0.8, 0.6, 0.5, 0.2, 0];
  const precision = [0.5, 0.55, 0.52, 0.7, 0.9, 1];
  assert.deepEqual([...visvalingam(recall, precision, 5, 'step')], [0, 1, 3, 4, 5]);
});

test('thinning keeps points at least 1/(8·maxPoints) apart, only on long curves, and forced points always', () => {
  const maxPoints = 10;
  const short = new CurveThinner(THINNING_FACTOR * maxPoints, maxPoints);
  for (let i = 0; i < 5; i++) {
    short.offer(i * 1e-6, 0, i);
  }
  assert.equal(short.x.length, 5);

  const long = new CurveThinner(THINNING_FACTOR * maxPoints + 1, maxPoints);
  const step = 1 / 80;
  for (let i = 0; i <= 1000; i++) {
    long.offer(i / 1000, 0, i, i === 1000);
  }
  for (let k = 1; k < long.x.length - 1; k++) {
    assert.ok(long.x[k] - long.x[k - 1] >= step);
  }
  assert.equal(long.tags[0], 0);
  assert.equal(long.tags.at(-1), 1000);
  assert.ok(long.x.length <= 82, `${long.x.length} points`);
});
