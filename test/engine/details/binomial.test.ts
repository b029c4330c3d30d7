import assert from 'node:assert/strict';
import { test } from 'node:test';

import { binomial, multinomial } from '../../../src/engine/details/binomial.js';
import { Xoshiro128 } from '../../../src/engine/details/random.js';
import { readFixture } from './fixtures.js';

interface BinomialCase {
  trials: number;
  probability: number;
  draws: number;
  /** [first outcome, last outcome, probability of the range], from scipy.stats.binom.pmf. */
  cells: [number, number, number][];
  critical: number;
}

interface MultinomialCase {
  trials: number;
  weights: number[];
  draws: number;
  /** [[x0, x1], probability] of the frequent outcomes, from scipy.stats.multinomial.pmf; the rest pooled. */
  cells: [[number, number], number][];
  rest: number;
  critical: number;
}

const { binomial: binomialCases, multinomial: multinomialCase } = readFixture<{
  binomial: BinomialCase[];
  multinomial: MultinomialCase;
}>('bootstrap.json');

/** The cell whose range [first, last] holds k (the cells cover 0 … trials in order). */
function cellOf(cells: [number, number, number][], k: number): number {
  let low = 0;
  let high = cells.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cells[middle][1] < k) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

for (const fixture of binomialCases) {
  const { trials, probability, draws } = fixture;
  test(`Binomial(${trials}, ${probability}) draws fit scipy's pmf (chi-square goodness of fit)`, () => {
    const random = new Xoshiro128(2024);
    const observed = new Array(fixture.cells.length).fill(0);
    for (let i = 0; i < draws; i++) {
      const k = binomial(random, trials, probability);
      assert.ok(Number.isInteger(k) && k >= 0 && k <= trials, `draw ${k}`);
      observed[cellOf(fixture.cells, k)]++;
    }
    const statistic = fixture.cells.reduce(
      (sum, [, , mass], c) => sum + (observed[c] - mass * draws) ** 2 / (mass * draws),
      0
    );
    assert.ok(
      statistic < fixture.critical,
      `chi-square ${statistic} over ${fixture.cells.length} cells, limit ${fixture.critical}`
    );
  });
}

test(`Multinomial draws fit scipy's pmf (chi-square goodness of fit)`, () => {
  const { trials, weights, draws } = multinomialCase;
  const random = new Xoshiro128(99);
  const counts = new Float64Array(weights.length);
  const observed = new Map<string, number>();
  let rest = 0;
  const frequent = new Set(multinomialCase.cells.map(([outcome]) => outcome.join()));
  for (let i = 0; i < draws; i++) {
    multinomial(random, trials, weights, counts);
    assert.equal(
      counts.reduce((sum, count) => sum + count, 0),
      trials
    );
    const key = `${counts[0]},${counts[1]}`;
    if (frequent.has(key)) {
      observed.set(key, (observed.get(key) ?? 0) + 1);
    } else {
      rest++;
    }
  }
  let statistic = (rest - multinomialCase.rest * draws) ** 2 / (multinomialCase.rest * draws);
  for (const [outcome, probability] of multinomialCase.cells) {
    statistic += ((observed.get(outcome.join()) ?? 0) - probability * draws) ** 2 / (probability * draws);
  }
  assert.ok(statistic < multinomialCase.critical, `chi-square ${statistic}, limit ${multinomialCase.critical}`);
});

test('degenerate probabilities and zero trials', () => {
  const random = new Xoshiro128(1);
  assert.equal(binomial(random, 10, 0), 0);
  assert.equal(binomial(random, 10, 1), 10);
  assert.equal(binomial(random, 0, 0.5), 0);
  const counts = new Float64Array(3);
  multinomial(random, 7, [0, 4, 0], counts);
  assert.deepEqual([...counts], [0, 7, 0]);
});
