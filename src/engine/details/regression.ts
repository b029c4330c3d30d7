/**
 * Regression error views, on bins shared by both periods so they compare directly:
 * - residual histogram: residual = y − ŷ (scikit-learn's `PredictionErrorDisplay` convention); `bins` (default 40)
 *   equal-width bins from numpy.linspace over [p0.5, p99.5] of the pooled residuals of both periods (numpy
 *   percentile, linear), filled with numpy.histogram's rules; residuals beyond either end are counted as
 *   `below` / `above` rather than stretching the axis;
 * - predicted vs actual: a `bins` × `bins` (default 40) heatmap of counts (numpy.histogram2d's rules), both axes on
 *   the same edges over [p0.5, p99.5] of the pooled actual and predicted values of both periods, so the diagonal
 *   is "predicted = actual"; rows with either value outside count as `outside`. Only non-empty cells are listed.
 * A range of zero width is widened by ±0.5, as numpy does.
 */
import { binOf, binsPerUnit, linspace } from './histogram.js';
import { percentilesInPlace } from './quantiles.js';
import type { HeatmapCell, HeatmapCounts, PredictedVsActual, ResidualCounts, ResidualHistogram } from './types.js';

export const DEFAULT_RESIDUAL_BINS = 40;
export const DEFAULT_HEATMAP_BINS = 40;
/** The pooled percentiles that bound the axes. */
export const CLIP_PERCENTILES: [number, number] = [0.5, 99.5];

export interface RegressionColumns {
  labels: Float64Array;
  predictions: Float64Array;
}

export function residualHistogram(
  reference: RegressionColumns | null,
  current: RegressionColumns | null,
  bins = DEFAULT_RESIDUAL_BINS
): ResidualHistogram | null {
  const referenceResiduals = reference ? residualsOf(reference) : null;
  const currentResiduals = current ? residualsOf(current) : null;
  const edges = sharedEdges([referenceResiduals, currentResiduals], bins);
  if (!edges) {
    return null;
  }
  const count = (residuals: Float64Array | null): ResidualCounts | null => {
    if (!residuals) {
      return null;
    }
    const counts = new Float64Array(bins);
    const scale = binsPerUnit(edges);
    let below = 0;
    let above = 0;
    for (let i = 0; i < residuals.length; i++) {
      const position = positionIn(edges, residuals[i], scale);
      if (position === BELOW) {
        below++;
      } else if (position === ABOVE) {
        above++;
      } else {
        counts[position]++;
      }
    }
    return { counts: Array.from(counts), below, above, rows: residuals.length };
  };
  return { edges: Array.from(edges), reference: count(referenceResiduals), current: count(currentResiduals) };
}

export function predictedVsActual(
  reference: RegressionColumns | null,
  current: RegressionColumns | null,
  bins = DEFAULT_HEATMAP_BINS
): PredictedVsActual | null {
  const periods = [reference, current];
  const edges = sharedEdges(
    periods.flatMap(period => (period ? [period.labels, period.predictions] : [])),
    bins
  );
  if (!edges) {
    return null;
  }
  const count = (period: RegressionColumns | null): HeatmapCounts | null => {
    if (!period) {
      return null;
    }
    const counts = new Float64Array(bins * bins);
    const scale = binsPerUnit(edges);
    let outside = 0;
    for (let i = 0; i < period.labels.length; i++) {
      const actual = positionIn(edges, period.labels[i], scale);
      const predicted = positionIn(edges, period.predictions[i], scale);
      if (actual < 0 || predicted < 0) {
        outside++;
      } else {
        counts[actual * bins + predicted]++;
      }
    }
    const cells: HeatmapCell[] = [];
    for (let cell = 0; cell < counts.length; cell++) {
      if (counts[cell] > 0) {
        cells.push({ actual_bin: Math.floor(cell / bins), predicted_bin: cell % bins, count: counts[cell] });
      }
    }
    return { cells, outside, rows: period.labels.length };
  };
  return { edges: Array.from(edges), reference: count(reference), current: count(current) };
}

function residualsOf(period: RegressionColumns): Float64Array {
  const residuals = new Float64Array(period.labels.length);
  for (let i = 0; i < residuals.length; i++) {
    residuals[i] = period.labels[i] - period.predictions[i];
  }
  return residuals;
}

/** linspace over [p0.5, p99.5] of all the values pooled; null without values. */
function sharedEdges(columns: (Float64Array | null)[], bins: number): Float64Array | null {
  const present = columns.filter((column): column is Float64Array => column !== null);
  const total = present.reduce((sum, column) => sum + column.length, 0);
  if (total === 0) {
    return null;
  }
  const pooled = new Float64Array(total);
  let offset = 0;
  for (const column of present) {
    pooled.set(column, offset);
    offset += column.length;
  }
  let [lower, upper] = percentilesInPlace(pooled, CLIP_PERCENTILES) as number[];
  if (lower === upper) {
    lower -= 0.5;
    upper += 0.5;
  }
  return linspace(lower, upper, bins + 1);
}

const BELOW = -1;
const ABOVE = -2;

function positionIn(edges: Float64Array, x: number, scale: number): number {
  return x < edges[0] ? BELOW : x > edges[edges.length - 1] ? ABOVE : binOf(edges, x, scale);
}
