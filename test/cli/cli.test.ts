import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv';
import { assertMetricsClose } from '../engine/assert-close.js';
import { FIXTURES, ROOT, ensureFixtures, readFixture } from '../engine/fixture-files.js';
import { ANALYSIS_SCHEMA } from './result-schema.js';

const CLI = join(ROOT, 'bin', 'modeltrace.js');
const MAIN = join(ROOT, 'lib', 'cli', 'main.js');

/** Newest modification time of the TypeScript sources the CLI runs. */
function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** lib/ is what bin/modeltrace.js imports: build it when missing or older than src/engine and src/cli. */
function ensureBuilt(): void {
  const sources = Math.max(newestSource(join(ROOT, 'src', 'engine')), newestSource(join(ROOT, 'src', 'cli')));
  if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < sources) {
    spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], {
      cwd: ROOT,
      encoding: 'utf8'
    });
  }
  assert.ok(existsSync(MAIN), `${MAIN} missing: run npm run build:lib`);
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function modeltrace(...args: string[]): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const data = (file: string) => join(FIXTURES, 'analyze', file);
let scratch: string;

function writeScratch(name: string, content: string | Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

/** Exit 2 and exactly one line on stderr, containing every fragment. */
function assertBadInput(run: Run, ...fragments: string[]): void {
  assert.equal(run.status, 2, `exit status ${run.status}, stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^modeltrace: [^\n]+\n$/, `not one line: ${JSON.stringify(run.stderr)}`);
  for (const fragment of fragments) {
    assert.ok(run.stderr.includes(fragment), `stderr ${JSON.stringify(run.stderr)} does not name ${JSON.stringify(fragment)}`);
  }
}

before(() => {
  ensureFixtures();
  ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'modeltrace-cli-'));
});

after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('modeltrace analyze: success', () => {
  it('prints the analysis as JSON that follows the contract, with the numbers Python computed', () => {
    const run = modeltrace('analyze', data('current.csv'), '--reference', data('reference.csv'));
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    const result = JSON.parse(run.stdout);
    const validate = new Ajv({ strict: false, allErrors: true }).compile(ANALYSIS_SCHEMA);
    assert.ok(validate(result), JSON.stringify(validate.errors, null, 1));
    const expected = readFixture<{ metrics: { reference: Record<string, number>; current: Record<string, number> } }>(
      'analyze/expected.json'
    );
    assertMetricsClose(result.metrics.current, expected.metrics.current, 'current');
    assertMetricsClose(result.metrics.reference, expected.metrics.reference, 'reference');
    assert.equal(result.chunks.length, 20);
    assert.ok(result.alerts.length > 0);
    assert.ok(Array.isArray(result.root_causes));
  });

  it('takes roles, features and chunking from flags, and writes --out', () => {
    const out = join(scratch, 'result.json');
    const run = modeltrace(
      'analyze', data('current.arrow'), '--reference', data('reference.parquet'),
      '--label', 'y', '--prediction', 'y_hat', '--score', 'p', '--timestamp', 'ts', '--latency', 'latency_ms',
      '--features', 'x1,color', '--positive-label', '1', '--task', 'binary', '--chunk-period', '1w', '--out', out
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
    const result = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(result.drift.map((drift: { feature: string }) => drift.feature), ['x1', 'color']);
    assert.ok(result.chunks.every((chunk: { rows: number }) => chunk.rows > 0));
    assert.ok('latency_p99' in result.metrics.current);
  });

  it('--threads 2 (both threads claim features from a shared counter) gives exactly the one-thread result', () => {
    const args = ['analyze', data('current.arrow'), '--reference', data('reference.parquet'), '--timestamp', 'ts'];
    const one = modeltrace(...args, '--threads', '1');
    const two = modeltrace(...args, '--threads', '2');
    assert.equal(one.status, 0, one.stderr);
    assert.equal(two.status, 0, two.stderr);
    const result = JSON.parse(two.stdout);
    assert.ok(result.drift.length >= 2, 'the fixture has features for both threads');
    assert.equal(two.stdout, one.stdout);
  });

  it('--threads 2 reports bad input in a feature the way one thread does', () => {
    const current = writeScratch('threads-current.csv', 'y,y_hat,p,a,b\n1,1,0.9,1,x\n0,0,0.2,2,y\n1,0,0.4,3,z\n0,1,0.7,4,x\n');
    const reference = writeScratch('threads-reference.csv', 'y,y_hat,p,a\n1,1,0.9,1\n0,0,0.2,2\n1,0,0.4,3\n0,1,0.7,4\n');
    const one = modeltrace('analyze', current, '--reference', reference, '--features', 'a,b', '--threads', '1');
    const two = modeltrace('analyze', current, '--reference', reference, '--features', 'a,b', '--threads', '2');
    assertBadInput(one, 'b', reference);
    assert.deepEqual(two, one);
  });

  it('analyses multiclass JSON Lines and regression CSV without a reference', () => {
    const multiclass = modeltrace('analyze', data('multiclass.jsonl'), '--chunk-size', '100');
    assert.equal(multiclass.status, 0, multiclass.stderr);
    const result = JSON.parse(multiclass.stdout);
    assert.equal(result.task, 'multiclass');
    assert.equal(result.metrics.reference, null);
    assert.deepEqual(result.chunks.map((chunk: { rows: number }) => chunk.rows), [100, 100, 100, 100, 100, 100]);
    const regression = JSON.parse(modeltrace('analyze', data('regression.csv')).stdout);
    assert.equal(regression.task, 'regression');
    assert.ok(typeof regression.metrics.current.r2 === 'number');
  });

  it('--help', () => {
    const run = modeltrace('analyze', '--help');
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^Usage: modeltrace analyze CURRENT/);
    for (const flag of ['--reference', '--label', '--prediction', '--score', '--timestamp', '--features', '--slices', '--latency', '--model-version', '--positive-label', '--task', '--chunk-size', '--chunk-period', '--format', '--out']) {
      assert.ok(run.stdout.includes(flag), `--help does not mention ${flag}`);
    }
    assert.equal(modeltrace('--help').status, 0);
  });
});

describe('modeltrace analyze: bad input exits 2 with one line naming the culprit', () => {
  it('unknown column', () => {
    assertBadInput(modeltrace('analyze', data('current.csv'), '--label', 'outcome'), 'label column "outcome" not found', data('current.csv'));
    assertBadInput(modeltrace('analyze', data('current.csv'), '--features', 'x1,nope'), 'feature column "nope"');
  });

  it('a column missing from the reference', () => {
    const reference = writeScratch('reference-without-x1.csv', 'ts,x2,color,y,p,y_hat,latency_ms\n2024-01-01,1,red,0,0.2,0,3\n');
    assertBadInput(modeltrace('analyze', data('current.csv'), '--reference', reference), 'feature column "x1" not found', reference);
  });

  it('unreadable, empty or unsupported files', () => {
    const missing = join(scratch, 'nope.csv');
    assertBadInput(modeltrace('analyze', missing), missing, 'no such file');
    assertBadInput(modeltrace('analyze', writeScratch('empty.csv', '')), 'empty.csv: the file is empty');
    assertBadInput(modeltrace('analyze', writeScratch('header.csv', 'y,p\n')), 'header.csv: no rows');
    assertBadInput(modeltrace('analyze', join(FIXTURES, 'bad', 'garbage.parquet')), 'garbage.parquet: not a readable Parquet file');
    assertBadInput(modeltrace('analyze', writeScratch('data.xlsx', 'x')), 'data.xlsx: unsupported file type ".xlsx"');
  });

  it('duplicate column names', () => {
    assertBadInput(modeltrace('analyze', writeScratch('dup.csv', 'y,p,p\n1,0.5,0.2\n0,0.1,0.3\n')), 'dup.csv: duplicate column name "p"');
    assertBadInput(modeltrace('analyze', join(FIXTURES, 'bad', 'duplicate-columns.arrow')), 'duplicate column name "x"');
  });

  it('one class only', () => {
    assertBadInput(modeltrace('analyze', writeScratch('one.csv', 'y,p\n1,0.5\n1,0.2\n1,0.9\n')), 'column "y"', 'one class only (1)');
  });

  it('NaN, infinite and out-of-range scores, with count and first row', () => {
    const nan = writeScratch('nan.csv', 'y,p\n1,0.5\n0,nan\n1,0.9\n0,inf\n');
    assertBadInput(modeltrace('analyze', nan), 'column "p" of', 'nan.csv', '2 values are not a finite number', 'first at row 1');
    const outside = writeScratch('outside.csv', 'y,p\n1,0.5\n0,0.2\n1,1.7\n0,-0.1\n1,2\n');
    assertBadInput(modeltrace('analyze', outside), 'column "p" of', '3 values outside [0, 1], first at row 2 (1.7)');
  });

  it('unparseable timestamps', () => {
    const file = writeScratch('ts.csv', 'ts,y,p\n2024-01-01,1,0.5\n2024-01-02,0,0.2\nlast week,1,0.9\n');
    assertBadInput(modeltrace('analyze', file), 'column "ts"', 'value "last week" at row 2');
  });

  it('bad flags and flag values', () => {
    const current = data('current.csv');
    assertBadInput(modeltrace('analyze', current, '--task', 'ranking'), '--task "ranking"');
    assertBadInput(modeltrace('analyze', current, '--chunk-size', '0'), '--chunk-size "0"');
    assertBadInput(modeltrace('analyze', current, '--chunk-size', 'ten'), '--chunk-size "ten"');
    assertBadInput(modeltrace('analyze', current, '--chunk-period', '2d'), '--chunk-period "2d"');
    assertBadInput(modeltrace('analyze', current, '--chunk-size', '5', '--chunk-period', '1d'), '--chunk-size and --chunk-period');
    assertBadInput(modeltrace('analyze', current, '--format', 'xml'), '--format "xml"');
    assertBadInput(modeltrace('analyze', current, '--bogus'), "'--bogus'");
    assertBadInput(modeltrace('analyze', current, '--positive-label', 'yes'), 'positive label "yes"', 'column "y"');
    assertBadInput(modeltrace('analyze', current, '--threads', '0'), '--threads "0"');
    assertBadInput(modeltrace('analyze'), 'missing CURRENT');
    assertBadInput(modeltrace('analyse', current), 'unknown command "analyse"');
  });

});

describe('modeltrace analyze --format html', () => {
  it('writes one self-contained report: the libraries inlined, the specs as JSON, a policy that loads nothing', () => {
    const out = join(scratch, 'report.html');
    const run = modeltrace('analyze', data('current.csv'), '--reference', data('reference.csv'), '--format', 'html', '--out', out);
    assert.equal(run.status, 0, run.stderr);
    const html = readFileSync(out, 'utf8');
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.ok(!/<script[^>]+src=/.test(html) && !/<link[^>]+href=/.test(html), 'nothing is loaded from elsewhere');
    assert.ok(html.includes('globalThis.vegaInterpreter') && html.includes('vegaEmbed'));
    const specs = JSON.parse(/<script type="application\/json" id="modeltrace-specs">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null');
    assert.ok(Object.keys(specs).includes('drift-ranking'));
    assert.ok(statSync(out).size < 2 * 1024 * 1024);
  });
});
