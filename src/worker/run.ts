/**
 * One analysis request, start to end; shared by the worker and by Node tests.
 */
import type { ColumnTable } from 'arquero';
import { analyze, analyzeWithDetails } from '../engine/analyze.js';
import { decodeTraceData, parseTracePayload } from '../engine/trace-format.js';
import { InputError } from '../engine/types.js';
import type { AnalysisRequest, AnalysisResponse } from './protocol.js';

export function analyzeTrace(request: AnalysisRequest): AnalysisResponse {
  try {
    const started = performance.now();
    const payload = parseTracePayload(request.payload);
    const fetched = request.fetched ?? {};
    // the tables of a trace stay decoded for a later `details` request (data fetched from a kernel travel only once)
    const key = traceKey(request.payload);
    const known = key && request.kind === 'details' ? decodedTables.get(key) : undefined;
    const current = known?.current ?? decodeTraceData(payload.current, 'current', fetched.current);
    const reference = known ? known.reference : payload.reference ? decodeTraceData(payload.reference, 'reference', fetched.reference) : null;
    if (key) {
      decodedTables.delete(key);
      decodedTables.set(key, { current, reference });
      for (const old of [...decodedTables.keys()].slice(0, Math.max(0, decodedTables.size - KEPT_TRACES))) {
        decodedTables.delete(old);
      }
    }
    const decoded = performance.now();
    const options = {
      ...request.options,
      roles: payload.roles,
      task: request.options.task ?? payload.task ?? undefined,
      positiveLabel: request.options.positiveLabel ?? payload.positiveLabel
    };
    const { result, details } =
      request.kind === 'details' ? analyzeWithDetails(current, reference, options) : { result: analyze(current, reference, options), details: undefined };
    result.warnings = [...payload.warnings, ...result.warnings];
    return { id: request.id, ok: true, result, details, decodeMs: decoded - started, analyzeMs: performance.now() - decoded };
  } catch (error) {
    const inputError = error instanceof InputError;
    const message = inputError ? (error as Error).message : `internal error: ${String((error as Error)?.message ?? error)}`;
    return { id: request.id, ok: false, error: message, inputError };
  }
}

/**
 * Decoded tables of the last traces whose data came from a kernel (they cannot be fetched again once moved here),
 * by trace id and creation time, newest last. Embedded data are decoded again from their payload.
 */
const decodedTables = new Map<string, { current: ColumnTable; reference: ColumnTable | null }>();
const KEPT_TRACES = 4;

function traceKey(payload: unknown): string | null {
  const body = payload as { id?: unknown; created?: unknown; current?: { format?: unknown } } | null;
  const fromKernel = body?.current?.format === 'kernel-comm';
  return fromKernel && typeof body?.id === 'string' && body.id.length > 0 ? `${body.id} ${String(body.created ?? '')}` : null;
}
