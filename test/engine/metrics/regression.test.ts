import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { r2Score, regressionMetrics } from '../../../src/engine/metrics/regression.js';
import { assertMetricsClose } from '../assert-close.js';
import { readFixture } from '../fixture-files.js';

interface RegressionCase {
  name: string;
  labels: number[];
  predictions: number[];
  expected: Record<string, number | null>;
}

describe('regression metrics match scikit-learn', () => {
  const cases = readFixture<RegressionCase[]>('regression.json');
  for (const testCase of cases) {
    it(testCase.name, () => {
      const metrics = regressionMetrics({
        labels: Float64Array.from(testCase.labels),
        predictions: Float64Array.from(testCase.predictions)
      });
      assertMetricsClose(metrics, testCase.expected, testCase.name);
    });
  }

  it('r2 follows the constant-y conventions even when the mean is inexact in floating point', () => {
    const y = new Float64Array(10).fill(0.1);
    assert.equal(r2Score(y, y), 1);
    assert.equal(r2Score(y, new Float64Array(10).fill(0.2)), 0);
    assert.equal(r2Score(Float64Array.of(1), Float64Array.of(1)), null);
  });
});
