/**
 * Reference vs current distribution of one feature (engine/details/distributions.ts), as shares of each period's
 * values:
 * - numeric: overlaid bars on the reference's doane bins (the bins of the Jensen-Shannon drift statistic); the
 *   buckets of current values below or above the reference range are drawn one bin wide just outside it, their true
 *   range in the tooltip;
 * - categorical: grouped bars over the top categories, then "(other)".
 */
import type { TopLevelSpec } from 'vega-lite';
import type {
  CategoricalDistribution,
  FeatureDistribution,
  NumericDistribution,
  PeriodCounts
} from '../engine/details/types.js';
import { formatNumber, layeredChart, PERIODS, periodColour, type ChartOptions } from './chart-base.js';
import { DEFAULT_THEME } from './theme.js';

export function distributionSpec(distribution: FeatureDistribution, options: ChartOptions = {}): TopLevelSpec {
  return distribution.type === 'numeric'
    ? numericDistributionSpec(distribution, options)
    : categoricalDistributionSpec(distribution, options);
}

const shareTooltip = [
  { field: 'period', type: 'nominal' as const, title: 'period' },
  { field: 'count', type: 'quantitative' as const, title: 'values', format: ',' },
  { field: 'share', type: 'quantitative' as const, title: 'share', format: '.2%' }
];

function numericDistributionSpec(distribution: NumericDistribution, options: ChartOptions): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const { bins } = distribution;
  const inner = bins.filter(bin => bin.kind === 'bin');
  const firstWidth = inner.length > 0 ? inner[0].end - inner[0].start : 1;
  const lastWidth = inner.length > 0 ? inner[inner.length - 1].end - inner[inner.length - 1].start : 1;
  const lastInner = bins.map(bin => bin.kind).lastIndexOf('bin');
  const values = bins.flatMap((bin, b) => {
    // outside buckets are drawn one bin wide next to the range
    const [drawStart, drawEnd] =
      bin.kind === 'below'
        ? [bin.end - firstWidth, bin.end]
        : bin.kind === 'above'
          ? [bin.start, bin.start + lastWidth]
          : [bin.start, bin.end];
    // numpy's bins are [start, end), the last one closed; the `above` bucket is (start, end]
    const [open, close] = bin.kind === 'above' ? ['(', ']'] : b === lastInner ? ['[', ']'] : ['[', ')'];
    const range = `${open}${formatNumber(bin.start)}, ${formatNumber(bin.end)}${close}`;
    return periodRows(distribution, b, { draw_start: drawStart, draw_end: drawEnd, range, bucket: bin.kind });
  });
  return layeredChart(
    {
      text: `${distribution.feature}: reference vs current`,
      subtitle: [
        `shares of values on numpy's doane bins of the ${distribution.edges_from} (the Jensen-Shannon bins)`,
        ...(bins.some(bin => bin.kind !== 'bin') ? ['outermost bars: current values beyond the reference range'] : [])
      ]
    },
    [
      {
        mark: { type: 'rect', opacity: 0.55, stroke: null },
        encoding: {
          x: { field: 'draw_start', type: 'quantitative', title: 'value', scale: { zero: false } },
          x2: { field: 'draw_end' },
          y: { field: 'share', type: 'quantitative', title: 'share of values', axis: { format: '%' }, stack: null },
          y2: { datum: 0 },
          color: periodColour(theme),
          tooltip: [{ field: 'range', type: 'nominal', title: 'values in' }, ...shareTooltip]
        }
      }
    ],
    options,
    values
  );
}

function categoricalDistributionSpec(distribution: CategoricalDistribution, options: ChartOptions): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const values = distribution.categories.flatMap((category, c) =>
    periodRows(distribution, c, { category: category.label, order: c, bucket: category.kind })
  );
  return layeredChart(
    {
      text: `${distribution.feature}: reference vs current`,
      subtitle: 'shares of values; the categories with the most rows over both periods, the rest in "(other)"'
    },
    [
      {
        mark: { type: 'bar' },
        encoding: {
          x: {
            field: 'category',
            type: 'nominal',
            title: 'category',
            sort: { field: 'order', order: 'ascending' },
            axis: { labelAngle: -40, labelLimit: 120 }
          },
          xOffset: { field: 'period', type: 'nominal', scale: { domain: [...PERIODS] } },
          y: { field: 'share', type: 'quantitative', title: 'share of values', axis: { format: '%' } },
          color: periodColour(theme),
          tooltip: [{ field: 'category', type: 'nominal', title: 'category' }, ...shareTooltip]
        }
      }
    ],
    options,
    values
  );
}

/** One row per period that has counts, for bucket `index`. */
function periodRows(distribution: FeatureDistribution, index: number, bucket: object): object[] {
  return PERIODS.flatMap(period => {
    const counts: PeriodCounts | null = distribution[period];
    return counts ? [{ ...bucket, period, count: counts.counts[index], share: counts.proportions[index] }] : [];
  });
}
