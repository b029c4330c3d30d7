import assert from 'node:assert/strict';
import { test } from 'node:test';

import { calibrationSpec, prSpec, rocSpec } from '../../src/charts/index.js';
import type { CalibrationCurve, PrCurve, RocCurve } from '../../src/engine/details/types.js';
import { compileQuietly, layersOf, layerWith, valuesOf } from './vega-lite.js';

const roc: RocCurve = {
  points: [
    { fpr: 0, tpr: 0, threshold: null },
    { fpr: 0, tpr: 0.5, threshold: 0.8 },
    { fpr: 0.5, tpr: 0.5, threshold: 0.4 },
    { fpr: 1, tpr: 1, threshold: 0.1 }
  ],
  auc: 0.75,
  positives: 2,
  negatives: 2,
  full_points: 5
};

test('ROC: the curve points of each period in order, the diagonal, the AUCs named in the subtitle', () => {
  const spec = rocSpec({ reference: roc, current: { ...roc, auc: 0.5 } });
  compileQuietly(spec);
  const values = valuesOf(spec);
  assert.equal(values.length, 8);
  assert.deepEqual(
    values.slice(0, 4).map(row => [row.period, row.order, row.fpr, row.tpr, row.score]),
    [
      ['reference', 0, 0, 0, '+∞'],
      ['reference', 1, 0, 0.5, '0.8'],
      ['reference', 2, 0.5, 0.5, '0.4'],
      ['reference', 3, 1, 1, '0.1']
    ]
  );
  const line = layerWith(spec, 'line', 'order');
  assert.deepEqual([line.encoding.x.field, line.encoding.y.field, line.encoding.order.field], ['fpr', 'tpr', 'order']);
  const diagonal = layersOf(spec).find(layer => layer.mark.type === 'rule');
  assert.deepEqual([diagonal?.encoding.x.datum, diagonal?.encoding.x2.datum], [0, 1]);
  assert.match(JSON.stringify(spec.title), /AUC \(trapezoidal\): reference 0\.75, current 0\.5/);
});

test("PR: steps in scikit-learn's order and one prevalence rule per period", () => {
  const pr: PrCurve = {
    points: [
      { recall: 1, precision: 0.5, threshold: 0.1 },
      { recall: 0.5, precision: 1, threshold: 0.8 },
      { recall: 0, precision: 1, threshold: null }
    ],
    average_precision: 0.75,
    prevalence: 0.5,
    positives: 2,
    negatives: 2,
    full_points: 4
  };
  const spec = prSpec({ reference: null, current: pr });
  compileQuietly(spec);
  assert.deepEqual(
    valuesOf(spec).map(row => [row.order, row.recall, row.precision]),
    [
      [0, 1, 0.5],
      [1, 0.5, 1],
      [2, 0, 1]
    ]
  );
  const line = layerWith(spec, 'line', 'order');
  assert.equal(line.mark.interpolate, 'step-after');
  assert.deepEqual(layerWith(spec, 'rule', 'y').data?.values, [{ period: 'current', prevalence: 0.5 }]);
  assert.match(JSON.stringify(spec.title), /average precision \(step-wise\): current 0\.75/);
});

test('reliability: non-empty bins of each period with their rows, the diagonal of perfect calibration', () => {
  const calibration: CalibrationCurve = {
    bins: [
      { bin: 0, lower: 0, upper: 0.1, count: 30, mean_score: 0.05, fraction_positive: 0.1 },
      { bin: 7, lower: 0.7000000000000001, upper: 0.8, count: 10, mean_score: 0.74, fraction_positive: 0.6 }
    ],
    rows: 40
  };
  const spec = calibrationSpec({ reference: calibration, current: null });
  compileQuietly(spec);
  assert.deepEqual(
    valuesOf(spec).map(row => [row.bin, row.scores, row.share, row.mean_score, row.fraction_positive]),
    [
      [0, '[0, 0.1]', 0.75, 0.05, 0.1],
      [7, '(0.7, 0.8]', 0.25, 0.74, 0.6]
    ]
  );
  const points = layerWith(spec, 'point', 'size');
  assert.deepEqual(
    [points.encoding.x.field, points.encoding.y.field, points.encoding.size.field],
    ['mean_score', 'fraction_positive', 'share']
  );
  assert.ok(layersOf(spec).some(layer => layer.mark.type === 'rule' && layer.encoding.x2?.datum === 1));
  assert.match(JSON.stringify(spec.title), /10 equal-width bins, scikit-learn calibration_curve/);
});
