/**
 * Fetching a large trace from the kernel that holds it, over the "modeltrace" comm (docs/trace-format.md,
 * "Kernel comm"): the kernel answers a manifest, then one slice of an Arrow IPC stream per request (binary
 * buffers to concatenate). Each
 * slice is copied once into the period's stream as it arrives (the slice itself is then garbage), so the tab
 * holds one copy of the data, which the caller transfers to the worker.
 */
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { FetchedStreams } from '../worker/protocol.js';

/**
 * How long a kernel that is not busy may leave the comm unanswered before the card concludes it will not answer
 * (a kernel still starting cannot hold the trace, and a reconnecting websocket can lose the open or its answer;
 * a busy kernel is waited for, since it answers once the running cell ends).
 */
const IDLE_SILENCE_MS = 5000;

/** Requests in flight at once: enough to keep the kernel busy while a slice crosses the websocket. */
const REQUESTS_IN_FLIGHT = 2;
const PERIODS = ['current', 'reference'] as const;
type Period = (typeof PERIODS)[number];

export type TransferFailure = 'no-kernel' | 'not-held' | 'closed' | 'cancelled' | 'bad-reply';

export class TransferError extends Error {
  constructor(
    readonly reason: TransferFailure,
    message: string
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

/** A request for the aggregates of the rows, ahead of them. */
export interface IAggregatesRequest {
  chunkCount: number;
  receive: (aggregates: Record<string, unknown>) => void;
}

export interface ITransferProgress {
  receivedBytes: number;
  totalBytes: number;
}

interface IPeriodManifest {
  rows: number;
  bytes: number;
  chunks: number;
}

interface IManifest {
  chunkBytes: number;
  periods: Partial<Record<Period, IPeriodManifest>>;
}

/**
 * Fetch the data of trace `traceId` from `kernel` on comm target `target`. Resolves with the Arrow streams;
 * rejects with a TransferError (the kernel does not hold the trace, closed the comm, or `signal` aborted).
 * With `aggregates`, the kernel is also asked for the rows' "aggregates" DATA in `chunkCount` chunks per period (a
 * few MB whatever the rows), which it sends before the rows: `receive` gets them, unchecked, once (a kernel that
 * cannot summarise the rows answers null, and an older one nothing).
 */
export function fetchKernelTrace(
  kernel: Kernel.IKernelConnection,
  target: string,
  traceId: string,
  onProgress: (progress: ITransferProgress) => void,
  signal: AbortSignal,
  aggregates?: IAggregatesRequest
): Promise<FetchedStreams> {
  return new Promise<FetchedStreams>((resolve, reject) => {
    const comm = kernel.createComm(target);
    let manifest: IManifest | null = null;
    let streams: Partial<Record<Period, Uint8Array>> = {};
    let requests: Array<[Period, number]> = [];
    let nextRequest = 0;
    let received = 0;
    let receivedBytes = 0;
    let settled = false;
    let silence: ReturnType<typeof setTimeout> | undefined;
    // the kernel said it holds the trace and is laying out its streams (a large trace takes seconds)
    let preparing = false;
    let disconnectConnection = () => undefined as void;
    const watchSilence = () => {
      clearTimeout(silence);
      if (manifest === null && !preparing) {
        silence = setTimeout(
          () => finish(new TransferError('closed', `the kernel does not answer on the "${target}" comm target`)),
          IDLE_SILENCE_MS
        );
      }
    };

    const finish = (error: TransferError | null) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(silence);
      disconnectConnection();
      signal.removeEventListener('abort', abort);
      kernel.statusChanged.disconnect(onStatus);
      if (!comm.isDisposed) {
        comm.onClose = () => undefined;
        void Promise.resolve(comm.close()).catch(() => undefined);
      }
      if (error) {
        streams = {};
        reject(error);
      } else {
        resolve(streams);
      }
    };
    const abort = () => finish(new TransferError('cancelled', 'cancelled'));
    signal.addEventListener('abort', abort);
    const onStatus = (_: unknown, status: Kernel.Status) => {
      if (status === 'dead' || status === 'restarting' || status === 'autorestarting') {
        finish(new TransferError('closed', `the kernel ${status === 'dead' ? 'died' : 'restarted'} before the data arrived`));
      } else if (status === 'busy') {
        clearTimeout(silence);
      } else {
        watchSilence();
      }
    };
    kernel.statusChanged.connect(onStatus);

    const ask = () => {
      while (nextRequest < requests.length && nextRequest - received < REQUESTS_IN_FLIGHT) {
        const [period, index] = requests[nextRequest++];
        comm.send({ request: 'chunk', period, index });
      }
    };

    comm.onClose = () =>
      finish(
        new TransferError(
          'closed',
          manifest
            ? 'the kernel closed the connection before the data arrived (did it restart?)'
            : `the kernel does not answer on the "${target}" comm target: it is not the kernel that made this trace ` +
                '(it restarted, or the notebook was reopened), or it has not imported modeltrace'
        )
      );
    comm.onMsg = (msg: KernelMessage.ICommMsgMsg) => {
      if (settled) {
        return;
      }
      const data = msg.content.data as Record<string, unknown>;
      if (data.kind === 'error') {
        finish(new TransferError(data.reason === 'not-held' ? 'not-held' : 'bad-reply', String(data.message)));
      } else if (data.kind === 'preparing' && manifest === null) {
        preparing = true;
        clearTimeout(silence);
      } else if (data.kind === 'manifest' && manifest === null) {
        clearTimeout(silence);
        manifest = parseManifest(data);
        if (manifest === null) {
          finish(new TransferError('bad-reply', 'the kernel sent a manifest this ModelTrace cannot read'));
          return;
        }
        for (const period of PERIODS) {
          const entry = manifest.periods[period];
          if (entry) {
            streams[period] = new Uint8Array(entry.bytes);
            for (let index = 0; index < entry.chunks; index++) {
              requests.push([period, index]);
            }
          }
        }
        onProgress({ receivedBytes: 0, totalBytes: totalBytes(manifest) });
        ask();
      } else if (data.kind === 'aggregates') {
        const summary = data.data;
        if (aggregates && summary !== null && typeof summary === 'object' && !Array.isArray(summary)) {
          aggregates.receive(summary as Record<string, unknown>);
        }
      } else if (data.kind === 'chunk' && manifest !== null) {
        const error = storeChunk(manifest, streams, data, msg.buffers);
        if (error) {
          finish(new TransferError('bad-reply', error));
          return;
        }
        received += 1;
        receivedBytes += (msg.buffers ?? []).reduce((sum, buffer) => sum + buffer.byteLength, 0);
        onProgress({ receivedBytes, totalBytes: totalBytes(manifest) });
        if (received === requests.length) {
          requests = [];
          finish(null);
        } else {
          ask();
        }
      }
    };
    // a reconnected websocket may have lost the open or its answer: the silence watch starts again
    const onConnection = () => watchSilence();
    kernel.connectionStatusChanged.connect(onConnection);
    disconnectConnection = () => kernel.connectionStatusChanged.disconnect(onConnection);
    // the aggregates, when asked for, come before the manifest: the kernel computes them before laying out the rows
    comm.open(aggregates ? { trace: traceId, aggregates: { chunk_count: aggregates.chunkCount } } : { trace: traceId });
    if (kernel.status !== 'busy') {
      watchSilence();
    }
  });
}

/** Where a card's kernel is: the kernel (null without one) and, in a notebook, when it next changes. */
export interface IKernelLocation {
  kernel: Kernel.IKernelConnection | null;
  kernelChanged?: Promise<void>;
}

/** How long a card waits for a notebook's kernel to appear before saying it has none (it retries when one does). */
const KERNEL_WAIT_MS = 15000;

/**
 * The kernel of the notebook whose DOM holds `node`. A kernel being started counts; a notebook waiting for the
 * user to pick a kernel, or set to "No Kernel", has none (and `kernelChanged` says when that changes). The
 * session is never initialised from here: JupyterLab does that once the notebook has read its kernel preference.
 */
export async function notebookKernel(notebooks: INotebookTracker, node: HTMLElement): Promise<IKernelLocation> {
  const panel = notebooks.find(candidate => candidate.node.contains(node));
  if (!panel) {
    return { kernel: null };
  }
  const context = panel.sessionContext;
  const nextKernelChange = () =>
    new Promise<void>(resolve => {
      const once = () => {
        context.kernelChanged.disconnect(once);
        resolve();
      };
      context.kernelChanged.connect(once);
    });
  if (!context.isReady) {
    // a kernel being started is used once its session is ready (its connection settled)
    await Promise.race([context.ready, new Promise(resolve => setTimeout(resolve, KERNEL_WAIT_MS))]);
  }
  return { kernel: context.session?.kernel ?? null, kernelChanged: nextKernelChange() };
}

function parseManifest(data: Record<string, unknown>): IManifest | null {
  const chunkBytes = data.chunk_bytes;
  const periods = data.periods as Record<string, unknown> | undefined;
  if (typeof chunkBytes !== 'number' || !(chunkBytes > 0) || !periods || typeof periods !== 'object') {
    return null;
  }
  const manifest: IManifest = { chunkBytes, periods: {} };
  for (const period of PERIODS) {
    const entry = periods[period] as Record<string, unknown> | null | undefined;
    if (entry === null || entry === undefined) {
      continue;
    }
    const { rows, bytes, chunks } = entry;
    if (![rows, bytes, chunks].every(value => Number.isSafeInteger(value) && (value as number) >= 0)) {
      return null;
    }
    if (Math.ceil((bytes as number) / chunkBytes) > (chunks as number)) {
      return null;
    }
    manifest.periods[period] = { rows: rows as number, bytes: bytes as number, chunks: chunks as number };
  }
  return manifest.periods.current ? manifest : null;
}

/** Copy one slice (its buffers, in order) into its place in the period's stream; a message when it does not fit. */
function storeChunk(
  manifest: IManifest,
  streams: Partial<Record<Period, Uint8Array>>,
  data: Record<string, unknown>,
  buffers: KernelMessage.ICommMsgMsg['buffers']
): string | null {
  const period = data.period as Period;
  const index = data.index as number;
  const stream = streams[period];
  if (!stream || !Number.isSafeInteger(index) || !buffers || buffers.length === 0) {
    return `the kernel sent a chunk this ModelTrace did not ask for (${String(period)} #${String(index)})`;
  }
  let offset = index * manifest.chunkBytes;
  for (const buffer of buffers) {
    const bytes =
      buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    if (offset + bytes.byteLength > stream.byteLength) {
      return `chunk ${index} of the ${period} data does not fit in the ${stream.byteLength} bytes the kernel announced`;
    }
    stream.set(bytes, offset);
    offset += bytes.byteLength;
  }
  return null;
}

function totalBytes(manifest: IManifest): number {
  return PERIODS.reduce((sum, period) => sum + (manifest.periods[period]?.bytes ?? 0), 0);
}
