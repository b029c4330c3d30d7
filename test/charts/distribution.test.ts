import assert from 'node:assert/strict';
import { test } from 'node:test';

import { distributionSpec } from '../../src/charts/index.js';
import type { CategoricalDistribution, NumericDistribution } from '../../src/engine/details/types.js';
import { compileQuietly, layerWith, valuesOf } from './vega-lite.js';

const numeric: NumericDistribution = {
  feature: 'debt_ratio',
  type: 'numeric',
  edges_from: 'reference',
  bins: [
    { kind: 'below', start: -3, end: 0 },
    { kind: 'bin', start: 0, end: 0.5 },
    { kind: 'bin', start: 0.5, end: 1 },
    { kind: 'above', start: 1, end: 40 }
  ],
  reference: { counts: [0, 6, 4, 0], proportions: [0, 0.6, 0.4, 0], total: 10, missing: 1 },
  current: { counts: [1, 2, 5, 2], proportions: [0.1, 0.2, 0.5, 0.2], total: 10, missing: 0 }
};

test('numeric: shares per period on the bins, outside buckets drawn one bin wide with their true range', () => {
  const spec = distributionSpec(numeric);
  compileQuietly(spec);
  const values = valuesOf(spec);
  assert.deepEqual(
    values.map(row => [row.period, row.bucket, row.draw_start, row.draw_end, row.range, row.count, row.share]),
    [
      ['reference', 'below', -0.5, 0, '[-3, 0)', 0, 0],
      ['current', 'below', -0.5, 0, '[-3, 0)', 1, 0.1],
      ['reference', 'bin', 0, 0.5, '[0, 0.5)', 6, 0.6],
      ['current', 'bin', 0, 0.5, '[0, 0.5)', 2, 0.2],
      ['reference', 'bin', 0.5, 1, '[0.5, 1]', 4, 0.4],
      ['current', 'bin', 0.5, 1, '[0.5, 1]', 5, 0.5],
      ['reference', 'above', 1, 1.5, '(1, 40]', 0, 0],
      ['current', 'above', 1, 1.5, '(1, 40]', 2, 0.2]
    ]
  );
  const bars = layerWith(spec, 'rect', 'x2');
  assert.equal(bars.encoding.x.field, 'draw_start');
  assert.equal(bars.encoding.y.field, 'share');
  assert.equal(bars.encoding.y.stack, null);
  assert.equal(bars.encoding.color.field, 'period');
  assert.match(JSON.stringify(spec.title), /doane bins of the reference/);
});

test('categorical: grouped bars in the engine\'s order, "(other)" last', () => {
  const categorical: CategoricalDistribution = {
    feature: 'state',
    type: 'categorical',
    categories: [
      { label: 'CA', kind: 'category' },
      { label: 'NY', kind: 'category' },
      { label: '(other)', kind: 'other' }
    ],
    reference: null,
    current: { counts: [5, 3, 2], proportions: [0.5, 0.3, 0.2], total: 10, missing: 4 }
  };
  const spec = distributionSpec(categorical);
  compileQuietly(spec);
  assert.deepEqual(
    valuesOf(spec).map(row => [row.category, row.order, row.period, row.count, row.share]),
    [
      ['CA', 0, 'current', 5, 0.5],
      ['NY', 1, 'current', 3, 0.3],
      ['(other)', 2, 'current', 2, 0.2]
    ]
  );
  const bars = layerWith(spec, 'bar', 'xOffset');
  assert.deepEqual(bars.encoding.x.sort, { field: 'order', order: 'ascending' });
  assert.equal(bars.encoding.xOffset.field, 'period');
});
