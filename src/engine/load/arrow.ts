/**
 * Arrow IPC (stream or file format, also Feather v2) → Arquero table, through flechette without copying
 * numeric columns. Timestamps and dates are read as epoch milliseconds (numbers, not Date objects), 64-bit
 * integers as numbers. LZ4-compressed buffers (pyarrow's default for Feather) are decompressed; ZSTD is not
 * supported.
 */
import { CompressionType, setCompressionCodec, tableFromIPC } from '@uwdata/flechette';
import { fromArrow, type ColumnTable } from 'arquero';
import { InputError } from '../types.js';
import { lz4FrameCodec } from './lz4.js';
import { checkColumnNames } from './names.js';

setCompressionCodec(CompressionType.LZ4_FRAME, lz4FrameCodec);

/** `bytes`: the whole file, or its IPC messages one per buffer (see the CLI's arrow-file.ts). */
export function loadArrow(bytes: Uint8Array | Uint8Array[], fileName: string): ColumnTable {
  let arrow: ReturnType<typeof tableFromIPC>;
  try {
    arrow = tableFromIPC(bytes, { useDate: false });
  } catch (error) {
    const message = (error as Error).message;
    if (message.includes('ZSTD')) {
      throw new InputError(
        `${fileName}: ZSTD-compressed Arrow is not supported; write it uncompressed or with LZ4 ` +
          '(pyarrow: compression="lz4" or "uncompressed")'
      );
    }
    throw new InputError(`${fileName}: not a readable Arrow IPC file (${message})`);
  }
  checkColumnNames(
    arrow.schema.fields.map(field => field.name),
    fileName
  );
  checkRowCount(arrow, bytes, fileName);
  return fromArrow(arrow as unknown as Parameters<typeof fromArrow>[0]);
}

/**
 * The row count a stream claims must fit in its bytes: every column ModelTrace reads needs at least one bit per row
 * (booleans; numbers need 32 or 64). A corrupted or hostile header claiming billions of rows in a few kilobytes
 * would otherwise make the analysis allocate and loop over them: refused here, before any work.
 */
function checkRowCount(arrow: ReturnType<typeof tableFromIPC>, bytes: Uint8Array | Uint8Array[], fileName: string): void {
  const size = Array.isArray(bytes) ? bytes.reduce((sum, part) => sum + part.byteLength, 0) : bytes.byteLength;
  const rows = arrow.numRows;
  if (arrow.schema.fields.length > 0 && rows > size * 8 + 64) {
    throw new InputError(`${fileName}: not a readable Arrow IPC stream (it claims ${rows} rows in ${size} bytes)`);
  }
  arrow.children.forEach((column, i) => {
    if (column.length !== rows) {
      const name = arrow.schema.fields[i]?.name;
      throw new InputError(`${fileName}: not a readable Arrow IPC stream (column "${name}" has ${column.length} rows, the table ${rows})`);
    }
  });
}
