/**
 * One analysis request end to end, as the worker runs it: untrusted payloads in, a result or a clear message out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisRequest } from '../../src/worker/protocol.js';
import { analyzeTrace } from '../../src/worker/run.js';

const rows = Array.from({ length: 40 }, (_, i) => ({
  y: i % 2,
  y_hat: i % 3 === 0 ? 1 - (i % 2) : i % 2,
  p: ((i * 37) % 100) / 100,
  income: 1000 + ((i * 7919) % 500)
}));

function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    id: 'abc',
    name: 'run',
    created: '2026-11-22T00:00:00Z',
    roles: { label: 'y', prediction: 'y_hat', score: 'p', features: ['income'], slices: [] },
    task: 'binary',
    current: { format: 'records', data: rows },
    reference: { format: 'records', data: rows.slice(0, 30) },
    source: { kernel: 'python' },
    ...overrides
  };
}

function errorOf(body: unknown, request: Partial<AnalysisRequest> = {}): string {
  const response = analyzeTrace({ id: 1, payload: body, options: {}, ...request });
  assert.equal(response.ok, false, 'expected an error');
  return response.ok ? '' : response.error;
}

test('a records payload is analysed: accuracy equals the share of correct predictions', () => {
  const response = analyzeTrace({ id: 7, payload: payload(), options: { chunkCount: 4 } });
  assert.ok(response.ok, response.ok ? '' : response.error);
  const correct = rows.filter(row => row.y === row.y_hat).length / rows.length;
  assert.equal(response.result!.metrics.current.accuracy, correct);
  assert.equal(response.result!.rows.current, 40);
  assert.equal(response.result!.rows.reference, 30);
  assert.equal(response.result!.chunks.filter(chunk => chunk.period === 'current').length, 4);
});

test('malformed payloads name the field at fault', () => {
  assert.match(errorOf(null), /expected a JSON object, got null/);
  assert.match(errorOf([1, 2]), /expected a JSON object/);
  assert.match(errorOf(payload({ version: 2 })), /unsupported "version" 2/);
  assert.match(errorOf(payload({ task: 'ranking' })), /"task" must be binary, multiclass or regression, got "ranking"/);
  assert.match(errorOf(payload({ roles: 'y' })), /"roles" must be an object/);
  assert.match(errorOf(payload({ roles: { features: [1] } })), /"roles.features" must be a list of strings/);
  assert.match(errorOf(payload({ current: undefined })), /"current" data is missing/);
  assert.match(errorOf(payload({ current: { format: 'csv', data: '' } })), /unknown "current.format" "csv"/);
  assert.match(errorOf(payload({ current: { format: 'arrow-ipc-base64', data: '%%%' } })), /"current.data" is not valid base64/);
  assert.match(errorOf(payload({ current: { format: 'arrow-ipc-base64', data: 'SGVsbG8sIHdvcmxkISBub3QgYXJyb3c=' } })), /current\.data.*not a readable Arrow/);
  assert.match(errorOf(payload({ current: { format: 'records', data: [1, 2] } })), /"current.data" must be a list of records/);
  assert.match(errorOf(payload({ current: { format: 'too-large', rows: 5000000 } })), /too large to embed.*mt\.save/);
});

test('a role naming a missing column is an input error, not an internal one', () => {
  const response = analyzeTrace({
    id: 3,
    payload: payload({ roles: { label: 'target', prediction: 'y_hat', features: [], slices: [] } }),
    options: {}
  });
  assert.equal(response.ok, false);
  assert.ok(!response.ok && response.inputError, !response.ok ? response.error : '');
  assert.match(!response.ok ? response.error : '', /target/);
});

test('a string from the payload stays a string in the result (no markup is interpreted)', () => {
  const nasty = '<img src=x onerror=alert(1)>';
  const data = rows.map(row => ({ ...row, [nasty]: row.income }));
  const response = analyzeTrace({
    id: 4,
    payload: payload({
      roles: { label: 'y', prediction: 'y_hat', score: 'p', features: [nasty], slices: [] },
      current: { format: 'records', data },
      reference: { format: 'records', data }
    }),
    options: {}
  });
  assert.ok(response.ok, response.ok ? '' : response.error);
  assert.equal(response.result!.drift[0].feature, nasty);
});

test('details of one chunk come from that chunk\'s rows; an unknown chunk is named', () => {
  const response = analyzeTrace({ id: 8, kind: 'details', payload: payload(), options: { chunkCount: 4 }, chunk: { period: 'current', index: 1 } });
  assert.ok(response.ok, response.ok ? '' : response.error);
  // without a timestamp the chunks are runs of rows in order: chunk 1 of 4 holds rows 10–19
  const confusion = response.details?.confusion?.current?.counts.flat().reduce((sum, count) => sum + count, 0);
  assert.equal(confusion, 10);
  assert.match(
    errorOf(payload(), { kind: 'details', options: { chunkCount: 4 }, chunk: { period: 'current', index: 9 } }),
    /there is no current chunk 9 \(4 current chunks\)/
  );
});

test('two runs compare: metric deltas and per-slice deltas, the baseline named in its errors', () => {
  const withSlices = (data: unknown[]) =>
    payload({ roles: { label: 'y', prediction: 'y_hat', score: 'p', features: ['income'], slices: ['shop'] }, current: { format: 'records', data } });
  const baselineRows = rows.map((row, i) => ({ ...row, shop: i % 2 ? 'web' : 'store', y_hat: row.y }));
  const candidateRows = rows.map((row, i) => ({ ...row, shop: i % 2 ? 'web' : 'store' }));
  const response = analyzeTrace({
    id: 9,
    kind: 'compare',
    payload: withSlices(candidateRows),
    name: 'candidate',
    baseline: { payload: withSlices(baselineRows), name: 'baseline' },
    options: {}
  });
  assert.ok(response.ok, response.ok ? '' : response.error);
  const accuracy = response.comparison?.comparison.differences.find(difference => difference.metric === 'accuracy');
  assert.equal(accuracy?.baseline, 1);
  assert.equal(accuracy?.candidate, rows.filter(row => row.y === row.y_hat).length / rows.length);
  assert.deepEqual(response.comparison?.slices.map(slice => slice.value).sort(), ['store', 'web']);
  const unlabelled = baselineRows.map(({ y: _, ...rest }) => rest);
  const refused = analyzeTrace({ id: 10, kind: 'compare', payload: withSlices(candidateRows), name: 'candidate', baseline: { payload: withSlices(unlabelled), name: 'run 3' }, options: {} });
  assert.equal(refused.ok, false);
  assert.match(refused.ok ? '' : refused.error, /label column "y" not found in run 3/);
});
