/**
 * One analysis request, start to end; shared by the worker and by Node tests.
 */
import type { ColumnTable } from 'arquero';
import { analyzeAggregates, analyzeAggregatesWithDetails } from '../engine/aggregates/index.js';
import { analyze, analyzeWithDetails, compareTables } from '../engine/analyze.js';
import { decodeTraceData, parseTracePayload, type TracePayload } from '../engine/trace-format.js';
import { InputError } from '../engine/types.js';
import type { AnalysisRequest, AnalysisResponse, FetchedStreams } from './protocol.js';

export function analyzeTrace(request: AnalysisRequest): AnalysisResponse {
  try {
    const started = performance.now();
    const payload = parseTracePayload(request.payload);
    if (payload.current.format === 'aggregates' && request.kind !== 'compare') {
      // pushdown: the rows stayed where they were; their aggregates are analysed instead
      const options = { ...request.options, roles: payload.roles };
      const { result, details } =
        request.kind === 'details'
          ? analyzeAggregatesWithDetails(payload.current.body, options, request.chunk)
          : { result: analyzeAggregates(payload.current.body, options), details: undefined };
      result.warnings = [...payload.warnings, ...result.warnings];
      return { id: request.id, ok: true, result, details, decodeMs: 0, analyzeMs: performance.now() - started };
    }
    const { current, reference } = decodedTablesOf(request.payload, payload, request.kind !== 'analyze' && request.kind !== undefined, request.fetched);
    const decoded = performance.now();
    const options = {
      ...request.options,
      roles: payload.roles,
      task: request.options.task ?? payload.task ?? undefined,
      positiveLabel: request.options.positiveLabel ?? payload.positiveLabel
    };
    const timing = () => ({ decodeMs: decoded - started, analyzeMs: performance.now() - decoded });
    if (request.kind === 'compare') {
      if (!request.baseline) {
        throw new InputError('a comparison needs a baseline run');
      }
      const baselinePayload = parseTracePayload(request.baseline.payload);
      const baseline = decodedTablesOf(request.baseline.payload, baselinePayload, true);
      const names = { reference: request.baseline.name, current: request.name ?? 'this run' };
      const comparison = compareTables(baseline.current, current, { ...options, names });
      return { id: request.id, ok: true, result: null, comparison, ...timing() };
    }
    const detailsOptions = request.chunk ? { chunk: request.chunk } : {};
    const { result, details } =
      request.kind === 'details'
        ? analyzeWithDetails(current, reference, options, detailsOptions)
        : { result: analyze(current, reference, options), details: undefined };
    result.warnings = [...payload.warnings, ...result.warnings];
    return { id: request.id, ok: true, result, details, ...timing() };
  } catch (error) {
    const inputError = error instanceof InputError;
    const message = inputError ? (error as Error).message : `internal error: ${String((error as Error)?.message ?? error)}`;
    return { id: request.id, ok: false, error: message, inputError };
  }
}

/**
 * The decoded tables of a payload. Data fetched from a kernel travel only once: their tables are kept for later
 * `details` and `compare` requests (`reuse`); embedded data are decoded again from the payload.
 */
function decodedTablesOf(
  body: unknown,
  payload: TracePayload,
  reuse: boolean,
  fetched: FetchedStreams = {}
): { current: ColumnTable; reference: ColumnTable | null } {
  const key = traceKey(body);
  const known = key && reuse ? decodedTables.get(key) : undefined;
  const current = known?.current ?? decodeTraceData(payload.current, 'current', fetched.current);
  const reference = known ? known.reference : payload.reference ? decodeTraceData(payload.reference, 'reference', fetched.reference) : null;
  if (key) {
    decodedTables.delete(key);
    decodedTables.set(key, { current, reference });
    for (const old of [...decodedTables.keys()].slice(0, Math.max(0, decodedTables.size - KEPT_TRACES))) {
      decodedTables.delete(old);
    }
  }
  return { current, reference };
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
