/**
 * The analysis of files, on one thread or two. With two, this thread reads both files into memory both threads share
 * (read-files.ts; the reads may have started before the engine's modules loaded) and both parse both; a worker thread
 * (feature-worker.ts) then analyses features (their decoding, drift with every method, per-chunk drift, data quality
 * and root-cause coding) while this thread encodes the targets, computes the metrics and codes the root-cause columns, then joins it; each
 * thread claims the next feature from a shared counter (`FeatureClaims`), so both finish together.
 * `analyzeWithHelper` merges both into the very result `analyze()` gives on one thread.
 */
import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { analyze, analyzeWithDetails, analyzeWithHelper, type FeatureClaims, type FeatureOutcome } from '../engine/analyze.js';
import type { AnalysisDetails } from '../engine/details/index.js';
import { loadTable } from '../engine/load/index.js';
import { runSliceSearch, type SliceSearch, type SliceSearchInput } from '../engine/root-causes/index.js';
import type { FoundSlice } from '../engine/root-causes/sliceline.js';
import { dropHelper, takeHelper } from './prestart.js';
import { readBytes, type FileBytes } from './read-files.js';
import { InputError, type AnalysisResult, type AnalyzeOptions } from '../engine/types.js';

/** Below this many bytes of input a second thread costs more (its start, a second read) than it saves. */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

/** The files (their names; their bytes follow) and the options of the analysis. */
export interface FeatureWorkerData {
  current: string;
  reference: string | null;
  options: AnalyzeOptions;
}

/** Why a thread could not do its part: the message, and whether the input is at fault (an InputError). */
export interface Failure {
  error: string;
  inputError: boolean;
}

/**
 * What the worker thread is sent: the files, their bytes, the features, and at the end maybe the root causes' slice
 * search, to answer on `port` and then wake this thread through `done`.
 */
export type FeatureWorkerRequest =
  | { kind: 'load'; data: FeatureWorkerData }
  | { kind: 'bytes'; current: FileBytes; reference: FileBytes | null }
  | { kind: 'analyze'; features: string[]; shared: SharedArrayBuffer; errors: FeatureClaims['errors'] }
  | { kind: 'slices'; input: SliceSearchInput; port: MessagePort; done: SharedArrayBuffer };

/** The worker's answer to a slice search. */
export type SlicesReply = { ok: true; found: FoundSlice[] } | ({ ok: false } & Failure);

/** How long this thread waits for the worker's slices before it searches itself (the worker has failed). */
const SLICE_SEARCH_TIMEOUT_MS = 60_000;

/** The worker's answer: the outcomes of the features it claimed. */
export type FeatureWorkerReply = { kind: 'outcomes' } & ({ ok: true; outcomes: FeatureOutcome[] } | ({ ok: false } & Failure));

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
    // both reads at once; a failure is reported for the current file first, as on one thread
    const currentRead = readBytes(currentPath, true);
    const referenceRead = referencePath ? readBytes(referencePath, true) : Promise.resolve(null);
    referenceRead.catch(() => undefined);
    const currentBytes = await currentRead;
    const referenceBytes = await referenceRead;
    worker.share(currentBytes, referenceBytes);
    const current = await loadTable(currentBytes, currentPath);
    const reference = referencePath && referenceBytes ? await loadTable(referenceBytes, referencePath) : null;
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

/** A failure as another thread sends it. */
export function failureOf(error: unknown): Failure {
  return { error: error instanceof Error ? error.message : String(error), inputError: error instanceof InputError };
}

function errorOf(failure: Failure): Error {
  return failure.inputError ? new InputError(failure.error) : new Error(failure.error);
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
  /** Send the files' bytes. */
  share: (current: FileBytes, reference: FileBytes | null) => void;
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
  // the outcomes come once
  let answer: (reply: FeatureWorkerReply) => void = () => undefined;
  worker.on('message', (reply: FeatureWorkerReply) => answer(reply));
  return {
    share: (current, reference) => worker.postMessage({ kind: 'bytes', current, reference } satisfies FeatureWorkerRequest),
    analyze: async claims => {
      if (failure) {
        throw failure;
      }
      const outcomes = Promise.race([new Promise<FeatureWorkerReply>(resolve => (answer = resolve)), failed]);
      worker.postMessage({ kind: 'analyze', features: claims.features, shared: claims.shared, errors: claims.errors } satisfies FeatureWorkerRequest);
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
