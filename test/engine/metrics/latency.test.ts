import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { chunkLatencyMetrics, latencyMetrics, percentileOfSorted } from '../../../src/engine/metrics/latency.js';
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

  it('equal the percentiles of the sorted values for large inputs: skewed, tied, clustered, with NaN and infinities', () => {
    const random = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const next = random(7);
    const inputs: Array<[string, Float64Array]> = [
      ['uniform', Float64Array.from({ length: 20000 }, () => next() * 100)],
      ['heavy tail', Float64Array.from({ length: 20000 }, () => Math.round(100 * Math.exp(6 * next())) / 100)],
      ['exponentially spread', Float64Array.from({ length: 20000 }, () => Math.exp(-700 * next()))],
      ['few values', Float64Array.from({ length: 20000 }, () => Math.floor(next() * 4))],
      ['one outlier', Float64Array.from({ length: 20000 }, (_, i) => (i === 5 ? 1e300 : 1 + next() * 1e-9))],
      ['with NaN', Float64Array.from({ length: 20000 }, (_, i) => (i % 3 === 0 ? NaN : next() - 0.5))],
      ['with infinities', Float64Array.from({ length: 20000 }, (_, i) => (i % 1000 === 0 ? Infinity : i % 999 === 0 ? -Infinity : next()))],
      ['all equal', new Float64Array(20000).fill(2.5)]
    ];
    for (const [name, latencies] of inputs) {
      const sorted = latencies.filter(value => !Number.isNaN(value)).sort();
      const before = latencies.slice();
      const metrics = latencyMetrics(latencies);
      assert.deepEqual(
        [metrics.latency_p50, metrics.latency_p95, metrics.latency_p99],
        [percentileOfSorted(sorted, 50), percentileOfSorted(sorted, 95), percentileOfSorted(sorted, 99)],
        name
      );
      assert.deepEqual(latencies, before, `${name}: the input is not reordered`);
    }
  });

  it('of chunks and their period from one counting pass equal those of each chunk and of the period', () => {
    const random = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const next = random(3);
    const n = 40000;
    const inputs: Array<[string, Float64Array]> = [
      ['heavy tail', Float64Array.from({ length: n }, () => Math.round(100 * Math.exp(5 * next())) / 100)],
      ['a chunk of missing values and one of a single value', Float64Array.from({ length: n }, (_, i) => (i < 4000 ? NaN : i < 8000 ? 3 : next()))],
      ['few values', Float64Array.from({ length: n }, () => Math.floor(next() * 3))],
      ['short chunks', Float64Array.from({ length: 700 }, () => next())]
    ];
    for (const [name, latencies] of inputs) {
      const size = Math.ceil(latencies.length / 10);
      const chunks = Array.from({ length: 10 }, (_, i) => ({ start: i * size, end: Math.min(latencies.length, (i + 1) * size) }));
      const result = chunkLatencyMetrics(latencies, chunks);
      assert.deepEqual(result.period, latencyMetrics(latencies), `${name}: period`);
      chunks.forEach((chunk, i) => assert.deepEqual(result.chunks[i], latencyMetrics(latencies.subarray(chunk.start, chunk.end)), `${name}: chunk ${i}`));
    }
  });

  it('interpolates between the closest ranks', () => {
    const sorted = Float64Array.of(1, 2, 3, 4);
    assert.equal(percentileOfSorted(sorted, 50), 2.5);
    assert.equal(percentileOfSorted(sorted, 100), 4);
    assert.equal(percentileOfSorted(sorted, 0), 1);
  });
});
