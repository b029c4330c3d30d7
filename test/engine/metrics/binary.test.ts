import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  averagePrecision,
  binaryMetrics,
  calibrationBin,
  rocAuc
} from '../../../src/engine/metrics/binary.js';
import { assertClose, assertMetricsClose } from '../assert-close.js';
import { readFixture } from '../fixture-files.js';

interface BinaryCase {
  name: string;
  labels: number[];
  predictions: number[];
  scores: number[];
  expected: Record<string, number | null>;
}

describe('binary metrics match scikit-learn', () => {
  const cases = readFixture<BinaryCase[]>('binary.json');
  for (const testCase of cases) {
    it(testCase.name, () => {
      const metrics = binaryMetrics({
        labels: Uint8Array.from(testCase.labels),
        predictions: Uint8Array.from(testCase.predictions),
        scores: Float64Array.from(testCase.scores)
      });
      assertMetricsClose(metrics, testCase.expected, testCase.name);
    });
  }

  it('covers ties, one class and perfect predictions', () => {
    const names = cases.map(testCase => testCase.name).join(' | ');
    for (const needed of ['ties', 'one class only', 'perfect predictions', 'all scores tied']) {
      assert.ok(names.includes(needed), `fixture case "${needed}" missing`);
    }
  });

  it('gives a chunk the same values through a zero-copy subarray', () => {
    const testCase = cases.find(c => c.labels.length === 1000) as BinaryCase;
    const labels = Uint8Array.from(testCase.labels);
    const scores = Float64Array.from(testCase.scores);
    const predictions = Uint8Array.from(testCase.predictions);
    const whole = binaryMetrics({
      labels: labels.slice(100, 300),
      predictions: predictions.slice(100, 300),
      scores: scores.slice(100, 300)
    });
    const view = binaryMetrics({
      labels: labels.subarray(100, 300),
      predictions: predictions.subarray(100, 300),
      scores: scores.subarray(100, 300)
    });
    assert.deepEqual(view, whole);
  });
});

describe('ranking metrics', () => {
  /** P(score of a positive > score of a negative) + ½ P(tie), over all pairs. */
  function pairwiseAuc(labels: number[], scores: number[]): number | null {
    let wins = 0;
    let pairs = 0;
    labels.forEach((label, i) => {
      if (label !== 1) {
        return;
      }
      labels.forEach((other, j) => {
        if (other === 0) {
          pairs++;
          wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
        }
      });
    });
    return pairs === 0 ? null : wins / pairs;
  }

  it('roc_auc equals the pairwise (Mann-Whitney) probability, ties counting one half', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 8 })), { minLength: 1, maxLength: 60 }),
        rows => {
          const labels = rows.map(([label]) => label);
          const scores = rows.map(([, score]) => score / 8);
          const expected = pairwiseAuc(labels, scores);
          const actual = rocAuc(Uint8Array.from(labels), Float64Array.from(scores));
          if (expected === null) {
            assert.equal(actual, null);
          } else {
            assertClose(actual, expected, 'roc_auc');
          }
        }
      )
    );
  });

  it('roc_auc and pr_auc do not depend on row order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 2,
          maxLength: 80
        }),
        rows => {
          const reversed = [...rows].reverse();
          const metric = (data: typeof rows, f: typeof rocAuc) =>
            f(Uint8Array.from(data.map(([label]) => label)), Float64Array.from(data.map(([, score]) => score)));
          const [a, b] = [metric(rows, rocAuc), metric(reversed, rocAuc)];
          assert.ok(a === b || Math.abs((a as number) - (b as number)) < 1e-12);
          const [c, d] = [metric(rows, averagePrecision), metric(reversed, averagePrecision)];
          assert.ok(c === d || Math.abs((c as number) - (d as number)) < 1e-12);
        }
      )
    );
  });

  it('is null where scikit-learn leaves it undefined', () => {
    assert.equal(rocAuc(Uint8Array.of(1, 1), Float64Array.of(0.2, 0.8)), null);
    assert.equal(averagePrecision(Uint8Array.of(0, 0), Float64Array.of(0.2, 0.8)), null);
    assert.equal(averagePrecision(Uint8Array.of(1, 1), Float64Array.of(0.2, 0.8)), 1);
  });
});

describe('calibration bins', () => {
  it('puts k/10 into bin k and 1 into the last bin', () => {
    for (let k = 0; k < 10; k++) {
      assert.equal(calibrationBin(k / 10), k, `score ${k / 10}`);
    }
    assert.equal(calibrationBin(1), 9);
    assert.equal(calibrationBin(0.30000000000000004), 3);
    assert.equal(calibrationBin(0.29999999999999999), 3);
    assert.equal(calibrationBin(0.2999999999999999), 2);
  });

  it('gives no metric values as NaN for empty input', () => {
    const metrics = binaryMetrics({ labels: new Uint8Array(0), predictions: new Uint8Array(0), scores: new Float64Array(0) });
    for (const value of Object.values(metrics)) {
      assert.ok(value === null || Number.isFinite(value));
    }
  });
});
