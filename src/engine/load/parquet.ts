/**
 * Parquet → Arquero table with hyparquet's column API: each column chunk is placed at its row offset, so no
 * per-row objects are built. Pages may be uncompressed, Snappy or LZ4 (LZ4_RAW); other codecs are refused. Timestamps and dates become epoch milliseconds, 64-bit integers numbers.
 */
import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';
import { table, type ColumnTable } from 'arquero';
import { InputError } from '../types.js';
import { decodeLz4Block } from './lz4.js';
import { checkColumnNames } from './names.js';

type ColumnChunk = { rowStart: number; data: ArrayLike<unknown> };

const PARSERS = {
  timestampFromMilliseconds: (millis: bigint) => Number(millis),
  timestampFromMicroseconds: (micros: bigint) => Number(micros) / 1e3,
  timestampFromNanoseconds: (nanos: bigint) => Number(nanos) / 1e6,
  dateFromDays: (days: number) => days * 86_400_000
};

export async function loadParquet(bytes: Uint8Array, fileName: string): Promise<ColumnTable> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata: ReturnType<typeof parquetMetadata>;
  try {
    metadata = parquetMetadata(file);
  } catch (error) {
    throw new InputError(`${fileName}: not a readable Parquet file (${(error as Error).message})`);
  }
  const names = parquetSchema(metadata).children.map(child => child.element.name);
  checkColumnNames(names, fileName);
  const rows = Number(metadata.num_rows);
  const chunks = new Map<string, ColumnChunk[]>(names.map(name => [name, []]));
  try {
    await parquetRead({
      file,
      metadata,
      parsers: PARSERS,
      compressors: { LZ4_RAW: decodeLz4Block },
      onChunk: ({ columnName, columnData, rowStart }) => {
        chunks.get(columnName)?.push({ rowStart, data: columnData as ArrayLike<unknown> });
      }
    });
  } catch (error) {
    const message = (error as Error).message;
    const codec = /unsupported compression codec: (\w+)/.exec(message)?.[1];
    if (codec) {
      throw new InputError(
        `${fileName}: Parquet compression ${codec} is not supported; write it with Snappy (the pandas default), ` +
          'LZ4 or uncompressed'
      );
    }
    throw new InputError(`${fileName}: cannot read Parquet data (${message})`);
  }
  return table(Object.fromEntries(names.map(name => [name, assemble(chunks.get(name) ?? [], rows)])));
}

/** One column from its chunks: a typed array when every chunk has the same numeric type, else an array. */
function assemble(chunks: ColumnChunk[], rows: number): ArrayLike<unknown> {
  const types = new Set(chunks.map(chunk => chunk.data.constructor));
  const [type] = types;
  if (types.size === 1 && ArrayBuffer.isView(chunks[0].data) && !isBigIntArray(chunks[0].data)) {
    const TypedArray = type as new (length: number) => { set(array: ArrayLike<number>, offset: number): void };
    const column = new TypedArray(rows);
    for (const chunk of chunks) {
      column.set(chunk.data as ArrayLike<number>, chunk.rowStart);
    }
    return column as unknown as ArrayLike<unknown>;
  }
  const column: unknown[] = new Array(rows).fill(null);
  for (const { rowStart, data } of chunks) {
    const bigints = isBigIntArray(data);
    for (let i = 0; i < data.length && rowStart + i < rows; i++) {
      const value = data[i];
      column[rowStart + i] = value === undefined ? null : bigints || typeof value === 'bigint' ? Number(value) : value;
    }
  }
  return column;
}

function isBigIntArray(data: unknown): boolean {
  return data instanceof BigInt64Array || data instanceof BigUint64Array;
}
