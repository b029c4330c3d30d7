/**
 * Reads an Arrow IPC file (file or stream format) message by message, each message into a buffer of its own: Node
 * reads at most 2 GiB into one buffer, and files of 1e7 rows × 20 features pass that. flechette decodes the list of
 * messages as an IPC stream. The file format is the stream format between an 8-byte magic and a footer: the messages
 * are read from offset 8 up to the footer (or an end-of-stream marker). `allocate` makes each message's buffer (a
 * SharedArrayBuffer's, for a file two threads read from one copy).
 */
import { open } from 'node:fs/promises';
import { InputError } from '../engine/types.js';

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const CONTINUATION = -1;

export async function readArrowMessages(
  path: string,
  allocate: (length: number) => Uint8Array = length => new Uint8Array(length)
): Promise<Uint8Array[]> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const read = async (position: number, length: number, buffer: Uint8Array = new Uint8Array(length)): Promise<Uint8Array> => {
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
        if (bytesRead === 0) {
          throw new InputError(`${path}: not a readable Arrow IPC file (it ends inside a message at byte ${position})`);
        }
        filled += bytesRead;
      }
      return buffer;
    };
    const head = await read(0, Math.min(size, 8));
    const fileFormat = size >= 12 && MAGIC.every((byte, i) => head[i] === byte);
    let position = fileFormat ? 8 : 0;
    let end = size;
    if (fileFormat) {
      const tail = await read(size - 10, 10);
      const footerLength = new DataView(tail.buffer).getInt32(0, true);
      end = size - 10 - footerLength;
      if (footerLength <= 0 || end < 8 || !MAGIC.every((byte, i) => tail[4 + i] === byte)) {
        throw new InputError(`${path}: not a readable Arrow IPC file (no valid footer: the file may be truncated)`);
      }
    }
    const messages: Uint8Array[] = [];
    while (position + 8 <= end) {
      const prefix = await read(position, 8);
      const view = new DataView(prefix.buffer);
      const first = view.getInt32(0, true);
      const prefixLength = first === CONTINUATION ? 8 : 4;
      const metadataLength = first === CONTINUATION ? view.getInt32(4, true) : first;
      if (metadataLength === 0) {
        break; // end-of-stream marker
      }
      if (metadataLength < 0 || position + prefixLength + metadataLength > end) {
        throw new InputError(`${path}: not a readable Arrow IPC file (a message at byte ${position} has a bad length)`);
      }
      const metadata = await read(position + prefixLength, metadataLength);
      const bodyLength = messageBodyLength(metadata, path, position);
      const length = prefixLength + metadataLength + bodyLength;
      if (position + length > end) {
        throw new InputError(`${path}: not a readable Arrow IPC file (a message at byte ${position} runs past the data)`);
      }
      messages.push(await read(position, length, allocate(length)));
      position += length;
    }
    if (messages.length === 0) {
      throw new InputError(size === 0 ? `${path}: the file is empty` : `${path}: not a readable Arrow IPC file (no message)`);
    }
    return messages;
  } finally {
    await file.close();
  }
}

/** `bodyLength` (field 3, an int64) of an Arrow `Message` flatbuffer: the root table's vtable says where it is. */
function messageBodyLength(metadata: Uint8Array, path: string, position: number): number {
  try {
    return readBodyLength(metadata);
  } catch {
    throw new InputError(`${path}: not a readable Arrow IPC file (the message at byte ${position} is malformed)`);
  }
}

function readBodyLength(metadata: Uint8Array): number {
  const view = new DataView(metadata.buffer, metadata.byteOffset, metadata.byteLength);
  const table = view.getUint32(0, true);
  const vtable = table - view.getInt32(table, true);
  const vtableSize = view.getUint16(vtable, true);
  const slot = 4 + 2 * 3;
  const field = slot < vtableSize ? view.getUint16(vtable + slot, true) : 0;
  if (field === 0) {
    return 0;
  }
  const low = view.getUint32(table + field, true);
  const high = view.getInt32(table + field + 4, true);
  const length = high * 4294967296 + low;
  if (length < 0 || !Number.isSafeInteger(length)) {
    throw new RangeError('bad body length');
  }
  return length;
}
