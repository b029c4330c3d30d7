/**
 * Bootstrap resamples of classification runs through their confusion tables. Accuracy, precision, recall and f1
 * (confusion.ts) depend on the rows only through the table of (label, prediction) counts, and redrawing n rows
 * with replacement is drawing the table's cells from Multinomial(n, cell counts / n) (binomial.ts): a resample
 * costs a few draws per non-empty cell, whatever n. Two runs on shared rows are redrawn through their joint table
 * of (cell of the baseline, cell of the candidate).
 */
import type { Targets } from '../metrics/index.js';
import { multinomial } from './binomial.js';
import { CONFUSION_METRICS, metricsFromConfusion } from './confusion.js';
import type { PairedResampler, Resampler } from './resampling.js';

type ClassificationTargets = Extract<Targets, { task: 'binary' | 'multiclass' }>;

/** Writes CONFUSION_METRICS in order. */
export function confusionResampler(targets: ClassificationTargets): Resampler {
  const classCount = classCountOf(targets);
  const table = confusionTable(targets, classCount);
  const cells = nonEmptyCells(table);
  const weights = Float64Array.from(cells, cell => table[cell]);
  const cellCounts = new Float64Array(cells.length);
  const resampled = new Float64Array(table.length);
  const rows = targets.labels.length;
  return {
    observed: metricsFromConfusion(targets.task, table, classCount),
    rowsPerResample: rows,
    resample(random, into) {
      multinomial(random, rows, weights, cellCounts);
      resampled.fill(0);
      for (let c = 0; c < cells.length; c++) {
        resampled[cells[c]] = cellCounts[c];
      }
      writeConfusionMetrics(targets.task, resampled, classCount, into);
    }
  };
}

/** Two runs of the same rows; writes candidate − baseline of CONFUSION_METRICS in order. */
export function pairedConfusionResampler(
  baseline: ClassificationTargets,
  candidate: ClassificationTargets
): PairedResampler {
  const task = candidate.task;
  const classCount = classCountOf(candidate);
  const cellsPerRun = classCount * classCount;
  const baselinePredictions = baseline.predictions as ArrayLike<number>;
  const candidatePredictions = candidate.predictions as ArrayLike<number>;
  const joint = new Map<number, number>();
  for (let i = 0; i < baseline.labels.length; i++) {
    const baselineCell = baseline.labels[i] * classCount + baselinePredictions[i];
    const candidateCell = candidate.labels[i] * classCount + candidatePredictions[i];
    const key = baselineCell * cellsPerRun + candidateCell;
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  const keys = [...joint.keys()];
  const weights = Float64Array.from(keys, key => joint.get(key) as number);
  const drawn = new Float64Array(keys.length);
  const baselineTable = new Float64Array(cellsPerRun);
  const candidateTable = new Float64Array(cellsPerRun);
  const baselineValues = new Float64Array(CONFUSION_METRICS.length);
  const candidateValues = new Float64Array(CONFUSION_METRICS.length);
  const rows = baseline.labels.length;
  return {
    baseline: metricsFromConfusion(task, confusionTable(baseline, classCount), classCount),
    candidate: metricsFromConfusion(task, confusionTable(candidate, classCount), classCount),
    rowsPerResample: rows,
    resample(random, differences) {
      multinomial(random, rows, weights, drawn);
      baselineTable.fill(0);
      candidateTable.fill(0);
      for (let k = 0; k < keys.length; k++) {
        baselineTable[Math.floor(keys[k] / cellsPerRun)] += drawn[k];
        candidateTable[keys[k] % cellsPerRun] += drawn[k];
      }
      writeConfusionMetrics(task, baselineTable, classCount, baselineValues);
      writeConfusionMetrics(task, candidateTable, classCount, candidateValues);
      for (let m = 0; m < CONFUSION_METRICS.length; m++) {
        differences[m] = candidateValues[m] - baselineValues[m];
      }
    }
  };
}

function classCountOf(targets: ClassificationTargets): number {
  return targets.task === 'binary' ? 2 : targets.classCount;
}

/** Counts of (label, prediction) codes: table[label · classCount + prediction]. */
function confusionTable(targets: ClassificationTargets, classCount: number): Float64Array {
  const { labels } = targets;
  const predictions = targets.predictions as ArrayLike<number>;
  const table = new Float64Array(classCount * classCount);
  for (let i = 0; i < labels.length; i++) {
    table[labels[i] * classCount + predictions[i]]++;
  }
  return table;
}

function nonEmptyCells(table: Float64Array): Int32Array {
  const cells: number[] = [];
  for (let cell = 0; cell < table.length; cell++) {
    if (table[cell] > 0) {
      cells.push(cell);
    }
  }
  return Int32Array.from(cells);
}

function writeConfusionMetrics(
  task: ClassificationTargets['task'],
  table: Float64Array,
  classCount: number,
  into: Float64Array
): void {
  const values = metricsFromConfusion(task, table, classCount);
  for (let m = 0; m < CONFUSION_METRICS.length; m++) {
    into[m] = values[CONFUSION_METRICS[m]] ?? NaN;
  }
}
