import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnFromArray, utf8 } from '@uwdata/flechette';
import { utf8Ids } from '../../../src/engine/load/utf8-ids.js';

/** The ids' values must be the column's strings, and the counts the rows of each id. */
function assertIds(strings: Array<string | null>, maxBatchRows: number, label: string): void {
  const column = columnFromArray(strings, utf8(), { maxBatchRows });
  const read = utf8Ids(column);
  assert.ok(read, label);
  assert.deepEqual(Array.from(read.ids, id => read.values[id]), strings, `${label}: values`);
  const counts = new Map<string | null, number>();
  strings.forEach(value => counts.set(value, (counts.get(value) ?? 0) + 1));
  read.values.forEach((value, id) => assert.equal(read.counts[id], counts.get(value) ?? 0, `${label}: rows of ${value}`));
  assert.equal(new Set(read.values).size, read.values.length, `${label}: one id per value`);
}

describe('UTF-8 columns read as ids', () => {
  it('give each row its string, with lengths around the word size, nulls, multi-byte text and look-alike values', () => {
    const words = ['', 'a', 'ab', 'web', 'east', 'north', 'south', 'branch', 'partner', 'mobile!!', 'desktop12', 'tablet-device-x',
      'é', 'ñu', '日本', '𝄞', 'ab\u0000', 'ba', 'abc', 'acb', 'north ', ' north', 'xxxxyyyyzzzz', 'xxxxyyyyzzzw', 'xxxxwyyyzzzz'];
    const strings: Array<string | null> = Array.from({ length: 3000 }, (_, i) => (i % 37 === 5 ? null : words[(i * 7919) % words.length]));
    assertIds(strings, 1 << 30, 'one batch');
    assertIds(strings, 256, 'batches');
    assertIds(strings.slice(0, 3), 1 << 30, 'short column');
  });

  it('tell apart many distinct values sharing lengths and end bytes', () => {
    const strings = Array.from({ length: 5000 }, (_, i) => `s${(i * 31) % 1700}x`);
    assertIds(strings, 1 << 30, 'many values');
    assertIds(Array.from({ length: 2000 }, (_, i) => String.fromCharCode(65 + (i % 26), 65 + ((i * 7) % 26))), 1 << 30, 'two letters');
  });
});
