/**
 * The bad inputs of DESIGN section 7 through the doors of the browser and the command line: the trace payload the
 * card analyses (records and Arrow IPC) and the files the CLI reads. Each either gives a result with a warning that
 * names the column and the value, or a one-line refusal naming them; never an internal error or a blank result.
 * (The Python door: tests/python/test_errors.py, test_inputs.py and test_fuzz.py.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tableFromArrays, tableToIPC } from '@uwdata/flechette';
import { ROOT } from '../engine/fixture-files.js';
import { analyzeTrace } from '../../src/worker/run.js';
import type { AnalysisResult } from '../../src/engine/types.js';

const ROLES = { label: 'y', prediction: 'y_hat', score: 'p', timestamp: 'ts', features: ['x', 'c'], slices: [] };
const N = 400;

type Row = Record<string, unknown>;

function rows(change: (row: Row, i: number) => Row = row => row, n = N): Row[] {
  return Array.from({ length: n }, (_, i) =>
    change(
      {
        y: i % 2,
        y_hat: i % 3 === 0 ? 1 - (i % 2) : i % 2,
        p: ((i * 37) % 100) / 100,
        x: Math.cos(i),
        ts: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
        c: ['a', 'b', 'c'][i % 3]
      },
      i
    )
  );
}

function payload(current: unknown, reference: unknown = { format: 'records', data: rows() }, roles: object = ROLES): unknown {
  return { version: 1, id: 't', name: 'run', created: '2026-11-22T00:00:00Z', roles, task: 'binary', current, reference };
}

/** The analysis of a payload, or its message; an internal error fails the test. */
function throughPayload(body: unknown): { result: AnalysisResult | null; error: string | null } {
  const response = analyzeTrace({ id: 1, payload: body, options: {} });
  if (response.ok) {
    return { result: response.result, error: null };
  }
  assert.equal(response.inputError, true, `an input error, not an internal one: ${response.error}`);
  return { result: null, error: response.error };
}

const scratch = mkdtempSync(join(tmpdir(), 'modeltrace-doors-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The CLI on a file: exit 2 with one line on stderr, or exit 0 with the JSON result. */
function throughCli(name: string, content: string, args: string[]): { status: number | null; stderr: string; result: AnalysisResult | null } {
  const path = join(scratch, name);
  writeFileSync(path, content);
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'modeltrace.js'), 'analyze', path, ...args], { encoding: 'utf8' });
  if (run.status === 2) {
    assert.equal(run.stderr.trim().split('\n').length, 1, `one line on stderr: ${run.stderr}`);
    assert.doesNotMatch(run.stderr, /internal error|at .*\.js:\d+/);
  }
  return { status: run.status, stderr: run.stderr.trim(), result: run.status === 0 ? (JSON.parse(run.stdout) as AnalysisResult) : null };
}

const csv = (data: Row[]) =>
  [Object.keys(data[0]).join(','), ...data.map(row => Object.values(row).map(value => String(value)).join(','))].join('\n') + '\n';
const CLI_ROLES = ['--label', 'y', '--prediction', 'y_hat', '--score', 'p', '--timestamp', 'ts', '--features', 'x,c'];

describe('empty frames', () => {
  it('are refused by name in a payload and from a file', () => {
    assert.equal(throughPayload(payload({ format: 'records', data: [] })).error, 'current data: no rows');
    const run = throughCli('empty.csv', 'y,y_hat,p,ts,x,c\n', CLI_ROLES);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /empty\.csv: no rows$/);
  });
});

describe('one class only', () => {
  it('gives a result whose warning names the label and says roc_auc is undefined', () => {
    const { result } = throughPayload(payload({ format: 'records', data: rows(row => ({ ...row, y: 1 })) }));
    assert.equal(result?.metrics.current.roc_auc, null);
    assert.ok(result?.warnings.includes('label "y" holds one class only in current data (every row positive): roc_auc is undefined there (shown as —)'));
    // a file: with the task left to inference, one class cannot tell a classification apart, and is refused
    const oneClass = csv(rows(row => ({ ...row, y: 0 })));
    const inferred = throughCli('one-class.csv', oneClass, CLI_ROLES);
    assert.equal(inferred.status, 2);
    assert.match(inferred.stderr, /column "y" of .*one-class\.csv: one class only \(0\); classification metrics need at least two classes/);
    // with a reference holding both classes the task is known: a result, with the warning
    writeFileSync(join(scratch, 'both-classes.csv'), csv(rows()));
    const run = throughCli('one-class.csv', oneClass, [...CLI_ROLES, '--reference', join(scratch, 'both-classes.csv')]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.result?.warnings.some(warning => /label "y" holds one class only in .*one-class\.csv \(every row negative\)/.test(warning)));
  });
});

describe('all-NaN columns', () => {
  it('leave the feature without drift and say so, naming it and the period', () => {
    const allMissing = { format: 'records', data: rows(row => ({ ...row, x: null })) };
    const { result } = throughPayload(payload(allMissing));
    assert.ok(result?.warnings.includes('feature "x" has no usable value in current data: its drift is not computed'));
    assert.deepEqual(result?.drift.find(feature => feature.feature === 'x')?.methods, {});
    assert.equal(result?.data_quality.find(quality => quality.feature === 'x')?.missing.current, 1);
    // Arrow with NaN floats, as the Python emitter sends them
    const arrow = tableToIPC(
      tableFromArrays({ y: Int32Array.from(rows(), row => row.y as number), y_hat: Int32Array.from(rows(), row => row.y_hat as number), p: Float64Array.from(rows(), row => row.p as number), x: new Float64Array(N).fill(NaN) }),
      { format: 'stream' }
    ) as Uint8Array;
    const base64 = Buffer.from(arrow).toString('base64');
    const fromArrow = throughPayload(payload({ format: 'arrow-ipc-base64', data: base64 }, null, { ...ROLES, timestamp: undefined, features: ['x'] }));
    assert.ok(fromArrow.result?.warnings.includes('feature "x" has no usable value in current data: its drift is not computed'));
  });
});

describe('NaN, ±Infinity and out-of-range scores', () => {
  it('are refused, naming the column, the row and the value', () => {
    for (const [value, shown] of [['NaN', '"NaN"'], ['Infinity', '"Infinity"'], ['-Infinity', '"-Infinity"']] as const) {
      const { error } = throughPayload(payload({ format: 'records', data: rows((row, i) => ({ ...row, p: i === 5 ? value : row.p })) }));
      assert.equal(error, `column "p" of current data: 1 value is not a finite number (missing, NaN, ±Infinity or text), first at row 5 (${shown})`);
    }
    assert.equal(
      throughPayload(payload({ format: 'records', data: rows((row, i) => ({ ...row, p: i === 7 ? 1.7 : row.p })) })).error,
      'column "p" of current data: 1 value outside [0, 1], first at row 7 (1.7)'
    );
    const run = throughCli('scores.csv', csv(rows((row, i) => ({ ...row, p: i === 3 ? -0.5 : row.p }))), CLI_ROLES);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /column "p" of .*scores\.csv: 1 value outside \[0, 1\], first at row 3 \(-0\.5\)/);
  });
});

describe('mixed types', () => {
  it('count as missing in a numeric feature, with a warning naming the first value and its row', () => {
    const { result } = throughPayload(payload({ format: 'records', data: rows((row, i) => ({ ...row, x: i % 7 === 3 ? 'oops' : row.x })) }));
    assert.ok(result?.warnings.includes('feature "x" of current data: 57 values are not numbers (first "oops" at row 3); they count as missing'));
    assert.equal(result?.data_quality.find(quality => quality.feature === 'x')?.type_mismatches.current, 57);
  });
});

describe('unparseable timestamps', () => {
  it('are refused, naming the column, the value and the row', () => {
    const { error } = throughPayload(payload({ format: 'records', data: rows((row, i) => ({ ...row, ts: i === 9 ? 'yesterday' : row.ts })) }));
    assert.equal(error, 'column "ts" of current data: value "yesterday" at row 9 is not a timestamp');
    const lines = '{"y":1,"y_hat":1,"ts":"2026-01-01"}\n{"y":0,"y_hat":1,"ts":"nope"}\n';
    const run = throughCli('ts.jsonl', lines, ['--label', 'y', '--prediction', 'y_hat', '--timestamp', 'ts']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /column "ts" of .*ts\.jsonl: value "nope" at row 1 is not a timestamp$/);
  });
});

describe('a million distinct categories', () => {
  it('are analysed (each unseen, 50 listed) in seconds, not refused or frozen', () => {
    const n = 1_000_000;
    const table = (prefix: string) =>
      Buffer.from(
        tableToIPC(
          tableFromArrays({
            y: Int32Array.from({ length: n }, (_, i) => i % 2),
            y_hat: Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 - (i % 2) : i % 2)),
            c: Array.from({ length: n }, (_, i) => `${prefix}${i}`)
          }),
          { format: 'stream' }
        ) as Uint8Array
      ).toString('base64');
    const started = performance.now();
    const { result } = throughPayload(
      payload({ format: 'arrow-ipc-base64', data: table('now-') }, { format: 'arrow-ipc-base64', data: table('then-') }, { label: 'y', prediction: 'y_hat', features: ['c'], slices: [] })
    );
    const seconds = (performance.now() - started) / 1000;
    const quality = result?.data_quality.find(entry => entry.feature === 'c');
    assert.equal(quality?.unseen_count, n);
    assert.equal(quality?.unseen.length, 50);
    assert.ok(result?.drift.find(feature => feature.feature === 'c')?.methods.chi2);
    assert.ok(seconds < 30, `${seconds.toFixed(1)} s`);
  });
});

describe('duplicate column names', () => {
  it('are refused by name from a file', () => {
    const run = throughCli('dup.csv', 'y,y_hat,x,x\n1,1,0.5,2\n0,1,0.2,3\n', ['--label', 'y', '--prediction', 'y_hat']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /dup\.csv: duplicate column name "x"$/);
  });
});
