import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DRIFT_METHOD_TITLES, driftRankingSpec, FEATURE_SELECTION } from '../../src/charts/index.js';
import type { FeatureDrift } from '../../src/engine/types.js';
import { compileQuietly, layerWith, valuesOf } from './vega-lite.js';

const drift: FeatureDrift[] = [
  {
    feature: 'age',
    type: 'numeric',
    drifted: false,
    methods: { ks: { statistic: 0.1, p_value: 0.2 }, jensen_shannon: { value: 0.05 } }
  },
  {
    feature: 'income',
    type: 'numeric',
    drifted: true,
    methods: { ks: { statistic: 0.3, p_value: 1e-9 }, jensen_shannon: { value: 0.2 } }
  },
  {
    feature: 'state',
    type: 'categorical',
    drifted: false,
    methods: { jensen_shannon: { value: 0.1 }, chi2: { statistic: 12, p_value: 0.01 } }
  }
];

test('features ranked by the chosen method, largest first, with the method named in the title', () => {
  const spec = driftRankingSpec({ drift, method: 'ks' });
  compileQuietly(spec);
  assert.deepEqual(
    valuesOf(spec).map(row => [row.feature, row.value, row.p_value, row.rank]),
    [
      ['income', 0.3, 1e-9, 1],
      ['age', 0.1, 0.2, 2]
    ]
  );
  assert.equal((spec.title as { text: string }).text, DRIFT_METHOD_TITLES.ks);
  assert.match(JSON.stringify(spec.title), /1 feature without this method/);
  const bars = layerWith(spec, 'bar', 'x');
  assert.equal(bars.encoding.x.field, 'value');
  assert.deepEqual(bars.encoding.y.sort, { field: 'rank', order: 'ascending' });
  assert.equal(bars.params?.[0].name, FEATURE_SELECTION);
  assert.ok((bars.encoding.tooltip as unknown as { field: string }[]).some(item => item.field === 'p_value'));
});

test('drifted features take the alert colour; the limit keeps the largest', () => {
  const spec = driftRankingSpec({ drift, method: 'jensen_shannon', limit: 2 });
  assert.deepEqual(
    valuesOf(spec).map(row => row.feature),
    ['income', 'state']
  );
  const colour = layerWith(spec, 'bar', 'color').encoding.color;
  assert.equal(colour.field, 'drifted');
  assert.deepEqual(colour.scale, { domain: [false, true], range: ['#1976d2', '#d32f2f'] });
  // Jensen-Shannon has no p-value: no p-value in the tooltip
  assert.ok(
    !(layerWith(spec, 'bar', 'x').encoding.tooltip as unknown as { field: string }[]).some(
      item => item.field === 'p_value'
    )
  );
});
