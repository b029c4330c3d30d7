import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { chunkRows } from '../../../src/engine/chunks.js';
import {
  binaryMetrics,
  latencyMetrics,
  multiclassMetrics,
  periodAndChunkMetrics,
  regressionMetrics,
  type MetricColumns
} from '../../../src/engine/metrics/index.js';
import type { MetricValues } from '../../../src/engine/types.js';

/** Combining chunk partials must give the whole period's metrics, to rounding (1e-12 relative). */
function assertSameMetrics(actual: MetricValues, expected: MetricValues, label: string): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), label);
  for (const [name, value] of Object.entries(expected)) {
    const got = actual[name];
    if (value === null || got === null) {
      assert.equal(got, value, `${label} ${name}`);
    } else {
      assert.ok(Math.abs(got - value) <= 1e-12 * Math.max(1, Math.abs(value)), `${label} ${name}: ${got} vs ${value}`);
    }
  }
}

const rowsArbitrary = fc.integer({ min: 1, max: 400 });
const chunkCountArbitrary = fc.integer({ min: 1, max: 12 });

describe('period metrics from chunk partials', () => {
  it('binary, with tied scores and latency', () => {
    fc.assert(
      fc.property(rowsArbitrary, chunkCountArbitrary, fc.integer(), (n, count, seed) => {
        const random = fc.sample(fc.integer({ min: 0, max: 20 }), { numRuns: 3 * n, seed });
        const labels = Uint8Array.from({ length: n }, (_, i) => random[i] % 2);
        const scores = Float64Array.from({ length: n }, (_, i) => random[n + i] / 20);
        const predictions = Uint8Array.from(scores, score => (score >= 0.5 ? 1 : 0));
        const latency = Float64Array.from({ length: n }, (_, i) => random[2 * n + i] * 1.5);
        const columns: MetricColumns = { targets: { task: 'binary', labels, predictions, scores }, latency };
        const chunks = chunkRows(n, null, { chunkCount: count });
        const result = periodAndChunkMetrics(columns, chunks);
        assertSameMetrics(result.period, { ...binaryMetrics({ labels, predictions, scores }), ...latencyMetrics(latency) }, 'period');
        chunks.forEach((chunk, i) => {
          const slice = { labels: labels.subarray(chunk.start, chunk.end), predictions: predictions.subarray(chunk.start, chunk.end), scores: scores.subarray(chunk.start, chunk.end) };
          assertSameMetrics(result.chunks[i], { ...binaryMetrics(slice), ...latencyMetrics(latency.subarray(chunk.start, chunk.end)) }, `chunk ${i}`);
        });
      }),
      { numRuns: 60 }
    );
  });

  it('binary roc_auc and pr_auc from one sort of the period equal those of each chunk and of the period, bit for bit', () => {
    fc.assert(
      fc.property(rowsArbitrary, chunkCountArbitrary, fc.integer({ min: 1, max: 1000 }), fc.integer(), (n, count, levels, seed) => {
        const random = fc.sample(fc.integer({ min: 0, max: 1_000_000 }), { numRuns: 2 * n, seed });
        const labels = Uint8Array.from({ length: n }, (_, i) => random[i] % 2);
        // few levels: many ties; many: nearly distinct scores; some rows squeezed near 0 and 1
        const scores = Float64Array.from({ length: n }, (_, i) => {
          const level = (random[n + i] % levels) / levels;
          return i % 7 === 0 ? level ** 12 : i % 11 === 0 ? 1 - level ** 9 : level;
        });
        const chunks = chunkRows(n, null, { chunkCount: count });
        const result = periodAndChunkMetrics({ targets: { task: 'binary', labels, predictions: null, scores }, latency: null }, chunks);
        const whole = binaryMetrics({ labels, predictions: null, scores });
        assert.deepEqual([result.period.roc_auc, result.period.pr_auc], [whole.roc_auc, whole.pr_auc], 'period');
        chunks.forEach((chunk, i) => {
          const own = binaryMetrics({ labels: labels.subarray(chunk.start, chunk.end), predictions: null, scores: scores.subarray(chunk.start, chunk.end) });
          assert.deepEqual([result.chunks[i].roc_auc, result.chunks[i].pr_auc], [own.roc_auc, own.pr_auc], `chunk ${i}`);
        });
      }),
      { numRuns: 80 }
    );
  });

  it('regression, including a constant label and a large offset', () => {
    fc.assert(
      fc.property(rowsArbitrary, chunkCountArbitrary, fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.boolean(), (n, count, offset, constant) => {
        const labels = Float64Array.from({ length: n }, (_, i) => (constant ? offset : offset + Math.sin(i) * 3));
        const predictions = Float64Array.from(labels, (label, i) => label + Math.cos(i * 7));
        const chunks = chunkRows(n, null, { chunkCount: count });
        const result = periodAndChunkMetrics({ targets: { task: 'regression', labels, predictions }, latency: null }, chunks);
        assertSameMetrics(result.period, regressionMetrics({ labels, predictions }), 'period');
      }),
      { numRuns: 60 }
    );
  });

  it('multiclass (computed per period directly)', () => {
    const labels = Int32Array.of(0, 1, 2, 2, 1, 0, 1, 2);
    const predictions = Int32Array.of(0, 2, 2, 1, 1, 0, 1, 0);
    const probabilities = Float64Array.from({ length: 24 }, (_, i) => ((i * 7) % 5) / 10 + 0.05);
    const targets = { task: 'multiclass' as const, labels, predictions, probabilities, classCount: 3 };
    const result = periodAndChunkMetrics({ targets, latency: null }, chunkRows(8, null, { chunkCount: 2 }));
    assertSameMetrics(result.period, multiclassMetrics(targets), 'period');
  });
});
