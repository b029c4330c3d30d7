/**
 * Confusion matrix, as scikit-learn's `confusion_matrix(y_true, y_pred, labels=classes)`: row i counts the rows
 * whose actual class is classes[i], column j those predicted as classes[j]; classes in scikit-learn's sorted order
 * (task.ts sorts them the same way).
 *
 * Also the classification metrics that only depend on the matrix, for resampling it (bootstrap.ts):
 * binary accuracy, precision, recall and f1 of the positive class (metrics/binary.ts), multiclass accuracy and macro
 * precision, recall and f1 with `zero_division=0` over the classes present in the labels or the predictions
 * (the convention of metrics/multiclass.ts).
 */
import { accuracyFromCounts, f1FromCounts, precisionFromCounts, recallFromCounts } from '../metrics/binary.js';
import type { Targets } from '../metrics/index.js';
import type { MetricValues } from '../types.js';
import type { ConfusionMatrix } from './types.js';

type ClassificationTargets = Extract<Targets, { task: 'binary' | 'multiclass' }>;

export const CONFUSION_METRICS = ['accuracy', 'precision', 'recall', 'f1'];

/**
 * The matrix of classification targets with predictions; null without predictions.
 * Binary targets are encoded 1 = positive class: its code is mapped to the position of `positiveClass`.
 */
export function confusionMatrix(
  targets: ClassificationTargets,
  classes: string[],
  positiveClass: string | null
): ConfusionMatrix | null {
  if (!targets.predictions) {
    return null;
  }
  const classCount = classes.length;
  const positionOfCode = classPositions(targets.task, classes, positiveClass);
  const flat = new Float64Array(classCount * classCount);
  const { labels, predictions } = targets;
  for (let i = 0; i < labels.length; i++) {
    flat[positionOfCode[labels[i]] * classCount + positionOfCode[predictions[i]]]++;
  }
  const counts = Array.from({ length: classCount }, (_, row) =>
    Array.from(flat.subarray(row * classCount, (row + 1) * classCount))
  );
  return { labels: classes.slice(), counts, rows: labels.length };
}

/**
 * Where each code lands in `classes`: the identity for multiclass; for binary, code 1 at the positive class and
 * code 0 at the other one.
 */
export function classPositions(
  task: 'binary' | 'multiclass',
  classes: string[],
  positiveClass: string | null
): Int32Array {
  if (task === 'multiclass') {
    return Int32Array.from(classes, (_, i) => i);
  }
  if (classes.length !== 2) {
    throw new RangeError(`a binary confusion matrix needs 2 classes, got ${classes.length}`);
  }
  const positive = positiveClass === null ? 1 : classes.indexOf(positiveClass);
  if (positive < 0) {
    throw new RangeError(`positive class "${positiveClass}" is not one of the classes`);
  }
  return Int32Array.from([1 - positive, positive]);
}

/**
 * Metrics of a confusion table given by codes: `flat[label · classCount + prediction]` counts rows, with
 * binary code 1 the positive class. Accuracy is null for an empty table.
 */
export function metricsFromConfusion(
  task: 'binary' | 'multiclass',
  flat: Float64Array,
  classCount: number
): MetricValues {
  if (task === 'binary') {
    const counts = {
      trueNegatives: flat[0],
      falsePositives: flat[1],
      falseNegatives: flat[2],
      truePositives: flat[3]
    };
    return {
      accuracy: accuracyFromCounts(counts),
      precision: precisionFromCounts(counts),
      recall: recallFromCounts(counts),
      f1: f1FromCounts(counts)
    };
  }
  return multiclassMetricsFromConfusion(flat, classCount);
}

function multiclassMetricsFromConfusion(flat: Float64Array, classCount: number): MetricValues {
  const labelCounts = new Float64Array(classCount);
  const predictionCounts = new Float64Array(classCount);
  let total = 0;
  let correct = 0;
  for (let label = 0; label < classCount; label++) {
    for (let prediction = 0; prediction < classCount; prediction++) {
      const count = flat[label * classCount + prediction];
      labelCounts[label] += count;
      predictionCounts[prediction] += count;
      total += count;
    }
    correct += flat[label * classCount + label];
  }
  if (total === 0) {
    return { accuracy: null, precision: null, recall: null, f1: null };
  }
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  let present = 0;
  for (let c = 0; c < classCount; c++) {
    if (labelCounts[c] === 0 && predictionCounts[c] === 0) {
      continue;
    }
    const truePositives = flat[c * classCount + c];
    present++;
    precision += ratio(truePositives, predictionCounts[c]);
    recall += ratio(truePositives, labelCounts[c]);
    f1 += ratio(2 * truePositives, labelCounts[c] + predictionCounts[c]);
  }
  return { accuracy: correct / total, precision: precision / present, recall: recall / present, f1: f1 / present };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
