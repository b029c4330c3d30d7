import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sortFloat64, sortOrder, sortWithPayload } from '../../src/engine/sorting.js';

/** The values ascending, each still paired with its payload. */
function assertSortedWithPayload(values: Float64Array, payload: Uint32Array, label: string): void {
  const result = sortWithPayload(values, payload);
  // equal values (−0 and 0 among them) may come in any order
  const plain = (sorted: ArrayLike<number>): number[] => Array.from(sorted, value => value + 0);
  assert.deepEqual(plain(result.values), plain(Array.from(values).sort((a, b) => a - b)), `${label}: values`);
  const pairs = (keys: ArrayLike<number>, carried: ArrayLike<number>): string[] =>
    Array.from(keys, (key, i) => `${Object.is(key, -0) ? '-0' : key}:${carried[i]}`).sort();
  assert.deepEqual(pairs(result.values, result.payload), pairs(values, payload), `${label}: each value keeps its payload`);
}

describe('sorting kernels', () => {
  it('sortWithPayload sorts values of every shape and moves the payload along', () => {
    const random = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const next = random(11);
    const n = 30000;
    const inputs: Array<[string, Float64Array]> = [
      ['uniform', Float64Array.from({ length: n }, () => next())],
      ['sigmoid scores', Float64Array.from({ length: n }, () => 1 / (1 + Math.exp(-30 * (next() - 0.7))))],
      ['few values', Float64Array.from({ length: n }, () => Math.floor(next() * 5) / 4)],
      ['spread over many orders of magnitude', Float64Array.from({ length: n }, () => Math.exp(-700 * next()))],
      ['one outlier', Float64Array.from({ length: n }, (_, i) => (i === 3 ? 1e300 : next() * 1e-6))],
      ['subnormal range', Float64Array.from({ length: n }, (_, i) => (i % 3) * 5e-324)],
      ['negative and signed zeros', Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? (i % 2 ? -0 : 0) : next() - 0.5))],
      ['infinities', Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? -Infinity : i % 89 === 0 ? Infinity : next()))],
      ['all equal', new Float64Array(n).fill(0.25)],
      ['one value', Float64Array.of(0.5)],
      ['none', new Float64Array(0)]
    ];
    for (const [label, values] of inputs) {
      assertSortedWithPayload(values, Uint32Array.from({ length: values.length }, (_, i) => i), label);
    }
  });

  it('sortWithPayload agrees with a plain sort on random small inputs', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 300 }), values => {
        assertSortedWithPayload(Float64Array.from(values), Uint32Array.from(values, (_, i) => i), 'random');
      }),
      { numRuns: 200 }
    );
  });

  it('sortFloat64 and sortOrder sort ascending', () => {
    const values = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 1e3);
    const expected = Array.from(values).sort((a, b) => a - b);
    assert.deepEqual(Array.from(sortOrder(values), row => values[row]), expected);
    assert.deepEqual(Array.from(sortFloat64(values.slice())), expected);
  });
});
