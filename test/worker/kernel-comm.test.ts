/**
 * Large traces: the card fetches the Arrow streams of a `kernel-comm` payload from the kernel (here a stand-in
 * that follows the protocol of modeltrace/_comm.py) and the worker analyses the fetched bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableFromArrays, tableToIPC } from '@uwdata/flechette';
import { fetchKernelTrace, TransferError } from '../../src/notebook/kernel-transfer.js';
import { analyzeTrace } from '../../src/worker/run.js';

const ROWS = 5000;
const label = Int32Array.from({ length: ROWS }, (_, i) => (i * 7919) % 3 === 0 ? 1 : 0);
const prediction = Int32Array.from({ length: ROWS }, (_, i) => ((i * 104729) % 5 === 0 ? 1 - label[i] : label[i]));
const income = Float64Array.from({ length: ROWS }, (_, i) => 1000 + ((i * 31) % 977));

function arrowStream(rows: number): Uint8Array {
  const table = tableFromArrays({ y: label.subarray(0, rows), y_hat: prediction.subarray(0, rows), income: income.subarray(0, rows) });
  return tableToIPC(table, { format: 'stream' }) as Uint8Array;
}

function heldPayload(withReference: boolean): Record<string, unknown> {
  const held = (rows: number) => ({ format: 'kernel-comm', target: 'modeltrace', trace: 'abc', rows });
  return {
    version: 1,
    id: 'abc',
    name: 'big',
    created: '2026-11-22T00:00:00Z',
    roles: { label: 'y', prediction: 'y_hat', features: ['income'], slices: [] },
    task: 'binary',
    current: held(ROWS),
    reference: withReference ? held(2000) : null,
    source: { kernel: 'python' }
  };
}

type Handler = ((msg: any) => void) | null;

/** A kernel holding `streams` under trace "abc", answering as modeltrace/_comm.py does. */
class FakeKernel {
  status = 'idle';
  requests: Array<{ period: string; index: number }> = [];
  inFlight = 0;
  maxInFlight = 0;
  closedByCard = false;
  private statusHandlers: Array<(sender: unknown, status: string) => void> = [];

  constructor(
    private readonly streams: Record<string, Uint8Array | null>,
    private readonly chunkBytes: number,
    private readonly behaviour: 'serve' | 'not-held' | 'no-target' | 'silent' = 'serve'
  ) {}

  connectionStatusChanged = { connect: () => undefined, disconnect: () => undefined };

  statusChanged = {
    connect: (handler: (sender: unknown, status: string) => void) => this.statusHandlers.push(handler),
    disconnect: (handler: (sender: unknown, status: string) => void) => {
      this.statusHandlers = this.statusHandlers.filter(item => item !== handler);
    }
  };

  setStatus(status: string): void {
    this.status = status;
    for (const handler of this.statusHandlers) {
      handler(this, status);
    }
  }

  createComm(target: string) {
    assert.equal(target, 'modeltrace');
    const kernel = this;
    const comm = {
      isDisposed: false,
      onMsg: null as Handler,
      onClose: null as Handler,
      reply(data: unknown, buffers?: ArrayBuffer[]) {
        setTimeout(() => comm.onMsg?.({ content: { data }, buffers }), 0);
      },
      open(data: { trace: string }) {
        if (kernel.behaviour === 'no-target') {
          setTimeout(() => comm.onClose?.({ content: { data: {} } }), 0);
        } else if (kernel.behaviour === 'not-held' || data.trace !== 'abc') {
          comm.reply({ kind: 'error', reason: 'not-held', message: `this kernel does not hold trace ${data.trace}` });
        } else if (kernel.behaviour === 'serve') {
          const periods: Record<string, unknown> = {};
          for (const [period, stream] of Object.entries(kernel.streams)) {
            periods[period] = stream && { rows: 1, bytes: stream.byteLength, chunks: Math.ceil(stream.byteLength / kernel.chunkBytes) };
          }
          comm.reply({ kind: 'manifest', trace: 'abc', chunk_bytes: kernel.chunkBytes, periods });
        }
      },
      send(data: { request: string; period: string; index: number }) {
        kernel.requests.push(data);
        kernel.inFlight += 1;
        kernel.maxInFlight = Math.max(kernel.maxInFlight, kernel.inFlight);
        const stream = kernel.streams[data.period]!;
        const slice = stream.slice(data.index * kernel.chunkBytes, (data.index + 1) * kernel.chunkBytes);
        // as the Python kernel does, a slice may come as several buffers (metadata, then column buffers)
        const third = Math.floor(slice.byteLength / 3);
        const buffers = [slice.subarray(0, third), slice.subarray(third, 2 * third), slice.subarray(2 * third)].map(
          part => new DataView(part.slice().buffer)
        );
        setTimeout(() => {
          kernel.inFlight -= 1;
          comm.onMsg?.({ content: { data: { kind: 'chunk', period: data.period, index: data.index } }, buffers });
        }, 0);
      },
      close() {
        kernel.closedByCard = true;
        comm.isDisposed = true;
      }
    };
    return comm;
  }
}

function fetch(kernel: FakeKernel, signal = new AbortController().signal, progress: number[] = []) {
  return fetchKernelTrace(kernel as any, 'modeltrace', 'abc', ({ receivedBytes }) => progress.push(receivedBytes), signal);
}

test('the streams arrive in chunks, two requests in flight at most, and the worker analyses them', async () => {
  const current = arrowStream(ROWS);
  const reference = arrowStream(2000);
  const kernel = new FakeKernel({ current, reference }, 4096);
  const progress: number[] = [];
  const fetched = await fetch(kernel, undefined, progress);
  assert.deepEqual(fetched.current, current);
  assert.deepEqual(fetched.reference, reference);
  assert.equal(kernel.requests.length, Math.ceil(current.byteLength / 4096) + Math.ceil(reference.byteLength / 4096));
  assert.equal(kernel.maxInFlight, 2);
  assert.equal(progress.at(-1), current.byteLength + reference.byteLength);
  assert.ok(kernel.closedByCard, 'the card closes the comm so the kernel lets its streams go');

  const response = analyzeTrace({ id: 1, payload: heldPayload(true), options: { chunkCount: 4 }, fetched });
  assert.ok(response.ok, response.ok ? '' : response.error);
  let correct = 0;
  for (let i = 0; i < ROWS; i++) {
    correct += label[i] === prediction[i] ? 1 : 0;
  }
  assert.equal(response.result!.metrics.current.accuracy, correct / ROWS);
  assert.equal(response.result!.rows.current, ROWS);
  assert.equal(response.result!.rows.reference, 2000);

  // the explorer's details later: the streams were moved to the worker once, its decoded tables are reused
  const details = analyzeTrace({ id: 5, kind: 'details', payload: heldPayload(true), options: { chunkCount: 4 } });
  assert.ok(details.ok, details.ok ? '' : details.error);
  assert.deepEqual(details.result!.metrics, response.result!.metrics);
  const confusion = details.details?.confusion?.current;
  assert.ok(confusion, 'a confusion matrix of the current data');
  assert.equal(confusion.counts.flat().reduce((total: number, count: number) => total + count, 0), ROWS);
});

test('cancel stops asking for chunks and closes the comm', async () => {
  const kernel = new FakeKernel({ current: arrowStream(ROWS), reference: null }, 1024);
  const abort = new AbortController();
  const progress: number[] = [];
  const pending = fetchKernelTrace(kernel as any, 'modeltrace', 'abc', ({ receivedBytes }) => {
    progress.push(receivedBytes);
    if (receivedBytes >= 4096) {
      abort.abort();
    }
  }, abort.signal);
  await assert.rejects(pending, (error: TransferError) => error.reason === 'cancelled');
  assert.ok(kernel.closedByCard);
  const asked = kernel.requests.length;
  await new Promise(resolve => setTimeout(resolve, 20));
  assert.equal(kernel.requests.length, asked, 'no request after cancel');
  assert.ok(asked < Math.ceil(arrowStream(ROWS).byteLength / 1024));
});

test('a kernel without the trace, or without the target, or that restarts, gives a reason', async () => {
  await assert.rejects(fetch(new FakeKernel({}, 1024, 'not-held')), (error: TransferError) =>
    error.reason === 'not-held' && /does not hold trace abc/.test(error.message));
  await assert.rejects(fetch(new FakeKernel({}, 1024, 'no-target')), (error: TransferError) =>
    error.reason === 'closed' && /does not answer on the "modeltrace" comm target/.test(error.message));
  const silent = new FakeKernel({}, 1024, 'silent');
  silent.status = 'busy';
  const pending = fetch(silent);
  silent.setStatus('restarting');
  await assert.rejects(pending, (error: TransferError) => error.reason === 'closed' && /restarted/.test(error.message));
});

test('a kernel that leaves the comm unanswered is given up on once it is not busy; a busy one is waited for', async () => {
  const silent = new FakeKernel({}, 1024, 'silent');
  silent.status = 'busy';
  const started = Date.now();
  const pending = fetch(silent);
  setTimeout(() => silent.setStatus('idle'), 300);
  await assert.rejects(pending, (error: TransferError) => error.reason === 'closed' && /does not answer/.test(error.message));
  assert.ok(Date.now() - started >= 5000, 'waited while the kernel was busy, then 5 s of idle silence');
});

test('a kernel-comm payload without fetched data, or with broken fields, names the fault', () => {
  const unfetched = analyzeTrace({ id: 2, payload: heldPayload(false), options: {} });
  assert.equal(unfetched.ok, false);
  assert.match(unfetched.ok ? '' : unfetched.error, /current data \(5000 rows\) live in the kernel.*not fetched/);
  const broken = analyzeTrace({ id: 3, payload: { ...heldPayload(false), current: { format: 'kernel-comm', target: 'modeltrace' } }, options: {} });
  assert.match(broken.ok ? '' : broken.error, /"current.trace" must be a non-empty string, got nothing/);
  const otherTarget = analyzeTrace({
    id: 5,
    payload: { ...heldPayload(false), current: { format: 'kernel-comm', target: 'jupyter.widget', trace: 'abc' } },
    options: {}
  });
  assert.match(otherTarget.ok ? '' : otherTarget.error, /"current.target" must be "modeltrace" .*got "jupyter.widget"/);
  const garbage = analyzeTrace({ id: 4, payload: heldPayload(false), options: {}, fetched: { current: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) } });
  assert.match(garbage.ok ? '' : garbage.error, /current\.data.*not a readable Arrow/);
});
