/**
 * The targets of chosen rows, in the order given: the typed-array gather behind slices (rows of one slice value)
 * and run comparisons (rows of shared ids). Multiclass probabilities, which no detail reads per row, are dropped.
 */
import type { Targets } from '../metrics/index.js';

export function gatherTargets(targets: Targets, rows: Int32Array): Targets {
  switch (targets.task) {
    case 'binary':
      return {
        task: 'binary',
        labels: gather(targets.labels, rows, new Uint8Array(rows.length)),
        predictions: targets.predictions ? gather(targets.predictions, rows, new Uint8Array(rows.length)) : null,
        scores: targets.scores ? gather(targets.scores, rows, new Float64Array(rows.length)) : null
      };
    case 'multiclass':
      return {
        task: 'multiclass',
        labels: gather(targets.labels, rows, new Int32Array(rows.length)),
        predictions: targets.predictions ? gather(targets.predictions, rows, new Int32Array(rows.length)) : null,
        probabilities: null,
        classCount: targets.classCount
      };
    case 'regression':
      return {
        task: 'regression',
        labels: gather(targets.labels, rows, new Float64Array(rows.length)),
        predictions: targets.predictions ? gather(targets.predictions, rows, new Float64Array(rows.length)) : null
      };
  }
}

function gather<T extends Uint8Array | Int32Array | Float64Array>(values: T, rows: Int32Array, into: T): T {
  for (let i = 0; i < rows.length; i++) {
    into[i] = values[rows[i]];
  }
  return into;
}
