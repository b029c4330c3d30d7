/**
 * The primary metric per slice (engine/details/slices.ts) for the slices whose metric worsened most, worst at the
 * top: a dot per period joined by a line, so the length of the line is the change. Each row is labelled
 * "column = value"; a label shared by two slices gets a number appended, so no two rows merge.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SliceMetrics } from '../engine/details/types.js';
import { layeredChart, PERIODS, periodColour, type ChartOptions } from './chart-base.js';
import { DEFAULT_THEME } from './theme.js';

export const DEFAULT_SLICES_SHOWN = 20;

export interface SliceMetricsInput {
  /** Worst first, as the engine orders them. */
  slices: SliceMetrics[];
  /** Rows shown at most (default 20). */
  limit?: number;
}

export function sliceMetricsSpec(input: SliceMetricsInput, options: ChartOptions = {}): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const shown = input.slices.slice(0, input.limit ?? DEFAULT_SLICES_SHOWN);
  const metric = shown[0]?.primary_metric ?? 'metric';
  const labels = distinctLabels(shown.map(slice => `${slice.column} = ${slice.value}`));
  const rows = shown.map((slice, order) => ({
    slice: labels[order],
    order,
    column: slice.column,
    value: slice.value,
    reference_rows: slice.rows.reference,
    current_rows: slice.rows.current,
    change: slice.change
  }));
  const points = shown.flatMap((slice, order) =>
    PERIODS.flatMap(period => {
      const value = slice.metrics[period]?.[metric];
      return value === null || value === undefined
        ? []
        : [{ ...rows[order], period, metric_value: value, rows: slice.rows[period] }];
    })
  );
  const ranges = rows.flatMap((row, order) => {
    const [reference, current] = PERIODS.map(period => shown[order].metrics[period]?.[metric]);
    return typeof reference === 'number' && typeof current === 'number' ? [{ ...row, reference, current }] : [];
  });
  const sliceAxis = {
    field: 'slice',
    type: 'nominal' as const,
    title: null,
    sort: { field: 'order', order: 'ascending' as const },
    axis: { labelLimit: 220 }
  };
  const metricAxis = { type: 'quantitative' as const, title: metric, scale: { zero: false } };
  return layeredChart(
    {
      text: `${metric} per slice, largest worsening first`,
      subtitle: 'top 20 values per slice column, the rest in "(other)"; the line spans reference to current'
    },
    [
      {
        data: { values: ranges },
        mark: { type: 'rule', color: theme.palette.guide, strokeWidth: 2 },
        encoding: { y: sliceAxis, x: { field: 'reference', ...metricAxis }, x2: { field: 'current' } }
      },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          y: sliceAxis,
          x: { field: 'metric_value', ...metricAxis },
          color: periodColour(theme),
          tooltip: [
            { field: 'column', type: 'nominal', title: 'slice column' },
            { field: 'value', type: 'nominal', title: 'value' },
            { field: 'period', type: 'nominal', title: 'period' },
            { field: 'metric_value', type: 'quantitative', title: metric, format: '.4~g' },
            { field: 'rows', type: 'quantitative', title: 'rows', format: ',' },
            { field: 'change', type: 'quantitative', title: 'change', format: '+.4~g' }
          ]
        }
      }
    ],
    { ...options, height: options.height ?? Math.max(120, 20 * rows.length) },
    points
  );
}

/** The labels, with " (2)", " (3)", … appended where a label is already taken. */
function distinctLabels(labels: string[]): string[] {
  const taken = new Set<string>();
  return labels.map(label => {
    let distinct = label;
    for (let k = 2; taken.has(distinct); k++) {
      distinct = `${label} (${k})`;
    }
    taken.add(distinct);
    return distinct;
  });
}
