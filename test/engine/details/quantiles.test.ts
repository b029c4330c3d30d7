import assert from 'node:assert/strict';
import { test } from 'node:test';

import { percentilesInPlace, selectOrderStatistic } from '../../../src/engine/details/quantiles.js';
import { Xoshiro128 } from '../../../src/engine/details/random.js';
import { percentileOfSorted } from '../../../src/engine/metrics/latency.js';

test('selection gives the same percentiles as sorting (metrics/latency.ts, numpy linear)', () => {
  const random = new Xoshiro128(3);
  for (const size of [1, 2, 3, 10, 101, 1000, 4097]) {
    for (const distinct of [2, 50, 1_000_000]) {
      const values = Float64Array.from({ length: size }, () => random.nextIndex(distinct) / 7);
      const sorted = Float64Array.from(values).sort();
      const percents = [0, 0.5, 2.5, 25, 50, 97.5, 99.5, 100];
      const expected = percents.map(percent => percentileOfSorted(sorted, percent));
      assert.deepEqual(
        percentilesInPlace(Float64Array.from(values), percents),
        expected,
        `size ${size}, ${distinct} values`
      );
    }
  }
  assert.equal(percentilesInPlace(new Float64Array(0), [50]), null);
});

test('selection survives inputs that defeat median-of-three pivots', () => {
  // sorted, reversed, organ-pipe and all-equal inputs
  const size = 20_000;
  const inputs = [
    Float64Array.from({ length: size }, (_, i) => i),
    Float64Array.from({ length: size }, (_, i) => size - i),
    Float64Array.from({ length: size }, (_, i) => Math.min(i, size - i)),
    new Float64Array(size).fill(4)
  ];
  for (const values of inputs) {
    const sorted = Float64Array.from(values).sort();
    for (const k of [0, 1, size / 2, size - 1]) {
      assert.equal(selectOrderStatistic(Float64Array.from(values), k), sorted[k]);
    }
  }
});
