/**
 * Residuals y − ŷ of both periods (engine/details/regression.ts): shares of each period's rows on 40 equal-width
 * bins over the pooled 0.5th–99.5th percentiles, overlaid; residuals beyond the range are counted in the subtitle;
 * a rule at 0.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResidualHistogram } from '../engine/details/types.js';
import { formatNumber, layeredChart, PERIODS, periodColour, SINGLE_MARK, type ChartOptions } from './chart-base.js';
import { DEFAULT_THEME } from './theme.js';

export function residualsSpec(histogram: ResidualHistogram, options: ChartOptions = {}): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const { edges } = histogram;
  const values = PERIODS.flatMap(period => {
    const counts = histogram[period];
    return counts
      ? counts.counts.map((count, bin) => ({
          period,
          start: edges[bin],
          end: edges[bin + 1],
          count,
          share: counts.rows > 0 ? count / counts.rows : 0
        }))
      : [];
  });
  const beyond = PERIODS.flatMap(period => {
    const counts = histogram[period];
    return counts ? [`${period} ${counts.below} below, ${counts.above} above`] : [];
  });
  return layeredChart(
    {
      text: 'Residuals y − ŷ (40 equal-width bins over the pooled 0.5–99.5th percentiles)',
      subtitle: [
        `range [${formatNumber(edges[0])}, ${formatNumber(edges[edges.length - 1])}]; beyond it: ${beyond.join('; ')}`
      ]
    },
    [
      {
        mark: { type: 'rect', opacity: 0.55 },
        encoding: {
          x: { field: 'start', type: 'quantitative', title: 'residual y − ŷ' },
          x2: { field: 'end' },
          y: { field: 'share', type: 'quantitative', title: 'share of rows', axis: { format: '%' }, stack: null },
          y2: { datum: 0 },
          color: periodColour(theme),
          tooltip: [
            { field: 'period', type: 'nominal', title: 'period' },
            { field: 'start', type: 'quantitative', title: 'residuals from', format: '.4~g' },
            { field: 'end', type: 'quantitative', title: 'to', format: '.4~g' },
            { field: 'count', type: 'quantitative', title: 'rows', format: ',' },
            { field: 'share', type: 'quantitative', title: 'share', format: '.2%' }
          ]
        }
      },
      {
        data: SINGLE_MARK,
        mark: { type: 'rule', strokeDash: [4, 4], color: theme.palette.guide },
        encoding: { x: { datum: 0, type: 'quantitative' } }
      }
    ],
    options,
    values
  );
}
