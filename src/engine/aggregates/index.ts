/**
 * Analysis of a trace whose data stayed in the engine that holds them (DATA format "aggregates",
 * docs/trace-format.md): the same AnalysisResult as `analyze()`, computed from the sufficient statistics that
 * DuckDB or Spark produced. What is exact and what is approximate (with its bound) is in docs/statistics.md; the
 * bounds are in the result's `pushdown` key.
 */
import { findAlerts, referenceThresholds, DRIFT_PREFIX } from '../thresholds.js';
import { metricRange } from '../metrics/index.js';
import type { AnalysisResult, AnalyzeOptions, ChunkResult, FeatureDrift, MetricValues, Period, PushdownInfo } from '../types.js';
import type { AnalysisDetails } from '../details/types.js';
import { InputError } from '../types.js';
import { aggregatedDetails } from './details.js';
import { chunkJensenShannon, dataQuality, featureCounts, featureDrift, type FeatureCounts } from './drift.js';
import { engineName, KERNEL_ENGINE, parseAggregates, type Aggregates } from './format.js';
import { aggregatedMetrics } from './metrics.js';
import { aggregatedRootCauses } from './root-causes.js';

export { parseAggregates, type Aggregates } from './format.js';

export function analyzeAggregates(data: unknown, options: AnalyzeOptions): AnalysisResult & { pushdown: PushdownInfo } {
  const aggregates = parseAggregates(data);
  return analyzeParsed(aggregates, countsOf(aggregates), options);
}

/** The analysis and the explorer's detail charts (of one chunk when given). */
export function analyzeAggregatesWithDetails(
  data: unknown,
  options: AnalyzeOptions,
  chunk?: { period: Period; index: number }
): { result: AnalysisResult; details: AnalysisDetails } {
  const aggregates = parseAggregates(data);
  if (chunk && !(Number.isInteger(chunk.index) && chunk.index >= 0 && chunk.index < aggregates[chunk.period].chunks.length)) {
    throw new InputError(`no ${chunk.period} chunk ${chunk.index}: the ${chunk.period} period has ${aggregates[chunk.period].chunks.length} chunks`);
  }
  const features = countsOf(aggregates);
  return { result: analyzeParsed(aggregates, features, options), details: aggregatedDetails(aggregates, features, chunk) };
}

/** Each feature's aggregates read into counts. */
function countsOf(aggregates: Aggregates): FeatureCounts[] {
  return Object.keys(aggregates.features).map(feature => featureCounts(aggregates, feature));
}

function analyzeParsed(aggregates: Aggregates, features: FeatureCounts[], options: AnalyzeOptions): AnalysisResult & { pushdown: PushdownInfo } {
  const warnings: string[] = [];
  if (options.task && options.task !== aggregates.task) {
    warnings.push(`task "${options.task}" was asked for, but the aggregates were computed for a ${aggregates.task} task`);
  }
  const chunksAsked = options.chunkSize !== undefined || options.chunkPeriod !== undefined || (options.chunkCount ?? aggregates.chunkCount) !== aggregates.chunkCount;
  if (chunksAsked) {
    warnings.push(`chunks were fixed when ${engineName(aggregates)} computed the aggregates (${aggregates.chunkCount} per period); the chunk settings do not apply`);
  }
  if (options.customMetrics && Object.keys(options.customMetrics).length > 0) {
    warnings.push('custom metrics need rows: they are not computed from pushdown aggregates');
  }

  // metrics and drift per period and per chunk
  const periodMetrics = (period: Period) => aggregatedMetrics(aggregates, aggregates[period], null);
  const reference = periodMetrics('reference');
  const current = periodMetrics('current');
  const chunkDrift = {
    reference: features.map(counts => chunkJensenShannon(counts, aggregates.reference)),
    current: features.map(counts => chunkJensenShannon(counts, aggregates.current))
  };
  const chunks = (period: Period): ChunkResult[] =>
    aggregates[period].chunks.map((chunk, index) => ({
      period,
      index,
      start: chunk.start,
      end: chunk.end,
      rows: chunk.rows,
      metrics: aggregatedMetrics(aggregates, aggregates[period], index).values,
      drift: Object.fromEntries(features.map((counts, f) => [counts.feature, { jensen_shannon: chunkDrift[period][f][index] }]))
    }));
  const referenceChunks = chunks('reference');
  const currentChunks = chunks('current');

  // thresholds and alerts, drift and data quality
  // one chunk per period (no timestamp): nothing to spread a threshold over
  const unchunked = aggregates.chunkCount < 2;
  if (unchunked) {
    warnings.push(
      'without a timestamp the aggregates see each period whole: no chunks, thresholds, alerts or drifted flags ' +
        '(give timestamp= to mt.trace() to get them); root causes follow a significant drop of the whole period'
    );
  }
  const metricNames = [...new Set(referenceChunks.flatMap(chunk => Object.keys(chunk.metrics)))];
  const thresholds = unchunked ? {} : referenceThresholds(referenceChunks, metricNames, features.map(counts => counts.feature), metricRange);
  const alerts = findAlerts(currentChunks, thresholds);
  const drifted = new Set(alerts.filter(alert => alert.metric.startsWith(DRIFT_PREFIX)).map(alert => alert.metric.slice(DRIFT_PREFIX.length)));
  const drift: FeatureDrift[] = features.map(counts => ({ feature: counts.feature, ...featureDrift(counts), drifted: drifted.has(counts.feature) }));
  const metrics: { reference: MetricValues; current: MetricValues } = { reference: reference.values, current: current.values };

  const rootCauses = aggregatedRootCauses({
    aggregates,
    roles: options.roles,
    primaryMetric: options.primaryMetric,
    metrics,
    thresholds,
    alerts,
    drift,
    features,
    unchunked
  });
  if (rootCauses.warning) {
    warnings.push(rootCauses.warning);
  }
  return {
    version: 1,
    task: aggregates.task,
    rows: { reference: aggregates.reference.rows, current: aggregates.current.rows },
    metrics,
    chunks: [...referenceChunks, ...currentChunks],
    thresholds,
    alerts,
    drift,
    data_quality: features.map(counts => dataQuality(aggregates, counts)),
    root_causes: rootCauses.causes,
    roles: options.roles,
    warnings,
    pushdown: {
      engine: aggregates.engine,
      note: pushdownNote(aggregates, reference.bounds, current.bounds),
      metric_bounds: { reference: reference.bounds, current: current.bounds }
    }
  };
}

/** Where the rows stayed (or that the analysis is preliminary) and what is approximate, for the card. */
function pushdownNote(aggregates: Aggregates, ...bounds: Array<Record<string, number>>): string {
  const approximate: string[] = [];
  if (Object.values(aggregates.features).some(feature => feature.type === 'numeric')) {
    approximate.push('ks and wasserstein (with error bounds)');
  }
  if (bounds.some(bound => 'roc_auc' in bound)) {
    const largest = Math.max(...bounds.map(bound => bound.roc_auc ?? 0));
    approximate.push(`roc_auc (within ${largest.toPrecision(2)})`, `pr_auc (scores in ${aggregates.scoreBins} bins)`);
  }
  const rows = formatRows(aggregates.reference.rows + aggregates.current.rows);
  const approximated = approximate.length > 0 ? ` Approximate: ${approximate.join(', ')}.` : '';
  if (aggregates.engine === KERNEL_ENGINE) {
    return (
      `Preliminary: analysed from the kernel's aggregates of ${rows} rows while the rows travel; the analysis of ` +
      `the rows replaces it when they arrive.${approximated}`
    );
  }
  return `The rows stayed in ${engineName(aggregates)}: analysed from its aggregates of ${rows} rows.${approximated}`;
}

function formatRows(rows: number): string {
  return rows.toLocaleString('en-US');
}
