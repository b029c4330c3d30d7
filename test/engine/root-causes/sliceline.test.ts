import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultMinSupport, scoreUpperBound, sliceLine, sliceScore } from '../../../src/engine/root-causes/sliceline.js';

/** A seeded generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every slice of up to `maxLevel` predicates, scored by brute force over the rows. */
function exhaustive(columns: number[][], levels: number[], errors: number[], minSupport: number, maxLevel: number) {
  const n = errors.length;
  const mean = errors.reduce((a, b) => a + b, 0) / n;
  const found: Array<{ key: string; score: number }> = [];
  const extend = (predicates: Array<[number, number]>, from: number): void => {
    if (predicates.length > 0) {
      let size = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (predicates.every(([c, v]) => columns[c][i] === v)) {
          size++;
          sum += errors[i];
        }
      }
      if (size < minSupport || sum <= 0) {
        return;
      }
      // the formula of the paper, written out here independently of the implementation
      const score = 0.95 * ((sum / size) / mean - 1) - 0.05 * (n / size - 1);
      if (score > 0) {
        found.push({ key: predicates.map(([c, v]) => `${c}:${v}`).join('|'), score });
      }
    }
    if (predicates.length === maxLevel) {
      return;
    }
    for (let c = from; c < columns.length; c++) {
      for (let v = 0; v < levels[c]; v++) {
        extend([...predicates, [c, v]], c + 1);
      }
    }
  };
  extend([], 0);
  return found.sort((a, b) => b.score - a.score);
}

describe('SliceLine', () => {
  it('scores a slice with the formula of the paper', () => {
    // α((se/|S|)/ē − 1) − (1 − α)(n/|S| − 1), α = 0.95
    const cases = [
      { se: 40, size: 100, n: 1000, mean: 0.12 },
      { se: 5, size: 50, n: 1000, mean: 0.1 },
      { se: 300, size: 400, n: 10000, mean: 0.2 }
    ];
    for (const { se, size, n, mean } of cases) {
      const expected = 0.95 * (se / size / mean - 1) - 0.05 * (n / size - 1);
      assert.ok(Math.abs(sliceScore(se, size, n, mean) - expected) < 1e-12);
    }
    assert.equal(defaultMinSupport(1000), 32);
    assert.equal(defaultMinSupport(1_000_000), 10000);
  });

  it('bounds the score of every sub-slice from above', () => {
    const next = random(3);
    for (let trial = 0; trial < 500; trial++) {
      const n = 1000;
      const mean = 0.05 + next() * 0.3;
      const size = 32 + Math.floor(next() * 500);
      const errorSum = Math.floor(next() * size);
      const bound = scoreUpperBound(size, errorSum, 1, n, mean, 32);
      // any child: size s in [32, size], errors ≤ min(errorSum, s)
      for (let s = 32; s <= size; s += 7) {
        const childErrors = Math.min(errorSum, s);
        assert.ok(sliceScore(childErrors, s, n, mean) <= bound + 1e-9);
      }
    }
  });

  it('finds the same top slices as an exhaustive search (pruning loses nothing)', () => {
    const next = random(11);
    const n = 3000;
    const levels = [4, 3, 5, 3];
    const columns = levels.map(k => Array.from({ length: n }, () => Math.floor(next() * k)));
    const errors = Array.from({ length: n }, (_, i) => {
      const rate = columns[0][i] === 2 && columns[1][i] === 1 ? 0.6 : columns[2][i] === 4 ? 0.3 : 0.1;
      return next() < rate ? 1 : 0;
    });
    const minSupport = 40;
    const expected = exhaustive(columns, levels, errors, minSupport, 3).slice(0, 10);
    const found = sliceLine(
      columns.map(column => Uint8Array.from(column)),
      levels,
      levels.map(k => new Uint8Array(k)),
      Float64Array.from(errors),
      { minSupport, topK: 10 }
    );
    assert.deepEqual(
      found.map(slice => slice.predicates.map(p => `${p.column}:${p.code}`).join('|')),
      expected.map(slice => slice.key)
    );
    found.forEach((slice, k) => assert.ok(Math.abs(slice.score - expected[k].score) < 1e-9));
    assert.equal(found[0].predicates.length, 2);
  });

  it('finds the same top slices as an exhaustive search with real-valued errors (regression)', () => {
    const next = random(23);
    const n = 3000;
    const levels = [3, 5, 4];
    const columns = levels.map(k => Array.from({ length: n }, () => Math.floor(next() * k)));
    const errors = Array.from({ length: n }, (_, i) => (columns[1][i] === 3 && columns[2][i] === 0 ? 4 : 1) * next() * next());
    const expected = exhaustive(columns, levels, errors, 40, 3).slice(0, 10);
    const found = sliceLine(
      columns.map(column => Uint8Array.from(column)),
      levels,
      levels.map(k => new Uint8Array(k)),
      Float64Array.from(errors),
      { minSupport: 40, topK: 10 }
    );
    assert.deepEqual(
      found.map(slice => slice.predicates.map(p => `${p.column}:${p.code}`).join('|')),
      expected.map(slice => slice.key)
    );
    found.forEach((slice, k) => assert.ok(Math.abs(slice.score - expected[k].score) < 1e-9));
  });

  it('finds nothing without errors or below the minimum support', () => {
    const codes = [Uint8Array.of(0, 1, 0, 1)];
    assert.deepEqual(sliceLine(codes, [2], [new Uint8Array(2)], new Float64Array(4)), []);
    assert.deepEqual(sliceLine(codes, [2], [new Uint8Array(2)], Float64Array.of(1, 0, 0, 0), { minSupport: 5 }), []);
  });
});
