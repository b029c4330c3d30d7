/**
 * Multiclass metrics, as scikit-learn computes them:
 * - accuracy;
 * - macro precision, recall and f1 (`average="macro"`, `zero_division=0`): the unweighted mean over the classes
 *   present in the labels or the predictions of the rows at hand (scikit-learn's `unique_labels(y_true, y_pred)`);
 *   a class never predicted has precision 0;
 * - log_loss with `labels` = all classes of the trace: mean of −ln(clip(P[i, y_i])), clipped to [ε, 1 − ε];
 * - roc_auc one-vs-rest macro with `labels` = all classes: mean over classes of the binary roc_auc of
 *   "class c vs the rest" on column c of the probabilities; `null` when a class has no row (or every row) here,
 *   like scikit-learn's NaN.
 *
 * Labels and predictions are class indices into the trace's sorted class list; probabilities are row-major
 * (n × classCount), column c holding the probability of class c.
 */
import type { MetricValues } from '../types.js';
import { EPSILON, rocAucFromSorted, sortScoresByClass } from './binary.js';
import { Sum } from './summation.js';

export const MULTICLASS_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'log_loss', 'roc_auc'];

export interface MulticlassInputs {
  labels: Int32Array;
  predictions: Int32Array | null;
  /** Row-major n × classCount class probabilities; null without score columns. */
  probabilities: Float64Array | null;
  classCount: number;
}

export interface MacroScores {
  precision: number;
  recall: number;
  f1: number;
}

export function multiclassMetrics(inputs: MulticlassInputs): MetricValues {
  const metrics: MetricValues = {};
  const { labels, predictions, probabilities, classCount } = inputs;
  if (predictions) {
    metrics.accuracy = multiclassAccuracy(labels, predictions);
    const macro = macroScores(labels, predictions, classCount);
    metrics.precision = macro?.precision ?? null;
    metrics.recall = macro?.recall ?? null;
    metrics.f1 = macro?.f1 ?? null;
  }
  if (probabilities) {
    metrics.log_loss = multiclassLogLoss(labels, probabilities, classCount);
    metrics.roc_auc = oneVsRestRocAuc(labels, probabilities, classCount);
  }
  return metrics;
}

export function multiclassAccuracy(labels: Int32Array, predictions: Int32Array): number | null {
  if (labels.length === 0) {
    return null;
  }
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === predictions[i]) {
      correct++;
    }
  }
  return correct / labels.length;
}

/** Macro averages over the classes that occur in the labels or the predictions; null without rows. */
export function macroScores(labels: Int32Array, predictions: Int32Array, classCount: number): MacroScores | null {
  if (labels.length === 0) {
    return null;
  }
  const truePositives = new Float64Array(classCount);
  const labelCounts = new Float64Array(classCount);
  const predictionCounts = new Float64Array(classCount);
  for (let i = 0; i < labels.length; i++) {
    labelCounts[labels[i]]++;
    predictionCounts[predictions[i]]++;
    if (labels[i] === predictions[i]) {
      truePositives[labels[i]]++;
    }
  }
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  let present = 0;
  for (let c = 0; c < classCount; c++) {
    if (labelCounts[c] === 0 && predictionCounts[c] === 0) {
      continue;
    }
    present++;
    precision += ratio(truePositives[c], predictionCounts[c]);
    recall += ratio(truePositives[c], labelCounts[c]);
    f1 += ratio(2 * truePositives[c], labelCounts[c] + predictionCounts[c]);
  }
  return { precision: precision / present, recall: recall / present, f1: f1 / present };
}

export function multiclassLogLoss(labels: Int32Array, probabilities: Float64Array, classCount: number): number | null {
  if (labels.length === 0) {
    return null;
  }
  const total = new Sum();
  for (let i = 0; i < labels.length; i++) {
    const probability = probabilities[i * classCount + labels[i]];
    total.add(-Math.log(Math.min(Math.max(probability, EPSILON), 1 - EPSILON)));
  }
  return total.value / labels.length;
}

export function oneVsRestRocAuc(labels: Int32Array, probabilities: Float64Array, classCount: number): number | null {
  const n = labels.length;
  const isClass = new Uint8Array(n);
  const column = new Float64Array(n);
  let total = 0;
  for (let c = 0; c < classCount; c++) {
    for (let i = 0; i < n; i++) {
      isClass[i] = labels[i] === c ? 1 : 0;
      column[i] = probabilities[i * classCount + c];
    }
    const auc = rocAucFromSorted(sortScoresByClass(isClass, column));
    if (auc === null) {
      return null;
    }
    total += auc;
  }
  return classCount === 0 ? null : total / classCount;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
