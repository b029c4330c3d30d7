/**
 * Analysis of a trace whose DATA is `{"format": "aggregates"}` (docs/trace-format.md): sufficient statistics computed
 * by the engine that holds the rows (pushdown). Binned drift (psi, jensen_shannon) is exact from the bin counts;
 * label metrics (accuracy, precision, recall, f1) are exact from the confusion counts, overall and per slice value.
 * The formulas are the engine's own (drift/psi.ts, drift/jensen-shannon.ts, metrics/binary.ts) applied to counts.
 */

import { jensenShannonDistance } from '../drift/jensen-shannon.js';
import { psiOfCounts } from '../drift/psi.js';
import type { ConfusionCounts } from '../metrics/binary.js';
import { accuracyFromCounts, f1FromCounts, precisionFromCounts, recallFromCounts } from '../metrics/binary.js';

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface PeriodAggregates {
  rows: number;
  confusion?: { all: Confusion; slices: Record<string, Array<Confusion & { value: string | null }>> };
}

export interface FeatureAggregates {
  edges: { doane: number[]; deciles: number[] };
  reference: { doane: number[]; deciles: number[] };
  current: { doane: number[]; deciles: number[] };
}

export interface AggregatesData {
  format: 'aggregates';
  version: 1;
  threshold: number;
  current: PeriodAggregates;
  reference: PeriodAggregates;
  features: Record<string, FeatureAggregates>;
}

export interface LabelMetrics {
  rows: number;
  accuracy: number | null;
  precision: number;
  recall: number;
  f1: number;
}

export interface AggregatesAnalysis {
  metrics: { current: LabelMetrics | null; reference: LabelMetrics | null };
  slices: Record<string, Array<{ value: string | null; current: LabelMetrics }>>;
  drift: Record<string, { psi: number | null; jensen_shannon: number | null }>;
}

export function analyzeAggregates(data: AggregatesData): AggregatesAnalysis {
  if (data?.format !== 'aggregates' || data.version !== 1) {
    throw new Error(`aggregates: expected format "aggregates" version 1, got ${JSON.stringify(data?.format)}`);
  }
  const slices: AggregatesAnalysis['slices'] = {};
  for (const [column, groups] of Object.entries(data.current.confusion?.slices ?? {})) {
    slices[column] = groups.map((group) => ({ value: group.value, current: labelMetrics(group) }));
  }
  const drift: AggregatesAnalysis['drift'] = {};
  for (const [name, feature] of Object.entries(data.features)) {
    drift[name] = { psi: binnedPsi(feature), jensen_shannon: binnedJensenShannon(feature, name) };
  }
  return {
    metrics: {
      current: data.current.confusion ? labelMetrics(data.current.confusion.all) : null,
      reference: data.reference.confusion ? labelMetrics(data.reference.confusion.all) : null
    },
    slices,
    drift
  };
}

function labelMetrics(counts: Confusion): LabelMetrics {
  const confusion: ConfusionCounts = {
    truePositives: counts.tp,
    falsePositives: counts.fp,
    falseNegatives: counts.fn,
    trueNegatives: counts.tn
  };
  return {
    rows: counts.tp + counts.fp + counts.tn + counts.fn,
    accuracy: accuracyFromCounts(confusion),
    precision: precisionFromCounts(confusion),
    recall: recallFromCounts(confusion),
    f1: f1FromCounts(confusion)
  };
}

/** PSI over the decile bins (−∞, e₁), …, [e_k, +∞); null when a period has no value. */
function binnedPsi(feature: FeatureAggregates): number | null {
  const reference = Float64Array.from(feature.reference.deciles);
  const current = Float64Array.from(feature.current.deciles);
  const referenceSize = sum(reference);
  const currentSize = sum(current);
  return referenceSize === 0 || currentSize === 0 ? null : psiOfCounts(reference, referenceSize, current, currentSize);
}

/** Jensen-Shannon distance over the Doane bins plus the outside bucket (last count); the reference has none there. */
function binnedJensenShannon(feature: FeatureAggregates, name: string): number | null {
  const reference = Float64Array.from(feature.reference.doane);
  const current = Float64Array.from(feature.current.doane);
  if (reference.length !== feature.edges.doane.length || current.length !== reference.length) {
    throw new Error(`aggregates: feature "${name}" needs one doane count per bin plus the outside bucket`);
  }
  const referenceSize = sum(reference);
  const currentSize = sum(current);
  if (referenceSize === 0 || currentSize === 0) {
    return null;
  }
  return jensenShannonDistance(
    reference.map((count) => count / referenceSize),
    current.map((count) => count / currentSize)
  );
}

function sum(values: Float64Array): number {
  return values.reduce((total, value) => total + value, 0);
}
