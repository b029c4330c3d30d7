import assert from 'node:assert/strict';
import { test } from 'node:test';

import { predictedVsActualSpec, residualsSpec } from '../../src/charts/index.js';
import type { PredictedVsActual, ResidualHistogram } from '../../src/engine/details/types.js';
import { compileQuietly, layerWith, valuesOf } from './vega-lite.js';

test("residuals: shares of each period's rows per bin, the counts beyond the range in the subtitle", () => {
  const histogram: ResidualHistogram = {
    edges: [-1, 0, 1],
    reference: { counts: [3, 1], below: 0, above: 1, rows: 5 },
    current: { counts: [2, 2], below: 4, above: 0, rows: 8 }
  };
  const spec = residualsSpec(histogram);
  compileQuietly(spec);
  assert.deepEqual(
    valuesOf(spec).map(row => [row.period, row.start, row.end, row.count, row.share]),
    [
      ['reference', -1, 0, 3, 0.6],
      ['reference', 0, 1, 1, 0.2],
      ['current', -1, 0, 2, 0.25],
      ['current', 0, 1, 2, 0.25]
    ]
  );
  const bars = layerWith(spec, 'rect', 'x2');
  assert.deepEqual([bars.encoding.x.field, bars.encoding.x2.field, bars.encoding.y.field], ['start', 'end', 'share']);
  assert.match(JSON.stringify(spec.title), /reference 0 below, 1 above; current 4 below, 0 above/);
});

test('predicted vs actual: one rect per non-empty cell on the shared edges, the diagonal, log colour', () => {
  const view: PredictedVsActual = {
    edges: [0, 10, 20],
    reference: null,
    current: { cells: [{ actual_bin: 0, predicted_bin: 1, count: 4 }], outside: 2, rows: 6 }
  };
  const spec = predictedVsActualSpec({ view, period: 'current' });
  compileQuietly(spec);
  assert.deepEqual(valuesOf(spec), [
    { actual_start: 0, actual_end: 10, predicted_start: 10, predicted_end: 20, count: 4 }
  ]);
  const cells = layerWith(spec, 'rect', 'color');
  assert.equal((cells.encoding.color.scale as { type: string }).type, 'log');
  const diagonal = layerWith(spec, 'rule', 'x2');
  assert.deepEqual([diagonal.encoding.x.datum, diagonal.encoding.y2.datum], [0, 20]);
  assert.match(JSON.stringify(spec.title), /outside the pooled 0\.5–99\.5th percentiles: 2 of 6/);
});
