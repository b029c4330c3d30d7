import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { chunkRows, chunkTimes, timestampOrder } from '../../src/engine/chunks.js';
import { InputError } from '../../src/engine/types.js';

const sizes = (chunks: Array<{ start: number; end: number }>) => chunks.map(chunk => chunk.end - chunk.start);

describe('chunks by count and size', () => {
  it('10 chunks of ⌊n/10⌋ rows, the last keeping the remainder', () => {
    assert.deepEqual(sizes(chunkRows(2105, null, {})), [210, 210, 210, 210, 210, 210, 210, 210, 210, 215]);
    assert.deepEqual(sizes(chunkRows(100, null, { chunkCount: 4 })), [25, 25, 25, 25]);
    assert.deepEqual(sizes(chunkRows(7, null, {})), [1, 1, 1, 1, 1, 1, 1]);
  });

  it('chunks of N rows, the last keeping the remainder', () => {
    assert.deepEqual(sizes(chunkRows(1050, null, { chunkSize: 250 })), [250, 250, 250, 300]);
    assert.deepEqual(sizes(chunkRows(90, null, { chunkSize: 250 })), [90]);
  });

  it('cover every row once, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 40 }), (n, count) => {
        const chunks = chunkRows(n, null, { chunkCount: count });
        assert.equal(chunks[0].start, 0);
        assert.equal(chunks[chunks.length - 1].end, n);
        chunks.forEach((chunk, i) => {
          assert.equal(chunk.index, i);
          if (i > 0) {
            assert.equal(chunk.start, chunks[i - 1].end);
          }
        });
      })
    );
  });

  it('refuse bad options with the value at fault', () => {
    assert.throws(() => chunkRows(10, null, { chunkSize: 0 }), /chunk size 0: expected a whole number of rows ≥ 1/);
    assert.throws(() => chunkRows(10, null, { chunkPeriod: '2d' }), /chunk period "2d": expected 1h, 1d or 1w/);
    assert.throws(
      () => chunkRows(10, null, { chunkPeriod: '1d' }),
      (error: Error) => error instanceof InputError && /needs a timestamp column/.test(error.message)
    );
  });
});

describe('calendar chunks (UTC)', () => {
  const at = (iso: string) => Date.parse(iso);

  it('one chunk per non-empty hour or day', () => {
    const times = Float64Array.from(
      ['2024-01-01T00:10:00Z', '2024-01-01T00:50:00Z', '2024-01-01T01:00:00Z', '2024-01-01T23:59:59Z', '2024-01-03T00:00:00Z'],
      at
    );
    assert.deepEqual(sizes(chunkRows(times.length, times, { chunkPeriod: '1h' })), [2, 1, 1, 1]);
    assert.deepEqual(sizes(chunkRows(times.length, times, { chunkPeriod: '1d' })), [4, 1]);
  });

  it('weeks start on Monday 00:00 UTC', () => {
    // 2024-01-07 is a Sunday, 2024-01-08 a Monday
    const times = Float64Array.from(['2024-01-01T00:00:00Z', '2024-01-07T23:59:59Z', '2024-01-08T00:00:00Z', '2024-01-14T12:00:00Z'], at);
    assert.deepEqual(sizes(chunkRows(times.length, times, { chunkPeriod: '1w' })), [2, 2]);
    const before1970 = Float64Array.from(['1969-12-28T12:00:00Z', '1969-12-29T00:00:00Z'], at);
    assert.deepEqual(sizes(chunkRows(2, before1970, { chunkPeriod: '1w' })), [1, 1]);
  });

  it('start and end are the first and last timestamps, in ISO 8601', () => {
    const times = Float64Array.from(['2024-01-01T00:10:00Z', '2024-01-01T00:50:00Z'], at);
    assert.deepEqual(chunkTimes(times, { index: 0, start: 0, end: 2 }), {
      start: '2024-01-01T00:10:00.000Z',
      end: '2024-01-01T00:50:00.000Z'
    });
    assert.deepEqual(chunkTimes(null, { index: 0, start: 0, end: 2 }), { start: null, end: null });
  });
});

describe('timestamp order', () => {
  it('is null for rows already in order', () => {
    assert.equal(timestampOrder(Float64Array.of(1, 2, 2, 5)), null);
  });

  it('equals a stable sort by timestamp', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e15, max: 1e15, noNaN: true })), {
          minLength: 2,
          maxLength: 300
        }),
        values => {
          const times = Float64Array.from(values, value => value + 0);
          const expected = Array.from(times.keys()).sort((a, b) => times[a] - times[b] || a - b);
          const order = timestampOrder(times);
          assert.deepEqual(order === null ? Array.from(times.keys()) : Array.from(order), expected);
        }
      )
    );
  });
});
