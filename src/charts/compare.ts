/**
 * Metric differences candidate − baseline between two runs (engine/details/compare.ts), each with its percentile
 * bootstrap interval as an error bar and a rule at 0; coloured by verdict: better or worse when the interval
 * excludes 0 (for mae, rmse, mape, log_loss, brier and ece lower is better), otherwise no clear change.
 * McNemar's test, for classification runs on shared ids, in the subtitle.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { MetricDifference, RunComparison, SliceMetrics } from '../engine/details/types.js';
import { formatNumber, layeredChart, SINGLE_MARK, type ChartOptions } from './chart-base.js';
import { DEFAULT_THEME } from './theme.js';

export const LOWER_IS_BETTER = new Set(['mae', 'rmse', 'mape', 'log_loss', 'brier', 'ece']);
const VERDICTS = ['better', 'worse', 'no clear change'];

export interface CompareInput {
  comparison: RunComparison;
  /** Names of the runs, for the title. */
  baseline: string;
  candidate: string;
}

export function compareSpec(input: CompareInput, options: ChartOptions = {}): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const { comparison } = input;
  const values = comparison.differences.map((difference, order) => {
    const { metric, baseline, candidate, lower, upper } = difference;
    return {
      metric,
      baseline,
      candidate,
      difference: difference.difference,
      lower,
      upper,
      order,
      verdict: verdictOf(difference)
    };
  });
  const first = comparison.differences[0];
  const pairing = comparison.paired ? `paired on ${comparison.rows.shared} shared ids` : 'independent samples';
  const design = first
    ? `${Math.round(first.confidence * 100)}% percentile bootstrap intervals ` +
      `(${first.resamples} resamples, seed ${first.seed}, ${pairing})`
    : 'no metric to compare';
  const mcnemar = comparison.mcnemar;
  const subtitle = [
    design,
    ...(mcnemar
      ? [
          `McNemar (${mcnemar.method === 'exact' ? 'exact binomial' : 'chi-square, continuity-corrected'}): ` +
            `p = ${formatNumber(mcnemar.p_value)}; right only in baseline ${mcnemar.baseline_only_correct}, ` +
            `only in candidate ${mcnemar.candidate_only_correct}`
        ]
      : [])
  ];
  const metric = {
    field: 'metric',
    type: 'nominal' as const,
    title: null,
    sort: { field: 'order', order: 'ascending' as const }
  };
  const colour = {
    field: 'verdict',
    type: 'nominal' as const,
    title: 'change',
    scale: { domain: VERDICTS, range: [theme.palette.improvement, theme.palette.alert, theme.palette.guide] }
  };
  return layeredChart(
    { text: `${input.candidate} − ${input.baseline}: metric differences`, subtitle },
    [
      {
        data: SINGLE_MARK,
        mark: { type: 'rule', color: theme.palette.guide },
        encoding: { x: { datum: 0, type: 'quantitative' } }
      },
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          y: metric,
          x: { field: 'lower', type: 'quantitative', title: `${input.candidate} − ${input.baseline}` },
          x2: { field: 'upper' },
          color: colour
        }
      },
      {
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          y: metric,
          x: { field: 'difference', type: 'quantitative' },
          color: colour,
          tooltip: [
            { field: 'metric', type: 'nominal', title: 'metric' },
            { field: 'baseline', type: 'quantitative', title: 'baseline', format: '.4~g' },
            { field: 'candidate', type: 'quantitative', title: 'candidate', format: '.4~g' },
            { field: 'difference', type: 'quantitative', title: 'difference', format: '+.4~g' },
            { field: 'lower', type: 'quantitative', title: 'interval from', format: '+.4~g' },
            { field: 'upper', type: 'quantitative', title: 'interval to', format: '+.4~g' }
          ]
        }
      }
    ],
    { ...options, height: options.height ?? Math.max(100, 34 * values.length) },
    values
  );
}

export interface SliceDeltasInput {
  /** Per slice value: the baseline's metrics as `reference`, the candidate's as `current`, worst change first. */
  slices: SliceMetrics[];
  baseline: string;
  candidate: string;
  /** Rows shown at most (default 20). */
  limit?: number;
}

/**
 * The change candidate − baseline of the primary metric per slice value (engine compareTables), worst first,
 * one bar per slice coloured by whether it is better or worse; slices where either run has no value are left out.
 */
export function sliceDeltasSpec(input: SliceDeltasInput, options: ChartOptions = {}): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const measured = input.slices.filter(slice => slice.change !== null);
  const shown = measured.slice(0, input.limit ?? 20);
  const metric = shown[0]?.primary_metric ?? 'metric';
  const values = shown.map((slice, order) => ({
    slice: `${slice.column} = ${slice.value}`,
    order,
    change: slice.change as number,
    baseline: slice.metrics.reference?.[metric] ?? null,
    candidate: slice.metrics.current?.[metric] ?? null,
    baseline_rows: slice.rows.reference,
    candidate_rows: slice.rows.current,
    verdict: (slice.change as number) === 0 ? 'no change' : ((slice.change as number) > 0) !== LOWER_IS_BETTER.has(metric) ? 'better' : 'worse'
  }));
  const left = input.slices.length - measured.length;
  return layeredChart(
    {
      text: `${input.candidate} − ${input.baseline}: ${metric} per slice, worst first`,
      subtitle: [
        `top ${values.length} of ${measured.length} slice values`,
        ...(left > 0 ? [`${left} slice value${left > 1 ? 's' : ''} absent from one run`] : [])
      ]
    },
    [
      {
        data: SINGLE_MARK,
        mark: { type: 'rule', color: theme.palette.guide },
        encoding: { x: { datum: 0, type: 'quantitative' } }
      },
      {
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'slice', type: 'nominal', title: null, sort: { field: 'order', order: 'ascending' } },
          x: { field: 'change', type: 'quantitative', title: `${metric}, ${input.candidate} − ${input.baseline}` },
          color: {
            field: 'verdict',
            type: 'nominal',
            title: 'change',
            scale: { domain: ['better', 'worse', 'no change'], range: [theme.palette.improvement, theme.palette.alert, theme.palette.guide] }
          },
          tooltip: [
            { field: 'slice', type: 'nominal', title: 'slice' },
            { field: 'baseline', type: 'quantitative', title: `${metric} (${input.baseline})`, format: '.4~g' },
            { field: 'candidate', type: 'quantitative', title: `${metric} (${input.candidate})`, format: '.4~g' },
            { field: 'change', type: 'quantitative', title: 'change', format: '+.4~g' },
            { field: 'baseline_rows', type: 'quantitative', title: `rows (${input.baseline})`, format: ',' },
            { field: 'candidate_rows', type: 'quantitative', title: `rows (${input.candidate})`, format: ',' }
          ]
        }
      }
    ],
    { ...options, height: options.height ?? Math.max(100, 22 * values.length) },
    values
  );
}

function verdictOf(difference: MetricDifference): string {
  const { lower, upper } = difference;
  if (lower === null || upper === null || (lower <= 0 && upper >= 0)) {
    return 'no clear change';
  }
  const rose = lower > 0;
  return rose !== LOWER_IS_BETTER.has(difference.metric) ? 'better' : 'worse';
}
