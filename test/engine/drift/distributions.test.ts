import assert from 'node:assert/strict';
import { test } from 'node:test';

import { chiSquareSurvival } from '../../../src/engine/stats/chi-square.js';
import { kstwoSurvival } from '../../../src/engine/stats/kstwo.js';
import { numpyMean, numpyStandardDeviation, numpySum } from '../../../src/engine/stats/numpy-reductions.js';
import { smirnovSurvival } from '../../../src/engine/stats/smirnov.js';
import { assertPValue, readFixture } from './fixtures.js';

interface Distributions {
  kstwo: { n: number; x: number; sf: number }[];
  smirnov: { n: number; x: number; sf: number }[];
  chi2: { dof: number; x: number; sf: number }[];
  reductions: { values: number[]; sum: number; std: number }[];
}

const distributions = readFixture<Distributions>('distributions.json');

test('kstwo.sf matches scipy on every branch of its method selection', () => {
  assert.ok(distributions.kstwo.length > 300, `only ${distributions.kstwo.length} kstwo points`);
  for (const { n, x, sf } of distributions.kstwo) {
    assertPValue(kstwoSurvival(x, n), sf, `kstwo.sf(${x}, ${n})`);
  }
});

test('special.smirnov matches scipy, including n = 1, x ≤ 1/n, x ≥ 1 − 1/n and n > 10⁶', () => {
  for (const { n, x, sf } of distributions.smirnov) {
    assertPValue(smirnovSurvival(n, x), sf, `smirnov(${n}, ${x})`);
  }
});

test('chi2.sf matches scipy from 1 to 200000 degrees of freedom', () => {
  for (const { dof, x, sf } of distributions.chi2) {
    assertPValue(chiSquareSurvival(x, dof), sf, `chi2.sf(${x}, ${dof})`);
  }
});

test('distribution functions reject arguments outside their domain by name', () => {
  assert.throws(() => kstwoSurvival(0.1, 2.5), /positive integer sample size, got 2.5/);
  assert.throws(() => chiSquareSurvival(1, 0), /degrees of freedom must be positive, got 0/);
});

test("sums and standard deviations round exactly as numpy's pairwise summation", () => {
  assert.ok(distributions.reductions.length > 10);
  for (const { values, sum, std } of distributions.reductions) {
    const mean = numpyMean(values);
    assert.equal(numpySum(values), sum, `np.sum of ${values.length} values`);
    assert.equal(numpyStandardDeviation(values, mean), std, `np.std of ${values.length} values`);
  }
});
