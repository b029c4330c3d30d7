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
  return fromArrow(arrow as unknown as Parameters<typeof fromArrow>[0]);
}
