/**
 * Metrics per slice column × value, worst first:
 * - values: the `topSliceValues` (default 20) values with the most rows over both periods (ties by name, code-unit
 *   order), one "(other)" bucket for the remaining values and one "(missing)" bucket for null;
 * - metrics per period, from metrics/: binary accuracy and f1 of the positive class, multiclass accuracy and macro
 *   f1, regression mae and rmse; a period without rows in the slice has null metrics;
 * - the primary metric is accuracy (classification) or mae (regression); `change` = current − reference;
 * - order: largest worsening first (a drop of accuracy, a rise of mae), slices without a change last, ties by
 *   current rows (more first).
 */
import { accuracyFromCounts, f1FromCounts } from '../metrics/binary.js';
import type { Targets } from '../metrics/index.js';
import { macroScores, multiclassAccuracy } from '../metrics/multiclass.js';
import { regressionMetrics } from '../metrics/regression.js';
import type { MetricValues, Task } from '../types.js';
import { uniqueLabel } from './distributions.js';
import { gatherTargets } from './gather.js';
import type { SliceInput, SliceMetrics } from './types.js';

export const DEFAULT_TOP_SLICE_VALUES = 20;
export const MISSING_LABEL = '(missing)';
const OTHER_LABEL = '(other)';

export const SLICE_METRICS: Record<Task, string[]> = {
  binary: ['accuracy', 'f1'],
  multiclass: ['accuracy', 'f1'],
  regression: ['mae', 'rmse']
};

export function primaryMetricOf(task: Task): { metric: string; higherIsBetter: boolean } {
  return task === 'regression'
    ? { metric: 'mae', higherIsBetter: false }
    : { metric: 'accuracy', higherIsBetter: true };
}

/** Slices of every column, worst first. Needs predictions in the current period. */
export function sliceMetrics(
  slices: SliceInput[],
  reference: Targets | null,
  current: Targets,
  topValues = DEFAULT_TOP_SLICE_VALUES
): SliceMetrics[] {
  const { metric, higherIsBetter } = primaryMetricOf(current.task);
  const results = slices.flatMap(slice => columnSlices(slice, reference, current, topValues, metric));
  const worsening = (slice: SliceMetrics): number =>
    slice.change === null ? -Infinity : higherIsBetter ? -slice.change : slice.change;
  return results.sort((a, b) => worsening(b) - worsening(a) || b.rows.current - a.rows.current);
}

interface SliceGroups {
  labels: string[];
  kinds: SliceMetrics['kind'][];
  /** Group of each row, per period. */
  reference: Int32Array | null;
  current: Int32Array;
}

function columnSlices(
  slice: SliceInput,
  reference: Targets | null,
  current: Targets,
  topValues: number,
  primaryMetric: string
): SliceMetrics[] {
  const groups = groupRows(slice, topValues);
  const referenceMetrics =
    reference && groups.reference ? metricsByGroup(reference, groups.reference, groups.labels.length) : null;
  const currentMetrics = metricsByGroup(current, groups.current, groups.labels.length);
  return groups.labels.map((value, group) => {
    const referenceValue = referenceMetrics?.metrics[group]?.[primaryMetric] ?? null;
    const currentValue = currentMetrics.metrics[group]?.[primaryMetric] ?? null;
    return {
      column: slice.name,
      value,
      kind: groups.kinds[group],
      rows: { reference: referenceMetrics?.rows[group] ?? 0, current: currentMetrics.rows[group] },
      metrics: { reference: referenceMetrics?.metrics[group] ?? null, current: currentMetrics.metrics[group] },
      primary_metric: primaryMetric,
      change: referenceValue !== null && currentValue !== null ? currentValue - referenceValue : null
    };
  });
}

/** Top values by rows over both periods, then "(other)" and "(missing)" when they hold rows. */
function groupRows(slice: SliceInput, topValues: number): SliceGroups {
  // one pass per period: a provisional code per distinct value (−1 for missing), and rows per code
  const codeOf = new Map<string, number>();
  const values: string[] = [];
  const rowsOfCode: number[] = [];
  let missing = 0;
  const encode = (column: ArrayLike<string | null>): Int32Array => {
    const codes = new Int32Array(column.length);
    for (let i = 0; i < column.length; i++) {
      const value = column[i];
      if (value === null || value === undefined) {
        codes[i] = -1;
        missing++;
        continue;
      }
      let code = codeOf.get(value);
      if (code === undefined) {
        code = values.length;
        codeOf.set(value, code);
        values.push(value);
        rowsOfCode.push(0);
      }
      rowsOfCode[code]++;
      codes[i] = code;
    }
    return codes;
  };
  const referenceCodes = slice.reference ? encode(slice.reference) : null;
  const currentCodes = encode(slice.current);

  // groups: the top values, then "(other)" and "(missing)"
  const ranked = values
    .map((value, code) => ({ value, code }))
    .sort((a, b) => rowsOfCode[b.code] - rowsOfCode[a.code] || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const shown = ranked.slice(0, topValues);
  const labels = shown.map(({ value }) => value);
  const kinds: SliceMetrics['kind'][] = shown.map(() => 'value');
  const taken = new Set(labels);
  const otherGroup = ranked.length > shown.length ? labels.length : -1;
  if (otherGroup >= 0) {
    labels.push(uniqueLabel(OTHER_LABEL, taken));
    kinds.push('other');
  }
  const missingGroup = missing > 0 ? labels.length : -1;
  if (missingGroup >= 0) {
    labels.push(uniqueLabel(MISSING_LABEL, taken));
    kinds.push('missing');
  }
  const groupOfCode = new Int32Array(values.length).fill(otherGroup);
  shown.forEach(({ code }, group) => {
    groupOfCode[code] = group;
  });
  const toGroups = (codes: Int32Array): Int32Array => {
    for (let i = 0; i < codes.length; i++) {
      codes[i] = codes[i] < 0 ? missingGroup : groupOfCode[codes[i]];
    }
    return codes;
  };
  return {
    labels,
    kinds,
    reference: referenceCodes ? toGroups(referenceCodes) : null,
    current: toGroups(currentCodes)
  };
}

/**
 * Rows and metrics of each group. Binary targets: the confusion counts of every group in one pass. Otherwise the
 * rows are ordered by group (a counting sort) and each group's targets gathered for metrics/.
 */
function metricsByGroup(
  targets: Targets,
  groupOfRow: Int32Array,
  groupCount: number
): { rows: number[]; metrics: (MetricValues | null)[] } {
  if (targets.task === 'binary') {
    return binaryMetricsByGroup(targets, groupOfRow, groupCount);
  }
  const starts = new Int32Array(groupCount + 1);
  for (let i = 0; i < groupOfRow.length; i++) {
    starts[groupOfRow[i] + 1]++;
  }
  for (let group = 0; group < groupCount; group++) {
    starts[group + 1] += starts[group];
  }
  const ordered = new Int32Array(groupOfRow.length);
  const cursor = starts.slice(0, groupCount);
  for (let i = 0; i < groupOfRow.length; i++) {
    ordered[cursor[groupOfRow[i]]++] = i;
  }
  const rows: number[] = [];
  const metrics: (MetricValues | null)[] = [];
  for (let group = 0; group < groupCount; group++) {
    const members = ordered.subarray(starts[group], starts[group + 1]);
    rows.push(members.length);
    metrics.push(members.length > 0 ? sliceMetricValues(gatherTargets(targets, members) as GatheredTargets) : null);
  }
  return { rows, metrics };
}

function binaryMetricsByGroup(
  targets: Extract<Targets, { task: 'binary' }>,
  groupOfRow: Int32Array,
  groupCount: number
): { rows: number[]; metrics: (MetricValues | null)[] } {
  // cells per group: label · 2 + prediction → tn, fp, fn, tp
  const cells = new Float64Array(4 * groupCount);
  const { labels } = targets;
  const predictions = targets.predictions as Uint8Array;
  for (let i = 0; i < labels.length; i++) {
    cells[4 * groupOfRow[i] + 2 * labels[i] + predictions[i]]++;
  }
  const rows: number[] = [];
  const metrics: (MetricValues | null)[] = [];
  for (let group = 0; group < groupCount; group++) {
    const [trueNegatives, falsePositives, falseNegatives, truePositives] = cells.subarray(4 * group, 4 * group + 4);
    const counts = { trueNegatives, falsePositives, falseNegatives, truePositives };
    const size = trueNegatives + falsePositives + falseNegatives + truePositives;
    rows.push(size);
    metrics.push(size > 0 ? { accuracy: accuracyFromCounts(counts), f1: f1FromCounts(counts) } : null);
  }
  return { rows, metrics };
}

type GatheredTargets = Exclude<Targets, { task: 'binary' }>;

/** The slice metrics of one group's multiclass or regression targets (predictions required). */
function sliceMetricValues(targets: GatheredTargets): MetricValues {
  if (targets.task === 'regression') {
    const { mae, rmse } = regressionMetrics({
      labels: targets.labels,
      predictions: targets.predictions as Float64Array
    });
    return { mae, rmse };
  }
  const predictions = targets.predictions as Int32Array;
  return {
    accuracy: multiclassAccuracy(targets.labels, predictions),
    f1: macroScores(targets.labels, predictions, targets.classCount)?.f1 ?? null
  };
}
