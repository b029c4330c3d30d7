/**
 * Metrics from aggregates. Exact: accuracy, precision, recall, f1 (confusion cells), log_loss and brier (sums), ece
 * (its ten bins); mae, rmse, mape, r2 (sums; r2 from Σ(y − c) and Σ(y − c)², c the reference's mean label, which keeps the difference of large
 * sums from cancelling).
 * Approximate: roc_auc and pr_auc from scores binned into `scoreBins` equal-width bins — roc_auc counts the pairs
 * inside one bin as ties (half), so it is off by at most half the share of positive–negative pairs that share a bin,
 * reported as `roc_auc` in `bounds`; pr_auc is scikit-learn's average precision of the binned scores.
 */
import { accuracyFromCounts, CALIBRATION_BINS, f1FromCounts, precisionFromCounts, recallFromCounts, type ConfusionCounts } from '../metrics/binary.js';
import { Sum } from '../metrics/summation.js';
import type { MetricValues } from '../types.js';
import { CELL, type Aggregates, type GroupRow, type PeriodAggregates } from './format.js';

/** Metrics of a period (chunk null) or of one of its chunks, and the error bounds of the approximate ones. */
export interface AggregatedMetrics {
  values: MetricValues;
  bounds: Record<string, number>;
}

export function aggregatedMetrics(aggregates: Aggregates, period: PeriodAggregates, chunk: number | null): AggregatedMetrics {
  const mine = (row: GroupRow): boolean => chunk === null || row[0] === chunk;
  const cells = period.cells.filter(mine);
  if (aggregates.task === 'regression') {
    return { values: regressionMetrics(cells, 2), bounds: {} };
  }
  // score bins: the period's fine ones, or the chunk's coarse ones as [positive, bin, count]
  const scores = chunk === null ? period.scores : period.chunkScores.filter(mine).map(row => row.slice(1));
  const bins = chunk === null ? aggregates.scoreBins : aggregates.chunkScoreBins;
  return binaryMetrics(aggregates, cells, period.calibration.filter(mine), scores, bins);
}

function binaryMetrics(aggregates: Aggregates, cells: GroupRow[], calibration: GroupRow[], scores: GroupRow[], scoreBins: number): AggregatedMetrics {
  const counts: ConfusionCounts = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  const brier = new Sum();
  const logLoss = new Sum();
  let rows = 0;
  for (const row of cells) {
    const count = row[2] as number;
    rows += count;
    switch (row[1]) {
      case CELL.tp: counts.truePositives += count; break;
      case CELL.fp: counts.falsePositives += count; break;
      case CELL.tn: counts.trueNegatives += count; break;
      case CELL.fn: counts.falseNegatives += count; break;
    }
    if (aggregates.sums.length > 0) {
      brier.add(row[4] as number);
      logLoss.add(row[5] as number);
    }
  }
  const values: MetricValues = {
    accuracy: accuracyFromCounts(counts),
    precision: precisionFromCounts(counts),
    recall: recallFromCounts(counts),
    f1: f1FromCounts(counts)
  };
  const bounds: Record<string, number> = {};
  if (aggregates.sums.length > 0) {
    const ranking = rankingOfBins(scores, scoreBins);
    values.roc_auc = ranking.rocAuc;
    values.pr_auc = ranking.averagePrecision;
    if (ranking.rocAuc !== null) {
      bounds.roc_auc = ranking.rocAucBound;
    }
    values.log_loss = rows > 0 ? logLoss.value / rows : null;
    values.brier = rows > 0 ? brier.value / rows : null;
    values.ece = rows > 0 ? expectedCalibrationError(calibration, rows) : null;
  }
  return { values, bounds };
}

/** Σ_b n_b/n · |mean(y)_b − mean(p)_b| over the ten calibration bins ([chunk, positive, bin, count, Σ score]). */
function expectedCalibrationError(calibration: GroupRow[], rows: number): number {
  const counts = new Float64Array(CALIBRATION_BINS);
  const positives = new Float64Array(CALIBRATION_BINS);
  const scoreSums = Array.from({ length: CALIBRATION_BINS }, () => new Sum());
  for (const row of calibration) {
    const bin = row[2] as number;
    const count = row[3] as number;
    counts[bin] += count;
    positives[bin] += row[1] === 1 ? count : 0;
    scoreSums[bin].add(row[4] as number);
  }
  const total = new Sum();
  for (let bin = 0; bin < CALIBRATION_BINS; bin++) {
    if (counts[bin] > 0) {
      total.add((counts[bin] / rows) * Math.abs(positives[bin] / counts[bin] - scoreSums[bin].value / counts[bin]));
    }
  }
  return total.value;
}

/** Each non-empty score bin from the highest down: its positives and negatives, and the totals down to it. */
export interface ScoreStep {
  bin: number;
  positives: number;
  negatives: number;
  truePositives: number;
  falsePositives: number;
}

/** The steps of [positive, bin, count] rows, and all positives and negatives. */
export function scoreSteps(scores: GroupRow[], scoreBins: number): { steps: ScoreStep[]; positives: number; negatives: number } {
  const positives = new Float64Array(scoreBins);
  const negatives = new Float64Array(scoreBins);
  for (const row of scores) {
    (row[0] === 1 ? positives : negatives)[row[1] as number] += row[2] as number;
  }
  const steps: ScoreStep[] = [];
  let truePositives = 0;
  let falsePositives = 0;
  for (let bin = scoreBins - 1; bin >= 0; bin--) {
    if (positives[bin] + negatives[bin] > 0) {
      truePositives += positives[bin];
      falsePositives += negatives[bin];
      steps.push({ bin, positives: positives[bin], negatives: negatives[bin], truePositives, falsePositives });
    }
  }
  return { steps, positives: truePositives, negatives: falsePositives };
}

/**
 * roc_auc (ties within a bin count half) with its bound, and the average precision of the binned scores, from
 * [positive, bin, count] rows.
 */
export function rankingOfBins(
  scores: GroupRow[],
  scoreBins: number
): { rocAuc: number | null; rocAucBound: number; averagePrecision: number | null } {
  const { steps, positives, negatives } = scoreSteps(scores, scoreBins);
  if (positives === 0) {
    return { rocAuc: null, rocAucBound: 0, averagePrecision: null };
  }
  // each positive beats the negatives of lower bins and ties with those of its own bin
  let pairs = 0;
  let tied = 0;
  const precision = new Sum();
  for (const step of steps) {
    pairs += step.positives * (negatives - step.falsePositives + step.negatives / 2);
    tied += step.positives * step.negatives;
    precision.add((step.positives / positives) * (step.truePositives / (step.truePositives + step.falsePositives)));
  }
  const allPairs = positives * negatives;
  return {
    rocAuc: negatives > 0 ? pairs / allPairs : null,
    rocAucBound: negatives > 0 ? tied / (2 * allPairs) : 0,
    averagePrecision: precision.value
  };
}

/** mae, rmse, mape, r2 from the sums of the rows (`first`: position of the count in a row). */
export function regressionMetrics(rows: GroupRow[], first: number): MetricValues {
  const [absolute, squared, percentage, shifted, shiftedSquares] = [0, 1, 2, 3, 4].map(() => new Sum());
  let n = 0;
  for (const row of rows) {
    n += row[first] as number;
    absolute.add(row[first + 1] as number);
    squared.add(row[first + 2] as number);
    percentage.add(row[first + 3] as number);
    shifted.add(row[first + 4] as number);
    shiftedSquares.add(row[first + 5] as number);
  }
  if (n === 0) {
    return { mae: null, rmse: null, mape: null, r2: null };
  }
  // Σ(y − ȳ)² = Σ(y − c)² − n·(ȳ − c)²
  const meanShift = shifted.value / n;
  const labelSquares = Math.max(0, shiftedSquares.value - n * meanShift * meanShift);
  const residualSquares = squared.value;
  const constantLabel = labelSquares === 0;
  let r2: number | null = null;
  if (n >= 2) {
    r2 = constantLabel ? (residualSquares === 0 ? 1 : 0) : 1 - residualSquares / labelSquares;
  }
  return { mae: absolute.value / n, rmse: Math.sqrt(squared.value / n), mape: percentage.value / n, r2 };
}
