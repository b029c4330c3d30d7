/**
 * Ranking: how much of the degradation each candidate explains, and which candidates to report.
 *
 * Extra errors of a region R (rows of a cause), with ē the reference's mean error and k = current rows / reference
 * rows:  Δ(R) = Σ_current∈R (e − ē) − k · Σ_reference∈R (e − ē).
 * The first term counts the errors in R beyond the reference rate; the second removes what R already held beyond
 * it in the reference, scaled to the current size. Δ adds up over any partition of the rows to the total extra
 * errors Σ_current (e − ē), so a region whose error rate and share did not change explains nothing, a region whose
 * share grew explains only if its errors exceed ē, and a region new in the current data explains its own excess.
 * score = Δ(R) / total extra errors, clipped to [0, 1]; z = Δ(R) / its standard error (both periods' variances).
 *
 * Selection is greedy: the candidate that explains most is taken, then every other candidate is judged on the rows
 * no taken cause holds (a drift whose rows overlap a taken slice is not counted twice). Before it is taken, a
 * candidate gives way to a narrower one (most of whose rows it holds) that explains at least NARROWER_SHARE of what
 * it explains: the slice south & partner, not south alone. Candidates are reported while they explain at least
 * MIN_SHARE with z ≥ MIN_Z, at most MAX_CAUSES; none means "no root cause found".
 */
import type { Candidate } from './candidate.js';
import { MIN_Z, type PeriodErrors } from './degradation.js';
import { errorStatistics, RowSet, type ErrorStatistics } from './row-sets.js';

export const MIN_SHARE = 0.2;
export const MAX_CAUSES = 5;
export const NARROWER_SHARE = 0.85;
/** A narrower candidate must lie inside the wider one for at least this share of its rows. */
const INSIDE_SHARE = 0.9;

export interface RankContext {
  reference: PeriodErrors;
  current: PeriodErrors;
}

export interface Explanation {
  /** Δ(R) in errors (or in units of the regression error). */
  extraErrors: number;
  totalExtraErrors: number;
  share: number;
  z: number;
  statistics: { reference: ErrorStatistics; current: ErrorStatistics };
}

export function explain(rows: { reference: RowSet; current: RowSet }, context: RankContext): Explanation {
  const reference = errorStatistics(rows.reference, context.reference.errors);
  const current = errorStatistics(rows.current, context.current.errors);
  return explanationOf(reference, current, context);
}

export function explanationOf(reference: ErrorStatistics, current: ErrorStatistics, context: RankContext): Explanation {
  const baseline = context.reference.mean;
  const scale = context.reference.rows > 0 ? context.current.rows / context.reference.rows : 0;
  const extraErrors = current.sum - current.rows * baseline - scale * (reference.sum - reference.rows * baseline);
  const totalExtraErrors = (context.current.mean - baseline) * context.current.rows;
  const variance = spread(current) + scale * scale * spread(reference);
  const z = variance > 0 ? extraErrors / Math.sqrt(variance) : extraErrors > 0 ? Infinity : 0;
  const share = totalExtraErrors > 0 ? Math.min(1, Math.max(0, extraErrors / totalExtraErrors)) : 0;
  return { extraErrors, totalExtraErrors, share, z, statistics: { reference, current } };
}

/** Σ (e − mean)² of the rows. */
function spread(statistics: ErrorStatistics): number {
  return statistics.rows > 0 ? Math.max(0, statistics.sumOfSquares - (statistics.sum * statistics.sum) / statistics.rows) : 0;
}

export interface RankedCause {
  candidate: Candidate;
  /** What it explains on rows no higher-ranked cause holds (its score). */
  explanation: Explanation;
  /** What it explains on all its rows (its evidence). */
  whole: Explanation;
}

export function rankCandidates(candidates: Candidate[], context: RankContext): RankedCause[] {
  let pool = candidates
    .map(candidate => ({ candidate, whole: explain(candidate.rows, context), size: candidate.rows.current.size() }))
    .filter(entry => entry.whole.share >= MIN_SHARE && entry.whole.z >= MIN_Z);
  const ranked: RankedCause[] = [];
  let taken: { reference: RowSet; current: RowSet } | null = null;
  let marginal = new Map(pool.map(entry => [entry, entry.whole]));
  while (pool.length > 0 && ranked.length < MAX_CAUSES) {
    // the candidate that explains most of what is left, then the narrowest one that explains nearly as much
    let best = pool.reduce((a, b) => (marginalOf(b).share > marginalOf(a).share ? b : a));
    if (marginalOf(best).share < MIN_SHARE || marginalOf(best).z < MIN_Z) {
      break;
    }
    for (let narrowed = true; narrowed; ) {
      narrowed = false;
      for (const entry of pool) {
        if (
          entry !== best &&
          entry.size < best.size &&
          entry.candidate.rows.current.overlap(best.candidate.rows.current) >= INSIDE_SHARE * entry.size &&
          marginalOf(entry).share >= NARROWER_SHARE * marginalOf(best).share &&
          marginalOf(entry).z >= MIN_Z
        ) {
          best = entry;
          narrowed = true;
        }
      }
    }
    ranked.push({ candidate: best.candidate, explanation: marginalOf(best), whole: best.whole });

    // judge the others on the rows no taken cause holds
    const rows = best.candidate.rows;
    taken = taken ? { reference: taken.reference.or(rows.reference), current: taken.current.or(rows.current) } : rows;
    const left = taken;
    pool = pool.filter(entry => entry !== best);
    marginal = new Map(
      pool.map(entry => [
        entry,
        explain({ reference: entry.candidate.rows.reference.andNot(left.reference), current: entry.candidate.rows.current.andNot(left.current) }, context)
      ])
    );
    pool = pool.filter(entry => marginalOf(entry).share >= MIN_SHARE);
  }
  return ranked;

  function marginalOf(entry: (typeof pool)[number]): Explanation {
    return marginal.get(entry) as Explanation;
  }
}
