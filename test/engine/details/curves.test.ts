import assert from 'node:assert/strict';
import { test } from 'node:test';

import { binaryCurves } from '../../../src/engine/details/curves.js';
import type { PrCurve, RocCurve } from '../../../src/engine/details/types.js';
import { assertAllClose, assertClose, readFixture } from './fixtures.js';

interface CurveCase {
  name: string;
  labels: number[];
  scores: number[];
  max_points: number;
  roc: {
    fpr: number[];
    tpr: number[];
    thresholds: (number | null)[];
    full: { fpr: number[]; tpr: number[]; thresholds: (number | null)[] };
    auc: number;
  } | null;
  pr: {
    precision: number[];
    recall: number[];
    thresholds: number[];
    average_precision: number;
    prevalence: number;
  } | null;
}

const { cases } = readFixture<{ cases: CurveCase[] }>('curves.json');

/** How far the area under the kept points may stray from the full curve's: less with more points kept. */
function areaTolerance(maxPoints: number): number {
  return 0.25 / maxPoints;
}

/** Trapezoidal area under the kept ROC points. */
function rocArea(curve: RocCurve): number {
  let area = 0;
  for (let i = 1; i < curve.points.length; i++) {
    const [a, b] = [curve.points[i - 1], curve.points[i]];
    area += ((b.fpr - a.fpr) * (a.tpr + b.tpr)) / 2;
  }
  return area;
}

/** Step area under the kept PR points in scikit-learn's order: Σ (recall_j − recall_{j+1}) · precision_j. */
function prStepArea(curve: PrCurve): number {
  let area = 0;
  for (let j = 0; j + 1 < curve.points.length; j++) {
    area += (curve.points[j].recall - curve.points[j + 1].recall) * curve.points[j].precision;
  }
  return area;
}

for (const fixture of cases) {
  const labels = Uint8Array.from(fixture.labels);
  const scores = Float64Array.from(fixture.scores);
  const { roc, pr } = binaryCurves(labels, scores, fixture.max_points);

  test(`ROC curve as scikit-learn's roc_curve: ${fixture.name}`, () => {
    const expected = fixture.roc;
    if (expected === null) {
      assert.equal(roc, null);
      return;
    }
    assert.ok(roc);
    assertClose(roc.auc, expected.auc, 'auc');
    assert.equal(roc.full_points, expected.full.fpr.length);
    assert.ok(roc.points.length <= fixture.max_points, `${roc.points.length} points`);
    if (expected.fpr.length <= fixture.max_points) {
      // nothing to drop beyond drop_intermediate: scikit-learn's default curve, point for point
      assertAllClose(
        roc.points.map(p => p.fpr),
        expected.fpr,
        'fpr'
      );
      assertAllClose(
        roc.points.map(p => p.tpr),
        expected.tpr,
        'tpr'
      );
      assert.deepEqual(
        roc.points.map(p => p.threshold),
        expected.thresholds
      );
      return;
    }
    assert.equal(roc.points.length, fixture.max_points);
    // every kept point is a point of scikit-learn's default curve, in order, with both endpoints
    const index = new Map(expected.thresholds.map((threshold, i) => [threshold, i]));
    let last = -1;
    for (const point of roc.points) {
      const i = index.get(point.threshold);
      assert.ok(i !== undefined && i > last, `threshold ${point.threshold} is a point of roc_curve, in order`);
      assert.equal(point.fpr, expected.fpr[i]);
      assert.equal(point.tpr, expected.tpr[i]);
      last = i;
    }
    assert.deepEqual(roc.points[0], { fpr: 0, tpr: 0, threshold: null });
    assert.equal(last, expected.fpr.length - 1);
    const area = rocArea(roc);
    assert.ok(
      Math.abs(area - expected.auc) < areaTolerance(fixture.max_points),
      `kept area ${area} vs auc ${expected.auc}`
    );
  });

  test(`PR curve as scikit-learn's precision_recall_curve: ${fixture.name}`, () => {
    const expected = fixture.pr;
    if (expected === null) {
      assert.equal(pr, null);
      return;
    }
    assert.ok(pr);
    assertClose(pr.average_precision, expected.average_precision, 'average precision');
    assertClose(pr.prevalence, expected.prevalence, 'prevalence');
    assert.equal(pr.full_points, expected.recall.length);
    const thresholds = [...expected.thresholds, null];
    if (expected.recall.length <= fixture.max_points) {
      assertAllClose(
        pr.points.map(p => p.recall),
        expected.recall,
        'recall'
      );
      assertAllClose(
        pr.points.map(p => p.precision),
        expected.precision,
        'precision'
      );
      assert.deepEqual(
        pr.points.map(p => p.threshold),
        thresholds
      );
      return;
    }
    assert.equal(pr.points.length, fixture.max_points);
    const index = new Map(thresholds.map((threshold, i) => [threshold, i]));
    let last = -1;
    for (const point of pr.points) {
      const i = index.get(point.threshold);
      assert.ok(i !== undefined && i > last, `threshold ${point.threshold} is a point of the PR curve, in order`);
      assert.equal(point.recall, expected.recall[i]);
      assert.equal(point.precision, expected.precision[i]);
      last = i;
    }
    assert.equal(pr.points[0].threshold, expected.thresholds[0]);
    assert.deepEqual(pr.points.at(-1), { recall: 0, precision: 1, threshold: null });
    const area = prStepArea(pr);
    const allowed = areaTolerance(fixture.max_points);
    assert.ok(
      Math.abs(area - expected.average_precision) < allowed,
      `step area ${area} vs AP ${expected.average_precision}`
    );
  });
}

test('curves reject fewer than 2 points', () => {
  assert.throws(
    () => binaryCurves(Uint8Array.from([0, 1]), Float64Array.from([0.2, 0.8]), 1),
    /at least its 2 endpoints/
  );
});
