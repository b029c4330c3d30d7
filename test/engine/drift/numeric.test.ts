import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  numericDrift,
  numericJensenShannon,
  prepareNumericReference
} from '../../../src/engine/drift/index.js';
import { numericSample } from '../../../src/engine/drift/numeric-sample.js';
import { referenceDecileEdges, markDecileBuckets } from '../../../src/engine/drift/psi.js';
import { buildTwoSampleGrid, resolveMarkedBuckets } from '../../../src/engine/drift/two-sample-grid.js';
import { assertPValue, assertStatistic, readFixture, readSamples } from './fixtures.js';

interface SampleLocation {
  offset: number;
  length: number;
}

interface NumericCase {
  name: string;
  reference: SampleLocation;
  current: SampleLocation;
  expected: {
    ks: { statistic: number; p_value: number } | null;
    jensen_shannon: number | null;
    psi: number | null;
    wasserstein: { value: number; normed: number } | null;
  };
  doane_edges: number[] | null;
  decile_edges: number[] | null;
  chunk_jensen_shannon: (number | null)[];
}

const { cases } = readFixture<{ cases: NumericCase[] }>('numeric.json');
const samples = readSamples('numeric.f64');

function sample(location: SampleLocation): Float64Array {
  return samples.slice(location.offset, location.offset + location.length);
}

/** DESIGN section 4: 10 chunks of ⌊n/10⌋ rows, the last keeping the remainder (one chunk below 10 rows). */
function chunks(values: Float64Array): Float64Array[] {
  const size = Math.floor(values.length / 10);
  if (size === 0) {
    return [values];
  }
  return Array.from({ length: 10 }, (_, i) => values.subarray(i * size, i < 9 ? (i + 1) * size : values.length));
}

test('the numeric fixtures cover the documented cases', () => {
  assert.ok(cases.length >= 30, `only ${cases.length} numeric cases`);
  const names = cases.map((fixture) => fixture.name).join('\n');
  for (const topic of ['ties', 'duplicates', 'constant', 'n = 1', 'n = 2', '10000 vs', '10001 vs', 'NaN', 'infinit']) {
    assert.ok(names.includes(topic), `no numeric case about "${topic}"`);
  }
});

for (const fixture of cases) {
  test(`numeric drift matches scipy/numpy: ${fixture.name}`, () => {
    const reference = sample(fixture.reference);
    const current = sample(fixture.current);
    const methods = numericDrift(reference, current);
    const { expected } = fixture;

    assertStatistic(methods.ks?.statistic, expected.ks?.statistic ?? null, 'ks statistic');
    assertPValue(methods.ks?.p_value, expected.ks?.p_value ?? null, 'ks p-value');
    assertStatistic(methods.jensen_shannon?.value, expected.jensen_shannon, 'jensen_shannon');
    assertStatistic(methods.psi?.value, expected.psi, 'psi');
    assertStatistic(methods.wasserstein?.value, expected.wasserstein?.value ?? null, 'wasserstein');
    assertStatistic(methods.wasserstein?.normed, expected.wasserstein?.normed ?? null, 'wasserstein normed');
    for (const value of Object.values(methods).flatMap((method) => Object.values(method))) {
      assert.ok(Number.isFinite(value), `non-finite value ${value} in ${JSON.stringify(methods)}`);
    }
  });

  test(`bin edges are numpy's exactly: ${fixture.name}`, () => {
    const prepared = prepareNumericReference(sample(fixture.reference));
    assert.deepEqual(prepared.edges === null ? null : Array.from(prepared.edges), fixture.doane_edges);

    const referenceSample = numericSample(sample(fixture.reference));
    const currentSample = numericSample(sample(fixture.current));
    if (referenceSample.values.length > 0 && currentSample.values.length > 0) {
      const grid = buildTwoSampleGrid(referenceSample, currentSample);
      markDecileBuckets(grid);
      const edges = referenceDecileEdges(grid, resolveMarkedBuckets(grid));
      assert.deepEqual(edges === null ? null : Array.from(edges), fixture.decile_edges);
    }
  });

  test(`per-chunk Jensen-Shannon matches NannyML's convention: ${fixture.name}`, () => {
    const prepared = prepareNumericReference(sample(fixture.reference));
    const currentChunks = chunks(sample(fixture.current));
    assert.equal(currentChunks.length, fixture.chunk_jensen_shannon.length);
    currentChunks.forEach((chunk, index) => {
      assertStatistic(
        numericJensenShannon(prepared, chunk),
        fixture.chunk_jensen_shannon[index],
        `chunk ${index} jensen_shannon`
      );
    });
  });
}
