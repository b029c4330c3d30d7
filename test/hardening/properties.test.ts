/**
 * Random cases, thousands of them, through the door untrusted data take into the browser: the payload decoder and
 * the analysis behind it. Every case gives a result or an input error (a message for the card); never an internal
 * error, an exception or a hang; and no NaN or ±Infinity in a result (the charts draw from it).
 * Cases come from fast-check with the suite's fixed seed (test/setup.ts; FC_SEED=<n> explores others).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { tableFromArrays, tableToIPC } from '@uwdata/flechette';
import { table as columnTable } from 'arquero';
import { analyze } from '../../src/engine/analyze.js';
import { InputError } from '../../src/engine/types.js';
import { analyzeTrace } from '../../src/worker/run.js';

/** Counts kept for docs/reliability.md: the cases each property ran. */
export const CASES = { payloads: 3000, mutations: 2000, arrowBytes: 1500, tables: 400 };

/** Every number in a result is finite: the charts and the JSON draw from it. */
function assertFinite(value: unknown, path = 'result'): void {
  if (typeof value === 'number') {
    assert.ok(Number.isFinite(value), `${path} is ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => assertFinite(item, `${path}[${i}]`));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      assertFinite(item, `${path}.${key}`);
    }
  }
}

function answered(body: unknown): void {
  const started = performance.now();
  const response = analyzeTrace({ id: 1, payload: body, options: {} });
  assert.ok(performance.now() - started < 5000, 'answered within 5 s');
  if (response.ok) {
    assertFinite(response.result);
  } else {
    assert.equal(response.inputError, true, `an input error, not an internal one: ${response.error}`);
    assert.ok(response.error.length > 0 && !response.error.includes('\n'), 'one line');
  }
}

const rows = Array.from({ length: 60 }, (_, i) => ({ y: i % 2, y_hat: (i * 7) % 3 === 0 ? 1 : 0, p: ((i * 37) % 100) / 100, x: Math.sin(i), c: ['a', 'b'][i % 2] }));
const VALID = {
  version: 1,
  id: 'abc',
  name: 'run',
  created: '2026-11-22T00:00:00Z',
  roles: { label: 'y', prediction: 'y_hat', score: 'p', features: ['x', 'c'], slices: ['c'] },
  task: 'binary',
  current: { format: 'records', data: rows },
  reference: { format: 'records', data: rows.slice(0, 40) },
  source: { kernel: 'python' }
};

describe('the payload decoder and analysis, on random input', () => {
  it(`answers ${CASES.payloads} random JSON values with a result or a message`, () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), body => answered(body)), { numRuns: CASES.payloads });
  });

  it(`answers ${CASES.mutations} valid payloads with one field replaced by random JSON`, () => {
    const paths = [
      ['version'], ['id'], ['name'], ['task'], ['roles'], ['roles', 'label'], ['roles', 'features'], ['roles', 'slices'],
      ['roles', 'score'], ['current'], ['current', 'format'], ['current', 'data'], ['reference'], ['reference', 'data'],
      ['positive_label'], ['current', 'data', '0'], ['current', 'data', '0', 'p'], ['current', 'data', '5', 'y']
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), (path, value) => {
        const body = structuredClone(VALID) as Record<string, unknown>;
        let target = body as Record<string, unknown>;
        for (const key of path.slice(0, -1)) {
          target = target[key] as Record<string, unknown>;
        }
        target[path[path.length - 1]] = value;
        answered(body);
      }),
      { numRuns: CASES.mutations }
    );
  });

  it(`answers ${CASES.arrowBytes} truncated or corrupted Arrow streams with a result or a message`, () => {
    const stream = tableToIPC(
      tableFromArrays({
        y: Int32Array.from(rows, row => row.y),
        y_hat: Int32Array.from(rows, row => row.y_hat),
        p: Float64Array.from(rows, row => row.p),
        x: Float64Array.from(rows, row => row.x),
        c: rows.map(row => row.c)
      }),
      { format: 'stream' }
    ) as Uint8Array;
    fc.assert(
      fc.property(
        fc.nat({ max: stream.length }),
        fc.array(fc.tuple(fc.nat({ max: stream.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (length, flips) => {
          const bytes = stream.slice(0, length);
          for (const [at, value] of flips) {
            if (at < bytes.length) {
              bytes[at] = value;
            }
          }
          answered({ ...VALID, current: { format: 'arrow-ipc-base64', data: Buffer.from(bytes).toString('base64') }, reference: null });
        }
      ),
      { numRuns: CASES.arrowBytes }
    );
  });
});

describe('analyze, on random tables', () => {
  it(`gives finite numbers or an input error for ${CASES.tables} tables with NaN, ±Infinity, nulls, constants and huge values`, () => {
    const number = fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, 1e300, -1e300, 5e-324) },
      { weight: 1, arbitrary: fc.constant(null) }
    );
    const category = fc.oneof(fc.constantFrom('a', 'b', 'c', '', 'ü', '<img src=x>'), fc.constant(null), fc.string({ maxLength: 3 }));
    const column = (n: number) =>
      fc.oneof(fc.array(number, { minLength: n, maxLength: n }), fc.array(category, { minLength: n, maxLength: n }), fc.constant(new Array(n).fill(3)));
    const period = (n: number) =>
      fc.record({
        y: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
        y_hat: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
        p: fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1)), { minLength: n, maxLength: n }),
        f: column(n),
        g: column(n)
      });
    const sizes = fc.tuple(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 120 }));
    fc.assert(
      fc.property(
        sizes.chain(([n, m]) => fc.tuple(period(n), period(m), fc.integer({ min: 1, max: 12 }))),
        ([current, reference, chunkCount]) => {
          try {
            const result = analyze(columnTable(current), columnTable(reference), {
              roles: { label: 'y', prediction: 'y_hat', score: 'p', features: ['f', 'g'], slices: [] },
              task: 'binary',
              chunkCount
            });
            assertFinite(result);
          } catch (error) {
            assert.ok(error instanceof InputError, `an input error, not ${String(error)}`);
          }
        }
      ),
      { numRuns: CASES.tables }
    );
  });
});
