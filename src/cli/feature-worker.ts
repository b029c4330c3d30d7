/**
 * The helper thread of `analyzeFiles`: parses both files as the main thread read them (memory both threads share),
 * then analyses the features it claims from the list it is sent next
 * (`analyzeClaimedFeatures`) and answers with their outcomes; last, it may run the root causes' slice search while
 * the main thread finds the other causes. It may be started before the files are known (prestart.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { ColumnTable } from 'arquero';
import { analyzeClaimedFeatures, FeatureClaims, type FeatureOutcome } from '../engine/analyze.js';
import { loadTable } from '../engine/load/index.js';
import { runSliceSearch } from '../engine/root-causes/index.js';
import { failureOf, type FeatureWorkerData, type FeatureWorkerReply, type FeatureWorkerRequest, type SlicesReply } from './analyze-files.js';
import type { FileBytes } from './read-files.js';

const port = parentPort;
let data: FeatureWorkerData | null = null;
let tables: Promise<{ current: ColumnTable; reference: ColumnTable | null }> | null = null;
let receiveBytes: (bytes: { current: FileBytes; reference: FileBytes | null }) => void = () => undefined;

port?.on('message', async (request: FeatureWorkerRequest) => {
  if (request.kind === 'load') {
    load((data = request.data));
    return;
  }
  if (request.kind === 'bytes') {
    receiveBytes(request);
    return;
  }
  if (request.kind === 'slices') {
    searchSlices(request);
    return;
  }
  let reply: FeatureWorkerReply;
  try {
    if (!tables || !data) {
      throw new Error('the helper thread was asked for features before it was given the files');
    }
    const { current, reference } = await tables;
    const outcomes = analyzeClaimedFeatures(current, reference, data.options, new FeatureClaims(request.features, request.shared, request.errors));
    reply = { kind: 'outcomes', ok: true, outcomes };
  } catch (error) {
    reply = { kind: 'outcomes', ok: false, ...failureOf(error) };
  }
  port.postMessage(reply, reply.ok ? ownedBuffers(reply.outcomes) : []);
});

/** The root causes' slice search, answered on the request's port; then the waiting main thread is woken. */
function searchSlices(request: Extract<FeatureWorkerRequest, { kind: 'slices' }>): void {
  let reply: SlicesReply;
  try {
    reply = { ok: true, found: runSliceSearch(request.input) };
  } catch (error) {
    reply = { ok: false, ...failureOf(error) };
  }
  request.port.postMessage(reply);
  request.port.close();
  const done = new Int32Array(request.done);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}

/** Parse both files once the main thread has sent their bytes. */
function load(files: FeatureWorkerData): void {
  const bytes = new Promise<{ current: FileBytes; reference: FileBytes | null }>(resolve => (receiveBytes = resolve));
  tables = (async () => {
    const { current, reference } = await bytes;
    return {
      current: await loadTable(current, files.current),
      reference: reference && files.reference ? await loadTable(reference, files.reference) : null
    };
  })();
  tables.catch(() => undefined);
}

/**
 * The buffers of the outcomes' encoded values and root-cause codes, moved to the main thread instead of copied (the
 * copy would be made while the main thread waits for this answer). Each is the whole buffer of its array (`ownCopy`,
 * codes made for the purpose) and listed once; memory both threads share (a file's bytes) is sent as it is.
 */
function ownedBuffers(outcomes: FeatureOutcome[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const outcome of outcomes) {
    const { encoded, coding } = outcome;
    const arrays: Array<ArrayBufferView | null> = [encoded?.current, encoded?.reference].map(values =>
      values ? (values.type === 'numeric' ? values.values : values.values.codes) : null
    );
    arrays.push(coding?.codes?.reference ?? null, coding?.codes?.current ?? null);
    for (const array of arrays) {
      if (array && array.buffer instanceof ArrayBuffer) {
        buffers.add(array.buffer);
      }
    }
  }
  return [...buffers];
}
