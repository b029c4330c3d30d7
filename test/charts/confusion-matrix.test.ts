import assert from 'node:assert/strict';
import { test } from 'node:test';

import { confusionMatrixSpec } from '../../src/charts/index.js';
import { compileQuietly, layerWith, valuesOf } from './vega-lite.js';

test("one cell per actual × predicted class in the classes' order, counts written, row shares in the tooltip", () => {
  const matrix = {
    labels: ['ant', 'bee'],
    counts: [
      [8, 2],
      [1, 9]
    ],
    rows: 20
  };
  const spec = confusionMatrixSpec({ matrix, period: 'reference' });
  compileQuietly(spec);
  assert.deepEqual(
    valuesOf(spec).map(row => [row.actual, row.predicted, row.count, row.row_share, row.far]),
    [
      ['ant', 'ant', 8, 0.8, true],
      ['ant', 'bee', 2, 0.2, false],
      ['bee', 'ant', 1, 0.1, false],
      ['bee', 'bee', 9, 0.9, true]
    ]
  );
  const text = layerWith(spec, 'text', 'text');
  assert.equal(text.encoding.text.field, 'count');
  assert.deepEqual(text.encoding.x.sort, { field: 'predicted_order', order: 'ascending' });
  assert.deepEqual(text.encoding.y.sort, { field: 'actual_order', order: 'ascending' });
  assert.equal(layerWith(spec, 'rect', 'color').encoding.color.field, 'count');
  assert.match(JSON.stringify(spec.title), /Confusion matrix \(reference\)/);
});
