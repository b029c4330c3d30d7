/**
 * One analysis request, start to end; shared by the worker and by Node tests.
 */
import { analyze } from '../engine/analyze.js';
import { decodeTraceData, parseTracePayload } from '../engine/trace-format.js';
import { InputError } from '../engine/types.js';
import type { AnalysisRequest, AnalysisResponse } from './protocol.js';

export function analyzeTrace(request: AnalysisRequest): AnalysisResponse {
  try {
    const started = performance.now();
    const payload = parseTracePayload(request.payload);
    const fetched = request.fetched ?? {};
    const current = decodeTraceData(payload.current, 'current', fetched.current);
    const reference = payload.reference ? decodeTraceData(payload.reference, 'reference', fetched.reference) : null;
    const decoded = performance.now();
    const result = analyze(current, reference, {
      ...request.options,
      roles: payload.roles,
      task: request.options.task ?? payload.task ?? undefined,
      positiveLabel: request.options.positiveLabel ?? payload.positiveLabel
    });
    result.warnings = [...payload.warnings, ...result.warnings];
    return { id: request.id, ok: true, result, decodeMs: decoded - started, analyzeMs: performance.now() - decoded };
  } catch (error) {
    const inputError = error instanceof InputError;
    const message = inputError ? (error as Error).message : `internal error: ${String((error as Error)?.message ?? error)}`;
    return { id: request.id, ok: false, error: message, inputError };
  }
}
