/**
 * Metric differences candidate − baseline between two runs (engine/details/compare.ts), each with its percentile
 * bootstrap interval as an error bar and a rule at 0; coloured by verdict: better or worse when the interval
 * excludes 0 (for mae, rmse, mape, log_loss, brier and ece lower is better), otherwise no clear change.
 * McNemar's test, for classification runs on shared ids, in the subtitle.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { MetricDifference, RunComparison } from '../engine/details/types.js';
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
          x: { field: 'lower', type: 'quantitative', title: 'candidate − baseline' },
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

function verdictOf(difference: MetricDifference): string {
  const { lower, upper } = difference;
  if (lower === null || upper === null || (lower <= 0 && upper >= 0)) {
    return 'no clear change';
  }
  const rose = lower > 0;
  return rose !== LOWER_IS_BETTER.has(difference.metric) ? 'better' : 'worse';
}
