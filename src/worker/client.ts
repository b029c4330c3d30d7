/**
 * The main thread's handle on the analysis worker: one worker, requests matched to responses by id.
 */
import type { AnalysisDetails } from '../engine/details/index.js';
import type { TablesComparison } from '../engine/analyze.js';
import type { AnalysisResult, AnalyzeOptions, Period } from '../engine/types.js';
import type { AnalysisRequest, AnalysisResponse, FetchedStreams } from './protocol.js';

type Answer = Extract<AnalysisResponse, { ok: true }>;

export class AnalysisError extends Error {
  constructor(
    message: string,
    readonly inputError: boolean
  ) {
    super(message);
    this.name = 'AnalysisError';
  }
}

export class AnalysisClient {
  /**
   * Analyse a payload in the worker. The buffers of `fetched` (streams fetched from the kernel) are transferred
   * to the worker, not copied: they are detached (empty) here afterwards.
   */
  async analyze(payload: unknown, options: Omit<AnalyzeOptions, 'roles'>, fetched?: FetchedStreams): Promise<AnalysisResult> {
    const transfer = fetched ? [fetched.current, fetched.reference].flatMap(bytes => (bytes ? [bytes.buffer] : [])) : [];
    const answer = await this._request({ payload, options, fetched }, transfer as Transferable[]);
    return answer.result as AnalysisResult;
  }

  /**
   * The analysis and the explorer's chart data of a payload analysed before (its decoded tables are kept in the
   * worker for the last few traces; an embedded payload is decoded again otherwise); of one chunk when given.
   */
  async details(
    payload: unknown,
    options: Omit<AnalyzeOptions, 'roles'>,
    chunk?: { period: Period; index: number }
  ): Promise<{ result: AnalysisResult; details: AnalysisDetails }> {
    const answer = await this._request({ kind: 'details', payload, options, chunk });
    if (!answer.result || !answer.details) {
      throw new AnalysisError('no details computed', false);
    }
    return { result: answer.result, details: answer.details };
  }

  /** This run (`payload`, named `name`) compared with a baseline run: metric deltas, McNemar, per-slice deltas. */
  async compare(
    payload: unknown,
    name: string,
    baseline: { payload: unknown; name: string },
    options: Omit<AnalyzeOptions, 'roles'>
  ): Promise<TablesComparison> {
    const answer = await this._request({ kind: 'compare', payload, name, baseline, options });
    if (!answer.comparison) {
      throw new AnalysisError('no comparison computed', false);
    }
    return answer.comparison;
  }

  private _request(request: Omit<AnalysisRequest, 'id'>, transfer: Transferable[] = []): Promise<Answer> {
    const id = ++this._lastId;
    return new Promise<Answer>((resolve, reject) => {
      this._pending.set(id, { resolve, reject });
      this._ensureWorker().postMessage({ ...request, id }, transfer);
    });
  }

  dispose(): void {
    this._worker?.terminate();
    this._worker = null;
    for (const { reject } of this._pending.values()) {
      reject(new AnalysisError('analysis cancelled', false));
    }
    this._pending.clear();
  }

  private _ensureWorker(): Worker {
    if (!this._worker) {
      this._worker = new Worker(new URL('./analysis.worker.js', import.meta.url), { type: 'module' });
      this._worker.onmessage = (event: MessageEvent<AnalysisResponse>) => this._settle(event.data);
      this._worker.onerror = event => this._failAll(`the analysis worker failed: ${event.message}`);
    }
    return this._worker;
  }

  private _settle(response: AnalysisResponse): void {
    const pending = this._pending.get(response.id);
    if (!pending) {
      return;
    }
    this._pending.delete(response.id);
    if (response.ok) {
      pending.resolve(response);
    } else {
      pending.reject(new AnalysisError(response.error, response.inputError));
    }
  }

  private _failAll(message: string): void {
    for (const { reject } of this._pending.values()) {
      reject(new AnalysisError(message, false));
    }
    this._pending.clear();
    this._worker?.terminate();
    this._worker = null;
  }

  private _lastId = 0;
  private _worker: Worker | null = null;
  private _pending = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
}
