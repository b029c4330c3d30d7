/**
 * The words and numbers of a cause: its one-sentence summary and its evidence (rows, error in the cause's rows
 * per period, share of the degradation). Classification errors read as an error rate (1 − accuracy), regression
 * errors as the mean absolute (or squared) error.
 */
import type { RootCauseEvidence } from '../types.js';
import type { Candidate } from './candidate.js';
import type { PeriodErrors, PrimaryMetric } from './degradation.js';
import { readable } from './coding.js';
import type { Explanation } from './rank.js';

/** What the words and numbers of a cause need: its description and what it explains (rank.ts's RankedCause). */
export interface DescribedCause {
  candidate: Pick<Candidate, 'kind' | 'feature' | 'where' | 'sliceScore'>;
  explanation: Explanation;
  whole: Explanation;
}

/** Fewer reference rows than this in a cause: its error is compared with the whole reference. */
const MIN_REFERENCE_ROWS = 30;

export function evidenceOf(cause: DescribedCause, periods: Record<'reference' | 'current', Pick<PeriodErrors, 'rows' | 'mean'>>): RootCauseEvidence {
  const { reference, current } = cause.whole.statistics;
  return {
    rows: { reference: reference.rows, current: current.rows },
    row_share: { reference: reference.rows / periods.reference.rows, current: current.rows / periods.current.rows },
    error: {
      reference: reference.rows > 0 ? reference.sum / reference.rows : null,
      current: current.rows > 0 ? current.sum / current.rows : null
    },
    overall_error: { reference: periods.reference.mean, current: periods.current.mean },
    extra_errors: cause.explanation.extraErrors,
    total_extra_errors: cause.explanation.totalExtraErrors,
    ...(cause.candidate.sliceScore !== undefined ? { slice_score: cause.candidate.sliceScore } : {})
  };
}

export function summaryOf(cause: DescribedCause, evidence: RootCauseEvidence, metric: PrimaryMetric, labelColumn: string): string {
  const { candidate } = cause;
  const where = candidate.where.map(({ column, condition }) => `${column} ${conditionWords(condition)}`).join(', ');
  const errorName = metric.error === 'misclassification' ? 'error rate' : metric.error === 'squared' ? 'mean squared error' : 'mae';
  const value = (error: number): string => (metric.error === 'misclassification' ? percent(error) : readable(error));
  const compared =
    evidence.rows.reference >= MIN_REFERENCE_ROWS && evidence.error.reference !== null
      ? `${value(evidence.error.reference)} in reference`
      : `${value(evidence.overall_error.reference)} overall in reference`;
  const errors = `${errorName} there ${value(evidence.error.current ?? 0)} vs ${compared}`;
  const drop = `${percent(cause.explanation.share)} of the drop`;
  const shares = `${percent(evidence.row_share.current)} of current rows vs ${percent(evidence.row_share.reference)} in reference`;
  switch (candidate.kind) {
    case 'feature_drift':
      return `${candidate.feature} drifted: ${where} holds ${shares}; ${errors}, ${drop}`;
    case 'data_quality':
      return `${where} in ${shares}: ${errors}, ${drop}`;
    case 'label_shift':
      return `label ${labelColumn}: ${where.slice(labelColumn.length + 1)} in ${shares} while the inputs did not drift; ${errors}, ${drop}`;
    case 'model_change':
      return `${where} serves ${shares}: ${errors}, ${drop}`;
    default:
      return `${where}: ${errors.replace(' there', '')}, ${drop}`;
  }
}

function conditionWords(condition: Candidate['where'][number]['condition']): string {
  switch (condition.test) {
    case 'equals':
      return `= ${condition.label}`;
    case 'in':
      return `in {${condition.label}}`;
    case 'missing':
      return 'missing';
    case 'unseen':
      return 'unseen in reference';
    case 'out_of_range':
      return `${condition.label} (the reference range)`;
    case 'range':
      return condition.label.startsWith('=') ? condition.label : `in ${condition.label}`;
    default:
      return condition.label;
  }
}

export function percent(share: number): string {
  const value = share * 100;
  return value > 0 && value < 1 ? `${value.toFixed(1)}%` : `${Math.round(value)}%`;
}
