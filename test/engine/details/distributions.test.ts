import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  categoricalDistribution,
  numericDistribution,
  uniqueLabel
} from '../../../src/engine/details/distributions.js';
import { prepareNumericReference } from '../../../src/engine/drift/index.js';
import { assertAllClose, assertClose, decodeFloats, readFixture } from './fixtures.js';

interface NumericCase {
  name: string;
  reference: (number | string)[] | null;
  current: (number | string)[];
  edges_from: 'reference' | 'current';
  edges: number[];
  current_counts: number[];
  below: { count: number; minimum: number | null };
  above: { count: number; maximum: number | null };
  current_missing: number;
  reference_counts?: number[];
  reference_missing?: number;
}

interface CategoricalCase {
  name: string;
  reference: (string | null)[] | null;
  current: (string | null)[];
  labels: string[];
  expected_reference: { counts: number[]; total: number; missing: number } | null;
  expected_current: { counts: number[]; total: number; missing: number };
}

const { numeric, categorical } = readFixture<{ numeric: NumericCase[]; categorical: CategoricalCase[] }>(
  'distributions.json'
);

for (const fixture of numeric) {
  const reference = fixture.reference ? decodeFloats(fixture.reference) : null;
  const current = decodeFloats(fixture.current);

  test(`numeric distribution on numpy's doane edges: ${fixture.name}`, () => {
    const distribution = numericDistribution({ name: 'x', type: 'numeric', reference, current });
    assert.equal(distribution.edges_from, fixture.edges_from);
    const inner = distribution.bins.filter(bin => bin.kind === 'bin');
    assertAllClose([...inner.map(bin => bin.start), inner.at(-1)!.end], fixture.edges, 'edges');

    // the outside buckets: present only when they hold current values
    const expectedCurrent = [...fixture.current_counts];
    const expectedKinds = inner.map(() => 'bin');
    if (fixture.below.count > 0) {
      expectedCurrent.unshift(fixture.below.count);
      expectedKinds.unshift('below');
      assert.deepEqual(distribution.bins[0], { kind: 'below', start: fixture.below.minimum, end: fixture.edges[0] });
    }
    if (fixture.above.count > 0) {
      expectedCurrent.push(fixture.above.count);
      expectedKinds.push('above');
      assert.deepEqual(distribution.bins.at(-1), {
        kind: 'above',
        start: fixture.edges.at(-1),
        end: fixture.above.maximum
      });
    }
    assert.deepEqual(
      distribution.bins.map(bin => bin.kind),
      expectedKinds
    );
    assert.deepEqual(distribution.current.counts, expectedCurrent);
    assert.equal(distribution.current.missing, fixture.current_missing);
    const currentTotal = current.length - fixture.current_missing;
    assert.equal(distribution.current.total, currentTotal);
    assertAllClose(
      distribution.current.proportions,
      expectedCurrent.map(count => count / currentTotal),
      'proportions'
    );

    if (fixture.reference_counts) {
      assert.ok(distribution.reference);
      const padded = expectedKinds.map(kind => (kind === 'bin' ? null : 0));
      let next = 0;
      const expectedReference = padded.map(value => value ?? fixture.reference_counts![next++]);
      assert.deepEqual(distribution.reference.counts, expectedReference);
      assert.equal(distribution.reference.missing, fixture.reference_missing);
    } else {
      assert.equal(distribution.reference, null);
    }
  });
}

test("the drift statistic's prepared reference gives the same bins", () => {
  const fixture = numeric[0];
  const reference = decodeFloats(fixture.reference!);
  const current = decodeFloats(fixture.current);
  const preparedReference = prepareNumericReference(reference);
  assert.deepEqual(
    numericDistribution({ name: 'x', type: 'numeric', reference, current, preparedReference }),
    numericDistribution({ name: 'x', type: 'numeric', reference, current })
  );
});

for (const fixture of categorical) {
  test(`categorical distribution, top 20 by rows over both periods: ${fixture.name}`, () => {
    const distribution = categoricalDistribution(
      { name: 'c', type: 'categorical', reference: fixture.reference, current: fixture.current },
      20
    );
    assert.deepEqual(
      distribution.categories.map(category => category.label),
      fixture.labels
    );
    assert.deepEqual(
      distribution.categories.map(category => category.kind),
      fixture.labels.map(label => (label === '(other)' ? 'other' : 'category'))
    );
    for (const [actual, expected] of [
      [distribution.reference, fixture.expected_reference],
      [distribution.current, fixture.expected_current]
    ] as const) {
      if (expected === null) {
        assert.equal(actual, null);
        continue;
      }
      assert.ok(actual);
      assert.deepEqual(actual.counts, expected.counts);
      assert.equal(actual.total, expected.total);
      assert.equal(actual.missing, expected.missing);
      assert.equal(actual.proportions.length, expected.counts.length);
      actual.proportions.forEach((share, i) => assertClose(share, expected.counts[i] / expected.total, `share ${i}`));
    }
  });
}

test('the "(other)" bucket never takes the name of a shown category', () => {
  assert.equal(uniqueLabel('(other)', new Set(['a'])), '(other)');
  assert.equal(uniqueLabel('(other)', new Set(['(other)'])), '(other 2)');
  assert.equal(uniqueLabel('(other)', new Set(['(other)', '(other 2)'])), '(other 3)');
  const values = ['(other)', ...Array.from({ length: 25 }, (_, k) => `v${k}`)];
  const distribution = categoricalDistribution(
    { name: 'c', type: 'categorical', reference: values, current: values },
    20
  );
  const labels = distribution.categories.map(category => category.label);
  assert.equal(new Set(labels).size, labels.length);
  assert.equal(distribution.categories.at(-1)?.kind, 'other');
});
