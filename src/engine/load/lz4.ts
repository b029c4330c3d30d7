/**
 * LZ4 frame format (the codec of Arrow IPC buffers and of pyarrow's default Feather files), as a flechette
 * codec, and raw LZ4 blocks (Parquet's LZ4_RAW). Decoding follows the LZ4 frame and block format specifications: a frame header, then blocks that are
 * either stored or LZ4-compressed sequences (literals + back-reference), which may refer to earlier blocks of
 * the same frame. Encoding writes stored blocks only (valid LZ4, never smaller than its input), which is all
 * ModelTrace needs: it reads Arrow, it does not write compressed Arrow.
 */

const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const STORED_BLOCK = 0x80000000;
const MAX_BLOCK_SIZE = 4 * 1024 * 1024;

export const lz4FrameCodec = {
  decode: decodeLz4Frames,
  encode: encodeLz4Frame
};

/** Decompress one or more concatenated LZ4 frames into exactly `length` bytes. */
export function decodeLz4Frames(input: Uint8Array, length: number): Uint8Array {
  const output = new Uint8Array(length);
  let position = 0;
  let written = 0;
  while (position < input.length) {
    const magic = readUint32(input, position);
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      position += 8 + readUint32(input, position + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) {
      throw new Error(`LZ4: bad frame magic 0x${magic.toString(16)} at byte ${position}`);
    }
    const flags = input[position + 4];
    if (flags >> 6 !== 1) {
      throw new Error('LZ4: unsupported frame version');
    }
    const blockChecksum = (flags & 0x10) !== 0;
    const contentSize = (flags & 0x08) !== 0;
    const contentChecksum = (flags & 0x04) !== 0;
    const dictionaryId = (flags & 0x01) !== 0;
    position += 7 + (contentSize ? 8 : 0) + (dictionaryId ? 4 : 0);
    for (;;) {
      const size = readUint32(input, position);
      position += 4;
      if (size === 0) {
        break;
      }
      const blockLength = (size & ~STORED_BLOCK) >>> 0;
      const block = input.subarray(position, position + blockLength);
      if (block.length !== blockLength) {
        throw new Error('LZ4: truncated block');
      }
      if (size & STORED_BLOCK) {
        checkRoom(output, written, blockLength);
        output.set(block, written);
        written += blockLength;
      } else {
        written = decodeBlock(block, output, written);
      }
      position += blockLength + (blockChecksum ? 4 : 0);
    }
    position += contentChecksum ? 4 : 0;
  }
  if (written !== length) {
    throw new Error(`LZ4: ${written} bytes decoded, ${length} expected`);
  }
  return output;
}

/** Decompress one raw LZ4 block (no frame: Parquet's LZ4_RAW pages) into exactly `length` bytes. */
export function decodeLz4Block(input: Uint8Array, length: number): Uint8Array {
  const output = new Uint8Array(length);
  const written = decodeBlock(input, output, 0);
  if (written !== length) {
    throw new Error(`LZ4: ${written} bytes decoded, ${length} expected`);
  }
  return output;
}

/** Decode one compressed block into `output` from `start`; returns the new end of the output. */
function decodeBlock(block: Uint8Array, output: Uint8Array, start: number): number {
  let input = 0;
  let written = start;
  while (input < block.length) {
    const token = block[input++];
    // literals
    let literalLength = token >> 4;
    if (literalLength === 15) {
      let extra: number;
      do {
        extra = block[input++];
        literalLength += extra;
      } while (extra === 255);
    }
    checkRoom(output, written, literalLength);
    output.set(block.subarray(input, input + literalLength), written);
    input += literalLength;
    written += literalLength;
    if (input >= block.length) {
      break;
    }
    // back-reference: offset, then match length (at least 4)
    const offset = block[input] | (block[input + 1] << 8);
    input += 2;
    if (offset === 0 || offset > written) {
      throw new Error(`LZ4: invalid match offset ${offset}`);
    }
    let matchLength = token & 15;
    if (matchLength === 15) {
      let extra: number;
      do {
        extra = block[input++];
        matchLength += extra;
      } while (extra === 255);
    }
    matchLength += 4;
    checkRoom(output, written, matchLength);
    let from = written - offset;
    if (offset >= matchLength) {
      output.copyWithin(written, from, from + matchLength);
      written += matchLength;
    } else {
      for (let i = 0; i < matchLength; i++) {
        output[written++] = output[from++];
      }
    }
  }
  return written;
}

/** One LZ4 frame of stored (uncompressed) blocks, independent, without checksums. */
export function encodeLz4Frame(input: Uint8Array): Uint8Array {
  const blocks = Math.ceil(input.length / MAX_BLOCK_SIZE);
  const output = new Uint8Array(7 + blocks * 4 + input.length + 4);
  writeUint32(output, 0, FRAME_MAGIC);
  output[4] = 0x60; // version 01, independent blocks
  output[5] = 0x70; // 4 MB maximum block size
  output[6] = headerChecksumOfStoredFrame;
  let position = 7;
  for (let start = 0; start < input.length; start += MAX_BLOCK_SIZE) {
    const block = input.subarray(start, start + MAX_BLOCK_SIZE);
    writeUint32(output, position, (block.length | STORED_BLOCK) >>> 0);
    output.set(block, position + 4);
    position += 4 + block.length;
  }
  writeUint32(output, position, 0);
  return output;
}

/** (xxHash32 of the descriptor bytes 0x60 0x70, seed 0) >> 8 & 0xff, as the frame format requires. */
const headerChecksumOfStoredFrame = 0x73;

function checkRoom(output: Uint8Array, written: number, count: number): void {
  if (written + count > output.length) {
    throw new Error(`LZ4: decoded data longer than the expected ${output.length} bytes`);
  }
}

function readUint32(bytes: Uint8Array, offset: number): number {
  if (offset + 4 > bytes.length) {
    throw new Error('LZ4: truncated frame');
  }
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}

function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = (value >>> 24) & 0xff;
}
