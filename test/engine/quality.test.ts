import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countKinds, encodeFeature, featureTypeOf } from '../../src/engine/columns.js';
import { categorySet, featureQuality, mostFrequent, outOfRangeShare, unseenCategories, valueRange } from '../../src/engine/quality.js';

const encode = (values: unknown[], type?: 'numeric' | 'categorical') => {
  const counts = countKinds(values);
  return encodeFeature(values, type ?? featureTypeOf(counts), counts);
};

describe('data quality', () => {
  it('numeric: missing rates, out-of-range share and type mismatches', () => {
    const quality = featureQuality('x', encode([0, 5, null, 20, -1, 'bad', NaN, 3]), encode([0, 1, 2, 10, null]));
    assert.deepEqual(quality, {
      feature: 'x',
      missing: { reference: 0.2, current: 2 / 8 },
      unseen: [],
      unseen_count: 0,
      out_of_range: 2 / 5,
      type_mismatches: { reference: 0, current: 1 }
    });
  });

  it('categorical: unseen categories, most frequent first, 50 listed at most', () => {
    const current = ['a', 'z', 'z', 'y', null, ...Array.from({ length: 60 }, (_, i) => `new${String(i).padStart(2, '0')}`)];
    const quality = featureQuality('c', encode(current, 'categorical'), encode(['a', 'b', null, null], 'categorical'));
    assert.equal(quality.missing.reference, 0.5);
    assert.deepEqual(quality.unseen.slice(0, 4), ['z', 'new00', 'new01', 'new02']);
    assert.equal(quality.unseen.length, 50);
    assert.equal(quality.unseen_count, 62);
    assert.equal(quality.out_of_range, 0);
  });

  it('without a reference: current figures only', () => {
    const quality = featureQuality('x', encode([1, null]), null);
    assert.deepEqual(quality.missing, { reference: null, current: 0.5 });
    assert.equal(quality.out_of_range, 0);
  });

  it('helpers ignore missing values', () => {
    assert.equal(outOfRangeShare(valueRange(Float64Array.of(NaN, NaN)), Float64Array.of(1)), 0);
    assert.equal(outOfRangeShare(valueRange(Float64Array.of(1, NaN, 0)), Float64Array.of(NaN, 2, 0.5, NaN)), 0.5);
    assert.deepEqual([...unseenCategories(new Set(['a']), [null, 'b', 'b', 'a', 'b', 'c', 'a', 'c', 'c'])], [['b', 3], ['c', 3]]);
    const counts = new Map(Array.from({ length: 1000 }, (_, i): [string, number] => [`c${i}`, i % 7]));
    const expected = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 50).map(([name]) => name);
    assert.deepEqual(mostFrequent(counts, 50), expected);
    assert.deepEqual([...categorySet(['a', null, 'a'])], ['a']);
  });
});
