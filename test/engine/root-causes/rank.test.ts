import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Candidate } from '../../../src/engine/root-causes/candidate.js';
import { periodErrors } from '../../../src/engine/root-causes/degradation.js';
import { explain, rankCandidates } from '../../../src/engine/root-causes/rank.js';
import { RowSet } from '../../../src/engine/root-causes/row-sets.js';

const rowsWhere = (n: number, test: (i: number) => boolean): RowSet =>
  RowSet.ofRows(n, Array.from({ length: n }, (_, i) => i).filter(test));

const candidate = (name: string, reference: RowSet, current: RowSet): Candidate => ({
  kind: 'slice',
  where: [{ column: name, condition: { test: 'equals', value: name, label: name, inReference: true } }],
  rows: { reference, current }
});

describe('ranking', () => {
  // reference: 10 % errors everywhere; current: rows 0–1999 err 60 %, rows 2000–2999 err 30 %, others 10 %
  const n = 10000;
  const reference = periodErrors(Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0)));
  const current = periodErrors(
    Float64Array.from({ length: n }, (_, i) => (i < 2000 ? (i % 10 < 6 ? 1 : 0) : i < 3000 ? (i % 10 < 3 ? 1 : 0) : i % 10 === 0 ? 1 : 0))
  );
  const context = { reference, current };
  const a = candidate('a', rowsWhere(n, i => i < 2000), rowsWhere(n, i => i < 2000));
  const b = candidate('b', rowsWhere(n, i => i >= 2000 && i < 3000), rowsWhere(n, i => i >= 2000 && i < 3000));
  const overlapping = candidate('c', rowsWhere(n, i => i < 1500), rowsWhere(n, i => i < 1500));

  it('scores the share of the extra errors a cause explains', () => {
    // total extra = 2000 · 0.5 + 1000 · 0.2 = 1200; a explains 1000, b 200
    assert.ok(Math.abs(explain(a.rows, context).share - 1000 / 1200) < 1e-12);
    assert.ok(Math.abs(explain(b.rows, context).share - 200 / 1200) < 1e-12);
    // a region whose error and share did not change explains nothing
    const unchanged = candidate('u', rowsWhere(n, i => i >= 5000), rowsWhere(n, i => i >= 5000));
    assert.ok(Math.abs(explain(unchanged.rows, context).share) < 1e-12);
  });

  it('ranks by share, counts overlapping rows once, and drops causes under the minimum share', () => {
    const ranked = rankCandidates([b, overlapping, a], context);
    assert.deepEqual(ranked.map(cause => cause.candidate.where[0].column), ['a']);
    for (const cause of ranked) {
      assert.ok(cause.explanation.share >= 0 && cause.explanation.share <= 1);
    }
  });

  it('gives way to a narrower cause that explains nearly as much', () => {
    const narrow = candidate('n', rowsWhere(n, i => i < 2000), rowsWhere(n, i => i < 2000));
    const wide = candidate('w', rowsWhere(n, i => i < 2500), rowsWhere(n, i => i < 2500));
    assert.deepEqual(rankCandidates([wide, narrow], context).map(cause => cause.candidate.where[0].column), ['n']);
  });
});
