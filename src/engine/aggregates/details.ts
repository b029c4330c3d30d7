/**
 * The explorer's detail charts of a pushdown trace, from its aggregates: ROC and PR curves at the score bins'
 * edges, the calibration curve of the ten bins, the confusion matrix, each feature's Doane (numeric) or category
 * distribution, and the metrics per value of each slice column (whole periods). Bootstrap intervals, residuals and
 * predicted-vs-actual need rows; the notes say so.
 */
import type {
  AnalysisDetails,
  ByPeriod,
  CalibrationCurve,
  ConfusionMatrix,
  FeatureDistribution,
  NumericBin,
  PeriodCounts,
  PrCurve,
  RocCurve,
  SliceMetrics
} from '../details/types.js';
import type { MetricValues, Period } from '../types.js';
import { primaryMetricOf } from '../root-causes/degradation.js';
import type { FeatureCounts, NumericCounts } from './drift.js';
import { whereTheRowsAre, type Aggregates, type GroupRow } from './format.js';
import { rankingOfBins, regressionMetrics, scoreSteps } from './metrics.js';
import { accuracyFromCounts, CALIBRATION_BINS, f1FromCounts } from '../metrics/binary.js';

const TOP_VALUES = 20;
const PERIODS: Period[] = ['reference', 'current'];

export function aggregatedDetails(
  aggregates: Aggregates,
  features: FeatureCounts[],
  chunk?: { period: Period; index: number }
): AnalysisDetails {
  const notes = [`bootstrap intervals, residuals and predicted vs actual need the rows, ${whereTheRowsAre(aggregates)}`];
  const inChunk = (period: Period, row: GroupRow): boolean => !chunk || chunk.period !== period || row[0] === chunk.index;
  const byPeriod = <T>(make: (period: Period) => T | null): ByPeriod<T> => ({ reference: make('reference'), current: make('current') });
  const binary = aggregates.task === 'binary';
  const scored = binary && aggregates.sums.length > 0;
  // score bins as [positive, bin, count]: a chunk's coarse ones, or the period's fine ones
  const inChunkOf = (period: Period): boolean => chunk !== undefined && chunk.period === period;
  const scores = (period: Period): GroupRow[] =>
    inChunkOf(period) ? aggregates[period].chunkScores.filter(row => inChunk(period, row)).map(row => row.slice(1)) : aggregates[period].scores;
  const binsOfScores = (period: Period): number => (inChunkOf(period) ? aggregates.chunkScoreBins : aggregates.scoreBins);
  const calibration = (period: Period): GroupRow[] => aggregates[period].calibration.filter(row => inChunk(period, row));
  const cells = (period: Period): GroupRow[] => aggregates[period].cells.filter(row => inChunk(period, row));
  if (chunk) {
    notes.push('slices: per chunk they need the rows; the table shows whole periods');
    notes.push("distributions: a chunk's values outside the reference's Doane edges are not drawn");
  }
  return {
    version: 1,
    task: aggregates.task,
    roc: scored ? byPeriod(period => rocCurve(scores(period), binsOfScores(period))) : null,
    pr: scored ? byPeriod(period => prCurve(scores(period), binsOfScores(period))) : null,
    calibration: scored ? byPeriod(period => calibrationCurve(calibration(period))) : null,
    confusion: binary ? byPeriod(period => confusionMatrix(cells(period), aggregates)) : null,
    residuals: null,
    predicted_vs_actual: null,
    distributions: features.map(counts => distribution(aggregates, counts, chunk)),
    slices: sliceMetrics(aggregates),
    differences: [],
    notes,
    ...(scored ? { score_bins: chunk ? aggregates.chunkScoreBins : aggregates.scoreBins } : {})
  };
}

/** Points at each non-empty bin's lower edge, from the highest score down (within-bin ties drawn straight). */
function rocCurve(rows: GroupRow[], scoreBins: number): RocCurve | null {
  const { steps, positives: p, negatives: n } = scoreSteps(rows, scoreBins);
  if (p === 0 || n === 0) {
    return null;
  }
  const points = [{ fpr: 0, tpr: 0, threshold: null as number | null }];
  let area = 0;
  for (const step of steps) {
    const before = points[points.length - 1];
    const point = { fpr: step.falsePositives / n, tpr: step.truePositives / p, threshold: step.bin / scoreBins };
    area += ((point.fpr - before.fpr) * (point.tpr + before.tpr)) / 2;
    points.push(point);
  }
  return { points, auc: area, positives: p, negatives: n, full_points: points.length };
}

function prCurve(rows: GroupRow[], scoreBins: number): PrCurve | null {
  const { steps, positives: p, negatives: n } = scoreSteps(rows, scoreBins);
  if (p === 0) {
    return null;
  }
  const points: PrCurve['points'] = steps.map(step => ({
    recall: step.truePositives / p,
    precision: step.truePositives / (step.truePositives + step.falsePositives),
    threshold: step.bin / scoreBins
  }));
  points.reverse();
  points.push({ recall: 0, precision: 1, threshold: null });
  const averagePrecision = rankingOfBins(rows, scoreBins).averagePrecision as number;
  return { points, average_precision: averagePrecision, prevalence: p / (p + n), positives: p, negatives: n, full_points: points.length };
}

function calibrationCurve(rows: GroupRow[]): CalibrationCurve | null {
  const count = new Float64Array(CALIBRATION_BINS);
  const positives = new Float64Array(CALIBRATION_BINS);
  const scoreSums = new Float64Array(CALIBRATION_BINS);
  for (const row of rows) {
    const bin = row[2] as number;
    count[bin] += row[3] as number;
    positives[bin] += row[1] === 1 ? (row[3] as number) : 0;
    scoreSums[bin] += row[4] as number;
  }
  const bins: CalibrationCurve['bins'] = [];
  count.forEach((rowsInBin, bin) => {
    if (rowsInBin > 0) {
      bins.push({ bin, lower: bin / CALIBRATION_BINS, upper: (bin + 1) / CALIBRATION_BINS, count: rowsInBin, mean_score: scoreSums[bin] / rowsInBin, fraction_positive: positives[bin] / rowsInBin });
    }
  });
  const total = bins.reduce((sum, bin) => sum + bin.count, 0);
  return total > 0 ? { bins, rows: total } : null;
}

function confusionMatrix(rows: GroupRow[], aggregates: Aggregates): ConfusionMatrix | null {
  const counts = [0, 0, 0, 0];
  rows.forEach(row => (counts[row[1] as number] += row[2] as number));
  const [tp, fp, tn, fn] = counts;
  const total = tp + fp + tn + fn;
  const positiveName = String(aggregates.positiveLabel ?? 1);
  const negativeName = positiveName === '1' ? '0' : positiveName === 'true' ? 'false' : `not ${positiveName}`;
  return total > 0 ? { labels: [negativeName, positiveName], counts: [[tn, fp], [fn, tp]], rows: total } : null;
}

function periodCounts(counts: number[], missing: number): PeriodCounts {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return { counts, proportions: counts.map(count => (total > 0 ? count / total : 0)), total, missing };
}

function distribution(aggregates: Aggregates, counts: FeatureCounts, chunk?: { period: Period; index: number }): FeatureDistribution {
  // a chunk's values come from its own groups (counts per Doane bin or value), the other period whole
  const chunkRows = chunk ? aggregates[chunk.period].features[counts.feature].chunks.filter(row => row[0] === chunk.index) : null;
  const missingOf = (period: Period): number =>
    chunkRows && chunk?.period === period ? chunkRows.filter(row => row[1] === null).reduce((sum, row) => sum + (row[2] as number), 0) : counts.missing[period];
  if (counts.type === 'numeric') {
    return numericDistribution(counts, chunkRows && chunk ? { period: chunk.period, rows: chunkRows } : null, missingOf);
  }
  const valuesOf = (period: Period): Map<string, number> => {
    if (chunkRows && chunk?.period === period) {
      const values = new Map<string, number>();
      chunkRows.forEach(row => row[1] !== null && values.set(String(row[1]), (values.get(String(row[1])) ?? 0) + (row[2] as number)));
      return values;
    }
    return counts.values[period];
  };
  const reference = valuesOf('reference');
  const current = valuesOf('current');
  const names = [...new Set([...reference.keys(), ...current.keys()])]
    .map(name => ({ name, rows: (reference.get(name) ?? 0) + (current.get(name) ?? 0) }))
    .sort((a, b) => b.rows - a.rows || (a.name < b.name ? -1 : 1));
  const shown = names.slice(0, TOP_VALUES);
  const other = names.length > shown.length;
  const row = (values: Map<string, number>): number[] => {
    const kept = shown.map(({ name }) => values.get(name) ?? 0);
    if (other) {
      kept.push([...values.values()].reduce((a, b) => a + b, 0) - kept.reduce((a, b) => a + b, 0));
    }
    return kept;
  };
  return {
    feature: counts.feature,
    type: 'categorical',
    categories: [...shown.map(({ name }) => ({ label: name, kind: 'category' as const })), ...(other ? [{ label: '(other)', kind: 'other' as const }] : [])],
    reference: periodCounts(row(reference), missingOf('reference')),
    current: periodCounts(row(current), missingOf('current'))
  };
}

/**
 * Doane bins, then the current values below and above them (as the in-memory distribution). A chunk's own counts
 * come per Doane bin with one outside bucket: its values outside the edges are left out of the chart and noted.
 */
function numericDistribution(
  counts: NumericCounts,
  chunk: { period: Period; rows: GroupRow[] } | null,
  missingOf: (period: Period) => number
): FeatureDistribution {
  const doane = counts.spec.doane;
  const bins: NumericBin[] = doane.slice(0, -1).map((start, i) => ({ kind: 'bin', start, end: doane[i + 1] }));
  const inside = (period: Period): number[] => {
    if (chunk?.period === period) {
      const values = new Array<number>(doane.length - 1).fill(0);
      chunk.rows.forEach(row => typeof row[1] === 'number' && row[1] < values.length && (values[row[1]] += row[2] as number));
      return values;
    }
    return Array.from(counts.doane[period]).slice(0, -1);
  };
  const rows = { reference: inside('reference'), current: inside('current') };
  if (chunk?.period !== 'current') {
    // current values beyond the edges: below the first bucket of the Doane range, or above it
    let below = 0;
    let above = 0;
    counts.buckets.current.forEach((count, bucket) => {
      if (counts.doaneOf[bucket] === doane.length - 1 && count > 0) {
        const start = bucket === 0 ? -Infinity : counts.spec.edges[Math.min(bucket, counts.spec.edges.length) - 1];
        if (start < doane[0]) {
          below += count;
        } else {
          above += count;
        }
      }
    });
    const range = counts.range.current;
    if (below > 0) {
      bins.unshift({ kind: 'below', start: range?.[0] ?? doane[0], end: doane[0] });
      rows.current.unshift(below);
      rows.reference.unshift(0);
    }
    if (above > 0) {
      bins.push({ kind: 'above', start: doane[doane.length - 1], end: range?.[1] ?? doane[doane.length - 1] });
      rows.current.push(above);
      rows.reference.push(0);
    }
  }
  return {
    feature: counts.feature,
    type: 'numeric',
    edges_from: 'reference',
    bins,
    reference: periodCounts(rows.reference, missingOf('reference')),
    current: periodCounts(rows.current, missingOf('current'))
  };
}

/** Metrics per value of each slice column, from the cube; worst change of the primary metric first. */
function sliceMetrics(aggregates: Aggregates): SliceMetrics[] {
  const primary = primaryMetricOf(aggregates.task).name;
  const result: SliceMetrics[] = [];
  aggregates.slices.forEach((column, c) => {
    const groups = new Map<string | null, Record<Period, GroupRow[]>>();
    for (const period of PERIODS) {
      for (const row of aggregates[period].cube) {
        const value = row[c + 1] === null ? null : String(row[c + 1]);
        const entry = groups.get(value) ?? { reference: [], current: [] };
        entry[period].push(row);
        groups.set(value, entry);
      }
    }
    const countAt = aggregates.slices.length + 1;
    const metricsOf = (rows: GroupRow[]): MetricValues | null => {
      if (rows.length === 0) {
        return null;
      }
      if (aggregates.task === 'regression') {
        const { mae, rmse } = regressionMetrics(rows, countAt);
        return { mae, rmse };
      }
      const counts = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
      const keys = ['truePositives', 'falsePositives', 'trueNegatives', 'falseNegatives'] as const;
      rows.forEach(row => (counts[keys[row[0] as number]] += row[countAt] as number));
      return { accuracy: accuracyFromCounts(counts), f1: f1FromCounts(counts) };
    };
    const entries = [...groups.entries()].sort(
      (a, b) => total(b[1], countAt) - total(a[1], countAt) || String(a[0]).localeCompare(String(b[0]))
    );
    for (const [value, rows] of entries.slice(0, TOP_VALUES)) {
      const metrics = { reference: metricsOf(rows.reference), current: metricsOf(rows.current) };
      const before = metrics.reference?.[primary];
      const after = metrics.current?.[primary];
      result.push({
        column,
        value: value ?? '(missing)',
        kind: value === null ? 'missing' : 'value',
        rows: { reference: sum(rows.reference, countAt), current: sum(rows.current, countAt) },
        metrics,
        primary_metric: primary,
        change: before === null || before === undefined || after === null || after === undefined ? null : after - before
      });
    }
  });
  const sign = primaryMetricOf(aggregates.task).higherIsBetter ? 1 : -1;
  return result.sort((a, b) => sign * ((a.change ?? Infinity) - (b.change ?? Infinity)));
}

function sum(rows: GroupRow[], countAt: number): number {
  return rows.reduce((total, row) => total + (row[countAt] as number), 0);
}

function total(rows: Record<Period, GroupRow[]>, countAt: number): number {
  return sum(rows.reference, countAt) + sum(rows.current, countAt);
}
