import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromArrow } from 'arquero';
import { columnValues, encodeTimestamps } from '../../../src/engine/columns.js';
import { loadTable } from '../../../src/engine/load/index.js';
import { decodeLz4Frames, encodeLz4Frame } from '../../../src/engine/load/lz4.js';
import { InputError } from '../../../src/engine/types.js';
import { fixtureBytes, readFixture } from '../fixture-files.js';

interface Expected {
  rows: number;
  columns: string[];
  ts: number[];
  amount: Array<number | null>;
  count: number[];
  color: Array<string | null>;
  flag: boolean[];
}

const text = (content: string): Uint8Array => new TextEncoder().encode(content);

async function rejectsWith(bytes: Uint8Array, fileName: string, pattern: RegExp): Promise<void> {
  await assert.rejects(loadTable(bytes, fileName), (error: Error) => {
    assert.ok(error instanceof InputError, `expected an InputError, got ${error}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('loadTable reads every supported format the same way', () => {
  const expected = readFixture<Expected>('load/expected.json');
  const files = ['table.arrow', 'table-stream.arrow', 'table.feather', 'table.parquet', 'table-lz4.parquet', 'table.csv', 'table.jsonl'];
  for (const file of files) {
    it(file, async () => {
      const table = await loadTable(fixtureBytes(`load/${file}`), file);
      assert.equal(table.numRows(), expected.rows);
      assert.deepEqual(table.columnNames(), expected.columns);
      assert.deepEqual(Array.from(encodeTimestamps(columnValues(table, 'ts'), 'ts', file)), expected.ts);
      const amount = Array.from(columnValues(table, 'amount'), value =>
        value === null || (typeof value === 'number' && Number.isNaN(value)) ? null : value
      );
      assert.deepEqual(amount, expected.amount);
      assert.deepEqual(Array.from(columnValues(table, 'count'), Number), expected.count);
      assert.deepEqual(Array.from(columnValues(table, 'color')), expected.color);
      assert.deepEqual(Array.from(columnValues(table, 'flag')), expected.flag);
    });
  }

  it('keeps Arrow float columns without nulls as zero-copy Float64Arrays', async () => {
    const table = await loadTable(fixtureBytes('analyze/reference.arrow'), 'reference.arrow');
    assert.ok(columnValues(table, 'x1') instanceof Float64Array);
  });
});

describe('loadTable refuses bad files with a message naming the file', () => {
  it('empty files', async () => {
    await rejectsWith(new Uint8Array(0), 'empty.csv', /^empty\.csv: the file is empty$/);
    await rejectsWith(text('  \n'), 'blank.jsonl', /^blank\.jsonl: the file is empty$/);
    await rejectsWith(text('y,p\n'), 'header-only.csv', /^header-only\.csv: no rows$/);
    await rejectsWith(fixtureBytes('bad/empty.parquet'), 'empty.parquet', /^empty\.parquet: no rows$/);
  });

  it('duplicate column names', async () => {
    await rejectsWith(text('a,b,a\n1,2,3\n'), 'dup.csv', /^dup\.csv: duplicate column name "a"$/);
    await rejectsWith(fixtureBytes('bad/duplicate-columns.arrow'), 'dup.arrow', /^dup\.arrow: duplicate column name "x"$/);
  });

  it('unreadable bytes', async () => {
    await rejectsWith(fixtureBytes('bad/garbage.parquet'), 'garbage.parquet', /^garbage\.parquet: not a readable Parquet file/);
    await rejectsWith(fixtureBytes('bad/garbage.arrow'), 'garbage.arrow', /^garbage\.arrow: not a readable Arrow IPC file/);
    await rejectsWith(text('{"a": 1}\n{"a": 2,\n'), 'bad.jsonl', /^bad\.jsonl: line 2 is not valid JSON/);
    await rejectsWith(text('{"a": 1}\n[1, 2]\n'), 'rows.jsonl', /^rows\.jsonl: line 2 is not a JSON object$/);
  });

  it('ZSTD-compressed Arrow and unknown extensions', async () => {
    await rejectsWith(fixtureBytes('load/table-zstd.feather'), 'z.feather', /^z\.feather: ZSTD-compressed Arrow is not supported/);
    await rejectsWith(fixtureBytes('load/table-zstd.parquet'), 'z.parquet', /^z\.parquet: Parquet compression ZSTD is not supported/);
    await rejectsWith(text('a\n1\n'), 'data.xlsx', /^data\.xlsx: unsupported file type "\.xlsx"/);
    await rejectsWith(text('a\n1\n'), 'data', /^data: unsupported file type "\(none\)"/);
  });
});

describe('CSV cells are typed one by one', () => {
  it('numbers, booleans, missing, NaN/inf and stray text', async () => {
    const table = await loadTable(text('x,b,s\n1.5,True,a\n,false,\nnan,TRUE,2024-01-01\nabc,,x\n-inf,true,1e3\n'), 't.csv');
    const x = Array.from(columnValues(table, 'x'));
    assert.deepEqual(x.slice(0, 2), [1.5, null]);
    assert.ok(Number.isNaN(x[2]));
    assert.deepEqual(x.slice(3), ['abc', -Infinity]);
    assert.deepEqual(Array.from(columnValues(table, 'b')), [true, false, true, null, true]);
    assert.deepEqual(Array.from(columnValues(table, 's')), ['a', null, '2024-01-01', 'x', 1000]);
  });
});

describe('LZ4 frames', () => {
  it('decode what pyarrow (liblz4) compressed', () => {
    const original = fixtureBytes('load/blob.bin');
    const decoded = decodeLz4Frames(fixtureBytes('load/blob.lz4'), original.length);
    assert.ok(Buffer.from(decoded).equals(Buffer.from(original)));
  });

  it('round-trip through stored frames', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 251);
    assert.deepEqual(decodeLz4Frames(encodeLz4Frame(bytes), bytes.length), bytes);
  });

  it('refuse a wrong expected length or a broken frame', () => {
    const frame = encodeLz4Frame(Uint8Array.of(1, 2, 3));
    assert.throws(() => decodeLz4Frames(frame, 4), /3 bytes decoded, 4 expected/);
    assert.throws(() => decodeLz4Frames(Uint8Array.of(1, 2, 3, 4, 5), 3), /bad frame magic/);
  });
});

describe('Arrow columns are read from their buffers', () => {
  const expected = readFixture<Record<string, unknown[]>>('load/types.json');

  for (const [column, values] of Object.entries(expected)) {
    it(column, async () => {
      const table = await loadTable(fixtureBytes('load/types.arrow'), 'types.arrow');
      const actual = Array.from(columnValues(table, column), value =>
        typeof value === 'number' && Number.isNaN(value) ? null : value
      );
      assert.deepEqual(actual, values);
    });
  }
});

describe('Arrow tables decoded with Date objects (the notebook worker path)', () => {
  it('give the same column values', async () => {
    const bytes = fixtureBytes('load/types.arrow');
    const withDates = fromArrow(bytes);
    const loaded = await loadTable(bytes, 'types.arrow');
    for (const column of loaded.columnNames()) {
      assert.deepEqual(Array.from(columnValues(withDates, column)), Array.from(columnValues(loaded, column)), column);
    }
  });
});
