/**
 * Comparison of two runs (baseline, candidate) of the same task, for the "compare two runs" view:
 * - with an id column in both runs, the runs are joined on it (inner join; ids compare as text, so 7 and "7"
 *   match; rows without an id are left out) and compared row by row: paired bootstrap intervals of each metric
 *   difference and, for classification, McNemar's test (mcnemar.ts) on which shared rows each run got right;
 * - otherwise the runs are two independent samples: independent bootstrap intervals, no McNemar.
 * Multiclass runs must be encoded with the same class list. An id that occurs twice in a run is an InputError.
 */
import type { Targets } from '../metrics/index.js';
import { InputError } from '../types.js';
import { bootstrapDifferences, pairedBootstrapDifferences } from './bootstrap.js';
import { gatherTargets } from './gather.js';
import { mcnemarTest } from './mcnemar.js';
import type { BootstrapOptions, RunComparison } from './types.js';

export interface RunInput {
  /** How messages name the run, e.g. its trace name. */
  name: string;
  targets: Targets;
  /** The id of each row (null: a row without id, never shared), or null without an id column. */
  ids: ArrayLike<string | number | null> | null;
}

export function compareRuns(
  baseline: RunInput,
  candidate: RunInput,
  options: Partial<BootstrapOptions> = {}
): RunComparison {
  const task = candidate.targets.task;
  if (baseline.targets.task !== task) {
    throw new InputError(
      `runs "${baseline.name}" (${baseline.targets.task}) and "${candidate.name}" (${task}) have different tasks`
    );
  }
  const rows = { baseline: baseline.targets.labels.length, candidate: candidate.targets.labels.length };
  if (!baseline.ids || !candidate.ids) {
    return {
      task,
      paired: false,
      rows: { ...rows, shared: null },
      differences: bootstrapDifferences(baseline.targets, candidate.targets, options),
      mcnemar: null
    };
  }

  // rows of the shared ids, in the baseline's order
  const candidateRowOfId = rowOfId(candidate);
  const baselineRows: number[] = [];
  const candidateRows: number[] = [];
  const baselineIds = rowOfId(baseline);
  for (const [id, baselineRow] of baselineIds) {
    const candidateRow = candidateRowOfId.get(id);
    if (candidateRow !== undefined) {
      baselineRows.push(baselineRow);
      candidateRows.push(candidateRow);
    }
  }
  const pairedBaseline = gatherTargets(baseline.targets, Int32Array.from(baselineRows));
  const pairedCandidate = gatherTargets(candidate.targets, Int32Array.from(candidateRows));
  return {
    task,
    paired: true,
    rows: { ...rows, shared: baselineRows.length },
    differences: pairedBootstrapDifferences(pairedBaseline, pairedCandidate, options),
    mcnemar: task === 'regression' ? null : mcnemarOf(pairedBaseline, pairedCandidate)
  };
}

function rowOfId(run: RunInput): Map<string, number> {
  const ids = run.ids as ArrayLike<string | number | null>;
  const rows = new Map<string, number>();
  for (let row = 0; row < ids.length; row++) {
    if (ids[row] === null || ids[row] === undefined) {
      continue;
    }
    const id = String(ids[row]);
    if (rows.has(id)) {
      throw new InputError(`run "${run.name}": id "${id}" occurs twice, at rows ${rows.get(id)} and ${row}`);
    }
    rows.set(id, row);
  }
  return rows;
}

function mcnemarOf(baseline: Targets, candidate: Targets): RunComparison['mcnemar'] {
  if (!baseline.predictions || !candidate.predictions) {
    return null;
  }
  return mcnemarTest(correctness(baseline), correctness(candidate));
}

function correctness(targets: Targets): Uint8Array {
  const predictions = targets.predictions as ArrayLike<number>;
  const correct = new Uint8Array(targets.labels.length);
  for (let i = 0; i < correct.length; i++) {
    correct[i] = targets.labels[i] === predictions[i] ? 1 : 0;
  }
  return correct;
}
