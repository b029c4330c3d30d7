/**
 * Properties that must hold for any data, checked on generated samples: the bucket grid gives the same KS
 * statistic and Wasserstein distance as a plain sort-and-merge evaluation of scipy's formulas; results do not depend
 * on row order or on missing values; and no result is ever NaN or outside its range.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';

import { categoricalDrift, numericDrift } from '../../../src/engine/drift/index.js';
import { numericSample } from '../../../src/engine/drift/numeric-sample.js';
import { buildTwoSampleGrid } from '../../../src/engine/drift/two-sample-grid.js';
import type { DriftMethods } from '../../../src/engine/types.js';

/** scipy's ks_2samp statistic on sorted copies: max |i/n₁ − j/n₂| after each distinct value. */
function sortedKsStatistic(reference: Float64Array, current: Float64Array): number {
  const sortedReference = reference.slice().sort();
  const sortedCurrent = current.slice().sort();
  let i = 0;
  let j = 0;
  let largest = 0;
  while (i < sortedReference.length || j < sortedCurrent.length) {
    const value = Math.min(sortedReference[i] ?? Infinity, sortedCurrent[j] ?? Infinity);
    while (sortedReference[i] === value) i++;
    while (sortedCurrent[j] === value) j++;
    largest = Math.max(largest, Math.abs(i / sortedReference.length - j / sortedCurrent.length));
  }
  return largest;
}

/** scipy's wasserstein_distance on sorted copies: Σ |F_ref − F_cur| · Δx between consecutive values. */
function sortedWasserstein(reference: Float64Array, current: Float64Array): number {
  const all = Float64Array.from([...reference, ...current]).sort();
  const sortedReference = reference.slice().sort();
  const sortedCurrent = current.slice().sort();
  let i = 0;
  let j = 0;
  let total = 0;
  for (let k = 0; k + 1 < all.length; k++) {
    while (i < sortedReference.length && sortedReference[i] <= all[k]) i++;
    while (j < sortedCurrent.length && sortedCurrent[j] <= all[k]) j++;
    total += Math.abs(i / sortedReference.length - j / sortedCurrent.length) * (all[k + 1] - all[k]);
  }
  return total;
}

/** Samples large enough for the bucket grid, shaped to stress it: ties, clusters, outliers, skew, wide ranges. */
const gridSample = fc.oneof(
  fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1200, maxLength: 2500 }),
  fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1200, maxLength: 2500 }),
  fc.array(
    fc.oneof(fc.constant(0), fc.double({ min: -1, max: 1, noNaN: true }), fc.constant(1e9)),
    { minLength: 1200, maxLength: 2500 }
  ),
  // heavy right tail: most values crowd the first buckets, which the grid then splits
  fc.array(fc.double({ min: -12, max: 12, noNaN: true }).map(Math.exp), { minLength: 1200, maxLength: 2500 })
);

function shuffled(values: Float64Array, seed: number): Float64Array {
  const copy = values.slice();
  let state = seed >>> 0 || 1;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1664525 + 1013904223) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function assertAllFiniteAndInRange(methods: DriftMethods): void {
  for (const value of Object.values(methods).flatMap((method) => Object.values(method))) {
    assert.ok(Number.isFinite(value), `non-finite value in ${JSON.stringify(methods)}`);
  }
  if (methods.ks) {
    assert.ok(methods.ks.statistic >= 0 && methods.ks.statistic <= 1);
    assert.ok(methods.ks.p_value >= 0 && methods.ks.p_value <= 1);
  }
  if (methods.jensen_shannon) {
    assert.ok(methods.jensen_shannon.value >= 0 && methods.jensen_shannon.value <= 1 + 1e-12);
  }
  if (methods.psi) {
    assert.ok(methods.psi.value >= 0);
  }
  if (methods.wasserstein) {
    assert.ok(methods.wasserstein.value >= 0 && methods.wasserstein.normed >= 0);
  }
  if (methods.chi2) {
    assert.ok(methods.chi2.statistic >= 0);
    assert.ok(methods.chi2.p_value >= 0 && methods.chi2.p_value <= 1);
  }
}

test('the bucket grid gives the sorted KS statistic exactly and the sorted W1 to 1e-12', () => {
  fc.assert(
    fc.property(gridSample, gridSample, (referenceValues, currentValues) => {
      const reference = Float64Array.from(referenceValues);
      const current = Float64Array.from(currentValues);
      const methods = numericDrift(reference, current);
      const statistic = sortedKsStatistic(reference, current);
      if (Math.max(reference.length, current.length) > 10_000) {
        assert.equal(methods.ks?.statistic, statistic);
      } else {
        // the exact path reports h / lcm with h = round(D·lcm), equal to D up to rounding
        assert.ok(Math.abs((methods.ks?.statistic ?? NaN) - statistic) <= 1e-15);
      }
      // both sums round over thousands of terms in different orders: they agree to ~1e-12, scipy's bar is 1e-9
      const distance = sortedWasserstein(reference, current);
      assert.ok(
        Math.abs((methods.wasserstein?.value ?? NaN) - distance) <= 1e-10 * distance + 1e-300,
        `W1 ${methods.wasserstein?.value} vs sorted ${distance}`
      );
    }),
    // samples of thousands of values: shrinking a failure would take longer than the failure is worth
    { numRuns: 40, endOnFailure: true }
  );
});

test('numeric drift does not depend on row order', () => {
  fc.assert(
    fc.property(gridSample, gridSample, fc.integer(), (referenceValues, currentValues, seed) => {
      const reference = Float64Array.from(referenceValues);
      const current = Float64Array.from(currentValues);
      const original = numericDrift(reference, current);
      const reordered = numericDrift(shuffled(reference, seed), shuffled(current, seed + 1));
      assert.deepEqual(reordered.ks, original.ks);
      assert.deepEqual(reordered.jensen_shannon, original.jensen_shannon);
      assert.deepEqual(reordered.psi, original.psi);
      const w = original.wasserstein?.value ?? 0;
      assert.ok(Math.abs((reordered.wasserstein?.value ?? NaN) - w) <= 1e-10 * w + 1e-300);
    }),
    { numRuns: 20, endOnFailure: true }
  );
});

test('missing values change nothing: NaN rows are excluded from every numeric statistic', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 }), { minLength: 1, maxLength: 300 }),
      fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 }), { minLength: 1, maxLength: 300 }),
      fc.array(fc.nat(), { maxLength: 50 }),
      (referenceValues, currentValues, nanPositions) => {
        const withNaN = (values: number[]) => {
          const copy = [...values];
          for (const position of nanPositions) {
            copy.splice(position % (copy.length + 1), 0, NaN);
          }
          return Float64Array.from(copy);
        };
        const clean = numericDrift(Float64Array.from(referenceValues), Float64Array.from(currentValues));
        const missing = numericDrift(withNaN(referenceValues), withNaN(currentValues));
        assert.deepEqual(missing, clean);
      }
    ),
    { numRuns: 60 }
  );
});

test('numeric drift never returns NaN or Infinity, whatever the doubles', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double(), { maxLength: 60 }),
      fc.array(fc.double(), { maxLength: 60 }),
      (referenceValues, currentValues) => {
        assertAllFiniteAndInRange(numericDrift(Float64Array.from(referenceValues), Float64Array.from(currentValues)));
      }
    ),
    { numRuns: 300 }
  );
});

test('categorical drift never returns NaN and keeps every value in range', () => {
  const category = fc.oneof(fc.constantFrom('a', 'b', 'c', 'd'), fc.string({ maxLength: 2 }), fc.constant(null));
  fc.assert(
    fc.property(fc.array(category, { maxLength: 80 }), fc.array(category, { maxLength: 80 }), (reference, current) => {
      assertAllFiniteAndInRange(categoricalDrift(reference, current));
    }),
    { numRuns: 300 }
  );
});

test('identical columns show no drift', () => {
  const values = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 100);
  const methods = numericDrift(values, values.slice());
  assert.deepEqual(methods.ks, { statistic: 0, p_value: 1 });
  assert.equal(methods.jensen_shannon?.value, 0);
  assert.equal(methods.psi?.value, 0);
  assert.deepEqual(methods.wasserstein, { value: 0, normed: 0 });
  const categories = Array.from({ length: 500 }, (_, i) => `c${i % 7}`);
  const categorical = categoricalDrift(categories, categories);
  assert.equal(categorical.jensen_shannon?.value, 0);
  assert.equal(categorical.psi?.value, 0);
  assert.deepEqual(categorical.chi2, { statistic: 0, p_value: 1 });
});

test('crowded buckets are split and the grid stays exact on skewed data', () => {
  const skewed = Float64Array.from({ length: 4000 }, (_, i) => Math.exp(8 * Math.sin(i * 12.9898) ** 3));
  const shifted = skewed.map((value) => value * 1.05);
  const grid = buildTwoSampleGrid(numericSample(skewed), numericSample(shifted));
  assert.ok(grid.split !== null && grid.bucketCount > grid.rootCount, 'no bucket was split');
  for (let bucket = 0; bucket < grid.bucketCount; bucket++) {
    assert.ok(grid.starts[bucket] <= grid.starts[bucket + 1], `bucket ${bucket} ends before it starts`);
  }
  const methods = numericDrift(skewed, shifted);
  // 4000 values take scipy's exact path, which reports D as h / lcm
  assert.ok(Math.abs((methods.ks?.statistic ?? NaN) - sortedKsStatistic(skewed, shifted)) <= 1e-15);
  const distance = sortedWasserstein(skewed, shifted);
  assert.ok(Math.abs((methods.wasserstein?.value ?? NaN) - distance) <= 1e-12 * distance);
});
