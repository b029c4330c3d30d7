/**
 * ROC and precision-recall curves of a binary score, with scikit-learn's conventions:
 * - thresholds are the distinct scores, from the highest down; at threshold t a row is predicted positive when
 *   score ≥ t, so tied scores enter together (scikit-learn's `_binary_clf_curve`);
 * - ROC (`roc_curve`): fpr = fp / negatives, tpr = tp / positives, preceded by the point (0, 0) at threshold +∞
 *   (null here: JSON has no infinity), with `drop_intermediate=True`: a point is dropped where both second
 *   differences of fp and tp are 0 (it lies inside a straight segment), which leaves the area unchanged;
 * - PR (`precision_recall_curve`): precision = tp / (tp + fp), recall = tp / positives, in increasing threshold
 *   order (recall decreasing), followed by the point recall 0, precision 1 without a threshold; all points.
 * A curve with more than `maxPoints` (default 200) points is reduced as downsample.ts describes, after (PR only)
 * scikit-learn's `drop_intermediate`, which keeps the first and last point of each run of equal tp and leaves the
 * average precision unchanged. Every point kept is an exact point of scikit-learn's curve.
 * The areas are those of the full curves, `roc_auc_score` and `average_precision_score` (metrics/binary.ts).
 * A ROC curve needs both classes, a PR curve at least one positive; otherwise it is null.
 * The curves are built in one walk over the sorted scores, without a per-threshold array.
 */
import { rankingMetrics, sortScoresByClass, type ScoresByClass } from '../metrics/binary.js';
import { CurveThinner, visvalingam } from './downsample.js';
import type { PrCurve, RocCurve } from './types.js';

export const DEFAULT_MAX_CURVE_POINTS = 200;

export interface BinaryCurves {
  roc: RocCurve | null;
  pr: PrCurve | null;
}

/** ROC and PR curves of one period. */
export function binaryCurves(
  labels: Uint8Array,
  scores: Float64Array,
  maxPoints = DEFAULT_MAX_CURVE_POINTS
): BinaryCurves {
  if (!(Number.isInteger(maxPoints) && maxPoints >= 2)) {
    throw new RangeError(`a curve keeps at least its 2 endpoints, got maxPoints ${maxPoints}`);
  }
  const sorted = sortScoresByClass(labels, scores);
  const { rocAuc, averagePrecision } = rankingMetrics(sorted);
  const positives = sorted.positive.length;
  const negatives = sorted.negative.length;
  const distinct = countDistinctScores(sorted);
  const roc = rocAuc === null ? null : new RocBuilder(positives, negatives, distinct, maxPoints);
  const pr = averagePrecision === null ? null : new PrBuilder(positives, distinct, maxPoints);
  walkThresholds(sorted, (threshold, truePositives, falsePositives) => {
    roc?.add(threshold, truePositives, falsePositives);
    pr?.add(threshold, truePositives, falsePositives);
  });
  return {
    roc: roc && rocAuc !== null ? roc.finish(rocAuc) : null,
    pr: pr && averagePrecision !== null ? pr.finish(averagePrecision, negatives) : null
  };
}

/** Visit the distinct scores from the highest down with the cumulative true and false positives there. */
function walkThresholds(
  sorted: ScoresByClass,
  visit: (threshold: number, truePositives: number, falsePositives: number) => void
): void {
  const { positive, negative } = sorted;
  let p = positive.length - 1;
  let q = negative.length - 1;
  while (p >= 0 || q >= 0) {
    const value = p < 0 ? negative[q] : q < 0 || positive[p] > negative[q] ? positive[p] : negative[q];
    while (p >= 0 && positive[p] === value) {
      p--;
    }
    while (q >= 0 && negative[q] === value) {
      q--;
    }
    visit(value, positive.length - 1 - p, negative.length - 1 - q);
  }
}

function countDistinctScores(sorted: ScoresByClass): number {
  let distinct = 0;
  walkThresholds(sorted, () => {
    distinct++;
  });
  return distinct;
}

/** The ROC curve, fed threshold by threshold; a point's fate is known once the next threshold arrives. */
class RocBuilder {
  private readonly points: CurveThinner;
  private seen = 0;
  private previousThreshold = 0;
  private previousTruePositives = 0;
  private previousFalsePositives = 0;
  private earlierTruePositives = 0;
  private earlierFalsePositives = 0;

  constructor(
    private readonly positives: number,
    private readonly negatives: number,
    private readonly distinct: number,
    private readonly maxPoints: number
  ) {
    this.points = new CurveThinner(distinct + 1, maxPoints);
    this.points.offer(0, 0, null, true);
  }

  add(threshold: number, truePositives: number, falsePositives: number): void {
    if (this.seen === 0) {
      this.keep(threshold, truePositives, falsePositives, this.distinct === 1);
    } else if (
      this.seen >= 2 &&
      (truePositives - 2 * this.previousTruePositives + this.earlierTruePositives !== 0 ||
        falsePositives - 2 * this.previousFalsePositives + this.earlierFalsePositives !== 0)
    ) {
      this.keep(this.previousThreshold, this.previousTruePositives, this.previousFalsePositives, false);
    }
    this.earlierTruePositives = this.previousTruePositives;
    this.earlierFalsePositives = this.previousFalsePositives;
    this.previousThreshold = threshold;
    this.previousTruePositives = truePositives;
    this.previousFalsePositives = falsePositives;
    this.seen++;
  }

  finish(auc: number): RocCurve {
    if (this.seen >= 2) {
      this.keep(this.previousThreshold, this.previousTruePositives, this.previousFalsePositives, true);
    }
    const { x, y, tags } = this.points;
    const kept = visvalingam(x, y, this.maxPoints, 'linear');
    return {
      points: Array.from(kept, k => ({ fpr: x[k], tpr: y[k], threshold: tags[k] })),
      auc,
      positives: this.positives,
      negatives: this.negatives,
      full_points: this.distinct + 1
    };
  }

  private keep(threshold: number, truePositives: number, falsePositives: number, force: boolean): void {
    this.points.offer(falsePositives / this.negatives, truePositives / this.positives, threshold, force);
  }
}

/** The PR curve, fed from the highest threshold down (the reverse of scikit-learn's order). */
class PrBuilder {
  private readonly points: CurveThinner;
  private readonly dropIntermediate: boolean;
  private seen = 0;
  private previousThreshold = 0;
  private previousTruePositives = 0;
  private previousFalsePositives = 0;
  private earlierTruePositives = 0;

  constructor(
    private readonly positives: number,
    private readonly distinct: number,
    private readonly maxPoints: number
  ) {
    this.points = new CurveThinner(distinct + 1, maxPoints);
    this.dropIntermediate = distinct + 1 > maxPoints;
  }

  add(threshold: number, truePositives: number, falsePositives: number): void {
    if (!this.dropIntermediate || this.seen === 0) {
      this.keep(threshold, truePositives, falsePositives, this.seen === this.distinct - 1);
    } else if (
      this.seen >= 2 &&
      (this.previousTruePositives !== this.earlierTruePositives || truePositives !== this.previousTruePositives)
    ) {
      this.keep(this.previousThreshold, this.previousTruePositives, this.previousFalsePositives, false);
    }
    this.earlierTruePositives = this.previousTruePositives;
    this.previousThreshold = threshold;
    this.previousTruePositives = truePositives;
    this.previousFalsePositives = falsePositives;
    this.seen++;
  }

  finish(averagePrecision: number, negatives: number): PrCurve {
    if (this.dropIntermediate && this.seen >= 2) {
      this.keep(this.previousThreshold, this.previousTruePositives, this.previousFalsePositives, true);
    }
    // scikit-learn's order, then its final point
    const x = this.points.x.reverse();
    const y = this.points.y.reverse();
    const tags = this.points.tags.reverse();
    x.push(0);
    y.push(1);
    tags.push(null);
    const kept = visvalingam(x, y, this.maxPoints, 'step');
    return {
      points: Array.from(kept, k => ({ recall: x[k], precision: y[k], threshold: tags[k] })),
      average_precision: averagePrecision,
      prevalence: this.positives / (this.positives + negatives),
      positives: this.positives,
      negatives,
      full_points: this.distinct + 1
    };
  }

  private keep(threshold: number, truePositives: number, falsePositives: number, force: boolean): void {
    const precision = truePositives / (truePositives + falsePositives);
    this.points.offer(truePositives / this.positives, precision, threshold, force);
  }
}
