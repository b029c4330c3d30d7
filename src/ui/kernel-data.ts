/**
 * The card's loading path for traces whose data live in the kernel (DATA format `kernel-comm`): a progress bar
 * with a cancel button while the data travel, and the sentences that say where the data are and how to keep them.
 */
import { KERNEL_COMM_TARGET, type KernelCommData, type TraceData } from '../engine/trace-format.js';
import { fetchKernelTrace, TransferError, type IAggregatesRequest, type IKernelLocation } from '../notebook/kernel-transfer.js';
import type { FetchedStreams } from '../worker/protocol.js';
import { element, formatCount, metricsTable } from './format.js';

const CLASS = 'jp-ModelTrace-Card';
const SAVE_HINT = 'mt.save(trace, "runs/x.arrow")';

/** Finds the kernel of the notebook showing `node`. */
export type KernelLocator = (node: HTMLElement) => Promise<IKernelLocation>;

/**
 * The kernel-held DATA of a payload (current and, if any, reference), or null when the data are embedded or the
 * block names another comm target (then the analysis refuses the payload with a message saying so).
 */
export function kernelHeldData(payload: unknown): { current: KernelCommData; reference: KernelCommData | null } | null {
  if (!payload || typeof payload !== 'object') {
    return null;
  }
  const { current, reference } = payload as { current?: TraceData; reference?: TraceData | null };
  if (!current || current.format !== 'kernel-comm' || typeof current.trace !== 'string' || current.target !== KERNEL_COMM_TARGET) {
    return null;
  }
  return { current, reference: reference && reference.format === 'kernel-comm' ? reference : null };
}

/** The emitter's headline metrics of each period (payload key `headline`), shown while the data travel. */
export interface HeadlineMetrics {
  current: Record<string, number>;
  reference: Record<string, number> | null;
}

/** The only names shown from a payload's `headline`, in this order (the summary's metrics of each task). */
const HEADLINE_NAMES = ['accuracy', 'precision', 'recall', 'f1', 'mae', 'rmse'];

/**
 * The `headline` of an untrusted payload: only the known metric names with finite numbers are kept; null when there
 * is none to show.
 */
export function headlineOf(payload: unknown): HeadlineMetrics | null {
  const raw = (payload as { headline?: unknown } | null)?.headline as { current?: unknown; reference?: unknown } | undefined;
  if (!raw || typeof raw !== 'object') {
    return null;
  }
  const period = (values: unknown): Record<string, number> | null => {
    if (!values || typeof values !== 'object') {
      return null;
    }
    const kept: Record<string, number> = {};
    for (const name of HEADLINE_NAMES) {
      const value = (values as Record<string, unknown>)[name];
      if (typeof value === 'number' && Number.isFinite(value)) {
        kept[name] = value;
      }
    }
    return Object.keys(kept).length > 0 ? kept : null;
  };
  const current = period(raw.current);
  return current ? { current, reference: period(raw.reference) } : null;
}

/**
 * The headline metrics the kernel computed when it made the trace (numpy, the conventions of the full analysis):
 * what the researcher sees at once, while the data travel for the full analysis.
 */
export function headlineTable(headline: HeadlineMetrics): HTMLElement {
  const box = element('div', `${CLASS}-headline`);
  box.dataset.modeltrace = 'headline';
  const table = metricsTable(HEADLINE_NAMES, headline.reference ?? {}, headline.current);
  const caption = element(
    'div',
    `${CLASS}-headline-note`,
    'Headline metrics, computed in the kernel when the trace was made; chunks, drift, alerts and root causes need ' +
      'the data themselves.'
  );
  box.append(table, caption);
  return box;
}

/** What the card tells while and after the data travel. */
export function heldDataNote(held: { current: KernelCommData; reference: KernelCommData | null }): HTMLElement {
  const note = element(
    'div',
    `${CLASS}-kernel-note`,
    `The data of this trace (${describeSize(held)}) are not in the notebook: they live only in the kernel, and are ` +
      `gone when it stops. Keep them with ${SAVE_HINT}; the explorer and modeltrace analyze open that file.`
  );
  note.dataset.modeltrace = 'kernel-note';
  return note;
}

/**
 * Fetch the data into the card's node, showing progress and a cancel button under `lead` (what the card shows
 * meanwhile: the headline metrics, then the analysis of the kernel's aggregates, which `aggregates` asks for).
 * Resolves with the streams, or with null after showing why not under `lead` (no kernel, kernel without the trace,
 * cancelled: with a button to try again). Without a kernel, `retry` runs by itself when the notebook gets one.
 * `disposed` stops the transfer silently (the card went away: cell cleared or run again).
 */
export async function loadKernelData(
  host: HTMLElement,
  held: { current: KernelCommData; reference: KernelCommData | null },
  locate: KernelLocator | undefined,
  retry: () => void,
  disposed: AbortSignal,
  lead: HTMLElement | null = null,
  aggregates?: IAggregatesRequest
): Promise<FetchedStreams | null> {
  showTransfer(host, held, null, lead);
  if (lead?.firstChild) {
    // read by benchmarks/e2e: the card shows metrics from here on
    performance.mark('modeltrace:headline', { detail: held.current.trace });
  }
  const { kernel, kernelChanged } = locate ? await locate(host) : { kernel: null, kernelChanged: undefined };
  if (!kernel || kernel.status === 'dead') {
    showStopped(host, held, 'no-kernel', null, undefined, lead);
    void kernelChanged?.then(() => !disposed.aborted && retry());
    return null;
  }
  if (disposed.aborted) {
    return null;
  }
  const abort = new AbortController();
  disposed.addEventListener('abort', () => abort.abort(), { once: true });
  const { bar, count } = showTransfer(host, held, () => abort.abort(), lead);
  // the notebook switched kernel connections mid-transfer (a session starting, a kernel changed): start again
  let kernelReplaced = false;
  void kernelChanged?.then(() => {
    kernelReplaced = true;
    abort.abort();
  });
  // marks of the transfer's phases, read by benchmarks/e2e
  performance.mark('modeltrace:transfer-start', { detail: held.current.trace });
  try {
    // a kernel still starting could lose the answer to a comm opened before it has answered its first request;
    // wait for that answer a little (a reconnecting connection may never give it: the transfer watches silence)
    await Promise.race([
      kernel.info,
      new Promise(resolve => abort.signal.addEventListener('abort', resolve, { once: true })),
      new Promise(resolve => setTimeout(resolve, 5000))
    ]);
    if (abort.signal.aborted) {
      throw new TransferError('cancelled', 'cancelled');
    }
    return await fetchKernelTrace(
      kernel,
      KERNEL_COMM_TARGET,
      held.current.trace,
      ({ receivedBytes, totalBytes }) => {
        if (receivedBytes === 0) {
          performance.mark('modeltrace:manifest', { detail: held.current.trace });
        }
        bar.max = totalBytes;
        bar.value = receivedBytes;
        count.textContent = `${megabytes(receivedBytes)} of ${megabytes(totalBytes)}`;
      },
      abort.signal,
      aggregates
    );
  } catch (error) {
    const failure = error instanceof TransferError ? error : new TransferError('bad-reply', String(error));
    if (disposed.aborted) {
      return null;
    }
    if (kernelReplaced) {
      retry();
      return null;
    }
    showStopped(host, held, failure.reason, failure.message, retry, lead);
    return null;
  }
}

function showTransfer(
  host: HTMLElement,
  held: { current: KernelCommData; reference: KernelCommData | null },
  cancel: (() => void) | null,
  lead: HTMLElement | null
): { bar: HTMLProgressElement; count: HTMLElement } {
  host.replaceChildren();
  host.dataset.state = 'loading';
  const box = element('div', `${CLASS}-transfer`);
  box.dataset.modeltrace = 'transfer';
  const status = element(
    'div',
    `${CLASS}-status`,
    cancel ? `Fetching ${describeSize(held)} from the kernel…` : 'Looking for the kernel that holds this trace…'
  );
  status.dataset.modeltrace = 'loading';
  const line = element('div', `${CLASS}-transfer-line`);
  const bar = element('progress', `${CLASS}-progress`);
  bar.dataset.modeltrace = 'transfer-progress';
  bar.setAttribute('aria-label', 'trace data received from the kernel');
  const count = element('span', `${CLASS}-transfer-count`);
  line.append(bar, count);
  if (cancel) {
    const button = element('button', `${CLASS}-open`, 'Cancel');
    button.type = 'button';
    button.dataset.modeltrace = 'cancel';
    button.addEventListener('click', cancel, { once: true });
    line.append(button);
  }
  box.append(status, line);
  if (lead) {
    host.append(lead);
  }
  host.append(box, heldDataNote(held));
  return { bar, count };
}

function showStopped(
  host: HTMLElement,
  held: { current: KernelCommData; reference: KernelCommData | null },
  reason: TransferError['reason'],
  detail: string | null,
  retry?: () => void,
  lead: HTMLElement | null = null
): void {
  host.replaceChildren();
  if (lead) {
    host.append(lead);
  }
  const cancelled = reason === 'cancelled';
  host.dataset.state = cancelled ? 'cancelled' : 'error';
  const status = element('div', `${CLASS}-status`, stoppedMessage(held, reason, detail));
  status.dataset.modeltrace = cancelled ? 'cancelled' : 'error';
  status.dataset.reason = reason;
  status.setAttribute('role', cancelled ? 'status' : 'alert');
  host.append(status);
  if (retry && reason !== 'no-kernel') {
    const button = element('button', `${CLASS}-open`, cancelled ? 'Load from the kernel' : 'Try again');
    button.type = 'button';
    button.dataset.modeltrace = 'retry';
    button.addEventListener('click', retry, { once: true });
    host.append(button);
  }
}

function stoppedMessage(
  held: { current: KernelCommData; reference: KernelCommData | null },
  reason: TransferError['reason'],
  detail: string | null
): string {
  const gone =
    `ModelTrace cannot show this trace here: its data (${describeSize(held)}) were too large to save in the notebook ` +
    'and lived only in the kernel that made it';
  const keep = `Run the cell again to see the card, and keep large traces with ${SAVE_HINT}, a file the explorer and ` +
    'modeltrace analyze open.';
  switch (reason) {
    case 'cancelled':
      return 'Loading cancelled: the data stay in the kernel until it stops.';
    case 'no-kernel':
      return `${gone}, and this notebook has no running kernel. ${keep}`;
    case 'not-held':
      return `${gone}, which has stopped or restarted since. ${keep}`;
    case 'closed':
      return `${gone}: ${detail ?? 'the kernel closed the connection'}. ${keep}`;
    default:
      return `ModelTrace could not fetch this trace from the kernel: ${detail ?? 'unknown error'}`;
  }
}

function describeSize(held: { current: KernelCommData; reference: KernelCommData | null }): string {
  const rows = (held.current.rows ?? 0) + (held.reference?.rows ?? 0);
  const bytes = (held.current.bytes ?? 0) + (held.reference?.bytes ?? 0);
  return `${formatCount(rows)} rows, ${megabytes(bytes)} of Arrow`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}
