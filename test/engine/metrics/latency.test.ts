import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { latencyMetrics, percentileOfSorted } from '../../../src/engine/metrics/latency.js';
import { assertMetricsClose } from '../assert-close.js';
import { readFixture } from '../fixture-files.js';

interface LatencyCase {
  name: string;
  values: Array<number | null>;
  expected: Record<string, number | null>;
}

describe('latency percentiles match numpy.percentile (linear)', () => {
  for (const testCase of readFixture<LatencyCase[]>('latency.json')) {
    it(testCase.name, () => {
      const values = Float64Array.from(testCase.values, value => value ?? NaN);
      const metrics = latencyMetrics(values);
      assert.deepEqual(Object.keys(metrics), ['latency_p50', 'latency_p95', 'latency_p99']);
      assertMetricsClose(metrics, testCase.expected, testCase.name);
    });
  }

  it('equal the percentiles of the sorted values, whatever the order and the ties', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 300 }), values => {
        const latencies = Float64Array.from(values);
        const sorted = Float64Array.from(values).sort();
        const metrics = latencyMetrics(latencies);
        assert.deepEqual(
          [metrics.latency_p50, metrics.latency_p95, metrics.latency_p99],
          [percentileOfSorted(sorted, 50), percentileOfSorted(sorted, 95), percentileOfSorted(sorted, 99)]
        );
        assert.deepEqual(Array.from(latencies), values, 'the input is not reordered');
      })
    );
  });

  it('interpolates between the closest ranks', () => {
    const sorted = Float64Array.of(1, 2, 3, 4);
    assert.equal(percentileOfSorted(sorted, 50), 2.5);
    assert.equal(percentileOfSorted(sorted, 100), 4);
    assert.equal(percentileOfSorted(sorted, 0), 1);
  });
});
