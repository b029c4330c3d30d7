/**
 * The helper thread of `analyzeFiles`: reads the files it is given at its start, then analyses the features it is
 * sent (`analyzeFeatureShare`) and answers with their outcomes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeFeatureShare } from '../engine/analyze.js';
import { loadTable } from '../engine/load/index.js';
import { InputError } from '../engine/types.js';
import { readBytes, type FeatureWorkerData, type FeatureWorkerReply } from './analyze-files.js';

const data = workerData as FeatureWorkerData;
const port = parentPort;

// read and parse while the main thread does the same, before the features arrive
const tables = (async () => {
  const current = await loadTable(await readBytes(data.current), data.current);
  const reference = data.reference ? await loadTable(await readBytes(data.reference), data.reference) : null;
  return { current, reference };
})();
tables.catch(() => undefined);

port?.on('message', async (features: string[]) => {
  let reply: FeatureWorkerReply;
  try {
    const { current, reference } = await tables;
    reply = { ok: true, outcomes: analyzeFeatureShare(current, reference, data.options, features) };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error), inputError: error instanceof InputError };
  }
  port.postMessage(reply);
});
