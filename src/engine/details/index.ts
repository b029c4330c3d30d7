/**
 * The explorer's details of an analysis: ROC, PR and reliability curves, confusion matrices, regression error
 * views, per-feature distributions, per-slice metrics and bootstrap intervals of the metric changes, each computed
 * over the encoded columns and returned as small JSON. Each detail's convention is stated in its own file.
 * A detail the data cannot give (no score column, no reference, …) is null and `notes` says why.
 */
import type { Targets } from '../metrics/index.js';
import { bootstrapDifferences } from './bootstrap.js';
import { calibrationCurve } from './calibration.js';
import { confusionMatrix } from './confusion.js';
import { binaryCurves, DEFAULT_MAX_CURVE_POINTS } from './curves.js';
import { DEFAULT_TOP_CATEGORIES, featureDistribution } from './distributions.js';
import {
  DEFAULT_HEATMAP_BINS,
  DEFAULT_RESIDUAL_BINS,
  predictedVsActual,
  residualHistogram,
  type RegressionColumns
} from './regression.js';
import { DEFAULT_TOP_SLICE_VALUES, sliceMetrics } from './slices.js';
import type { AnalysisDetails, ByPeriod, DetailsInput } from './types.js';

export type * from './types.js';
export { compareRuns, type RunInput } from './compare.js';
export { bootstrapDifferences, pairedBootstrapDifferences, DEFAULT_BOOTSTRAP } from './bootstrap.js';
export { mcnemarTest } from './mcnemar.js';

type ClassificationTargets = Extract<Targets, { task: 'binary' | 'multiclass' }>;

export function computeDetails(input: DetailsInput): AnalysisDetails {
  const options = input.options ?? {};
  const { task, reference, current } = input;
  const notes: string[] = [];
  const details: AnalysisDetails = {
    version: 1,
    task,
    roc: null,
    pr: null,
    calibration: null,
    confusion: null,
    residuals: null,
    predicted_vs_actual: null,
    distributions: input.features.map(feature =>
      featureDistribution(feature, options.topCategories ?? DEFAULT_TOP_CATEGORIES)
    ),
    slices: [],
    differences: [],
    notes
  };
  for (const targets of [reference, current]) {
    if (targets && targets.task !== task) {
      throw new RangeError(`details of a ${task} task got ${targets.task} targets`);
    }
  }
  if (!current) {
    notes.push('no label column: only feature distributions');
    return details;
  }
  if (!reference) {
    notes.push('no reference data: no change per slice and no bootstrap intervals');
  }

  // views of the predictions
  if (current.task === 'binary') {
    if (current.scores) {
      const maxPoints = options.maxCurvePoints ?? DEFAULT_MAX_CURVE_POINTS;
      const scoreDetail = <T>(compute: (labels: Uint8Array, scores: Float64Array) => T | null): ByPeriod<T> =>
        byPeriod(reference, current, targets =>
          targets.task === 'binary' && targets.scores ? compute(targets.labels, targets.scores) : null
        );
      const curves = scoreDetail((labels, scores) => binaryCurves(labels, scores, maxPoints));
      details.roc = { reference: curves.reference?.roc ?? null, current: curves.current?.roc ?? null };
      details.pr = { reference: curves.reference?.pr ?? null, current: curves.current?.pr ?? null };
      details.calibration = scoreDetail(calibrationCurve);
      if (!details.roc.current) {
        notes.push('roc: the current labels hold one class only');
      }
    } else {
      notes.push('roc, pr, calibration: no score column');
    }
  }
  if (current.task !== 'regression') {
    if (current.predictions) {
      const classes = input.classes ?? defaultClasses(current);
      details.confusion = byPeriod(reference, current, targets =>
        confusionMatrix(targets as ClassificationTargets, classes, input.positiveClass)
      );
    } else {
      notes.push('confusion matrix: no prediction column');
    }
  } else if (current.predictions) {
    const columns = (targets: Targets | null): RegressionColumns | null =>
      targets?.task === 'regression' && targets.predictions
        ? { labels: targets.labels, predictions: targets.predictions }
        : null;
    details.residuals = residualHistogram(
      columns(reference),
      columns(current),
      options.residualBins ?? DEFAULT_RESIDUAL_BINS
    );
    details.predicted_vs_actual = predictedVsActual(
      columns(reference),
      columns(current),
      options.heatmapBins ?? DEFAULT_HEATMAP_BINS
    );
  } else {
    notes.push('residuals, predicted vs actual: no prediction column');
  }

  // slices and intervals of the changes
  if (current.predictions) {
    details.slices = sliceMetrics(
      input.slices,
      reference?.predictions ? reference : null,
      current,
      options.topSliceValues ?? DEFAULT_TOP_SLICE_VALUES
    );
    if (reference) {
      details.differences = bootstrapDifferences(reference, current, options.bootstrap);
    }
  } else if (input.slices.length > 0) {
    notes.push('slices: no prediction column');
  }
  return details;
}

function byPeriod<T>(reference: Targets | null, current: Targets, detail: (targets: Targets) => T | null): ByPeriod<T> {
  return { reference: reference ? detail(reference) : null, current: detail(current) };
}

function defaultClasses(targets: ClassificationTargets): string[] {
  const classCount = targets.task === 'binary' ? 2 : targets.classCount;
  return Array.from({ length: classCount }, (_, code) => String(code));
}
