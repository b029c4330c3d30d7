/**
 * The explorer's pre-aggregated data: what `computeDetails()` takes and returns.
 *
 * The input is the engine's own encoding (metrics/index.ts `Targets`, columns.ts features: Float64Array with NaN
 * for missing numbers, arrays of strings with null for missing categories), so `analyze()` passes what it already
 * holds. The output is small plain JSON (never one element per row; `null` where a value is undefined, no NaN),
 * meant to sit in the analysis result under the key `details`.
 */
import type { PreparedCategoricalReference } from '../drift/categories.js';
import type { PreparedNumericReference } from '../drift/numeric-reference.js';
import type { Targets } from '../metrics/index.js';
import type { MetricValues, Period, Task } from '../types.js';

// ---------------------------------------------------------------------------------------------------- input

export interface NumericFeatureInput {
  name: string;
  type: 'numeric';
  /** NaN marks a missing value; ±Infinity is left out of the histogram like a missing value. */
  reference: Float64Array | null;
  current: Float64Array;
  /** The drift's preparation of this reference column, if at hand: its edges are reused. */
  preparedReference?: PreparedNumericReference;
}

export interface CategoricalFeatureInput {
  name: string;
  type: 'categorical';
  /** null marks a missing value. */
  reference: ArrayLike<string | null> | null;
  current: ArrayLike<string | null>;
  /** The drift's preparation of this reference column, if at hand: its counts are reused. */
  preparedReference?: PreparedCategoricalReference;
}

export type FeatureInput = NumericFeatureInput | CategoricalFeatureInput;

export interface SliceInput {
  name: string;
  reference: ArrayLike<string | null> | null;
  current: ArrayLike<string | null>;
}

export interface DetailsOptions {
  /** Most points kept on a ROC or PR curve (≥ 2; default 200). */
  maxCurvePoints?: number;
  /** Categories shown per categorical feature before "(other)" (default 20). */
  topCategories?: number;
  /** Values shown per slice column before "(other)" (default 20). */
  topSliceValues?: number;
  /** Bins of the residual histogram (default 40). */
  residualBins?: number;
  /** Bins per axis of the predicted-vs-actual heatmap (default 40). */
  heatmapBins?: number;
  bootstrap?: Partial<BootstrapOptions>;
  /**
   * Details of one chunk (`analyzeWithDetails`): its period narrowed to the chunk's rows, compared with the
   * other period whole. An InputError when the chunk does not exist.
   */
  chunk?: { period: Period; index: number };
}

export interface DetailsInput {
  task: Task;
  /** Sorted class names (classification, as `encodeTargets` gives them); null for regression. */
  classes: string[] | null;
  /** The positive class (binary): the class that label 1 stands for. */
  positiveClass: string | null;
  /** Encoded targets of each period; null without a label column (or without a reference). */
  reference: Targets | null;
  current: Targets | null;
  features: FeatureInput[];
  slices: SliceInput[];
  options?: DetailsOptions;
}

// --------------------------------------------------------------------------------------------------- output

/** Either period of a detail; null when the period lacks what the detail needs. */
export interface ByPeriod<T> {
  reference: T | null;
  current: T | null;
}

/** A point of scikit-learn's `roc_curve`; threshold null stands for its first threshold, +∞. */
export interface RocPoint {
  fpr: number;
  tpr: number;
  threshold: number | null;
}

export interface RocCurve {
  points: RocPoint[];
  /** Area under the full curve (scikit-learn's `roc_auc_score`). */
  auc: number;
  positives: number;
  negatives: number;
  /** Points of the full curve (one per distinct score, plus the origin) before any point was dropped. */
  full_points: number;
}

/** A point of scikit-learn's `precision_recall_curve`; threshold null for its last point (recall 0, precision 1). */
export interface PrPoint {
  recall: number;
  precision: number;
  threshold: number | null;
}

export interface PrCurve {
  /** In scikit-learn's order: recall decreasing, the point (0, 1) last. */
  points: PrPoint[];
  /** scikit-learn's `average_precision_score` on the full curve. */
  average_precision: number;
  /** Share of positives: the precision of a random classifier. */
  prevalence: number;
  positives: number;
  negatives: number;
  full_points: number;
}

export interface CalibrationBin {
  /** 0 … 9. */
  bin: number;
  lower: number;
  upper: number;
  count: number;
  mean_score: number;
  fraction_positive: number;
}

export interface CalibrationCurve {
  /** Non-empty bins only, as scikit-learn's `calibration_curve` returns them. */
  bins: CalibrationBin[];
  rows: number;
}

export interface ConfusionMatrix {
  /** Class names; row i / column j of `counts` is actual class i / predicted class j. */
  labels: string[];
  counts: number[][];
  rows: number;
}

/** Counts and shares of one period over a distribution's bins or categories. */
export interface PeriodCounts {
  counts: number[];
  /** counts / total (0 when total is 0). */
  proportions: number[];
  /** Values counted. */
  total: number;
  /** Values not counted: missing (NaN, null) and, for numeric features, ±Infinity. */
  missing: number;
}

/**
 * A bin of a numeric distribution. `bin`: numpy's [start, end), the last one [start, end];
 * `below`: current values under the reference minimum, [start, end); `above`: over the reference maximum, (start, end].
 */
export interface NumericBin {
  kind: 'bin' | 'below' | 'above';
  start: number;
  end: number;
}

export interface NumericDistribution {
  feature: string;
  type: 'numeric';
  /** Whose values gave the doane edges: the reference's, or the current's when there is no reference value. */
  edges_from: 'reference' | 'current';
  bins: NumericBin[];
  reference: PeriodCounts | null;
  current: PeriodCounts;
}

export interface CategoryBucket {
  /** The category, or the label of the bucket of all other categories. */
  label: string;
  kind: 'category' | 'other';
}

export interface CategoricalDistribution {
  feature: string;
  type: 'categorical';
  categories: CategoryBucket[];
  reference: PeriodCounts | null;
  current: PeriodCounts;
}

export type FeatureDistribution = NumericDistribution | CategoricalDistribution;

export interface SliceMetrics {
  /** The slice column. */
  column: string;
  /** The value, or the label of the "(other)" / "(missing)" bucket. */
  value: string;
  kind: 'value' | 'other' | 'missing';
  rows: { reference: number; current: number };
  /** binary and multiclass: accuracy, f1 (macro for multiclass); regression: mae, rmse. */
  metrics: { reference: MetricValues | null; current: MetricValues | null };
  primary_metric: string;
  /** Current − reference value of the primary metric; null when either is undefined. */
  change: number | null;
}

export interface ResidualCounts {
  /** Residuals per bin, over the values inside [lower, upper]. */
  counts: number[];
  below: number;
  above: number;
  rows: number;
}

export interface ResidualHistogram {
  /** Equal-width edges over the pooled residuals' [0.5th, 99.5th] percentiles (numpy linear). */
  edges: number[];
  reference: ResidualCounts | null;
  current: ResidualCounts | null;
}

export interface HeatmapCell {
  actual_bin: number;
  predicted_bin: number;
  count: number;
}

export interface HeatmapCounts {
  /** Non-empty cells only. */
  cells: HeatmapCell[];
  /** Rows whose actual or predicted value lies outside the edges. */
  outside: number;
  rows: number;
}

export interface PredictedVsActual {
  /** Equal-width edges shared by both axes, over the pooled [0.5th, 99.5th] percentiles of actual and predicted. */
  edges: number[];
  reference: HeatmapCounts | null;
  current: HeatmapCounts | null;
}

export interface BootstrapOptions {
  resamples: number;
  /** Central coverage of the interval, e.g. 0.95. */
  confidence: number;
  seed: number;
}

/** Difference candidate − baseline of one metric with its percentile bootstrap interval. */
export interface MetricDifference {
  metric: string;
  baseline: number | null;
  candidate: number | null;
  difference: number | null;
  /** Percentile interval of the resampled differences; null when a resample leaves the metric undefined. */
  lower: number | null;
  upper: number | null;
  confidence: number;
  resamples: number;
  seed: number;
  /** `independent`: each sample resampled on its own; `paired`: shared ids resampled together. */
  pairing: 'independent' | 'paired';
  /** Rows drawn per resample: the sample's rows, or fewer for an m-out-of-n resample (see bootstrap.ts). */
  rows_per_resample: { baseline: number; candidate: number };
}

export interface McNemarResult {
  /** `exact`: two-sided binomial test on the discordant pairs; `chi-square`: with continuity correction. */
  method: 'exact' | 'chi-square';
  /** exact: min(b, c); chi-square: (|b − c| − 1)² / (b + c). */
  statistic: number;
  p_value: number;
  /** Shared ids the baseline got right and the candidate wrong. */
  baseline_only_correct: number;
  /** Shared ids the candidate got right and the baseline wrong. */
  candidate_only_correct: number;
  shared: number;
}

export interface RunComparison {
  task: Task;
  paired: boolean;
  rows: { baseline: number; candidate: number; shared: number | null };
  differences: MetricDifference[];
  /** Classification runs on shared ids only. */
  mcnemar: McNemarResult | null;
}

export interface AnalysisDetails {
  version: 1;
  task: Task;
  roc: ByPeriod<RocCurve> | null;
  pr: ByPeriod<PrCurve> | null;
  calibration: ByPeriod<CalibrationCurve> | null;
  confusion: ByPeriod<ConfusionMatrix> | null;
  residuals: ResidualHistogram | null;
  predicted_vs_actual: PredictedVsActual | null;
  distributions: FeatureDistribution[];
  /** Every slice column × value, worst change of the primary metric first. */
  slices: SliceMetrics[];
  /** Current − reference of the headline metrics, with independent bootstrap intervals. */
  differences: MetricDifference[];
  /** What was left out and why, e.g. "roc: no score column". */
  notes: string[];
  /** Only from pushdown aggregates: the scores came in this many equal-width bins (curves step at bin edges). */
  score_bins?: number;
}
