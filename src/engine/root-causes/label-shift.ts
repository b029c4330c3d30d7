/**
 * Label shift as a root cause: the prior of the label moved (a class's share of rows grew beyond noise) while the
 * inputs did not drift (index.ts offers it only when no feature-drift candidate explains the degradation). The
 * rows are those of the classes whose share grew. Classification only.
 */
import type { Targets } from '../metrics/index.js';
import type { Candidate } from './candidate.js';
import { grew } from './feature-drift.js';
import { RowSet } from './row-sets.js';

export function labelShiftCandidates(
  labelColumn: string,
  classes: string[],
  reference: Targets,
  current: Targets
): Candidate[] {
  if (reference.task === 'regression' || current.task === 'regression') {
    return [];
  }
  // binary labels are 1 for the positive class (classes[1]) and 0 otherwise; multiclass labels index `classes`
  const classCount = current.task === 'binary' ? 2 : classes.length;
  const counts = (labels: Uint8Array | Int32Array): Float64Array => {
    const out = new Float64Array(classCount);
    for (let i = 0; i < labels.length; i++) {
      out[labels[i]]++;
    }
    return out;
  };
  const before = counts(reference.labels);
  const after = counts(current.labels);
  const grown: number[] = [];
  for (let label = 0; label < classCount; label++) {
    if (grew(before[label], reference.labels.length, after[label], current.labels.length)) {
      grown.push(label);
    }
  }
  if (grown.length === 0) {
    return [];
  }
  const rowsOf = (labels: Uint8Array | Int32Array): RowSet => {
    const accepted = new Uint8Array(classCount);
    grown.forEach(label => (accepted[label] = 1));
    const set = new RowSet(labels.length);
    for (let i = 0; i < labels.length; i++) {
      if (accepted[labels[i]]) {
        set.words[i >>> 5] |= 1 << (i & 31);
      }
    }
    return set;
  };
  const names = grown.map(label => classes[label] ?? String(label));
  const values = names.map(name => classValue(name));
  return [
    {
      kind: 'label_shift',
      where: [
        {
          column: labelColumn,
          condition: values.length === 1
            ? { test: 'equals', value: values[0], label: names[0], inReference: true }
            : { test: 'in', values, label: names.join(', ') }
        }
      ],
      rows: { reference: rowsOf(reference.labels), current: rowsOf(current.labels) }
    }
  ];
}

/** A class name as the value a pandas probe compares with: a number when it reads as one. */
function classValue(name: string): string | number | boolean {
  if (name === 'true' || name === 'false') {
    return name === 'true';
  }
  const number = Number(name);
  return name.trim() !== '' && Number.isFinite(number) ? number : name;
}
