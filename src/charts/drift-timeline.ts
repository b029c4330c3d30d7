/**
 * Jensen-Shannon distance per chunk (base 2, doane bins of the reference, NannyML's convention) for a few
 * features, one line each; each feature's threshold, mean + 3·std (ddof 0) of its reference chunks' values, as a
 * dashed rule in the feature's colour; alerts as red diamonds. Clicking a chunk selects it (`CHUNK_SELECTION`).
 * Without a choice of features: the drifted ones, then the largest current distances, at most 8.
 */
import type { TopLevelSpec } from 'vega-lite';
import { DRIFT_PREFIX } from '../engine/thresholds.js';
import type { Alert, ChunkResult, Threshold } from '../engine/types.js';
import { layeredChart, type ChartOptions, type Layer } from './chart-base.js';
import {
  chunkPositionAxis,
  chunkRows,
  chunkSelectionParam,
  type ChunkRef,
  chunkTooltip,
  CHUNK_SELECTION,
  periodBoundary
} from './chunk-axis.js';
import { DEFAULT_THEME } from './theme.js';

export const DEFAULT_TIMELINE_FEATURES = 8;

export interface DriftTimelineInput {
  chunks: ChunkResult[];
  thresholds: Record<string, Threshold>;
  alerts: Alert[];
  /** Features to draw; default: the drifted ones, then by largest current distance. */
  features?: string[];
  /** The chunk shown selected, e.g. the one clicked in another timeline. */
  selected?: ChunkRef | null;
}

export function driftTimelineSpec(input: DriftTimelineInput, options: ChartOptions = {}): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const features = input.features ?? defaultFeatures(input);
  const alerted = new Set(
    input.alerts
      .filter(alert => alert.metric.startsWith(DRIFT_PREFIX))
      .map(alert => `${alert.metric}\u0000${alert.index}`)
  );
  const rows = chunkRows(input.chunks);
  const values = rows.flatMap(({ chunk, row }) =>
    features.flatMap(feature => {
      const value = chunk.drift[feature]?.jensen_shannon;
      if (value === null || value === undefined) {
        return [];
      }
      const alert = chunk.period === 'current' && alerted.has(`${DRIFT_PREFIX}${feature}\u0000${chunk.index}`);
      return [{ ...row, feature, value, alert }];
    })
  );
  const thresholds = features.flatMap(feature => {
    const upper = input.thresholds[DRIFT_PREFIX + feature]?.upper;
    return upper === null || upper === undefined ? [] : [{ feature, upper }];
  });
  const colour = {
    field: 'feature',
    type: 'nominal' as const,
    title: 'feature',
    scale: { domain: features, range: theme.palette.series }
  };
  const distance = { field: 'value', type: 'quantitative' as const, title: 'Jensen-Shannon distance' };
  const tooltip = [
    { field: 'feature', type: 'nominal' as const, title: 'feature' },
    ...chunkTooltip,
    { field: 'value', type: 'quantitative' as const, title: 'distance', format: '.4~g' }
  ];
  const layers: Layer[] = [
    ...periodBoundary(
      rows.map(({ row }) => row),
      theme
    ),
    {
      data: { values: thresholds },
      mark: { type: 'rule', strokeDash: [6, 3], opacity: 0.8 },
      encoding: {
        y: { field: 'upper', type: 'quantitative' },
        color: colour,
        tooltip: [
          { field: 'feature', type: 'nominal', title: 'feature' },
          { field: 'upper', type: 'quantitative', title: 'threshold', format: '.4~g' }
        ]
      }
    },
    { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: chunkPositionAxis, y: distance, color: colour } },
    {
      params: [chunkSelectionParam(input.selected)],
      mark: { type: 'point', filled: true, size: 40, cursor: 'pointer' },
      encoding: {
        x: chunkPositionAxis,
        y: distance,
        color: colour,
        opacity: { condition: { param: CHUNK_SELECTION, empty: true, value: 1 }, value: 0.3 },
        tooltip
      }
    },
    {
      transform: [{ filter: { field: 'alert', equal: true } }],
      mark: { type: 'point', shape: 'diamond', filled: true, size: 110, color: theme.palette.alert },
      encoding: { x: chunkPositionAxis, y: distance, tooltip: [...tooltip, { field: 'alert', type: 'nominal' }] }
    }
  ];
  return layeredChart(
    {
      text: 'Jensen-Shannon distance per chunk (base 2, doane bins of the reference)',
      subtitle: 'dashed: threshold, reference mean + 3σ (ddof 0); red diamonds: alerts'
    },
    layers,
    options,
    values
  );
}

/** Drifted features first (those with a drift alert), then by largest distance in a current chunk. */
function defaultFeatures(input: DriftTimelineInput): string[] {
  const largest = new Map<string, number>();
  for (const chunk of input.chunks) {
    for (const [feature, drift] of Object.entries(chunk.drift)) {
      const value = chunk.period === 'current' ? (drift.jensen_shannon ?? -1) : -1;
      largest.set(feature, Math.max(largest.get(feature) ?? -1, value));
    }
  }
  const alerted = new Set(
    input.alerts
      .filter(alert => alert.metric.startsWith(DRIFT_PREFIX))
      .map(alert => alert.metric.slice(DRIFT_PREFIX.length))
  );
  return [...largest.keys()]
    .sort((a, b) => Number(alerted.has(b)) - Number(alerted.has(a)) || (largest.get(b) ?? 0) - (largest.get(a) ?? 0))
    .slice(0, DEFAULT_TIMELINE_FEATURES);
}
