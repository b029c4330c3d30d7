import assert from 'node:assert/strict';
import { test } from 'node:test';

import { sliceMetricsSpec } from '../../src/charts/index.js';
import type { SliceMetrics } from '../../src/engine/details/types.js';
import { compileQuietly, layerWith, valuesOf } from './vega-lite.js';

function slice(column: string, value: string, reference: number | null, current: number): SliceMetrics {
  return {
    column,
    value,
    kind: 'value',
    rows: { reference: reference === null ? 0 : 50, current: 40 },
    metrics: {
      reference: reference === null ? null : { accuracy: reference, f1: 0.5 },
      current: { accuracy: current, f1: 0.4 }
    },
    primary_metric: 'accuracy',
    change: reference === null ? null : current - reference
  };
}

test("a dot per period and a line between them, in the engine's worst-first order, labels never merged", () => {
  const slices = [
    slice('region', 'north', 0.9, 0.6),
    slice('region = north', '', 0.8, 0.7),
    slice('plan', 'x', null, 0.5)
  ];
  // a label another slice already has gets a number
  slices.push(slice('region', 'north', 0.7, 0.69));
  const spec = sliceMetricsSpec({ slices });
  compileQuietly(spec);
  const points = valuesOf(spec);
  assert.deepEqual(
    points.map(row => [row.slice, row.order, row.period, row.metric_value]),
    [
      ['region = north', 0, 'reference', 0.9],
      ['region = north', 0, 'current', 0.6],
      ['region = north = ', 1, 'reference', 0.8],
      ['region = north = ', 1, 'current', 0.7],
      ['plan = x', 2, 'current', 0.5],
      ['region = north (2)', 3, 'reference', 0.7],
      ['region = north (2)', 3, 'current', 0.69]
    ]
  );
  const rule = layerWith(spec, 'rule', 'x2');
  assert.deepEqual(
    rule.data?.values.map(row => [row.slice, row.reference, row.current]),
    [
      ['region = north', 0.9, 0.6],
      ['region = north = ', 0.8, 0.7],
      ['region = north (2)', 0.7, 0.69]
    ]
  );
  assert.deepEqual(layerWith(spec, 'point', 'y').encoding.y.sort, { field: 'order', order: 'ascending' });
  assert.match(JSON.stringify(spec.title), /accuracy per slice/);
});

test('the limit keeps the first (worst) slices', () => {
  const slices = Array.from({ length: 30 }, (_, k) => slice('c', `v${k}`, 0.9, 0.9 - k / 100));
  const spec = sliceMetricsSpec({ slices, limit: 5 });
  assert.deepEqual([...new Set(valuesOf(spec).map(row => row.value))], ['v0', 'v1', 'v2', 'v3', 'v4']);
});
