/**
 * Pushdown: the analysis of the aggregates DuckDB computed inside `mt.trace()` (scripts/fixtures/pushdown.py) against
 * the in-memory analysis of the same rows — equal to 1e-9 where the aggregates are exact, and within the stated
 * bounds of scipy / scikit-learn where they are approximations (ks, wasserstein, roc_auc).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { analyzeAggregates, analyzeAggregatesWithDetails } from '../../src/engine/aggregates/index.js';
import { analyzeWithDetails } from '../../src/engine/analyze.js';
import { loadArrow } from '../../src/engine/load/arrow.js';
import type { AnalysisResult, Roles } from '../../src/engine/types.js';
import { analyzeTrace } from '../../src/worker/run.js';
import { assertClose } from './details/fixtures.js';

const DIRECTORY = fileURLToPath(new URL('../../../test/fixtures/generated/pushdown/', import.meta.url));

interface Case {
  payload: { current: unknown; roles: Roles } & Record<string, unknown>;
  kernel: Record<string, unknown>;
  roles: Roles;
  scipy: {
    ks: Record<string, number>;
    wasserstein: Record<string, number>;
    reference?: { roc_auc: number; pr_auc: number };
    current?: { roc_auc: number; pr_auc: number };
  };
}

function load(name: string) {
  const path = `${DIRECTORY}${name}.json`;
  if (!existsSync(path)) {
    throw new Error(`pushdown fixture ${path} is missing: run .venv/bin/python scripts/fixtures/pushdown.py first`);
  }
  const fixture = JSON.parse(readFileSync(path, 'utf8')) as Case;
  const table = (period: string) => loadArrow(new Uint8Array(readFileSync(`${DIRECTORY}${name}_${period}.arrow`)), `${name}_${period}.arrow`);
  const roles: Roles = { ...fixture.payload.roles, slices: fixture.payload.roles.slices ?? [] };
  const rows = analyzeWithDetails(table('current'), table('reference'), { roles });
  const pushed = analyzeAggregatesWithDetails(fixture.payload.current, { roles });
  const features = (fixture.payload.current as { features: Record<string, { grid?: number[] }> }).features;
  const grids = Object.fromEntries(Object.entries(features).flatMap(([name, feature]) => (feature.grid ? [[name, feature.grid]] : [])));
  return { fixture, rows, pushed, grids };
}

const EXACT_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'brier', 'log_loss', 'ece', 'mae', 'rmse', 'mape', 'r2'];

function assertSameAnalysis(pushed: AnalysisResult, rows: AnalysisResult): void {
  assert.deepEqual(pushed.rows, rows.rows);
  for (const period of ['reference', 'current'] as const) {
    for (const metric of EXACT_METRICS.filter(name => name in (rows.metrics[period] ?? {}))) {
      assertClose(pushed.metrics[period]?.[metric], rows.metrics[period]?.[metric] ?? null, `${period} ${metric}`);
    }
  }
  // chunks: the same rows, metrics and drift per chunk, hence the same thresholds and alerts
  assert.deepEqual(pushed.chunks.map(chunk => [chunk.period, chunk.rows, chunk.start, chunk.end]), rows.chunks.map(chunk => [chunk.period, chunk.rows, chunk.start, chunk.end]));
  pushed.chunks.forEach((chunk, i) => {
    for (const metric of EXACT_METRICS.filter(name => name in rows.chunks[i].metrics)) {
      assertClose(chunk.metrics[metric], rows.chunks[i].metrics[metric], `${chunk.period} chunk ${i} ${metric}`);
    }
    for (const [feature, drift] of Object.entries(rows.chunks[i].drift)) {
      assertClose(chunk.drift[feature].jensen_shannon, drift.jensen_shannon, `${chunk.period} chunk ${i} drift ${feature}`);
    }
  });
  for (const [key, bound] of Object.entries(rows.thresholds).filter(([key]) => !key.match(/roc_auc|pr_auc/))) {
    assertClose(pushed.thresholds[key].lower, bound.lower, `threshold ${key} lower`);
    assertClose(pushed.thresholds[key].upper, bound.upper, `threshold ${key} upper`);
  }
  const alerts = (result: AnalysisResult) => result.alerts.filter(alert => !alert.metric.match(/roc_auc|pr_auc/)).map(alert => `${alert.metric}@${alert.index}`);
  assert.deepEqual(alerts(pushed), alerts(rows));
  // drift: binned methods and categorical ones exact
  for (const entry of rows.drift) {
    const mine = pushed.drift.find(other => other.feature === entry.feature);
    assert.ok(mine, entry.feature);
    assert.equal(mine.type, entry.type);
    assert.equal(mine.drifted, entry.drifted, `${entry.feature} drifted`);
    assertClose(mine.methods.jensen_shannon?.value, entry.methods.jensen_shannon?.value ?? null, `${entry.feature} jensen_shannon`);
    assertClose(mine.methods.psi?.value, entry.methods.psi?.value ?? null, `${entry.feature} psi`);
    if (entry.methods.chi2) {
      assertClose(mine.methods.chi2?.statistic, entry.methods.chi2.statistic, `${entry.feature} chi2`);
      assertClose(mine.methods.chi2?.p_value, entry.methods.chi2.p_value, `${entry.feature} chi2 p`);
    }
  }
  // data quality
  for (const entry of rows.data_quality) {
    const mine = pushed.data_quality.find(other => other.feature === entry.feature);
    assert.ok(mine, entry.feature);
    assertClose(mine.missing.current, entry.missing.current, `${entry.feature} missing`);
    assertClose(mine.missing.reference, entry.missing.reference, `${entry.feature} missing in reference`);
    assertClose(mine.out_of_range, entry.out_of_range, `${entry.feature} out of range`);
    assert.deepEqual([...mine.unseen].sort(), [...entry.unseen].sort(), `${entry.feature} unseen`);
  }
}

/**
 * scipy's ks D lies in [statistic, statistic + bound] and its W1 within the bound of the value; the bounds are what
 * the 1000-quantile grid allows (ks: about 1/1000 when the periods look alike; W1: about 1.5/1000 of the range).
 */
function assertWithinBounds(pushed: AnalysisResult, scipy: Case['scipy'], grids: Record<string, number[]>): void {
  for (const [feature, expected] of Object.entries(scipy.ks)) {
    const ks = pushed.drift.find(entry => entry.feature === feature)?.methods.ks;
    assert.ok(ks && ks.error_bound !== undefined, `${feature} ks`);
    assert.ok(ks.statistic <= expected + 1e-12 && expected <= ks.statistic + ks.error_bound + 1e-12, `${feature} ks: scipy ${expected} not in [${ks.statistic}, +${ks.error_bound}]`);
    assert.ok(ks.error_bound < 0.02, `${feature} ks bound ${ks.error_bound}`);
  }
  for (const [feature, expected] of Object.entries(scipy.wasserstein)) {
    const w = pushed.drift.find(entry => entry.feature === feature)?.methods.wasserstein;
    assert.ok(w && w.error_bound !== undefined, `${feature} wasserstein`);
    assert.ok(Math.abs(w.value - expected) <= w.error_bound + 1e-12, `${feature} wasserstein: scipy ${expected}, got ${w.value} ± ${w.error_bound}`);
    const grid = grids[feature];
    assert.ok(w.error_bound < 0.002 * (grid[grid.length - 1] - grid[0]), `${feature} wasserstein bound ${w.error_bound}`);
  }
}

test('binary aggregates: exact metrics, chunks, thresholds, alerts, binned and categorical drift and data quality as the rows give', () => {
  const { fixture, rows, pushed, grids } = load('binary');
  assertSameAnalysis(pushed.result, rows.result);
  assertWithinBounds(pushed.result, fixture.scipy, grids);
  // roc_auc within its bound of scikit-learn; pr_auc close (binned scores)
  for (const period of ['reference', 'current'] as const) {
    const expected = fixture.scipy[period] as { roc_auc: number; pr_auc: number };
    const bound = pushed.result.pushdown?.metric_bounds[period].roc_auc ?? 0;
    const rocAuc = pushed.result.metrics[period]?.roc_auc as number;
    assert.ok(Math.abs(rocAuc - expected.roc_auc) <= bound + 1e-12, `${period} roc_auc ${rocAuc} vs ${expected.roc_auc} ± ${bound}`);
    assert.ok(bound < 1e-3, `${period} roc_auc bound ${bound}`);
    assert.ok(Math.abs((pushed.result.metrics[period]?.pr_auc as number) - expected.pr_auc) < 2e-3, `${period} pr_auc`);
  }
});

test('binary aggregates: the planted cause (the south region) ranks first, as from the rows', () => {
  const { rows, pushed } = load('binary');
  const first = (result: AnalysisResult) => result.root_causes[0];
  assert.ok(first(rows.result), 'the rows find a cause');
  assert.equal(first(pushed.result)?.kind, 'slice');
  assert.deepEqual(first(pushed.result)?.slice, { region: 'south' });
  assert.equal(first(rows.result).kind, first(pushed.result)?.kind);
  assert.deepEqual(first(rows.result).slice, first(pushed.result)?.slice);
  assert.ok(Math.abs((first(pushed.result)?.score ?? 0) - first(rows.result).score) < 0.05);
  assert.match(pushed.result.pushdown?.note ?? '', /^The rows stayed in DuckDB: analysed from its aggregates of 80,000 rows\. Approximate: ks and wasserstein \(with error bounds\), roc_auc \(within [0-9.e-]+\), pr_auc \(scores in 1000 bins\)\.$/);
});

test('regression aggregates: mae, rmse, mape, r2 per period and chunk as the rows give, and the planted cause', () => {
  const { fixture, rows, pushed, grids } = load('regression');
  assertSameAnalysis(pushed.result, rows.result);
  assertWithinBounds(pushed.result, fixture.scipy, grids);
  assert.equal(pushed.result.root_causes[0]?.kind, rows.result.root_causes[0]?.kind);
  assert.deepEqual(pushed.result.root_causes[0]?.slice, { region: 'east' });
});

test('without a timestamp: one chunk per period, no thresholds or alerts, and the cause of the whole drop', () => {
  const { pushed } = load('untimed');
  assert.equal(pushed.result.chunks.length, 2);
  assert.deepEqual(pushed.result.thresholds, {});
  assert.deepEqual(pushed.result.alerts, []);
  assert.ok(pushed.result.warnings.some(warning => warning.startsWith('without a timestamp the aggregates see each period whole')));
  assert.deepEqual(pushed.result.root_causes[0]?.slice, { region: 'south' });
});

test('details from aggregates: confusion, calibration, distributions and slices as the rows give; curves within bounds', () => {
  const { rows, pushed } = load('binary');
  for (const period of ['reference', 'current'] as const) {
    assert.deepEqual(pushed.details.confusion?.[period]?.counts, rows.details.confusion?.[period]?.counts);
    const bins = pushed.details.calibration?.[period]?.bins ?? [];
    assert.deepEqual(bins.map(bin => [bin.bin, bin.count]), (rows.details.calibration?.[period]?.bins ?? []).map(bin => [bin.bin, bin.count]));
    bins.forEach((bin, i) => assertClose(bin.mean_score, rows.details.calibration?.[period]?.bins[i].mean_score ?? null, `${period} calibration ${i}`));
    const auc = pushed.details.roc?.[period]?.auc as number;
    assert.ok(Math.abs(auc - (pushed.result.metrics[period]?.roc_auc as number)) < 1e-12, `${period} roc curve area`);
  }
  for (const distribution of rows.details.distributions) {
    const mine = pushed.details.distributions.find(other => other.feature === distribution.feature);
    assert.ok(mine, distribution.feature);
    if (distribution.type === 'numeric') {
      assert.deepEqual(mine.reference?.counts.slice(0, 3), distribution.reference?.counts.slice(0, 3), `${distribution.feature} reference bins`);
      assert.equal(mine.current.total, distribution.current.total, `${distribution.feature} current values`);
      assert.deepEqual(mine.current.counts, distribution.current.counts, `${distribution.feature} current bins`);
    }
  }
  const south = (details: typeof rows.details) => details.slices.find(slice => slice.column === 'region' && slice.value === 'south');
  assertClose(south(pushed.details)?.change, south(rows.details)?.change ?? null, 'south accuracy change');
  // one chunk: its confusion matrix from its own cells
  const chunk = analyzeAggregatesWithDetails(load('binary').fixture.payload.current, { roles: rows.result.roles }, { period: 'current', index: 3 });
  const total = chunk.details.confusion?.current?.rows;
  assert.equal(total, pushed.result.chunks.find(c => c.period === 'current' && c.index === 3)?.rows);
});

/** Every number of two analyses equal to 1e-12 relative (sums added in another order), everything else equal. */
function assertSameNumbers(found: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number' && typeof found === 'number') {
    const scale = Math.max(1, Math.abs(expected));
    assert.ok(Math.abs(found - expected) <= 1e-12 * scale || (Number.isNaN(found) && Number.isNaN(expected)), `${path}: ${found} vs ${expected}`);
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(found !== null && typeof found === 'object', path);
    assert.deepEqual(Object.keys(found as object).sort(), Object.keys(expected).sort(), path);
    for (const [key, value] of Object.entries(expected)) {
      assertSameNumbers((found as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  } else {
    assert.equal(found, expected, path);
  }
}

for (const name of ['binary', 'untimed', 'regression']) {
  test(`${name}: the aggregates a kernel sends ahead of the rows (numpy) give DuckDB's analysis, marked preliminary`, () => {
    const { fixture, pushed } = load(name);
    const roles = { ...fixture.payload.roles, slices: fixture.payload.roles.slices ?? [] };
    const kernel = analyzeAggregatesWithDetails(fixture.kernel, { roles });
    const { pushdown: kernelPushdown, ...kernelResult } = kernel.result;
    const { pushdown, ...duckdbResult } = pushed.result;
    assertSameNumbers(kernelResult, duckdbResult, 'result');
    const { notes: kernelNotes, ...kernelDetails } = kernel.details;
    const { notes, ...duckdbDetails } = pushed.details;
    assertSameNumbers(kernelDetails, duckdbDetails, 'details');
    assert.deepEqual(kernelNotes, notes.map(note => note.replace('which stayed in DuckDB', 'which are still on their way from the kernel')));
    assert.equal(kernelPushdown?.engine, 'kernel');
    assertSameNumbers(kernelPushdown?.metric_bounds, pushdown?.metric_bounds, 'metric bounds');
    assert.match(
      kernelPushdown?.note ?? '',
      /^Preliminary: analysed from the kernel's aggregates of 80,000 rows while the rows travel; the analysis of the rows replaces it when they arrive\. Approximate: ks and wasserstein \(with error bounds\)/
    );
  });
}

test('a malformed aggregates payload is refused with the field at fault, through the worker', () => {
  const { fixture } = load('binary');
  const broken = structuredClone(fixture.payload) as Record<string, any>;
  broken.current.current.cells[0][2] = -5;
  const answer = analyzeTrace({ id: 1, payload: broken, options: {} });
  assert.equal(answer.ok, false);
  assert.match((answer as { error: string }).error, /aggregates "current\.cells\[0\]\[2\]" is -5/);
  const noTask = structuredClone(fixture.payload) as Record<string, any>;
  noTask.current.task = 'ranking';
  assert.throws(() => analyzeAggregates(noTask.current, { roles: fixture.roles }), /aggregates "task" must be binary or regression, got "ranking"/);
  const misplaced = structuredClone(fixture.payload) as Record<string, any>;
  misplaced.reference = misplaced.current;
  const refused = analyzeTrace({ id: 2, payload: misplaced, options: {} });
  assert.match((refused as { error: string }).error, /"reference" cannot hold aggregates/);
});
