import assert from 'node:assert/strict';
import { test } from 'node:test';

import { predictedVsActual, residualHistogram } from '../../../src/engine/details/regression.js';
import type { HeatmapCounts } from '../../../src/engine/details/types.js';
import { assertAllClose, readFixture } from './fixtures.js';

interface Period {
  labels: number[];
  predictions: number[];
}

interface RegressionFixture {
  reference: Period;
  current: Period;
  residuals: { edges: number[]; reference: Record<string, unknown>; current: Record<string, unknown> };
  heatmap: {
    edges: number[];
    reference: { cells: number[][]; outside: number; rows: number };
    current: { cells: number[][]; outside: number; rows: number };
  };
  constant: Period & { edges: number[] };
}

const fixture = readFixture<RegressionFixture>('regression.json');
const columns = (period: Period) => ({
  labels: Float64Array.from(period.labels),
  predictions: Float64Array.from(period.predictions)
});
const reference = columns(fixture.reference);
const current = columns(fixture.current);

test('residual histogram on linspace over the pooled 0.5th-99.5th percentiles, numpy counts', () => {
  const histogram = residualHistogram(reference, current);
  assert.ok(histogram);
  assertAllClose(histogram.edges, fixture.residuals.edges, 'edges');
  assert.deepEqual(histogram.reference, fixture.residuals.reference);
  assert.deepEqual(histogram.current, fixture.residuals.current);
});

test('predicted-vs-actual heatmap as numpy.histogram2d on shared edges', () => {
  const heatmap = predictedVsActual(reference, current);
  assert.ok(heatmap);
  assertAllClose(heatmap.edges, fixture.heatmap.edges, 'edges');
  for (const period of ['reference', 'current'] as const) {
    const expected = fixture.heatmap[period];
    const counts: HeatmapCounts | null = heatmap[period];
    assert.ok(counts);
    assert.deepEqual(
      counts.cells.map(cell => [cell.actual_bin, cell.predicted_bin, cell.count]),
      expected.cells,
      `${period} cells`
    );
    assert.equal(counts.outside, expected.outside);
    assert.equal(counts.rows, expected.rows);
    assert.equal(counts.cells.reduce((sum, cell) => sum + cell.count, 0) + counts.outside, counts.rows);
  }
});

test('constant values widen the range by ±0.5, as numpy does', () => {
  const constant = columns(fixture.constant);
  assertAllClose(
    residualHistogram(constant, null)!.edges,
    fixture.constant.edges.map(edge => edge - 2),
    'residual edges'
  );
  assertAllClose(predictedVsActual(null, constant)!.edges, fixture.constant.edges, 'heatmap edges');
});

test('no rows give no views', () => {
  const empty = { labels: new Float64Array(0), predictions: new Float64Array(0) };
  assert.equal(residualHistogram(empty, empty), null);
  assert.equal(predictedVsActual(null, empty), null);
});
