/**
 * Binary classification metrics, as scikit-learn computes them:
 * - accuracy, precision, recall, f1 from the confusion counts; a ratio with a zero denominator is 0
 *   (scikit-learn's `zero_division` default value);
 * - roc_auc: trapezoidal area under the ROC curve with tied scores forming one step (average rank), `null`
 *   when the labels hold one class only;
 * - pr_auc: `average_precision_score`, Σ (R_k − R_{k−1}) · P_k over the distinct scores in decreasing order,
 *   `null` without positive labels;
 * - log_loss: mean of −ln(p) for positives and −ln(1 − p) for negatives, probabilities clipped to [ε, 1 − ε],
 *   ε = 2.220446049250313e-16;
 * - brier: mean of (p − y)²;
 * - ece: 10 equal-width score bins [k/10, (k+1)/10) (the last one closed), Σ n_b/n · |mean(y)_b − mean(p)_b|.
 *
 * Inputs are pre-encoded typed arrays (labels 1 = positive class), so a chunk is a zero-copy `subarray`.
 * Sums over rows are compensated (Neumaier; the terms here are never negative), so means agree with numpy's
 * pairwise sums far below 1e-12 relative.
 */
import type { MetricValues } from '../types.js';
import { sortFloat64, sortWithPayload } from '../sorting.js';
import { addSums, Sum, type CompensatedSum } from './summation.js';

/** Machine epsilon of float64; the clip of log_loss and the floor of mape's denominator. */
export const EPSILON = 2.220446049250313e-16;

export const BINARY_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc', 'log_loss', 'brier', 'ece'];

export interface BinaryInputs {
  /** 1 where the label is the positive class, 0 otherwise. */
  labels: Uint8Array;
  /** 1 where the predicted class is the positive class; null when there is no prediction. */
  predictions: Uint8Array | null;
  /** Probability of the positive class, finite and in [0, 1]; null when there is no score. */
  scores: Float64Array | null;
}

export interface ConfusionCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

/** All binary metrics the inputs allow: label-based ones need predictions, score-based ones scores. */
export function binaryMetrics(inputs: BinaryInputs): MetricValues {
  const ranking = inputs.scores ? rankingMetrics(sortScoresByClass(inputs.labels, inputs.scores)) : null;
  return binaryMetricsOfPartial(binaryPartial(inputs), ranking);
}

/**
 * What the binary metrics of some rows are computed from, roc_auc and pr_auc aside (`Ranking`, from sorted scores).
 * The partials of consecutive chunks combine into the partial of the whole period (counts and sums add up), so a
 * period's metrics cost no second pass over its rows.
 */
export interface BinaryPartial {
  rows: number;
  counts: ConfusionCounts | null;
  logLoss: CompensatedSum | null;
  brier: CompensatedSum | null;
  calibration: CalibrationBins | null;
}

export interface CalibrationBins {
  counts: Float64Array;
  labelSums: Float64Array;
  scoreSums: Float64Array;
  scoreCompensations: Float64Array;
}

/** roc_auc and pr_auc of some rows. */
export interface Ranking {
  rocAuc: number | null;
  averagePrecision: number | null;
}

export function binaryPartial(inputs: BinaryInputs): BinaryPartial {
  const { labels, predictions, scores } = inputs;
  const sums = scores ? scoreSums(labels, scores) : null;
  return {
    rows: labels.length,
    counts: predictions ? confusionCounts(labels, predictions) : null,
    logLoss: sums?.logLoss ?? null,
    brier: sums?.brier ?? null,
    calibration: sums?.calibration ?? null
  };
}

/** The metrics of a partial; the score-based ones when there are scores, whose `ranking` is given. */
export function binaryMetricsOfPartial(partial: BinaryPartial, ranking: Ranking | null): MetricValues {
  const metrics: MetricValues = {};
  const { rows, counts } = partial;
  if (counts) {
    metrics.accuracy = accuracyFromCounts(counts);
    metrics.precision = precisionFromCounts(counts);
    metrics.recall = recallFromCounts(counts);
    metrics.f1 = f1FromCounts(counts);
  }
  if (ranking) {
    metrics.roc_auc = ranking.rocAuc;
    metrics.pr_auc = ranking.averagePrecision;
    metrics.log_loss = meanOf(partial.logLoss, rows);
    metrics.brier = meanOf(partial.brier, rows);
    metrics.ece = partial.calibration && rows > 0 ? eceOfBins(partial.calibration, rows) : null;
  }
  return metrics;
}

/** The partial of the rows of all the parts together. */
export function combineBinaryPartials(parts: BinaryPartial[]): BinaryPartial {
  const first = parts[0];
  return {
    rows: parts.reduce((total, part) => total + part.rows, 0),
    counts: first.counts ? addCounts(parts.map(part => part.counts as ConfusionCounts)) : null,
    logLoss: first.logLoss ? addSums(parts.map(part => part.logLoss as CompensatedSum)) : null,
    brier: first.brier ? addSums(parts.map(part => part.brier as CompensatedSum)) : null,
    calibration: first.calibration ? addBins(parts.map(part => part.calibration as CalibrationBins)) : null
  };
}

function addCounts(parts: ConfusionCounts[]): ConfusionCounts {
  const total = { truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 };
  for (const part of parts) {
    total.truePositives += part.truePositives;
    total.falsePositives += part.falsePositives;
    total.falseNegatives += part.falseNegatives;
    total.trueNegatives += part.trueNegatives;
  }
  return total;
}

function addBins(parts: CalibrationBins[]): CalibrationBins {
  const bins = emptyBins();
  for (let bin = 0; bin < CALIBRATION_BINS; bin++) {
    const scores = addSums(parts.map(part => ({ sum: part.scoreSums[bin], compensation: part.scoreCompensations[bin] })));
    bins.scoreSums[bin] = scores.sum;
    for (const part of parts) {
      bins.counts[bin] += part.counts[bin];
      bins.labelSums[bin] += part.labelSums[bin];
    }
  }
  return bins;
}

function meanOf(total: CompensatedSum | null, rows: number): number | null {
  return total && rows > 0 ? (total.sum + total.compensation) / rows : null;
}

export function confusionCounts(labels: Uint8Array, predictions: Uint8Array): ConfusionCounts {
  let truePositives = 0;
  let falsePositives = 0;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    positives += label;
    if (predictions[i] === 1) {
      truePositives += label;
      falsePositives += 1 - label;
    }
  }
  return {
    truePositives,
    falsePositives,
    falseNegatives: positives - truePositives,
    trueNegatives: labels.length - positives - falsePositives
  };
}

export function accuracyFromCounts(counts: ConfusionCounts): number | null {
  const total = counts.truePositives + counts.falsePositives + counts.falseNegatives + counts.trueNegatives;
  return total === 0 ? null : (counts.truePositives + counts.trueNegatives) / total;
}

export function precisionFromCounts(counts: ConfusionCounts): number {
  return ratio(counts.truePositives, counts.truePositives + counts.falsePositives);
}

export function recallFromCounts(counts: ConfusionCounts): number {
  return ratio(counts.truePositives, counts.truePositives + counts.falseNegatives);
}

/** F1 as scikit-learn ≥ 1.3 computes it: 2·tp / (2·tp + fp + fn). */
export function f1FromCounts(counts: ConfusionCounts): number {
  const twice = 2 * counts.truePositives;
  return ratio(twice, twice + counts.falsePositives + counts.falseNegatives);
}

/** Scores of each class, sorted ascending; the shared first step of roc_auc and pr_auc. */
export interface ScoresByClass {
  positive: Float64Array;
  negative: Float64Array;
}

export function sortScoresByClass(labels: ArrayLike<number>, scores: Float64Array): ScoresByClass {
  let positiveCount = 0;
  for (let i = 0; i < labels.length; i++) {
    positiveCount += labels[i];
  }
  const positive = new Float64Array(positiveCount);
  const negative = new Float64Array(labels.length - positiveCount);
  for (let i = 0, p = 0, q = 0; i < labels.length; i++) {
    if (labels[i] === 1) {
      positive[p++] = scores[i];
    } else {
      negative[q++] = scores[i];
    }
  }
  return { positive: sortFloat64(positive), negative: sortFloat64(negative) };
}

export function rocAuc(labels: Uint8Array, scores: Float64Array): number | null {
  return rankingMetrics(sortScoresByClass(labels, scores)).rocAuc;
}

export function averagePrecision(labels: Uint8Array, scores: Float64Array): number | null {
  return rankingMetrics(sortScoresByClass(labels, scores)).averagePrecision;
}

export function rocAucFromSorted(sorted: ScoresByClass): number | null {
  return rankingMetrics(sorted).rocAuc;
}

export function averagePrecisionFromSorted(sorted: ScoresByClass): number | null {
  return rankingMetrics(sorted).averagePrecision;
}

/**
 * roc_auc and pr_auc in one walk over the distinct scores, highest first:
 * - ROC area: each group of tied scores adds fp · (tp before + tp of the group / 2), over P · N;
 * - average precision: each group adds the recall it gains × the precision at its score.
 */
export function rankingMetrics(sorted: ScoresByClass): Ranking {
  const { positive, negative } = sorted;
  const sums = new RankingSums(positive.length, negative.length);
  let p = positive.length - 1;
  let q = negative.length - 1;
  while (p >= 0 || q >= 0) {
    const value = p < 0 ? negative[q] : q < 0 ? positive[p] : Math.max(positive[p], negative[q]);
    let tiedPositives = 0;
    let tiedNegatives = 0;
    while (p >= 0 && positive[p] === value) {
      tiedPositives++;
      p--;
    }
    while (q >= 0 && negative[q] === value) {
      tiedNegatives++;
      q--;
    }
    sums.addGroup(tiedPositives, tiedNegatives);
  }
  return sums.ranking();
}

/**
 * `rankingMetrics` of each chunk (consecutive rows) and of all of them, from one sort of the scores: walking the
 * distinct scores from the highest, the tied rows of each chunk update that chunk's sums as the walk over the
 * chunk's own sorted scores would, group for group, and all of them update the period's.
 */
export function chunkRankingMetrics(
  labels: Uint8Array,
  scores: Float64Array,
  chunks: ReadonlyArray<{ start: number; end: number }>
): { chunks: Ranking[]; period: Ranking } {
  const rows = chunks.length === 0 ? 0 : chunks[chunks.length - 1].end;
  // payload: chunk · 2 + whether the row is positive
  const payload = new Uint32Array(rows);
  const positives = new Float64Array(chunks.length);
  chunks.forEach((chunk, c) => {
    for (let i = chunk.start; i < chunk.end; i++) {
      const positive = labels[i] === 1 ? 1 : 0;
      payload[i] = 2 * c + positive;
      positives[c] += positive;
    }
  });
  const sorted = sortWithPayload(scores.subarray(0, rows), payload);
  const perChunk = chunks.map((chunk, c) => new RankingSums(positives[c], chunk.end - chunk.start - positives[c]));
  const totalPositives = positives.reduce((total, count) => total + count, 0);
  const period = new RankingSums(totalPositives, rows - totalPositives);
  const tiedPositives = new Float64Array(chunks.length);
  const tiedNegatives = new Float64Array(chunks.length);
  const touched = new Int32Array(chunks.length);
  const values = sorted.values;
  const carried = sorted.payload;
  for (let k = rows - 1; k >= 0; ) {
    const value = values[k];
    let touchedCount = 0;
    let groupPositives = 0;
    for (; k >= 0 && values[k] === value; k--) {
      const chunk = carried[k] >>> 1;
      const positive = carried[k] & 1;
      if (tiedPositives[chunk] + tiedNegatives[chunk] === 0) {
        touched[touchedCount++] = chunk;
      }
      tiedPositives[chunk] += positive;
      tiedNegatives[chunk] += 1 - positive;
      groupPositives += positive;
    }
    let groupRows = 0;
    for (let t = 0; t < touchedCount; t++) {
      const chunk = touched[t];
      perChunk[chunk].addGroup(tiedPositives[chunk], tiedNegatives[chunk]);
      groupRows += tiedPositives[chunk] + tiedNegatives[chunk];
      tiedPositives[chunk] = 0;
      tiedNegatives[chunk] = 0;
    }
    period.addGroup(groupPositives, groupRows - groupPositives);
  }
  return { chunks: perChunk.map(sums => sums.ranking()), period: period.ranking() };
}

/** The running, compensated (Neumaier) sums of `rankingMetrics` over groups of tied scores, highest first. */
class RankingSums {
  private area = 0;
  private areaCompensation = 0;
  private precisionSum = 0;
  private precisionCompensation = 0;
  private truePositives = 0;
  private falsePositives = 0;

  constructor(
    private readonly positives: number,
    private readonly negatives: number
  ) {}

  addGroup(tiedPositives: number, tiedNegatives: number): void {
    const areaTerm = tiedNegatives * (this.truePositives + tiedPositives / 2);
    const nextArea = this.area + areaTerm;
    this.areaCompensation += this.area >= areaTerm ? this.area - nextArea + areaTerm : areaTerm - nextArea + this.area;
    this.area = nextArea;
    this.truePositives += tiedPositives;
    this.falsePositives += tiedNegatives;
    if (tiedPositives > 0) {
      const precisionTerm = (tiedPositives / this.positives) * (this.truePositives / (this.truePositives + this.falsePositives));
      const nextSum = this.precisionSum + precisionTerm;
      this.precisionCompensation +=
        this.precisionSum >= precisionTerm ? this.precisionSum - nextSum + precisionTerm : precisionTerm - nextSum + this.precisionSum;
      this.precisionSum = nextSum;
    }
  }

  ranking(): Ranking {
    const { positives, negatives } = this;
    return {
      rocAuc: positives === 0 || negatives === 0 ? null : (this.area + this.areaCompensation) / positives / negatives,
      averagePrecision: positives === 0 ? null : this.precisionSum + this.precisionCompensation
    };
  }
}

export function logLoss(labels: Uint8Array, scores: Float64Array): number | null {
  return meanOf(logLossSum(labels, scores), labels.length);
}

export function brier(labels: Uint8Array, scores: Float64Array): number | null {
  return meanOf(brierSum(labels, scores), labels.length);
}

export function expectedCalibrationError(labels: Uint8Array, scores: Float64Array): number | null {
  return labels.length === 0 ? null : eceOfBins(calibrationBins(labels, scores), labels.length);
}

function logLossSum(labels: Uint8Array, scores: Float64Array): CompensatedSum {
  return scoreSums(labels, scores).logLoss;
}

function brierSum(labels: Uint8Array, scores: Float64Array): CompensatedSum {
  return scoreSums(labels, scores).brier;
}

/**
 * The sums of log_loss and brier and the calibration bins, in one pass over the rows (each sum adds the same terms in
 * the same order as a pass of its own would).
 */
function scoreSums(labels: Uint8Array, scores: Float64Array): { logLoss: CompensatedSum; brier: CompensatedSum; calibration: CalibrationBins } {
  let logLoss = 0;
  let logLossCompensation = 0;
  let brier = 0;
  let brierCompensation = 0;
  const calibration = emptyBins();
  const { counts, labelSums, scoreSums: binScoreSums, scoreCompensations } = calibration;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const score = scores[i];
    const logTerm = -Math.log(clip(label === 1 ? score : 1 - score));
    const nextLogLoss = logLoss + logTerm;
    logLossCompensation += logLoss >= logTerm ? logLoss - nextLogLoss + logTerm : logTerm - nextLogLoss + logLoss;
    logLoss = nextLogLoss;
    const error = score - label;
    const brierTerm = error * error;
    const nextBrier = brier + brierTerm;
    brierCompensation += brier >= brierTerm ? brier - nextBrier + brierTerm : brierTerm - nextBrier + brier;
    brier = nextBrier;
    const bin = calibrationBin(score);
    counts[bin]++;
    labelSums[bin] += label;
    const sum = binScoreSums[bin];
    const next = sum + score;
    scoreCompensations[bin] += sum >= score ? sum - next + score : score - next + sum;
    binScoreSums[bin] = next;
  }
  return {
    logLoss: { sum: logLoss, compensation: logLossCompensation },
    brier: { sum: brier, compensation: brierCompensation },
    calibration
  };
}

export const CALIBRATION_BINS = 10;

/** Bin of a score in [0, 1]: k with k/10 ≤ p < (k+1)/10, the last bin closed at 1. */
export function calibrationBin(score: number): number {
  let bin = Math.floor(score * CALIBRATION_BINS);
  if (bin > 0 && score < bin / CALIBRATION_BINS) {
    bin--;
  } else if (bin < CALIBRATION_BINS - 1 && score >= (bin + 1) / CALIBRATION_BINS) {
    bin++;
  }
  return Math.min(Math.max(bin, 0), CALIBRATION_BINS - 1);
}

function emptyBins(): CalibrationBins {
  return {
    counts: new Float64Array(CALIBRATION_BINS),
    labelSums: new Float64Array(CALIBRATION_BINS),
    scoreSums: new Float64Array(CALIBRATION_BINS),
    scoreCompensations: new Float64Array(CALIBRATION_BINS)
  };
}

/** Rows, positives and (compensated) score sums per calibration bin. */
export function calibrationBins(labels: Uint8Array, scores: Float64Array): CalibrationBins {
  return scoreSums(labels, scores).calibration;
}

/** Σ_b n_b/n · |mean(y)_b − mean(p)_b| over the non-empty bins. */
function eceOfBins(bins: CalibrationBins, rows: number): number {
  const total = new Sum();
  for (let bin = 0; bin < CALIBRATION_BINS; bin++) {
    const count = bins.counts[bin];
    if (count > 0) {
      const meanScore = (bins.scoreSums[bin] + bins.scoreCompensations[bin]) / count;
      total.add((count / rows) * Math.abs(bins.labelSums[bin] / count - meanScore));
    }
  }
  return total.value;
}

function clip(probability: number): number {
  return Math.min(Math.max(probability, EPSILON), 1 - EPSILON);
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
