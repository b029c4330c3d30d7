/**
 * Confusion matrix of one period (engine/details/confusion.ts, scikit-learn's `confusion_matrix`): rows are the
 * actual classes, columns the predicted ones, in the classes' sorted order; cells coloured by count with the count
 * written in them, and the share of the actual class (the row) in the tooltip.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ConfusionMatrix } from '../engine/details/types.js';
import type { Period } from '../engine/types.js';
import { layeredChart, type ChartOptions } from './chart-base.js';
import { DEFAULT_THEME } from './theme.js';

export interface ConfusionMatrixInput {
  matrix: ConfusionMatrix;
  period: Period;
}

export function confusionMatrixSpec(input: ConfusionMatrixInput, options: ChartOptions = {}): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const { labels, counts } = input.matrix;
  const largest = Math.max(1, ...counts.flat());
  const values = counts.flatMap((row, actual) => {
    const rowTotal = row.reduce((sum, count) => sum + count, 0);
    return row.map((count, predicted) => ({
      actual: labels[actual],
      predicted: labels[predicted],
      actual_order: actual,
      predicted_order: predicted,
      count,
      row_share: rowTotal > 0 ? count / rowTotal : 0,
      // text on the far half of the colour ramp takes the ramp's near-end colour, to stay readable
      far: count > largest / 2
    }));
  });
  const x = {
    field: 'predicted',
    type: 'nominal' as const,
    title: 'predicted class',
    sort: { field: 'predicted_order', order: 'ascending' as const },
    axis: { labelAngle: -40, labelLimit: 120, orient: 'top' as const }
  };
  const y = {
    field: 'actual',
    type: 'nominal' as const,
    title: 'actual class',
    sort: { field: 'actual_order', order: 'ascending' as const },
    axis: { labelLimit: 120 }
  };
  const tooltip = [
    { field: 'actual', type: 'nominal' as const, title: 'actual' },
    { field: 'predicted', type: 'nominal' as const, title: 'predicted' },
    { field: 'count', type: 'quantitative' as const, title: 'rows', format: ',' },
    { field: 'row_share', type: 'quantitative' as const, title: 'share of the actual class', format: '.1%' }
  ];
  return layeredChart(
    {
      text: `Confusion matrix (${input.period})`,
      subtitle: `rows: actual class, columns: predicted class (scikit-learn confusion_matrix)`
    },
    [
      {
        mark: { type: 'rect' },
        encoding: {
          x,
          y,
          color: { field: 'count', type: 'quantitative', title: 'rows', scale: { range: theme.palette.heatmap } },
          tooltip
        }
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          x,
          y,
          text: { field: 'count', type: 'quantitative', format: ',' },
          color: {
            condition: { test: { field: 'far', equal: true }, value: theme.palette.heatmap[0] },
            value: theme.palette.text
          },
          tooltip
        }
      }
    ],
    { ...options, height: options.height ?? Math.max(160, 28 * labels.length) },
    values
  );
}
