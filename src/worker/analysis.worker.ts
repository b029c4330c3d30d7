/**
 * The analysis worker: decodes a trace payload (base64 Arrow IPC → Arquero) and runs `analyze()`
 * off the main thread, so the notebook never freezes while a large trace is analysed.
 */
import { analyzeTrace } from './run.js';
import type { AnalysisRequest, AnalysisResponse } from './protocol.js';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<AnalysisRequest>) => void) | null;
  postMessage(message: AnalysisResponse): void;
};

scope.onmessage = event => {
  scope.postMessage(analyzeTrace(event.data));
};
