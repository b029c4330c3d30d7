import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { macroScores, multiclassMetrics } from '../../../src/engine/metrics/multiclass.js';
import { assertMetricsClose } from '../assert-close.js';
import { readFixture } from '../fixture-files.js';

interface MulticlassCase {
  name: string;
  classCount: number;
  labels: number[];
  predictions: number[];
  probabilities: number[];
  expected: Record<string, number | null>;
}

describe('multiclass metrics match scikit-learn', () => {
  const cases = readFixture<MulticlassCase[]>('multiclass.json');
  for (const testCase of cases) {
    it(testCase.name, () => {
      const metrics = multiclassMetrics({
        labels: Int32Array.from(testCase.labels),
        predictions: Int32Array.from(testCase.predictions),
        probabilities: Float64Array.from(testCase.probabilities),
        classCount: testCase.classCount
      });
      assertMetricsClose(metrics, testCase.expected, testCase.name);
    });
  }

  it('covers a class that is never predicted and one absent from the labels', () => {
    const names = cases.map(testCase => testCase.name).join(' | ');
    assert.ok(names.includes('never predicted'));
    assert.ok(names.includes('absent from labels'));
  });
});

describe('macro averages', () => {
  it('average over the classes present in labels or predictions only', () => {
    // classes 0..4 exist in the trace, but these rows only hold classes 0 and 1
    const scores = macroScores(Int32Array.of(0, 0, 1, 1), Int32Array.of(0, 1, 1, 1), 5);
    assert.deepEqual(scores, { precision: (1 + 2 / 3) / 2, recall: (0.5 + 1) / 2, f1: (2 / 3 + 0.8) / 2 });
  });
});
