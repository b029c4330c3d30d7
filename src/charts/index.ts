/**
 * Vega-Lite specs of the explorer's charts: pure functions from the analysis result (engine/types.ts) and its
 * details (engine/details/types.ts) to a spec with its data inline, ready for vega-embed. Each chart's content
 * and convention is stated in its own file; chart-base.ts states what they all share.
 */
export { DEFAULT_HEIGHT, VEGA_LITE_SCHEMA, type ChartOptions } from './chart-base.js';
export { CHUNK_SELECTION, CHUNK_SELECTION_FIELDS, type ChunkRef } from './chunk-axis.js';
export { calibrationSpec } from './calibration.js';
export { compareSpec, sliceDeltasSpec, type CompareInput, type SliceDeltasInput } from './compare.js';
export { confusionMatrixSpec, type ConfusionMatrixInput } from './confusion-matrix.js';
export { distributionSpec } from './distribution.js';
export {
  DRIFT_METHOD_TITLES,
  driftRankingSpec,
  FEATURE_SELECTION,
  type DriftMethod,
  type DriftRankingInput
} from './drift-ranking.js';
export { driftTimelineSpec, type DriftTimelineInput } from './drift-timeline.js';
export { latencySpec, type LatencyInput } from './latency.js';
export { metricTimelineSpec, type MetricTimelineInput } from './metric-timeline.js';
export { prSpec } from './pr.js';
export { predictedVsActualSpec, type PredictedVsActualInput } from './predicted-vs-actual.js';
export { residualsSpec } from './residuals.js';
export { rocSpec } from './roc.js';
export { sliceMetricsSpec, type SliceMetricsInput } from './slice-metrics.js';
export {
  chartTheme,
  DEFAULT_THEME,
  FALLBACK_THEME_VALUES,
  JUPYTER_THEME_VARIABLES,
  type ChartPalette,
  type ChartTheme,
  type JupyterThemeValues,
  type ThemeMode
} from './theme.js';
