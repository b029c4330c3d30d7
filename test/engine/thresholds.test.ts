import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findAlerts, meanAndStd, referenceThresholds, threshold } from '../../src/engine/thresholds.js';
import type { ChunkResult } from '../../src/engine/types.js';
import { assertClose } from './assert-close.js';

const chunk = (period: 'reference' | 'current', index: number, accuracy: number | null, drift: number | null): ChunkResult => ({
  period,
  index,
  start: null,
  end: null,
  rows: 100,
  metrics: { accuracy },
  drift: { x: { jensen_shannon: drift } }
});

describe('thresholds', () => {
  it("reproduce NannyML's car-loan threshold (mean + 3·std, ddof 0, of the reference KS chunk values)", () => {
    const ks = [0.01112, 0.01218, 0.00878, 0.0095, 0.00754, 0.0103, 0.01094, 0.01736, 0.00842, 0.00786];
    const bound = threshold(ks, { lower: 0, upper: 1 }, { upperOnly: true });
    assert.ok(bound);
    assert.equal(bound.lower, null);
    assert.equal((bound.upper as number).toFixed(6), '0.018584');
  });

  it('use the population standard deviation', () => {
    const { mean, std } = meanAndStd([2, 4, 4, 4, 5, 5, 7, 9]);
    assert.equal(mean, 5);
    assert.equal(std, 2);
  });

  it('clip to the metric range', () => {
    assert.deepEqual(threshold([0.98, 0.99, 1, 0.9], { lower: 0, upper: 1 })?.upper, 1);
    const r2 = threshold([0.9, 0.2, 0.95], { lower: -Infinity, upper: 1 });
    assert.ok(r2 && r2.upper === 1 && (r2.lower as number) < 0);
    assert.equal(threshold([0.01, 0.5, 0.02], { lower: 0, upper: Infinity })?.lower, 0);
  });

  it('leave out null values, and give no threshold without any value', () => {
    const bound = threshold([0.5, null, 0.7], { lower: 0, upper: 1 });
    assertClose(bound?.lower ?? null, 0.6 - 0.3, 'lower');
    assertClose(bound?.upper ?? null, 0.6 + 0.3, 'upper');
    assert.equal(threshold([null, null], { lower: 0, upper: 1 }), null);
  });
});

describe('alerts', () => {
  const reference = [0.8, 0.82, 0.78, 0.8].map((accuracy, i) => chunk('reference', i, accuracy, [0.05, 0.06, 0.04, 0.05][i]));
  const thresholds = referenceThresholds(reference, ['accuracy'], ['x'], () => ({ lower: 0, upper: 1 }));

  it('mark current chunks outside their thresholds, metric and drift', () => {
    assert.deepEqual(Object.keys(thresholds), ['accuracy', 'drift:x']);
    assert.equal(thresholds['drift:x'].lower, null);
    const current = [chunk('current', 0, 0.8, 0.05), chunk('current', 1, 0.6, 0.3), chunk('current', 2, 0.9, null)];
    const alerts = findAlerts(current, thresholds);
    assert.deepEqual(
      alerts.map(alert => [alert.index, alert.metric, alert.value]),
      [
        [1, 'accuracy', 0.6],
        [1, 'drift:x', 0.3],
        [2, 'accuracy', 0.9]
      ]
    );
    assert.equal(alerts[0].lower, thresholds.accuracy.lower);
    assert.equal(alerts[0].period, 'current');
  });

  it('do not fire on the bound itself', () => {
    const bound = { accuracy: { lower: 0.7, upper: 0.9 } };
    assert.deepEqual(findAlerts([chunk('current', 0, 0.7, null), chunk('current', 1, 0.9, null)], bound), []);
  });
});
