/**
 * Trace format v1 (docs/trace-format.md): the JSON body of `application/vnd.modeltrace.v1+json`.
 * Payloads come from notebooks, which may be untrusted: every field is checked here and a malformed
 * payload gives an InputError naming the field and what was found, never a crash further down.
 */
import { from, type ColumnTable } from 'arquero';
import { loadArrow } from './load/arrow.js';
import { InputError, type Roles, type Task } from './types.js';

export const TRACE_MIME_TYPE = 'application/vnd.modeltrace.v1+json';
/**
 * The only comm target a reader opens for `kernel-comm` data: a payload (perhaps from an untrusted notebook) must
 * not make the card open comms on other targets of the user's kernel.
 */
export const KERNEL_COMM_TARGET = 'modeltrace';

export type TraceData =
  | { format: 'arrow-ipc-base64'; data: string; rows?: number; bytes?: number }
  | { format: 'records'; data: Record<string, unknown>[] }
  | { format: 'too-large'; rows?: number; bytes?: number }
  | KernelCommData
  | AggregatesData;

/** Sufficient statistics of both periods computed where the rows stayed (pushdown; checked by aggregates/format.ts). */
export interface AggregatesData {
  format: 'aggregates';
  body: Record<string, unknown>;
  rows?: number;
}

/** Data held by the kernel that emitted the trace, fetched by the card over a comm (docs/trace-format.md). */
export interface KernelCommData {
  format: 'kernel-comm';
  /** The comm target to open, "modeltrace" for the Python emitter. */
  target: string;
  /** The trace id the kernel holds the data under. */
  trace: string;
  rows?: number;
  bytes?: number;
}

export interface TracePayload {
  version: 1;
  id: string;
  name: string;
  created: string;
  roles: Roles;
  task: Task | null;
  current: TraceData;
  reference: TraceData | null;
  source: { kernel?: string; language?: string };
  /** Roles the emitter inferred from column names rather than being told. */
  inferred: string[];
  /** Emitter-side warnings (e.g. one class only). */
  warnings: string[];
  /** The positive class of a binary task, as the emitter resolved it. */
  positiveLabel?: string | number | boolean;
}

const TASKS: ReadonlySet<string> = new Set(['binary', 'multiclass', 'regression']);
const SINGLE_ROLES = ['label', 'prediction', 'score', 'timestamp', 'latency', 'model_version', 'id'] as const;

/** Check an untrusted MIME body and return it typed, or throw an InputError naming the fault. */
export function parseTracePayload(body: unknown): TracePayload {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError(`trace payload: expected a JSON object, got ${describe(body)}`);
  }
  const raw = body as Record<string, unknown>;
  if (raw.version !== 1) {
    throw new InputError(`trace payload: unsupported "version" ${describe(raw.version)} (this ModelTrace reads version 1)`);
  }
  const task = raw.task ?? null;
  if (task !== null && !(typeof task === 'string' && TASKS.has(task))) {
    throw new InputError(`trace payload: "task" must be binary, multiclass or regression, got ${describe(task)}`);
  }
  const current = parseData(raw.current, 'current');
  if (current === null) {
    throw new InputError('trace payload: "current" data is missing');
  }
  return {
    version: 1,
    id: optionalString(raw.id, 'id') ?? '',
    name: optionalString(raw.name, 'name') ?? 'trace',
    created: optionalString(raw.created, 'created') ?? '',
    roles: parseRoles(raw.roles),
    task: task as Task | null,
    current,
    reference: parseData(raw.reference, 'reference'),
    source: parseSource(raw.source),
    inferred: stringList(raw.inferred, 'inferred'),
    warnings: stringList(raw.warnings, 'warnings'),
    positiveLabel: parsePositiveLabel(raw.positive_label)
  };
}

function parsePositiveLabel(value: unknown): string | number | boolean | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
    return value;
  }
  throw new InputError(`trace payload: "positive_label" must be a string, number or boolean, got ${describe(value)}`);
}

/**
 * Decode one DATA block into an Arquero table. `fetched` is the Arrow IPC stream of a `kernel-comm` block,
 * which the card fetched from the kernel.
 */
export function decodeTraceData(data: TraceData, period: string, fetched?: Uint8Array): ColumnTable {
  switch (data.format) {
    case 'arrow-ipc-base64':
      return decodeArrow(decodeBase64(data.data, period), period);
    case 'kernel-comm':
      if (!fetched) {
        throw new InputError(
          `trace payload: the ${period} data (${data.rows ?? '?'} rows) live in the kernel that made the trace ` +
            'and were not fetched'
        );
      }
      return decodeArrow(fetched, period);
    case 'records':
      return from(data.data);
    case 'too-large':
      throw new InputError(
        `trace payload: the ${period} data (${data.rows ?? '?'} rows) is too large to embed in the notebook; ` +
          'save it with mt.save(trace, "runs/x.arrow") and analyse the file'
      );
    case 'aggregates':
      throw new InputError(
        `this trace holds aggregates computed where its ${data.rows ?? ''} rows stayed (pushdown), not the rows: ` +
          'curves, distributions, per-slice tables and run comparisons need the rows'
      );
  }
}

function decodeBase64(base64: string, period: string): Uint8Array {
  try {
    return base64ToBytes(base64);
  } catch {
    throw new InputError(`trace payload: "${period}.data" is not valid base64`);
  }
}

function decodeArrow(bytes: Uint8Array, period: string): ColumnTable {
  try {
    return loadArrow(bytes, `trace payload "${period}.data"`);
  } catch (error) {
    if (error instanceof InputError) {
      throw error;
    }
    throw new InputError(`trace payload: "${period}.data" is not a readable Arrow IPC stream (${(error as Error).message})`);
  }
}

/** Base64 → bytes (atob exists in workers, browsers and Node). */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

function parseData(value: unknown, period: string): TraceData | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`trace payload: "${period}" must be an object with a "format", got ${describe(value)}`);
  }
  const data = value as Record<string, unknown>;
  switch (data.format) {
    case 'arrow-ipc-base64':
      if (typeof data.data !== 'string') {
        throw new InputError(`trace payload: "${period}.data" must be a base64 string, got ${describe(data.data)}`);
      }
      return { format: 'arrow-ipc-base64', data: data.data, rows: optionalNumber(data.rows), bytes: optionalNumber(data.bytes) };
    case 'records':
      if (!Array.isArray(data.data) || data.data.some(row => row === null || typeof row !== 'object' || Array.isArray(row))) {
        throw new InputError(`trace payload: "${period}.data" must be a list of records (objects)`);
      }
      return { format: 'records', data: data.data as Record<string, unknown>[] };
    case 'too-large':
      return { format: 'too-large', rows: optionalNumber(data.rows), bytes: optionalNumber(data.bytes) };
    case 'aggregates':
      if (period !== 'current') {
        throw new InputError(`trace payload: "${period}" cannot hold aggregates; they cover both periods in "current"`);
      }
      return { format: 'aggregates', body: data, rows: aggregateRows(data) };
    case 'kernel-comm':
      return {
        format: 'kernel-comm',
        target: kernelCommTarget(data.target, period),
        trace: requiredString(data.trace, `${period}.trace`),
        rows: optionalNumber(data.rows),
        bytes: optionalNumber(data.bytes)
      };
    default:
      throw new InputError(`trace payload: unknown "${period}.format" ${describe(data.format)}`);
  }
}

/** Rows of both periods of an aggregates block, when it says. */
function aggregateRows(data: Record<string, unknown>): number | undefined {
  const rows = ['reference', 'current'].map(period => (data[period] as { rows?: unknown } | null | undefined)?.rows);
  return rows.every(Number.isInteger) ? (rows as number[]).reduce((a, b) => a + b, 0) : undefined;
}

function parseRoles(value: unknown): Roles {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`trace payload: "roles" must be an object, got ${describe(value)}`);
  }
  const raw = value as Record<string, unknown>;
  const roles: Roles = {
    features: stringList(raw.features, 'roles.features'),
    slices: stringList(raw.slices, 'roles.slices')
  };
  for (const role of SINGLE_ROLES) {
    const column = optionalString(raw[role], `roles.${role}`);
    if (column !== undefined) {
      roles[role] = column;
    }
  }
  if (raw.scores !== undefined && raw.scores !== null) {
    roles.scores = stringList(raw.scores, 'roles.scores');
  }
  return roles;
}

function parseSource(value: unknown): TracePayload['source'] {
  if (value === null || value === undefined || typeof value !== 'object') {
    return {};
  }
  const raw = value as Record<string, unknown>;
  return { kernel: optionalString(raw.kernel, 'source.kernel'), language: optionalString(raw.language, 'source.language') };
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(`trace payload: "${field}" must be a string, got ${describe(value)}`);
  }
  return value;
}

function kernelCommTarget(value: unknown, period: string): string {
  if (value !== KERNEL_COMM_TARGET) {
    throw new InputError(
      `trace payload: "${period}.target" must be "${KERNEL_COMM_TARGET}" (the only comm target ModelTrace opens), ` +
        `got ${describe(value)}`
    );
  }
  return value;
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(`trace payload: "${field}" must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value) || value.some(item => typeof item !== 'string')) {
    throw new InputError(`trace payload: "${field}" must be a list of strings, got ${describe(value)}`);
  }
  return value as string[];
}

/** A short, safe description of an unexpected value for error messages. */
function describe(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
