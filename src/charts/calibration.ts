/**
 * Reliability curves of both periods (engine/details/calibration.ts, scikit-learn's `calibration_curve` with 10
 * equal-width bins): the fraction of positives against the mean score of each non-empty bin, dot size by the
 * bin's rows, with the diagonal of perfect calibration.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ByPeriod, CalibrationCurve } from '../engine/details/types.js';
import { formatNumber, layeredChart, PERIODS, periodColour, type ChartOptions } from './chart-base.js';
import { DEFAULT_THEME } from './theme.js';
import { diagonalLayer, UNIT_DOMAIN } from './unit-square.js';

export function calibrationSpec(calibration: ByPeriod<CalibrationCurve>, options: ChartOptions = {}): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const values = PERIODS.flatMap(period =>
    (calibration[period]?.bins ?? []).map(bin => ({
      period,
      ...bin,
      // scikit-learn's bins: [0, 0.1], then (0.1, 0.2], …
      scores: `${bin.bin === 0 ? '[' : '('}${formatNumber(bin.lower)}, ${formatNumber(bin.upper)}]`,
      share: bin.count / calibration[period]!.rows
    }))
  );
  const x = { field: 'mean_score', type: 'quantitative' as const, title: 'mean score', scale: { domain: UNIT_DOMAIN } };
  const y = {
    field: 'fraction_positive',
    type: 'quantitative' as const,
    title: 'fraction of positives',
    scale: { domain: UNIT_DOMAIN }
  };
  return layeredChart(
    {
      text: 'Reliability curve (10 equal-width bins, scikit-learn calibration_curve)',
      subtitle: 'dashed: perfect calibration; dot size: rows in the bin'
    },
    [
      diagonalLayer(theme),
      {
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: { x, y, order: { field: 'bin' }, color: periodColour(theme) }
      },
      {
        mark: { type: 'point', filled: true },
        encoding: {
          x,
          y,
          color: periodColour(theme),
          size: {
            field: 'share',
            type: 'quantitative',
            title: 'share of rows',
            legend: null,
            scale: { range: [20, 300] }
          },
          tooltip: [
            { field: 'period', type: 'nominal', title: 'period' },
            { field: 'scores', type: 'nominal', title: 'scores in' },
            { field: 'count', type: 'quantitative', title: 'rows', format: ',' },
            { field: 'mean_score', type: 'quantitative', title: 'mean score', format: '.3f' },
            { field: 'fraction_positive', type: 'quantitative', title: 'fraction of positives', format: '.3f' }
          ]
        }
      }
    ],
    { ...options, height: options.height ?? 300 },
    values
  );
}
