/**
 * McNemar's test of two classifiers on the same rows, as statsmodels' `mcnemar(table, exact, correction=True)`
 * on the 2×2 table of (baseline correct?, candidate correct?), with b = rows only the baseline got right and
 * c = rows only the candidate got right:
 * - b + c < 25 (the usual rule of thumb for the normal approximation): `exact=True`, statistic min(b, c) and
 *   p = min(1, 2 · P(X ≤ min(b, c))) for X ~ Binomial(b + c, ½), the two-sided binomial test
 *   (scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue gives the same value);
 * - otherwise `exact=False, correction=True`: statistic (|b − c| − 1)² / (b + c), p = chi2.sf(statistic, 1).
 */
import { chiSquareSurvival } from '../stats/chi-square.js';
import type { McNemarResult } from './types.js';

export const EXACT_BELOW_DISCORDANT = 25;

export function mcnemarTest(baselineCorrect: Uint8Array, candidateCorrect: Uint8Array): McNemarResult {
  if (baselineCorrect.length !== candidateCorrect.length) {
    throw new RangeError(
      `McNemar's test needs paired rows, got ${baselineCorrect.length} and ${candidateCorrect.length}`
    );
  }
  let baselineOnly = 0;
  let candidateOnly = 0;
  for (let i = 0; i < baselineCorrect.length; i++) {
    if (baselineCorrect[i] !== candidateCorrect[i]) {
      if (baselineCorrect[i]) {
        baselineOnly++;
      } else {
        candidateOnly++;
      }
    }
  }
  return mcnemarFromDiscordant(baselineOnly, candidateOnly, baselineCorrect.length);
}

export function mcnemarFromDiscordant(baselineOnly: number, candidateOnly: number, shared: number): McNemarResult {
  const discordant = baselineOnly + candidateOnly;
  const common = { baseline_only_correct: baselineOnly, candidate_only_correct: candidateOnly, shared };
  if (discordant < EXACT_BELOW_DISCORDANT) {
    const smaller = Math.min(baselineOnly, candidateOnly);
    return {
      method: 'exact',
      statistic: smaller,
      p_value: Math.min(1, 2 * binomialHalfCdf(smaller, discordant)),
      ...common
    };
  }
  const statistic = (Math.abs(baselineOnly - candidateOnly) - 1) ** 2 / discordant;
  return { method: 'chi-square', statistic, p_value: chiSquareSurvival(statistic, 1), ...common };
}

/** P(X ≤ k) for X ~ Binomial(n, ½), n < 25: sums of whole numbers below 2^25, exact in float64. */
function binomialHalfCdf(k: number, n: number): number {
  let coefficient = 1;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += coefficient;
    coefficient = (coefficient * (n - i)) / (i + 1);
  }
  return sum / 2 ** n;
}
