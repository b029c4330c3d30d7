/**
 * Chunks of a period, over rows already in timestamp order:
 * - by count (default 10): chunks of ⌊n/count⌋ rows, the last chunk keeping the remainder; a period with
 *   fewer rows than chunks gets one chunk per row;
 * - by size N: ⌊n/N⌋ chunks of N rows, the last keeping the remainder (one chunk when n < N);
 * - by calendar period 1h, 1d or 1w: one chunk per non-empty UTC hour, day or ISO week (Monday 00:00 UTC).
 * A chunk's start and end are the ISO 8601 times of its first and last timestamps, null without timestamps.
 */
import { sortOrder } from './sorting.js';
import { InputError } from './types.js';

export interface ChunkOptions {
  chunkCount?: number;
  chunkSize?: number;
  chunkPeriod?: string;
}

/** Rows [start, end) of a period. */
export interface ChunkRows {
  index: number;
  start: number;
  end: number;
}

export const DEFAULT_CHUNK_COUNT = 10;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday: shifting by 3 days puts week boundaries on Mondays. */
const MONDAY_SHIFT_MS = 3 * DAY_MS;

/** Check the chunk options once, before any work; an InputError names the bad value. */
export function validateChunkOptions(options: ChunkOptions, hasTimestamp: boolean): void {
  if (options.chunkPeriod !== undefined) {
    if (!(options.chunkPeriod in PERIOD_MS)) {
      throw new InputError(`chunk period "${options.chunkPeriod}": expected 1h, 1d or 1w`);
    }
    if (!hasTimestamp) {
      throw new InputError(`chunk period "${options.chunkPeriod}" needs a timestamp column (--timestamp COL)`);
    }
  }
  if (options.chunkSize !== undefined && !(Number.isInteger(options.chunkSize) && options.chunkSize >= 1)) {
    throw new InputError(`chunk size ${options.chunkSize}: expected a whole number of rows ≥ 1`);
  }
  if (options.chunkCount !== undefined && !(Number.isInteger(options.chunkCount) && options.chunkCount >= 1)) {
    throw new InputError(`chunk count ${options.chunkCount}: expected a whole number ≥ 1`);
  }
}

const PERIOD_MS: Record<string, number> = { '1h': HOUR_MS, '1d': DAY_MS, '1w': WEEK_MS };

/** Split n rows (sorted by `timestamps` when given) into chunks; calendar chunks need the timestamps. */
export function chunkRows(n: number, timestamps: Float64Array | null, options: ChunkOptions): ChunkRows[] {
  validateChunkOptions(options, timestamps !== null);
  if (options.chunkPeriod !== undefined && timestamps) {
    return calendarChunks(timestamps, options.chunkPeriod);
  }
  if (options.chunkSize !== undefined) {
    return sizedChunks(n, options.chunkSize, Math.max(1, Math.floor(n / options.chunkSize)));
  }
  const count = Math.min(options.chunkCount ?? DEFAULT_CHUNK_COUNT, n);
  return count === 0 ? [] : sizedChunks(n, Math.floor(n / count), count);
}

function sizedChunks(n: number, size: number, count: number): ChunkRows[] {
  const chunks: ChunkRows[] = [];
  for (let index = 0; index < count; index++) {
    chunks.push({ index, start: index * size, end: index === count - 1 ? n : (index + 1) * size });
  }
  return chunks;
}

function calendarChunks(timestamps: Float64Array, period: string): ChunkRows[] {
  if (timestamps.length === 0) {
    return [];
  }
  const width = PERIOD_MS[period];
  const shift = period === '1w' ? MONDAY_SHIFT_MS : 0;
  const chunks: ChunkRows[] = [];
  let start = 0;
  let bucket = Math.floor((timestamps[0] + shift) / width);
  for (let row = 1; row <= timestamps.length; row++) {
    const next = row < timestamps.length ? Math.floor((timestamps[row] + shift) / width) : NaN;
    if (next !== bucket) {
      chunks.push({ index: chunks.length, start, end: row });
      start = row;
      bucket = next;
    }
  }
  return chunks;
}

/** ISO 8601 of the first and last timestamps of a chunk. */
export function chunkTimes(
  timestamps: Float64Array | null,
  chunk: ChunkRows
): { start: string | null; end: string | null } {
  if (!timestamps || chunk.end <= chunk.start) {
    return { start: null, end: null };
  }
  return {
    start: new Date(timestamps[chunk.start]).toISOString(),
    end: new Date(timestamps[chunk.end - 1]).toISOString()
  };
}

/** The stable permutation that sorts rows by timestamp, or null when they already are in order. */
export function timestampOrder(timestamps: Float64Array): Int32Array | null {
  for (let i = 1; i < timestamps.length; i++) {
    if (timestamps[i - 1] > timestamps[i]) {
      return sortOrder(timestamps);
    }
  }
  return null;
}
