/**
 * The explorer's two engine views: the details of one chunk (its period narrowed to the chunk's rows) and the
 * comparison of two runs' tables.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { table as columnTable } from 'arquero';

import { analyzeWithDetails, compareTables } from '../../src/engine/analyze.js';
import { InputError } from '../../src/engine/types.js';

const ROLES = { label: 'y', prediction: 'y_hat', score: 'p', timestamp: 'ts', features: ['x', 'colour'], slices: ['region'] };
const REGIONS = ['north', 'south', 'east'];

/** A period of n rows, with its timestamps shuffled (the engine sorts them) and a worse model when `broken`. */
function period(n: number, shift: number, broken = false) {
  const order = Array.from({ length: n }, (_, i) => (i * 7) % n); // a permutation when gcd(7, n) = 1
  return columnTable({
    ts: order.map(i => 1_700_000_000_000 + i * 60_000),
    y: order.map(i => (((i * 7919) % 10 >= 5) !== (i % 11 === 0) ? 1 : 0)),
    p: order.map(i => ((i * 7919) % 10) / 10 + shift * 0.05),
    y_hat: order.map(i => ((((i * 7919) % 10) / 10 + (broken && i % 3 === 0 ? 0.6 : 0)) >= 0.5 ? 1 : 0)),
    x: order.map(i => Math.cos(i) + shift),
    colour: order.map(i => ['red', 'green', 'blue', shift ? 'violet' : 'red'][i % 4]),
    region: order.map(i => REGIONS[i % 3]),
    id: order.map(i => `row-${i}`)
  });
}

describe('details of one chunk', () => {
  it('equal the details of a current period holding only that chunk\'s rows', () => {
    const current = period(1000, 1, true);
    const reference = period(1000, 0);
    const { result, details } = analyzeWithDetails(current, reference, { roles: ROLES }, { chunk: { period: 'current', index: 3 } });
    const chunk = result.chunks.find(candidate => candidate.period === 'current' && candidate.index === 3)!;
    assert.equal(chunk.rows, 100);
    // the chunk's rows, by timestamp, as a table of their own
    const first = Date.parse(chunk.start!);
    const last = Date.parse(chunk.end!);
    const alone = current.params({ first, last }).filter((row: { ts: number }, $: { first: number; last: number }) => row.ts >= $.first && row.ts <= $.last);
    assert.equal(alone.numRows(), 100);
    const expected = analyzeWithDetails(alone, reference, { roles: ROLES }).details;
    assert.deepEqual(details, expected);
    // and they differ from the whole period's
    assert.notDeepEqual(details.confusion?.current, analyzeWithDetails(current, reference, { roles: ROLES }).details.confusion?.current);
  });

  it('narrow the reference when a reference chunk is chosen, the current period staying whole', () => {
    const current = period(1000, 1);
    const reference = period(1000, 0);
    const { details } = analyzeWithDetails(current, reference, { roles: ROLES }, { chunk: { period: 'reference', index: 0 } });
    const whole = analyzeWithDetails(current, reference, { roles: ROLES }).details;
    assert.deepEqual(details.confusion?.current, whole.confusion?.current);
    const total = (counts: number[][] | undefined) => (counts ?? []).flat().reduce((sum, count) => sum + count, 0);
    assert.equal(total(details.confusion?.reference?.counts), 100);
  });

  it('name a chunk that does not exist', () => {
    assert.throws(
      () => analyzeWithDetails(period(1000, 1), period(1000, 0), { roles: ROLES }, { chunk: { period: 'current', index: 12 } }),
      (error: Error) => error instanceof InputError && /no current chunk 12 \(10 current chunks\)/.test(error.message)
    );
  });
});

describe('comparing two runs', () => {
  it('pairs rows on the id column and gives per-slice deltas of the primary metric', () => {
    const baseline = period(999, 0);
    const candidate = period(999, 0, true);
    const { comparison, slices } = compareTables(baseline, candidate, {
      roles: { ...ROLES, id: 'id' },
      names: { reference: 'baseline run', current: 'candidate run' }
    }, { resamples: 200 });
    assert.equal(comparison.paired, true);
    assert.deepEqual(comparison.rows, { baseline: 999, candidate: 999, shared: 999 });
    // accuracy of each run, counted here
    const accuracy = (table: typeof baseline, region?: string) => {
      const rows = table.objects() as Array<{ y: number; y_hat: number; region: string }>;
      const chosen = rows.filter(row => region === undefined || row.region === region);
      return chosen.filter(row => row.y === row.y_hat).length / chosen.length;
    };
    const difference = comparison.differences.find(candidateDifference => candidateDifference.metric === 'accuracy')!;
    assert.equal(difference.baseline, accuracy(baseline));
    assert.equal(difference.candidate, accuracy(candidate));
    assert.ok(difference.upper! < 0, 'the broken candidate is clearly worse');
    // the candidate is only wrong where i % 3 === 0, which is the "north" region
    assert.ok(comparison.mcnemar && comparison.mcnemar.p_value < 1e-6);
    assert.deepEqual(slices.map(slice => slice.value).sort(), [...REGIONS].sort());
    for (const slice of slices) {
      assert.ok(Math.abs(slice.change! - (accuracy(candidate, slice.value) - accuracy(baseline, slice.value))) < 1e-12, slice.value);
      assert.equal(slice.rows.current, 333);
    }
    assert.equal(slices[0].value, 'north');
  });

  it('compares independent samples without an id column and names runs missing a label', () => {
    const withoutIds = (shift: number) => period(500, shift).select('ts', 'y', 'p', 'y_hat', 'x', 'colour', 'region');
    const { comparison } = compareTables(withoutIds(0), withoutIds(1), { roles: ROLES, names: { reference: 'a', current: 'b' } }, { resamples: 100 });
    assert.equal(comparison.paired, false);
    assert.equal(comparison.mcnemar, null);
    const unlabelled = period(500, 0).select('ts', 'p', 'y_hat', 'x', 'colour', 'region');
    assert.throws(
      () => compareTables(unlabelled, period(500, 1), { roles: ROLES, names: { reference: 'run a', current: 'run b' } }),
      (error: Error) => error instanceof InputError && /run a/.test(error.message) && /y/.test(error.message)
    );
  });
});
