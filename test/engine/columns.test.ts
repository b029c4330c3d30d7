import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countKinds,
  encodeCategorical,
  encodeFeature,
  encodeNumeric,
  encodeTimestamps,
  featureTypeOf,
  parseIsoTimestamp,
  typeMismatches
} from '../../src/engine/columns.js';
import { InputError } from '../../src/engine/types.js';

describe('feature types and type mismatches', () => {
  it('a mostly numeric column is numeric and its strings are mismatches', () => {
    const values = [1, 2.5, 'oops', null, 4, NaN, 'n/a', 7];
    const counts = countKinds(values);
    assert.deepEqual(counts, { missing: 2, numbers: 4, strings: 2, booleans: 0, dates: 0, others: 0 });
    assert.equal(featureTypeOf(counts), 'numeric');
    assert.equal(typeMismatches(counts, 'numeric'), 2);
    const encoded = encodeFeature(values, 'numeric', counts);
    assert.equal(encoded.missing, 2);
    assert.equal(encoded.mismatches, 2);
    assert.deepEqual(Array.from(encoded.values as Float64Array, v => (Number.isNaN(v) ? 'NaN' : v)), [
      1, 2.5, 'NaN', 'NaN', 4, 'NaN', 'NaN', 7
    ]);
  });

  it('a mostly text column is categorical and its numbers are mismatches', () => {
    const values = ['a', 'b', 3, 'a', undefined, true];
    const counts = countKinds(values);
    assert.equal(featureTypeOf(counts), 'categorical');
    assert.equal(typeMismatches(counts, 'categorical'), 2);
    assert.deepEqual(encodeCategorical(values), ['a', 'b', '3', 'a', null, 'true']);
  });

  it('booleans are categorical, dates numeric', () => {
    assert.equal(featureTypeOf(countKinds([true, false, null])), 'categorical');
    assert.equal(featureTypeOf(countKinds([new Date(0), new Date(1)])), 'numeric');
    assert.deepEqual(Array.from(encodeNumeric([new Date(5), 2n])), [5, 2]);
  });

  it('typed arrays are numeric, Float64Arrays pass through without a copy', () => {
    const values = Float64Array.of(1, NaN, 3);
    assert.equal(encodeNumeric(values), values);
    assert.deepEqual(countKinds(values), { missing: 1, numbers: 2, strings: 0, booleans: 0, dates: 0, others: 0 });
    assert.deepEqual(Array.from(encodeNumeric(Int32Array.of(4, 5))), [4, 5]);
  });
});

describe('timestamps', () => {
  it('parse ISO 8601 dates and date-times, naive ones as UTC', () => {
    assert.equal(parseIsoTimestamp('2024-01-02'), Date.UTC(2024, 0, 2));
    assert.equal(parseIsoTimestamp('2024-01-02 03:04:05'), Date.UTC(2024, 0, 2, 3, 4, 5));
    assert.equal(parseIsoTimestamp('2024-01-02T03:04:05.250Z'), Date.UTC(2024, 0, 2, 3, 4, 5, 250));
    assert.equal(parseIsoTimestamp('2024-01-02T03:04:05+02:00'), Date.UTC(2024, 0, 2, 1, 4, 5));
    assert.equal(parseIsoTimestamp('2024-01-02T03:04-0130'), Date.UTC(2024, 0, 2, 4, 34));
    assert.ok(Number.isNaN(parseIsoTimestamp('2024-02-30')));
    assert.ok(Number.isNaN(parseIsoTimestamp('2024-01-02T25:00')));
    assert.ok(Number.isNaN(parseIsoTimestamp('yesterday')));
  });

  it('accept Dates, epoch milliseconds and strings in one column', () => {
    const encoded = encodeTimestamps([new Date(Date.UTC(2024, 0, 1)), 1_700_000_000_000, '2024-01-03'], 'ts', 'a.csv');
    assert.deepEqual(Array.from(encoded), [Date.UTC(2024, 0, 1), 1_700_000_000_000, Date.UTC(2024, 0, 3)]);
  });

  it('name the column, the value and the row of an unparseable or missing timestamp', () => {
    assert.throws(
      () => encodeTimestamps(['2024-01-01', '2024-01-02', 'next tuesday'], 'ts', 'current.csv'),
      (error: Error) =>
        error instanceof InputError &&
        error.message === 'column "ts" of current.csv: value "next tuesday" at row 2 is not a timestamp'
    );
    assert.throws(
      () => encodeTimestamps(['2024-01-01', null], 'when', 'ref.jsonl'),
      /column "when" of ref\.jsonl: a missing value at row 1 is not a timestamp/
    );
  });

  it('keep epoch milliseconds already in a Float64Array, and reject their NaN and out-of-range values as in an array', () => {
    const times = Float64Array.of(1_700_000_000_000, -86_400_000, 0);
    assert.equal(encodeTimestamps(times, 'ts', 'a.arrow'), times);
    for (const bad of [NaN, Infinity, 9e15]) {
      const message = (values: ArrayLike<number>): string => {
        try {
          encodeTimestamps(values, 'ts', 'a.arrow');
          return '';
        } catch (error) {
          return (error as Error).message;
        }
      };
      assert.equal(message(Float64Array.of(0, bad)), message([0, bad]));
      assert.match(message(Float64Array.of(0, bad)), /at row 1 is not a timestamp$/);
    }
  });
});
