import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Xoshiro128 } from '../../../src/engine/details/random.js';
import { readFixture } from './fixtures.js';

interface PrngCase {
  seed: number;
  uint32: number[];
  doubles: number[];
  indices: Record<string, number[]>;
}

const { prng } = readFixture<{ prng: PrngCase[] }>('bootstrap.json');

for (const fixture of prng) {
  test(`xoshiro128** seeded by SplitMix64 matches its Python transcription: seed ${fixture.seed}`, () => {
    const random = new Xoshiro128(fixture.seed);
    assert.deepEqual(
      Array.from({ length: fixture.uint32.length }, () => random.nextUint32()),
      fixture.uint32
    );
    assert.deepEqual(
      Array.from({ length: fixture.doubles.length }, () => random.nextDouble()),
      fixture.doubles
    );
    for (const [n, expected] of Object.entries(fixture.indices)) {
      assert.deepEqual(
        Array.from({ length: expected.length }, () => random.nextIndex(Number(n))),
        expected,
        `n = ${n}`
      );
    }
  });
}

test('indices are uniform: each of 7 values about 1/7 of 70,000 draws', () => {
  const random = new Xoshiro128(5);
  const counts = new Array(7).fill(0);
  for (let i = 0; i < 70_000; i++) {
    counts[random.nextIndex(7)]++;
  }
  // chi-square with 6 degrees of freedom; 27.9 is its 0.9999 quantile
  const statistic = counts.reduce((sum, count) => sum + (count - 10_000) ** 2 / 10_000, 0);
  assert.ok(statistic < 27.9, `chi-square ${statistic}, counts ${counts}`);
});

test('a seed must be a whole number in [0, 2^53)', () => {
  assert.throws(() => new Xoshiro128(-1), /random seed -1/);
  assert.throws(() => new Xoshiro128(0.5), /random seed 0.5/);
});
