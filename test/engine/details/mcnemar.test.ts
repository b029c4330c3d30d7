import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mcnemarFromDiscordant, mcnemarTest } from '../../../src/engine/details/mcnemar.js';
import { assertClose, readFixture } from './fixtures.js';

interface McNemarCase {
  baseline_only: number;
  candidate_only: number;
  method: 'exact' | 'chi-square';
  statistic: number;
  p_value: number;
  source: string;
}

const { mcnemar } = readFixture<{ mcnemar: McNemarCase[] }>('bootstrap.json');

for (const fixture of mcnemar) {
  const { baseline_only: b, candidate_only: c } = fixture;
  test(`McNemar as statsmodels' mcnemar(exact=b+c<25, correction=True): b=${b}, c=${c}`, () => {
    const result = mcnemarFromDiscordant(fixture.baseline_only, fixture.candidate_only, 200);
    assert.equal(result.method, fixture.method);
    assertClose(result.statistic, fixture.statistic, 'statistic');
    assertClose(result.p_value, fixture.p_value, `p-value (expected from ${fixture.source})`);
  });
}

test('discordant pairs are counted from which rows each run got right', () => {
  const baseline = Uint8Array.from([1, 1, 0, 0, 1, 1, 0]);
  const candidate = Uint8Array.from([1, 0, 1, 1, 0, 1, 0]);
  const result = mcnemarTest(baseline, candidate);
  assert.equal(result.baseline_only_correct, 2);
  assert.equal(result.candidate_only_correct, 2);
  assert.equal(result.shared, 7);
  assert.equal(result.p_value, 1);
  assert.throws(() => mcnemarTest(baseline, candidate.subarray(1)), /paired rows/);
});
