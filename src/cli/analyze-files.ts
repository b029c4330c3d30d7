/**
 * The analysis of files, on one thread or two. With two, a worker thread (feature-worker.ts) reads the reference file
 * while this thread reads the current one, each into memory both threads share, and both parse both; the worker then
 * analyses features (their decoding, drift with every method, per-chunk drift, data quality and root-cause coding)
 * while this thread encodes the targets, computes the metrics and codes the root-cause columns, then joins it; each
 * thread claims the next feature from a shared counter (`FeatureClaims`), so both finish together.
 * `analyzeWithHelper` merges both into the very result `analyze()` gives on one thread.
 */
import { availableParallelism } from 'node:os';
import { readFile, stat } from 'node:fs/promises';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { analyze, analyzeWithDetails, analyzeWithHelper, type FeatureClaims, type FeatureOutcome } from '../engine/analyze.js';
import type { AnalysisDetails } from '../engine/details/index.js';
import { isArrowFileName, loadTable } from '../engine/load/index.js';
import { runSliceSearch, type SliceSearch, type SliceSearchInput } from '../engine/root-causes/index.js';
import type { FoundSlice } from '../engine/root-causes/sliceline.js';
import { readArrowMessages } from './arrow-file.js';
import { dropHelper, takeHelper } from './prestart.js';
import { InputError, type AnalysisResult, type AnalyzeOptions } from '../engine/types.js';

/** Below this many bytes of input a second thread costs more (its start, a second read) than it saves. */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

/** The files the worker thread reads and the options of the analysis. */
export interface FeatureWorkerData {
  current: string;
  reference: string | null;
  options: AnalyzeOptions;
}

/** A file as `readBytes` returns it. */
export type FileBytes = Uint8Array | Uint8Array[];

/** Why a thread could not do its part: the message, and whether the input is at fault (an InputError). */
export interface Failure {
  error: string;
  inputError: boolean;
}

/**
 * What the worker thread is sent: the files (it reads the reference), the current file's bytes, the features, and
 * at the end maybe the root causes' slice search, to answer on `port` and then wake this thread through `done`.
 */
export type FeatureWorkerRequest =
  | { kind: 'load'; data: FeatureWorkerData }
  | { kind: 'bytes'; bytes: FileBytes }
  | { kind: 'analyze'; features: string[]; shared: SharedArrayBuffer }
  | { kind: 'slices'; input: SliceSearchInput; port: MessagePort; done: SharedArrayBuffer };

/** The worker's answer to a slice search. */
export type SlicesReply = { ok: true; found: FoundSlice[] } | ({ ok: false } & Failure);

/** How long this thread waits for the worker's slices before it searches itself (the worker has failed). */
const SLICE_SEARCH_TIMEOUT_MS = 60_000;

/** The worker's answers: the reference file's bytes, then the outcomes of the features it claimed. */
export type FeatureWorkerReply =
  | ({ kind: 'bytes' } & ({ ok: true; bytes: FileBytes } | ({ ok: false } & Failure)))
  | ({ kind: 'outcomes' } & ({ ok: true; outcomes: FeatureOutcome[] } | ({ ok: false } & Failure)));

/**
 * Analyses CURRENT (and REFERENCE) files. `threads`: 1 for one thread; 2 or more for a helper thread; undefined
 * decides by the machine (more than one core) and the input size (PARALLEL_MIN_BYTES).
 */
export async function analyzeFiles(
  currentPath: string,
  referencePath: string | null,
  options: AnalyzeOptions,
  threads?: number
): Promise<AnalysisResult> {
  const twoThreads = threads === undefined ? await worthTwoThreads(currentPath, referencePath) : threads > 1;
  // the worker starts first, so that its reading and decoding overlap this thread's
  const worker = twoThreads ? startWorker({ current: currentPath, reference: referencePath, options }) : null;
  if (!worker) {
    dropHelper();
  }
  try {
    if (!worker) {
      const current = await loadTable(await readBytes(currentPath), currentPath);
      const reference = referencePath ? await loadTable(await readBytes(referencePath), referencePath) : null;
      return analyze(current, reference, options);
    }
    const currentBytes = await readBytes(currentPath, true);
    worker.share(currentBytes);
    const current = await loadTable(currentBytes, currentPath);
    const reference = referencePath ? await loadTable(await worker.referenceBytes(), referencePath) : null;
    return await analyzeWithHelper(current, reference, options, worker.analyze, worker.searchSlices);
  } finally {
    await worker?.stop();
  }
}

/** The analysis and the explorer's chart data of files, on one thread (for the HTML report). */
export async function analyzeFilesWithDetails(
  currentPath: string,
  referencePath: string | null,
  options: AnalyzeOptions
): Promise<{ result: AnalysisResult; details: AnalysisDetails }> {
  dropHelper();
  const current = await loadTable(await readBytes(currentPath), currentPath);
  const reference = referencePath ? await loadTable(await readBytes(referencePath), referencePath) : null;
  return analyzeWithDetails(current, reference, options);
}

/**
 * The bytes of a file; an Arrow IPC file as its messages (any size; see arrow-file.ts), with `shared` each in a
 * SharedArrayBuffer, so that another thread is sent the same memory instead of a copy.
 */
export async function readBytes(path: string, shared = false): Promise<FileBytes> {
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

/** A failure as another thread sends it. */
export function failureOf(error: unknown): Failure {
  return { error: error instanceof Error ? error.message : String(error), inputError: error instanceof InputError };
}

function errorOf(failure: Failure): Error {
  return failure.inputError ? new InputError(failure.error) : new Error(failure.error);
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

async function worthTwoThreads(currentPath: string, referencePath: string | null): Promise<boolean> {
  if (availableParallelism() < 2 || referencePath === null) {
    return false;
  }
  try {
    const sizes = await Promise.all([stat(currentPath), stat(referencePath)]);
    return sizes[0].size + sizes[1].size >= PARALLEL_MIN_BYTES;
  } catch {
    return false; // the reading below names the file at fault
  }
}

interface FeatureWorker {
  /** Send the current file's bytes (the worker reads the reference). */
  share: (bytes: FileBytes) => void;
  /** The reference file's bytes, as the worker read them. */
  referenceBytes: () => Promise<FileBytes>;
  analyze: (claims: FeatureClaims) => Promise<FeatureOutcome[]>;
  /** The slice search on the worker, which has nothing else left to do then. */
  searchSlices: SliceSearch;
  stop: () => Promise<void>;
}

function startWorker(data: FeatureWorkerData): FeatureWorker {
  const worker = takeHelper();
  worker.postMessage({ kind: 'load', data } satisfies FeatureWorkerRequest);
  let failure: Error | null = null;
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', error => {
      failure = error;
      reject(error);
    });
  });
  failed.catch(() => undefined);
  // each kind of answer comes once
  const answers = new Map<FeatureWorkerReply['kind'], (reply: FeatureWorkerReply) => void>();
  const answer = <K extends FeatureWorkerReply['kind']>(kind: K): Promise<Extract<FeatureWorkerReply, { kind: K }>> =>
    Promise.race([new Promise<Extract<FeatureWorkerReply, { kind: K }>>(resolve => answers.set(kind, resolve as (reply: FeatureWorkerReply) => void)), failed]);
  const bytes = answer('bytes');
  bytes.catch(() => undefined);
  worker.on('message', (reply: FeatureWorkerReply) => answers.get(reply.kind)?.(reply));
  return {
    share: bytes => worker.postMessage({ kind: 'bytes', bytes } satisfies FeatureWorkerRequest),
    referenceBytes: async () => {
      const reply = await bytes;
      if (!reply.ok) {
        throw errorOf(reply);
      }
      return reply.bytes;
    },
    analyze: async claims => {
      if (failure) {
        throw failure;
      }
      const outcomes = answer('outcomes');
      worker.postMessage({ kind: 'analyze', features: claims.features, shared: claims.shared } satisfies FeatureWorkerRequest);
      const reply = await outcomes;
      if (!reply.ok) {
        throw errorOf(reply);
      }
      return reply.outcomes;
    },
    searchSlices: input => {
      if (failure) {
        return () => runSliceSearch(input);
      }
      const { port1, port2 } = new MessageChannel();
      const done = new Int32Array(new SharedArrayBuffer(4));
      worker.postMessage({ kind: 'slices', input, port: port2, done: done.buffer as SharedArrayBuffer } satisfies FeatureWorkerRequest, [port2]);
      return () => {
        // the analysis is synchronous here: block until the worker has answered on the port
        const deadline = performance.now() + SLICE_SEARCH_TIMEOUT_MS;
        while (Atomics.load(done, 0) === 0 && performance.now() < deadline) {
          Atomics.wait(done, 0, 0, 100);
        }
        const reply = receiveMessageOnPort(port1)?.message as SlicesReply | undefined;
        port1.close();
        if (!reply) {
          return runSliceSearch(input);
        }
        if (!reply.ok) {
          throw errorOf(reply);
        }
        return reply.found;
      };
    },
    stop: async () => {
      await worker.terminate();
    }
  };
}
