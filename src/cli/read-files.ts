/**
 * The input files' bytes: an Arrow IPC file as its messages (any size; see arrow-file.ts), any other file whole.
 * A read can start before it is asked for (`startReading`: bin/modeltrace.js starts the input files' while the
 * engine's modules load); `readBytes` then takes it over. Such a read puts each message in a SharedArrayBuffer.
 */
import { readFile } from 'node:fs/promises';
import { isArrowFileName } from '../engine/load/file-types.js';
import { InputError } from '../engine/types.js';
import { readArrowMessages } from './arrow-file.js';

/** A file as `readBytes` returns it. */
export type FileBytes = Uint8Array | Uint8Array[];

/** Reads started ahead, by path, until taken. */
const started = new Map<string, Promise<FileBytes>>();

/** Start reading PATH (shared, as `readBytes(path, true)`); a failure is met by whoever takes the read. */
export function startReading(path: string): void {
  if (!started.has(path)) {
    const bytes = read(path, true);
    bytes.catch(() => undefined);
    started.set(path, bytes);
  }
}

/**
 * The bytes of a file, from its read started ahead if any; an Arrow IPC file as its messages, with `shared` each in a
 * SharedArrayBuffer, so that another thread is sent the same memory instead of a copy.
 */
export function readBytes(path: string, shared = false): Promise<FileBytes> {
  const early = started.get(path);
  started.delete(path);
  return early ?? read(path, shared);
}

async function read(path: string, shared: boolean): Promise<FileBytes> {
  try {
    if (isArrowFileName(path)) {
      return await readArrowMessages(path, shared ? sharedBytes : undefined);
    }
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if (error instanceof InputError) {
      throw error;
    }
    throw new InputError(`${path}: cannot read the file (${systemReason(error)})`);
  }
}

function sharedBytes(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}

export function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
      return 'permission denied';
    case 'ERR_FS_FILE_TOO_LARGE':
      return 'larger than the 2 GiB Node reads at once';
    default:
      return code ?? String((error as Error)?.message ?? error);
  }
}
