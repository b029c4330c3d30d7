import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  categoricalDrift,
  categoricalJensenShannon,
  prepareCategoricalReference
} from '../../../src/engine/drift/index.js';
import { assertPValue, assertStatistic, readFixture } from './fixtures.js';

interface CategoricalCase {
  name: string;
  reference: (string | null)[];
  current: (string | null)[];
  expected: {
    jensen_shannon: number | null;
    psi: number | null;
    chi2: { statistic: number; p_value: number } | null;
  };
}

const { cases } = readFixture<{ cases: CategoricalCase[] }>('categorical.json');

test('the categorical fixtures cover the documented cases', () => {
  const names = cases.map((fixture) => fixture.name).join('\n');
  for (const topic of ['unseen', 'Yates', 'dof 0', 'null', '3000 categories']) {
    assert.ok(names.includes(topic), `no categorical case about "${topic}"`);
  }
});

for (const fixture of cases) {
  test(`categorical drift matches scipy/numpy: ${fixture.name}`, () => {
    const methods = categoricalDrift(fixture.reference, fixture.current);
    const { expected } = fixture;
    assertStatistic(methods.jensen_shannon?.value, expected.jensen_shannon, 'jensen_shannon');
    assertStatistic(methods.psi?.value, expected.psi, 'psi');
    assertStatistic(methods.chi2?.statistic, expected.chi2?.statistic ?? null, 'chi2 statistic');
    assertPValue(methods.chi2?.p_value, expected.chi2?.p_value ?? null, 'chi2 p-value');
    assert.equal(methods.ks, undefined);
    assert.equal(methods.wasserstein, undefined);
  });

  test(`prepared categorical reference gives the same Jensen-Shannon: ${fixture.name}`, () => {
    const prepared = prepareCategoricalReference(fixture.reference);
    assertStatistic(categoricalJensenShannon(prepared, fixture.current), fixture.expected.jensen_shannon, 'chunk');
  });
}
