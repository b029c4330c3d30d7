/**
 * Load a file's bytes into an Arquero table, by extension: `.arrow`/`.feather` (Arrow IPC), `.parquet`,
 * `.csv`, `.jsonl`/`.ndjson`. Empty files, tables without rows, unreadable bytes and duplicate column names
 * are InputErrors naming the file. No file system access here: the caller reads the bytes.
 */
import type { ColumnTable } from 'arquero';
import { InputError } from '../types.js';
import { loadArrow } from './arrow.js';
import { extensionOf } from './file-types.js';
import { loadCsv } from './csv.js';
import { loadJsonl } from './jsonl.js';

export { loadArrow, loadCsv, loadJsonl };
export { isArrowFileName } from './file-types.js';

export const SUPPORTED_EXTENSIONS = ['.arrow', '.feather', '.parquet', '.csv', '.jsonl', '.ndjson'];

/** `bytes`: the file, or for Arrow IPC also its messages one per buffer (files over Node's 2 GiB read limit). */
export async function loadTable(bytes: Uint8Array | Uint8Array[], fileName: string): Promise<ColumnTable> {
  if (Array.isArray(bytes) ? bytes.every(part => part.length === 0) : bytes.length === 0) {
    throw new InputError(`${fileName}: the file is empty`);
  }
  const table = Array.isArray(bytes) ? loadArrow(bytes, fileName) : await loadByExtension(bytes, fileName);
  if (table.numRows() === 0) {
    throw new InputError(`${fileName}: no rows`);
  }
  return table;
}

function loadByExtension(bytes: Uint8Array, fileName: string): ColumnTable | Promise<ColumnTable> {
  const extension = extensionOf(fileName);
  switch (extension) {
    case '.arrow':
    case '.feather':
      return loadArrow(bytes, fileName);
    case '.parquet':
      // hyparquet loads only for a Parquet file
      return import('./parquet.js').then(({ loadParquet }) => loadParquet(bytes, fileName));
    case '.csv':
      return loadCsv(bytes, fileName);
    case '.jsonl':
    case '.ndjson':
      return loadJsonl(bytes, fileName);
    default:
      throw new InputError(
        `${fileName}: unsupported file type "${extension || '(none)'}" (expected .arrow, .feather, .parquet, .csv or .jsonl)`
      );
  }
}
