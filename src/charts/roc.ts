/**
 * ROC curves of both periods (engine/details/curves.ts, scikit-learn's `roc_curve`, at most 200 of its points),
 * with the chance diagonal; the areas (`roc_auc_score`, trapezoidal) in the subtitle.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ByPeriod, RocCurve } from '../engine/details/types.js';
import { formatNumber, layeredChart, PERIODS, periodColour, type ChartOptions } from './chart-base.js';
import { diagonalLayer, thresholdText, UNIT_DOMAIN } from './unit-square.js';

import { DEFAULT_THEME } from './theme.js';

export function rocSpec(roc: ByPeriod<RocCurve>, options: ChartOptions = {}): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const values = PERIODS.flatMap(period =>
    (roc[period]?.points ?? []).map((point, order) => ({
      period,
      order,
      ...point,
      score: thresholdText(point.threshold)
    }))
  );
  const areas = PERIODS.filter(period => roc[period]).map(period => `${period} ${formatNumber(roc[period]!.auc)}`);
  return layeredChart(
    {
      text: 'ROC curve (scikit-learn roc_curve)',
      subtitle: `AUC (trapezoidal): ${areas.join(', ') || 'n/a'}; dashed: chance`
    },
    [
      diagonalLayer(theme),
      {
        mark: { type: 'line', strokeWidth: 2, point: { size: 12, filled: true } },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', title: 'false positive rate', scale: { domain: UNIT_DOMAIN } },
          y: { field: 'tpr', type: 'quantitative', title: 'true positive rate', scale: { domain: UNIT_DOMAIN } },
          order: { field: 'order', type: 'quantitative' },
          color: periodColour(theme),
          tooltip: [
            { field: 'period', type: 'nominal', title: 'period' },
            { field: 'score', type: 'nominal', title: 'predicted positive at score ≥' },
            { field: 'fpr', type: 'quantitative', title: 'false positive rate', format: '.3f' },
            { field: 'tpr', type: 'quantitative', title: 'true positive rate', format: '.3f' }
          ]
        }
      }
    ],
    { ...options, height: options.height ?? 300 },
    values
  );
}
