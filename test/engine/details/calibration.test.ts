import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CALIBRATION_EDGES, calibrationCurve } from '../../../src/engine/details/calibration.js';
import { assertAllClose, readFixture } from './fixtures.js';

interface CalibrationCase {
  name: string;
  labels: number[];
  scores: number[];
  edges: number[];
  bins: number[];
  counts: number[];
  fraction_positive: number[];
  mean_score: number[];
}

const { cases } = readFixture<{ cases: CalibrationCase[] }>('calibration.json');

test('the bin edges are numpy.linspace(0, 1, 11), bit for bit', () => {
  assert.deepEqual([...CALIBRATION_EDGES], cases[0].edges);
});

for (const fixture of cases) {
  test(`reliability curve as calibration_curve(strategy="uniform"): ${fixture.name}`, () => {
    const curve = calibrationCurve(Uint8Array.from(fixture.labels), Float64Array.from(fixture.scores));
    assert.ok(curve);
    assert.equal(curve.rows, fixture.labels.length);
    assert.deepEqual(
      curve.bins.map(bin => bin.bin),
      fixture.bins
    );
    assert.deepEqual(
      curve.bins.map(bin => bin.count),
      fixture.counts
    );
    assertAllClose(
      curve.bins.map(bin => bin.fraction_positive),
      fixture.fraction_positive,
      'fraction_positive'
    );
    assertAllClose(
      curve.bins.map(bin => bin.mean_score),
      fixture.mean_score,
      'mean_score'
    );
    for (const bin of curve.bins) {
      assert.equal(bin.lower, fixture.edges[bin.bin]);
      assert.equal(bin.upper, fixture.edges[bin.bin + 1]);
    }
  });
}

test('no rows give no curve', () => {
  assert.equal(calibrationCurve(new Uint8Array(0), new Float64Array(0)), null);
});
