/**
 * Precision-recall curves of both periods (engine/details/curves.ts, scikit-learn's `precision_recall_curve`, at most
 * 200 of its points), drawn as steps the way average precision sums them: each point's precision holds from the
 * next point's recall up to its own. A dashed rule per period at its prevalence, the precision of a random
 * classifier; the average precisions (`average_precision_score`) in the subtitle.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ByPeriod, PrCurve } from '../engine/details/types.js';
import { formatNumber, layeredChart, PERIODS, periodColour, type ChartOptions } from './chart-base.js';
import { DEFAULT_THEME } from './theme.js';
import { thresholdText, UNIT_DOMAIN } from './unit-square.js';

export function prSpec(pr: ByPeriod<PrCurve>, options: ChartOptions = {}): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const values = PERIODS.flatMap(period =>
    (pr[period]?.points ?? []).map((point, order) => ({
      period,
      order,
      ...point,
      score: thresholdText(point.threshold)
    }))
  );
  const prevalences = PERIODS.flatMap(period => (pr[period] ? [{ period, prevalence: pr[period]!.prevalence }] : []));
  const averages = PERIODS.filter(period => pr[period]).map(
    period => `${period} ${formatNumber(pr[period]!.average_precision)}`
  );
  return layeredChart(
    {
      text: 'Precision-recall curve (scikit-learn precision_recall_curve)',
      subtitle: `average precision (step-wise): ${averages.join(', ') || 'n/a'}; dashed: prevalence`
    },
    [
      {
        data: { values: prevalences },
        mark: { type: 'rule', strokeDash: [4, 4] },
        encoding: {
          y: { field: 'prevalence', type: 'quantitative' },
          color: periodColour(theme),
          tooltip: [
            { field: 'period', type: 'nominal', title: 'period' },
            { field: 'prevalence', type: 'quantitative', title: 'prevalence', format: '.3f' }
          ]
        }
      },
      {
        mark: { type: 'line', strokeWidth: 2, interpolate: 'step-after', point: { size: 12, filled: true } },
        encoding: {
          x: { field: 'recall', type: 'quantitative', title: 'recall', scale: { domain: UNIT_DOMAIN } },
          y: { field: 'precision', type: 'quantitative', title: 'precision', scale: { domain: UNIT_DOMAIN } },
          order: { field: 'order', type: 'quantitative' },
          color: periodColour(theme),
          tooltip: [
            { field: 'period', type: 'nominal', title: 'period' },
            { field: 'score', type: 'nominal', title: 'predicted positive at score ≥' },
            { field: 'recall', type: 'quantitative', title: 'recall', format: '.3f' },
            { field: 'precision', type: 'quantitative', title: 'precision', format: '.3f' }
          ]
        }
      }
    ],
    { ...options, height: options.height ?? 300 },
    values
  );
}
