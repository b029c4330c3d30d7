/**
 * The analysis contract: what `analyze()` returns and `modeltrace analyze --format json` prints.
 * Top-level keys follow shared DESIGN section 5 exactly; extra keys may be added, never removed or renamed.
 * Every value is plain JSON (no NaN: a statistic that cannot be computed is `null`).
 */

export type Task = 'binary' | 'multiclass' | 'regression';
export type Period = 'reference' | 'current';
export type FeatureType = 'numeric' | 'categorical';

/** Column roles of a trace (trace format v1 `roles`). */
export interface Roles {
  label?: string;
  prediction?: string;
  score?: string;
  scores?: string[];
  timestamp?: string;
  features: string[];
  slices: string[];
  latency?: string;
  model_version?: string;
  id?: string;
}

export interface AnalyzeOptions {
  roles: Roles;
  /** Inferred from the label and prediction columns when absent. */
  task?: Task;
  /** Positive class for binary metrics; default 1 / true / "1" / "true". */
  positiveLabel?: string | number | boolean;
  /** Number of chunks per period (default 10); ignored when chunkSize or chunkPeriod is set. */
  chunkCount?: number;
  chunkSize?: number;
  /** Calendar period of a chunk: "1h", "1d" or "1w". Needs a timestamp column. */
  chunkPeriod?: string;
  /** Custom metrics: name → Arquero aggregate expression string (from the user's own settings only). */
  customMetrics?: Record<string, string>;
  /** Metric whose drop defines a degradation (binary/multiclass: accuracy, regression: mae). */
  primaryMetric?: string;
  /** How error messages name the two inputs, e.g. their file names (default "current data", "reference data"). */
  names?: { current?: string; reference?: string };
}

/** Metric name → value; `null` when undefined for the data (e.g. roc_auc with one class). */
export type MetricValues = Record<string, number | null>;

export interface ChunkResult {
  period: Period;
  index: number;
  /** ISO 8601 of the first / last timestamp in the chunk, null without a timestamp column. */
  start: string | null;
  end: string | null;
  rows: number;
  metrics: MetricValues;
  drift: Record<string, { jensen_shannon: number | null }>;
}

export interface Threshold {
  lower: number | null;
  upper: number | null;
}

export interface Alert {
  period: 'current';
  index: number;
  /** A metric name, or `drift:<feature>` for a drift alert. */
  metric: string;
  value: number;
  lower: number | null;
  upper: number | null;
}

export interface DriftMethods {
  /** `error_bound` only from pushdown aggregates: the true D lies in [statistic, statistic + error_bound]. */
  ks?: { statistic: number; p_value: number; error_bound?: number };
  jensen_shannon?: { value: number };
  psi?: { value: number };
  /** `error_bound` only from pushdown aggregates: |W1 − value| ≤ error_bound. */
  wasserstein?: { value: number; normed: number; error_bound?: number };
  chi2?: { statistic: number; p_value: number };
}

export interface FeatureDrift {
  feature: string;
  type: FeatureType;
  drifted: boolean;
  methods: DriftMethods;
}

export interface DataQuality {
  feature: string;
  /** Missing rate (share of rows, 0..1) per period; reference is null without a reference. */
  missing: { reference: number | null; current: number };
  /** Categories of the current data never seen in the reference (at most 50 listed, most frequent first). */
  unseen: string[];
  /** How many distinct unseen categories there are (the list above stops at 50). */
  unseen_count?: number;
  /** Share of current numeric values outside the reference [min, max]. */
  out_of_range: number;
  /** Values whose type differs from the column's inferred type, e.g. text in a numeric column. */
  type_mismatches: { reference: number; current: number };
}

export type RootCauseKind =
  | 'feature_drift'
  | 'slice'
  | 'data_quality'
  | 'label_shift'
  | 'model_change'
  | 'code_change';

export interface RootCause {
  rank: number;
  kind: RootCauseKind;
  feature?: string;
  slice?: Record<string, string | number | boolean | null>;
  metric: string;
  /** Share of the degradation the cause explains, in [0, 1]. */
  score: number;
  summary: string;
  /** The numbers behind the summary (root-causes/summary.ts). */
  evidence?: RootCauseEvidence;
  /** pandas code isolating the cause's rows in DataFrames `current` and `reference` and printing their metric. */
  probe?: string;
}

export interface RootCauseEvidence {
  rows: { reference: number; current: number };
  /** Share of each period's rows in the cause. */
  row_share: { reference: number; current: number };
  /** Mean error in the cause's rows (1 − accuracy, or the regression error); null without rows. */
  error: { reference: number | null; current: number | null };
  /** Mean error of each whole period. */
  overall_error: { reference: number; current: number };
  /** Errors beyond the reference rate the cause explains (on rows no higher-ranked cause holds), and all of them. */
  extra_errors: number;
  total_extra_errors: number;
  /** SliceLine's score, for a slice found by the search. */
  slice_score?: number;
}

export interface AnalysisResult {
  version: 1;
  task: Task;
  rows: { reference: number; current: number };
  metrics: { reference: MetricValues | null; current: MetricValues };
  chunks: ChunkResult[];
  thresholds: Record<string, Threshold>;
  alerts: Alert[];
  drift: FeatureDrift[];
  data_quality: DataQuality[];
  root_causes: RootCause[];
  /** Roles used for the analysis (after inference). */
  roles: Roles;
  /** Roles inferred from column names rather than given ("label", "score", "features", …). */
  inferred?: string[];
  /** Non-fatal notes for the user (e.g. "score column absent: roc_auc not computed"). */
  warnings: string[];
  /** Only for a trace analysed from pushdown aggregates (aggregates/index.ts). */
  pushdown?: PushdownInfo;
}

/** Where the rows of a pushdown trace stayed, and the bounds of the approximate values. */
export interface PushdownInfo {
  engine: string;
  /** One sentence for the card: where the rows stayed and what is approximate. */
  note: string;
  /** Bounds of the approximate metrics per period (roc_auc: |value − exact| ≤ bound). */
  metric_bounds: Record<Period, Record<string, number>>;
}

/**
 * Bad input: a message naming the file, column or value at fault.
 * The CLI prints `message` on one line and exits 2; the card shows it.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
