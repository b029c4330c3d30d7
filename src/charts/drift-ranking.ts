/**
 * Features ranked by one drift method (shared DESIGN section 4), largest first, as horizontal bars; drifted
 * features (Jensen-Shannon alert in a current chunk) in the alert colour. Each method's bar length:
 * jensen_shannon the distance, ks the statistic D, psi the index, wasserstein the normed W1, chi2 the statistic.
 * Features without the method (e.g. ks for a categorical feature) are left out and counted in the subtitle.
 * Clicking a bar selects the feature (`FEATURE_SELECTION`, field `feature`).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { DriftMethods, FeatureDrift } from '../engine/types.js';
import { layeredChart, type ChartOptions } from './chart-base.js';
import { DEFAULT_THEME } from './theme.js';

export const FEATURE_SELECTION = 'feature';
export const DEFAULT_RANKED_FEATURES = 25;

export type DriftMethod = keyof DriftMethods;

/** What each method's bar shows, named after its convention. */
export const DRIFT_METHOD_TITLES: Record<DriftMethod, string> = {
  jensen_shannon: 'Jensen-Shannon distance (base 2, doane bins of the reference)',
  ks: 'Kolmogorov-Smirnov statistic D (scipy ks_2samp)',
  psi: 'Population stability index (reference deciles, shares floored at 1e-4)',
  wasserstein: 'Wasserstein-1 distance / std of the reference (scipy wasserstein_distance)',
  chi2: 'Chi-square statistic (scipy chi2_contingency, Yates when dof = 1)'
};

export interface DriftRankingInput {
  drift: FeatureDrift[];
  method: DriftMethod;
  /** Bars shown at most (default 25). */
  limit?: number;
  /** What the values measure when not the whole periods, e.g. "current chunk 3 against the whole reference". */
  scope?: string;
}

export function driftRankingSpec(input: DriftRankingInput, options: ChartOptions = {}): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const { method } = input;
  const measured = input.drift.flatMap(feature => {
    const measure = measureOf(feature.methods, method);
    return measure ? [{ feature: feature.feature, type: feature.type, drifted: feature.drifted, ...measure }] : [];
  });
  const ranked = measured.sort((a, b) => b.value - a.value).slice(0, input.limit ?? DEFAULT_RANKED_FEATURES);
  const values = ranked.map((row, rank) => ({ ...row, rank: rank + 1 }));
  const without = input.drift.length - measured.length;
  const subtitle = [
    ...(input.scope ? [input.scope] : []),
    `top ${values.length} of ${measured.length} features; red: drifted (Jensen-Shannon alert in a current chunk)`,
    ...(without > 0 ? [`${without} feature${without > 1 ? 's' : ''} without this method`] : [])
  ];
  return layeredChart(
    { text: DRIFT_METHOD_TITLES[method], subtitle },
    [
      {
        params: [
          { name: FEATURE_SELECTION, select: { type: 'point', fields: ['feature'], on: 'click', clear: 'dblclick' } }
        ],
        mark: { type: 'bar', cursor: 'pointer' },
        encoding: {
          y: { field: 'feature', type: 'nominal', title: null, sort: { field: 'rank', order: 'ascending' } },
          x: { field: 'value', type: 'quantitative', title: method },
          color: {
            field: 'drifted',
            type: 'nominal',
            title: 'drifted',
            scale: { domain: [false, true], range: [theme.palette.current, theme.palette.alert] }
          },
          opacity: { condition: { param: FEATURE_SELECTION, empty: true, value: 1 }, value: 0.35 },
          tooltip: [
            { field: 'feature', type: 'nominal', title: 'feature' },
            { field: 'type', type: 'nominal', title: 'type' },
            { field: 'value', type: 'quantitative', title: method, format: '.4~g' },
            ...(measured.some(row => row.p_value !== null)
              ? [{ field: 'p_value', type: 'quantitative' as const, title: 'p-value', format: '.3~e' }]
              : []),
            { field: 'drifted', type: 'nominal', title: 'drifted' }
          ]
        }
      }
    ],
    { ...options, height: options.height ?? Math.max(120, 18 * values.length) },
    values
  );
}

function measureOf(methods: DriftMethods, method: DriftMethod): { value: number; p_value: number | null } | null {
  switch (method) {
    case 'jensen_shannon':
      return methods.jensen_shannon ? { value: methods.jensen_shannon.value, p_value: null } : null;
    case 'ks':
      return methods.ks ? { value: methods.ks.statistic, p_value: methods.ks.p_value } : null;
    case 'psi':
      return methods.psi ? { value: methods.psi.value, p_value: null } : null;
    case 'wasserstein':
      return methods.wasserstein ? { value: methods.wasserstein.normed, p_value: null } : null;
    case 'chi2':
      return methods.chi2 ? { value: methods.chi2.statistic, p_value: methods.chi2.p_value } : null;
  }
}
