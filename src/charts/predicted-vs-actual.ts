/**
 * Predicted against actual values of one period (engine/details/regression.ts) as a 40 × 40 heatmap of row
 * counts (log colour scale), both axes on the same bins over the pooled 0.5th–99.5th percentiles, with the dashed
 * diagonal predicted = actual.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PredictedVsActual } from '../engine/details/types.js';
import type { Period } from '../engine/types.js';
import { layeredChart, SINGLE_MARK, type ChartOptions } from './chart-base.js';
import { DEFAULT_THEME } from './theme.js';

export interface PredictedVsActualInput {
  view: PredictedVsActual;
  period: Period;
}

export function predictedVsActualSpec(input: PredictedVsActualInput, options: ChartOptions = {}): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const { edges } = input.view;
  const counts = input.view[input.period];
  const values = (counts?.cells ?? []).map(cell => ({
    actual_start: edges[cell.actual_bin],
    actual_end: edges[cell.actual_bin + 1],
    predicted_start: edges[cell.predicted_bin],
    predicted_end: edges[cell.predicted_bin + 1],
    count: cell.count
  }));
  const low = edges[0];
  const high = edges[edges.length - 1];
  const bins = edges.length - 1;
  return layeredChart(
    {
      text: `Predicted vs actual (${input.period}; ${bins} × ${bins} bins, row counts)`,
      subtitle: [
        `rows outside the pooled 0.5–99.5th percentiles: ${counts?.outside ?? 0} of ${counts?.rows ?? 0}`,
        'dashed: predicted = actual'
      ]
    },
    [
      {
        mark: { type: 'rect' },
        encoding: {
          x: { field: 'actual_start', type: 'quantitative', title: 'actual', scale: { domain: [low, high] } },
          x2: { field: 'actual_end' },
          y: { field: 'predicted_start', type: 'quantitative', title: 'predicted', scale: { domain: [low, high] } },
          y2: { field: 'predicted_end' },
          color: {
            field: 'count',
            type: 'quantitative',
            title: 'rows',
            scale: { type: 'log', range: theme.palette.heatmap }
          },
          tooltip: [
            { field: 'actual_start', type: 'quantitative', title: 'actual from', format: '.4~g' },
            { field: 'actual_end', type: 'quantitative', title: 'actual to', format: '.4~g' },
            { field: 'predicted_start', type: 'quantitative', title: 'predicted from', format: '.4~g' },
            { field: 'predicted_end', type: 'quantitative', title: 'predicted to', format: '.4~g' },
            { field: 'count', type: 'quantitative', title: 'rows', format: ',' }
          ]
        }
      },
      {
        data: SINGLE_MARK,
        mark: { type: 'rule', strokeDash: [4, 4], color: theme.palette.guide },
        encoding: {
          x: { datum: low, type: 'quantitative' },
          y: { datum: low, type: 'quantitative' },
          x2: { datum: high },
          y2: { datum: high }
        }
      }
    ],
    { ...options, height: options.height ?? 320 },
    values
  );
}
