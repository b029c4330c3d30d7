import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnDiagnostics, columnOccurrences } from '../../src/notebook/column-diagnostics.js';
import type { RootCause } from '../../src/engine/types.js';

const source = [
  'X = df[["debt_ratio", "income"]]',
  'X["debt_ratio_2"] = X.debt_ratio * 2',
  "mt.trace(df, features=['debt_ratio'], slices=['region'])"
].join('\n');

test('finds whole-word column names in string literals and identifiers, not inside longer words', () => {
  const found = columnOccurrences(source, ['debt_ratio']).map(o => source.slice(o.from - 1, o.to + 1));
  assert.deepEqual(found, ['"debt_ratio"', '.debt_ratio ', "'debt_ratio'"]);
});

test('one warning per occurrence carrying the summaries of every cause that names the column', () => {
  const causes: RootCause[] = [
    { rank: 1, kind: 'slice', slice: { region: 'north' }, metric: 'accuracy', score: 0.8, summary: 'region = north: error 41% vs 9%' },
    { rank: 2, kind: 'feature_drift', feature: 'debt_ratio', metric: 'accuracy', score: 0.2, summary: 'debt_ratio moved past its range' }
  ];
  const diagnostics = columnDiagnostics(source, causes);
  assert.deepEqual(
    diagnostics.map(d => [source.slice(d.from, d.to), d.severity, d.message]),
    [
      ['debt_ratio', 'warning', 'Root cause #2 (feature drift): debt_ratio moved past its range'],
      ['debt_ratio', 'warning', 'Root cause #2 (feature drift): debt_ratio moved past its range'],
      ['debt_ratio', 'warning', 'Root cause #2 (feature drift): debt_ratio moved past its range'],
      ['region', 'warning', 'Root cause #1 (slice): region = north: error 41% vs 9%']
    ]
  );
});
