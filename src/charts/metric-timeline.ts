/**
 * A metric per chunk (shared DESIGN section 4): reference chunks, then current ones, coloured by period; the
 * threshold, mean ± 3·std (ddof 0) of the reference chunks' values clipped to the metric's range, as a band (or a
 * dashed rule for a one-sided threshold); current chunks outside it, the alerts, as red diamonds. Clicking a chunk
 * selects it (`CHUNK_SELECTION`).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Alert, ChunkResult, Threshold } from '../engine/types.js';
import { formatNumber, layeredChart, periodColour, SINGLE_MARK, type ChartOptions, type Layer } from './chart-base.js';
import {
  chunkPositionAxis,
  chunkRows,
  chunkSelectionParam,
  type ChunkRef,
  chunkTooltip,
  CHUNK_SELECTION,
  periodBoundary
} from './chunk-axis.js';
import { DEFAULT_THEME, type ChartTheme } from './theme.js';

export interface MetricTimelineInput {
  chunks: ChunkResult[];
  thresholds: Record<string, Threshold>;
  alerts: Alert[];
  /** A metric of the chunks, e.g. "accuracy". */
  metric: string;
  /** The chunk shown selected, e.g. the one clicked in another timeline. */
  selected?: ChunkRef | null;
}

export function metricTimelineSpec(input: MetricTimelineInput, options: ChartOptions = {}): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const { metric } = input;
  const threshold = input.thresholds[metric] ?? null;
  const alerted = new Set(input.alerts.filter(alert => alert.metric === metric).map(alert => alert.index));
  const values = chunkRows(input.chunks).flatMap(({ chunk, row }) => {
    const value = chunk.metrics[metric];
    if (value === null || value === undefined) {
      return [];
    }
    return [{ ...row, value, alert: chunk.period === 'current' && alerted.has(chunk.index) }];
  });
  const valueTooltip = { field: 'value', type: 'quantitative' as const, title: metric, format: '.4~g' };
  const layers: Layer[] = [
    ...thresholdLayers(threshold, theme),
    ...periodBoundary(values, theme),
    {
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: { x: chunkPositionAxis, y: metricAxis(metric), color: periodColour(theme) }
    },
    {
      params: [chunkSelectionParam(input.selected)],
      mark: { type: 'point', filled: true, size: 50, cursor: 'pointer' },
      encoding: {
        x: chunkPositionAxis,
        y: metricAxis(metric),
        color: periodColour(theme),
        opacity: { condition: { param: CHUNK_SELECTION, empty: true, value: 1 }, value: 0.3 },
        tooltip: [...chunkTooltip, valueTooltip]
      }
    },
    {
      transform: [{ filter: { field: 'alert', equal: true } }],
      mark: { type: 'point', shape: 'diamond', filled: true, size: 110, color: theme.palette.alert },
      encoding: {
        x: chunkPositionAxis,
        y: metricAxis(metric),
        tooltip: [...chunkTooltip, valueTooltip, { field: 'alert', type: 'nominal', title: 'alert' }]
      }
    }
  ];
  return layeredChart(
    {
      text: `${metric} per chunk`,
      subtitle: `threshold: reference mean ± 3σ (ddof 0)${thresholdText(threshold)}; red diamonds: alerts`
    },
    layers,
    options,
    values
  );
}

function metricAxis(metric: string) {
  return { field: 'value', type: 'quantitative' as const, title: metric, scale: { zero: false } };
}

/** A band between both bounds, or a dashed rule at the only one. */
export function thresholdLayers(threshold: Threshold | null, theme: ChartTheme): Layer[] {
  if (!threshold) {
    return [];
  }
  const { lower, upper } = threshold;
  const tooltip = { value: `threshold${thresholdText(threshold)}` };
  if (lower !== null && upper !== null) {
    return [
      {
        data: SINGLE_MARK,
        mark: { type: 'rect', color: theme.palette.threshold, opacity: 0.25 },
        encoding: { y: { datum: lower, type: 'quantitative' }, y2: { datum: upper }, tooltip }
      }
    ];
  }
  return [lower, upper].flatMap(bound =>
    bound === null
      ? []
      : [
          {
            data: SINGLE_MARK,
            mark: { type: 'rule' as const, strokeDash: [6, 3], color: theme.palette.threshold, strokeWidth: 2 },
            encoding: { y: { datum: bound, type: 'quantitative' as const }, tooltip }
          }
        ]
  );
}

function thresholdText(threshold: Threshold | null): string {
  if (!threshold) {
    return ' (none)';
  }
  const { lower, upper } = threshold;
  return lower !== null && upper !== null
    ? ` [${formatNumber(lower)}, ${formatNumber(upper)}]`
    : lower !== null
      ? ` ≥ ${formatNumber(lower)}`
      : ` ≤ ${formatNumber(upper)}`;
}
