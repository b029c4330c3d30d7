/**
 * The helper thread of `analyzeFiles`: reads the files it is sent, then analyses the features it claims from the
 * list it is sent next (`analyzeClaimedFeatures`) and answers with their outcomes. It may be started before the
 * files are known (prestart.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { ColumnTable } from 'arquero';
import { analyzeClaimedFeatures, FeatureClaims, type FeatureOutcome } from '../engine/analyze.js';
import { loadTable } from '../engine/load/index.js';
import { InputError } from '../engine/types.js';
import { readBytes, type FeatureWorkerReply, type FeatureWorkerRequest, type FeatureWorkerData } from './analyze-files.js';

const port = parentPort;
let data: FeatureWorkerData | null = null;
let tables: Promise<{ current: ColumnTable; reference: ColumnTable | null }> | null = null;

port?.on('message', async (request: FeatureWorkerRequest) => {
  if (request.kind === 'load') {
    // read and parse while the main thread does the same, before the features arrive
    const files = (data = request.data);
    tables = (async () => {
      const current = await loadTable(await readBytes(files.current), files.current);
      const reference = files.reference ? await loadTable(await readBytes(files.reference), files.reference) : null;
      return { current, reference };
    })();
    tables.catch(() => undefined);
    return;
  }
  let reply: FeatureWorkerReply;
  try {
    if (!tables || !data) {
      throw new Error('the helper thread was asked for features before it was given the files');
    }
    const { current, reference } = await tables;
    reply = { ok: true, outcomes: analyzeClaimedFeatures(current, reference, data.options, new FeatureClaims(request.features, request.shared)) };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error), inputError: error instanceof InputError };
  }
  port.postMessage(reply, reply.ok ? ownedBuffers(reply.outcomes) : []);
});

/**
 * The buffers of the outcomes' encoded values, moved to the main thread instead of copied (the copy would be made
 * while the main thread waits for this answer). Each is the whole buffer of its array (`ownCopy`) and listed once.
 */
function ownedBuffers(outcomes: FeatureOutcome[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const outcome of outcomes) {
    for (const encoded of [outcome.encoded?.current, outcome.encoded?.reference]) {
      const array = encoded ? (encoded.type === 'numeric' ? encoded.values : encoded.values.codes) : null;
      if (array && array.buffer instanceof ArrayBuffer) {
        buffers.add(array.buffer);
      }
    }
  }
  return [...buffers];
}
