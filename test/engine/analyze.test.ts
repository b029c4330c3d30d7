import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { table, type ColumnTable } from 'arquero';
import { analyze } from '../../src/engine/analyze.js';
import { loadTable } from '../../src/engine/load/index.js';
import { InputError, type AnalysisResult, type AnalyzeOptions } from '../../src/engine/types.js';
import { assertClose, assertMetricsClose } from './assert-close.js';
import { fixtureBytes, readFixture } from './fixture-files.js';

interface ExpectedChunk {
  period: 'reference' | 'current';
  index: number;
  start: string;
  end: string;
  rows: number;
  metrics: Record<string, number | null>;
  drift: Record<string, { jensen_shannon: number }>;
}

interface Expected {
  rows: { reference: number; current: number };
  metrics: { reference: Record<string, number | null>; current: Record<string, number | null> };
  chunks: ExpectedChunk[];
  thresholds: Record<string, { lower: number | null; upper: number | null }>;
  alerts: Array<{ index: number; metric: string; value: number; lower: number | null; upper: number | null }>;
  drifted: string[];
  data_quality: Array<{
    feature: string;
    missing: { reference: number; current: number };
    unseen: string[];
    out_of_range: number;
  }>;
}

const load = async (file: string): Promise<ColumnTable> => loadTable(fixtureBytes(`analyze/${file}`), file);
const binaryOptions: AnalyzeOptions = { roles: { features: [], slices: [] } };

/** The end-to-end case against the numbers scikit-learn / numpy / scipy computed in Python. */
function checkAgainstPython(result: AnalysisResult, expected: Expected): void {
  assert.equal(result.task, 'binary');
  assert.deepEqual(result.rows, expected.rows);
  assertMetricsClose(result.metrics.reference ?? {}, expected.metrics.reference, 'reference');
  assertMetricsClose(result.metrics.current, expected.metrics.current, 'current');

  assert.equal(result.chunks.length, expected.chunks.length);
  result.chunks.forEach((chunk, i) => {
    const want = expected.chunks[i];
    const label = `${want.period} chunk ${want.index}`;
    assert.deepEqual([chunk.period, chunk.index, chunk.rows, chunk.start, chunk.end], [want.period, want.index, want.rows, want.start, want.end]);
    assertMetricsClose(chunk.metrics, want.metrics, label);
    for (const [feature, value] of Object.entries(want.drift)) {
      assertClose(chunk.drift[feature]?.jensen_shannon, value.jensen_shannon, `${label} drift ${feature}`);
    }
  });

  assert.deepEqual(Object.keys(result.thresholds).sort(), Object.keys(expected.thresholds).sort());
  for (const [metric, bound] of Object.entries(expected.thresholds)) {
    assertClose(result.thresholds[metric].lower, bound.lower, `${metric} lower`);
    assertClose(result.thresholds[metric].upper, bound.upper, `${metric} upper`);
  }

  const key = (alert: { index: number; metric: string }) => `${alert.index} ${alert.metric}`;
  assert.deepEqual(result.alerts.map(key).sort(), expected.alerts.map(key).sort());
  assert.ok(expected.alerts.length > 0, 'the fixture must produce alerts');
  for (const alert of result.alerts) {
    const want = expected.alerts.find(other => key(other) === key(alert));
    assertClose(alert.value, want?.value ?? null, `alert ${key(alert)}`);
  }
  assert.deepEqual(result.drift.filter(drift => drift.drifted).map(drift => drift.feature).sort(), expected.drifted);

  for (const want of expected.data_quality) {
    const quality = result.data_quality.find(entry => entry.feature === want.feature);
    assert.ok(quality, `data quality of ${want.feature}`);
    assertClose(quality.missing.reference, want.missing.reference, `${want.feature} missing reference`);
    assertClose(quality.missing.current, want.missing.current, `${want.feature} missing current`);
    assert.deepEqual(quality.unseen, want.unseen);
    assertClose(quality.out_of_range, want.out_of_range, `${want.feature} out of range`);
  }
}

describe('analyze, end to end against Python', () => {
  let expected: Expected;
  before(() => {
    expected = readFixture<Expected>('analyze/expected.json');
  });

  for (const format of ['arrow', 'feather', 'parquet', 'csv']) {
    it(`from ${format} files written in shuffled row order`, async () => {
      const result = analyze(await load(`current.${format}`), await load(`reference.${format}`), binaryOptions);
      checkAgainstPython(result, expected);
    });
  }

  it('infers the roles and says so', async () => {
    const result = analyze(await load('current.arrow'), await load('reference.arrow'), binaryOptions);
    assert.deepEqual(
      { label: result.roles.label, prediction: result.roles.prediction, score: result.roles.score, timestamp: result.roles.timestamp, latency: result.roles.latency },
      { label: 'y', prediction: 'y_hat', score: 'p', timestamp: 'ts', latency: 'latency_ms' }
    );
    assert.deepEqual(result.roles.features, ['x1', 'x2', 'color']);
    assert.deepEqual(result.inferred, ['label', 'prediction', 'score', 'timestamp', 'latency', 'features']);
  });

  it('gives every feature all its drift methods and plain JSON without NaN', async () => {
    const result = analyze(await load('current.arrow'), await load('reference.arrow'), binaryOptions);
    const methods = Object.fromEntries(result.drift.map(drift => [drift.feature, Object.keys(drift.methods).sort()]));
    assert.deepEqual(methods, {
      x1: ['jensen_shannon', 'ks', 'psi', 'wasserstein'],
      x2: ['jensen_shannon', 'ks', 'psi', 'wasserstein'],
      color: ['chi2', 'jensen_shannon', 'psi']
    });
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
    assert.ok(Array.isArray(result.root_causes));
  });
});

describe('analyze without a reference', () => {
  it('computes current metrics and chunks, and nothing that needs a reference', async () => {
    const result = analyze(await load('current.csv'), null, binaryOptions);
    assert.equal(result.metrics.reference, null);
    assert.equal(result.rows.reference, 0);
    assert.equal(result.chunks.length, 10);
    assert.ok(result.chunks.every(chunk => chunk.period === 'current' && Object.keys(chunk.drift).length === 0));
    assert.deepEqual([result.thresholds, result.alerts, result.drift], [{}, [], []]);
    assert.equal(result.data_quality[0].missing.reference, null);
    assert.match(result.warnings.join('\n'), /no reference data/);
  });
});

describe('analyze options', () => {
  it('chunk size and calendar chunks', async () => {
    const [current, reference] = [await load('current.arrow'), await load('reference.arrow')];
    const bySize = analyze(current, reference, { ...binaryOptions, chunkSize: 500 });
    assert.deepEqual(bySize.chunks.filter(chunk => chunk.period === 'current').map(chunk => chunk.rows), [500, 500, 500, 605]);
    const byDay = analyze(current, reference, { ...binaryOptions, chunkPeriod: '1d' });
    const days = byDay.chunks.filter(chunk => chunk.period === 'reference');
    assert.equal(days[0].rows, 96);
    assert.ok(days.every(chunk => (chunk.start as string).slice(0, 10) === (chunk.end as string).slice(0, 10)));
  });

  it('custom metrics per period and per chunk, in timestamp order, with thresholds', async () => {
    const result = analyze(await load('current.csv'), await load('reference.csv'), {
      ...binaryOptions,
      customMetrics: { positive_rate: 'd => op.mean(d.y)', row_count: 'd => op.count()' }
    });
    assert.ok(result.chunks.every(chunk => chunk.metrics.row_count === chunk.rows));
    assert.equal(result.metrics.current.row_count, result.rows.current);
    // the file is shuffled: chunk 0 must hold the earliest rows, whatever their place in the file
    const earliest = (await load('reference.csv')).orderby('ts').slice(0, result.chunks[0].rows);
    const positiveRate = earliest.rollup({ m: 'd => op.mean(d.y)' }).get('m', 0) as number;
    assertClose(result.chunks[0].metrics.positive_rate, positiveRate, 'positive_rate of chunk 0');
    assert.ok('positive_rate' in result.thresholds);
  });

  it('custom metrics that do not give a number name the metric and the expression', async () => {
    assert.throws(
      () => analyze(table({ y: [0, 1], p: [0.2, 0.7], ts: ['2024-01-01', '2024-01-02'] }), null, {
        ...binaryOptions,
        customMetrics: { first_day: 'd => op.min(d.ts)' }
      }),
      /custom metric "first_day": expression "d => op\.min\(d\.ts\)" gave "2024-01-01", expected a finite number$/
    );
  });

  it('multiclass with per-class score columns found by name', async () => {
    const result = analyze(await load('multiclass.jsonl'), await load('multiclass.jsonl'), binaryOptions);
    assert.equal(result.task, 'multiclass');
    assert.deepEqual(result.roles.scores, ['p_bird', 'p_cat', 'p_dog']);
    assert.deepEqual(result.roles.features, ['x']);
    assert.deepEqual(Object.keys(result.metrics.current), ['accuracy', 'precision', 'recall', 'f1', 'log_loss', 'roc_auc']);
    assert.deepEqual(result.alerts, []);
  });

  it('regression', async () => {
    const result = analyze(await load('regression.csv'), null, binaryOptions);
    assert.equal(result.task, 'regression');
    assert.deepEqual(Object.keys(result.metrics.current), ['mae', 'rmse', 'mape', 'r2']);
    assert.equal(result.roles.label, 'target');
  });
});

describe('analyze copes with degenerate features', () => {
  it('all missing, mixed types and a constant column', () => {
    const period = (shift: number) =>
      table({
        y: Array.from({ length: 200 }, (_, i) => i % 2),
        p: Array.from({ length: 200 }, (_, i) => ((i * 37) % 100) / 100),
        all_nan: new Float64Array(200).fill(NaN),
        all_null: Array.from({ length: 200 }, () => null),
        mixed: Array.from({ length: 200 }, (_, i) => (i % 10 === 0 ? 'oops' : i + shift)),
        constant: new Float64Array(200).fill(3)
      });
    const result = analyze(period(0), period(100), { roles: { features: [], slices: [] } });
    const types = Object.fromEntries(result.drift.map(drift => [drift.feature, drift.type]));
    assert.deepEqual(types, { all_nan: 'numeric', all_null: 'categorical', mixed: 'numeric', constant: 'numeric' });
    const quality = Object.fromEntries(result.data_quality.map(entry => [entry.feature, entry]));
    assert.deepEqual(quality.all_nan.missing, { reference: 1, current: 1 });
    assert.deepEqual(quality.mixed.type_mismatches, { reference: 20, current: 20 });
    assert.equal(quality.mixed.out_of_range, 0.5);
    assert.match(result.warnings.join('\n'), /feature "all_nan" has no usable value in reference data/);
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
    assert.ok(result.drift.find(drift => drift.feature === 'mixed')?.drifted);
  });
});

describe('analyze refuses bad input with a message naming it', () => {
  const small = table({ y: [0, 1, 0, 1], p: [0.1, 0.9, 0.4, 0.6], x: [1, 2, 3, 4] });
  const rejects = (run: () => unknown, pattern: RegExp) =>
    assert.throws(run, (error: Error) => error instanceof InputError && pattern.test(error.message));

  it('columns missing from the reference', () => {
    rejects(
      () => analyze(small, table({ y: [0, 1], p: [0.2, 0.3] }), { roles: { features: [], slices: [] }, names: { reference: 'ref.csv' } }),
      /^feature column "x" not found in ref\.csv/
    );
    // checked before the labels are read, so a reference without the label column is named too
    rejects(
      () => analyze(small, table({ p: [0.2, 0.3], x: [1, 2] }), { roles: { label: 'y', features: ['x'], slices: [] }, names: { reference: 'ref.csv' } }),
      /^label column "y" not found in ref\.csv \(columns: "p", "x"\)/
    );
  });

  it('empty tables', () => {
    rejects(() => analyze(table({ y: [] }), null, { roles: { features: [], slices: [] } }), /^current data: no rows$/);
  });

  it('custom metrics whose name is taken or whose expression fails', () => {
    rejects(() => analyze(small, null, { roles: { features: [], slices: [] }, customMetrics: { accuracy: 'd => 1' } }), /custom metric "accuracy": the name is taken/);
    rejects(() => analyze(small, null, { roles: { features: [], slices: [] }, customMetrics: { m: 'd => op.bogus(d.x)' } }), /custom metric "m": cannot evaluate expression "d => op\.bogus\(d\.x\)"/);
  });
});
