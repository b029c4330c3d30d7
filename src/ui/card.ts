/**
 * The trace card: what a researcher sees under the cell that emitted a trace. It is a MIME renderer for
 * trace format v1; the payload is analysed in the worker and the card is built from the result with
 * text nodes only.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { Message } from '@lumino/messaging';
import type { ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { TRACE_MIME_TYPE } from '../engine/trace-format.js';
import type { AnalysisResult, Roles, RootCause, Task } from '../engine/types.js';
import type { CodeChangeFinding } from '../notebook/inline.js';
import type { IAggregatesRequest } from '../notebook/kernel-transfer.js';
import type { AnalysisClient } from '../worker/client.js';
import type { FetchedStreams } from '../worker/protocol.js';
import { element, formatCount, formatMetric, metricsTable } from './format.js';
import { preloadChartLibraries } from './chart-view.js';
import { headlineOf, headlineTable, heldDataNote, kernelHeldData, loadKernelData, type KernelLocator } from './kernel-data.js';
import { analysisOptions, type ModelTraceSettings } from './settings.js';

const CARD_CLASS = 'jp-ModelTrace-Card';

/** Headline metrics per task, in display order. */
const HEADLINE_METRICS: Record<Task, string[]> = {
  binary: ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'],
  multiclass: ['accuracy', 'precision', 'recall', 'f1'],
  regression: ['mae', 'rmse', 'r2']
};

const ROLE_NAMES: (keyof Roles)[] = ['label', 'prediction', 'score', 'scores', 'timestamp', 'latency', 'model_version', 'id'];

export interface ICardOptions {
  client: AnalysisClient;
  settings: () => ModelTraceSettings;
  /** Open the explorer on this analysis of a trace payload. */
  openExplorer: (trace: { name: string; result: AnalysisResult; payload: unknown }) => void;
  /** Emitted when settings that change the analysis (chunking, custom metrics) change: the card analyses again. */
  analysisSettingsChanged?: ISignal<unknown, void>;
  /** Finds the kernel of the notebook showing a card, for traces whose data live in the kernel. */
  locateKernel?: KernelLocator;
  /** Root causes next to the code, when the card is in a notebook (src/notebook/inline.ts). */
  inline?: ICardInline;
}

export interface ICardInline {
  /** Underline the causes' columns in the card's cell; resolves to what clears them. */
  mark(node: HTMLElement, causes: RootCause[]): Promise<() => void>;
  /** Insert a cell below the card's cell that runs the cause's probe on the trace's data. */
  insertProbe(node: HTMLElement, trace: { id: string; name: string }, cause: RootCause): void;
  /** Remember this run of the card's cell; the code change since the cell's previous run on the same data. */
  recordRun(node: HTMLElement, payload: unknown, result: AnalysisResult): CodeChangeFinding | null;
  /** Open the explorer on the chart that shows the cause. */
  show(traceId: string, cause: RootCause, task: Task): void;
}

export class TraceCard extends Widget implements IRenderMime.IRenderer {
  constructor(private readonly _options: ICardOptions) {
    super();
    this.addClass(CARD_CLASS);
    this.node.dataset.modeltrace = 'card';
    _options.analysisSettingsChanged?.connect(this._analyseAgain, this);
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this._model = model;
    const payload = model.data[TRACE_MIME_TYPE];
    this._showStatus('Analysing trace…', 'loading');
    const held = kernelHeldData(payload);
    let fetched: FetchedStreams | undefined;
    if (held) {
      // large trace: its data come from the kernel over a comm, once the card is in a notebook
      await this._attached;
      const render = ++this._renders;
      // above the progress bar: the kernel's headline metrics, then the analysis of the kernel's aggregates
      const lead = element('div', `${CARD_CLASS}-lead`);
      const headline = headlineOf(payload);
      if (headline) {
        lead.appendChild(headlineTable(headline));
      }
      const streams = await loadKernelData(
        this.node,
        held,
        this._options.locateKernel,
        () => void this.renderModel(model),
        this._gone.signal,
        lead,
        aggregatesRequest(this._options.settings(), aggregates => void this._showPreliminary(payload, aggregates, lead, render))
      );
      this._renders += 1; // the transfer is over: a preliminary analysis still running is not shown
      if (streams === null) {
        return;
      }
      fetched = streams;
      performance.mark('modeltrace:fetched', { detail: held.current.trace });
      this._showStatus('Analysing trace…', 'loading');
    }
    try {
      const settings = this._options.settings();
      const embeddedMB = embeddedMegabytes(payload);
      if (embeddedMB > settings.embedLimitMB) {
        throw new Error(
          `this trace embeds ${embeddedMB.toFixed(1)} MB of data, over the embed-size limit of ${settings.embedLimitMB} MB ` +
            '(Settings ▸ ModelTrace); raise the limit to analyse it here, or save it with mt.save() and analyse the file'
        );
      }
      const result = await this._options.client.analyze(payload, analysisOptions(settings), fetched);
      this._showResult(payload as Record<string, unknown>, result);
      preloadChartLibraries();
      if (held) {
        this.node.appendChild(heldDataNote(held));
        // timings of the large-trace path, read by benchmarks/e2e
        performance.mark('modeltrace:rendered', { detail: held.current.trace });
      }
    } catch (error) {
      this._showStatus(`ModelTrace could not read this trace: ${(error as Error).message}`, 'error');
    }
  }

  dispose(): void {
    // a card that goes away mid-transfer stops asking the kernel for chunks
    this._gone.abort();
    this._options.analysisSettingsChanged?.disconnect(this._analyseAgain, this);
    this._clearMarks();
    super.dispose();
  }

  private readonly _gone = new AbortController();
  private _model: IRenderMime.IMimeModel | null = null;
  /** Counts renders and ended transfers: a preliminary analysis is shown only during the transfer it belongs to. */
  private _renders = 0;

  /**
   * While the rows of a large trace travel, the analysis of the aggregates the kernel computed from them (every
   * metric, alert, drift and root cause; ks, wasserstein and the curve areas within stated bounds) replaces the
   * headline metrics above the progress bar; the analysis of the rows replaces it when they arrive. If it cannot
   * be analysed, the headline metrics stay.
   */
  private async _showPreliminary(
    payload: unknown,
    aggregates: Record<string, unknown>,
    lead: HTMLElement,
    render: number
  ): Promise<void> {
    const body: Record<string, unknown> = { ...(payload as Record<string, unknown>), current: aggregates, reference: null };
    delete body.headline;
    try {
      const result = await this._options.client.analyze(body, analysisOptions(this._options.settings()));
      if (render !== this._renders || this._gone.signal.aborted) {
        return;
      }
      lead.replaceChildren(...this._resultNodes(body, result, false));
      this.node.dataset.preliminary = 'true';
      // read by benchmarks/e2e: the card shows the whole analysis, from the aggregates, from here on
      performance.mark('modeltrace:preliminary', { detail: String((payload as { id?: unknown }).id ?? '') });
    } catch {
      // the headline metrics stay until the rows arrive
    }
  }

  /** New chunking or custom metrics: the same trace analysed again (a card still loading picks them up itself). */
  private _analyseAgain(): void {
    if (this._model && this.node.dataset.state !== 'loading') {
      void this.renderModel(this._model);
    }
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._markAttached();
  }

  private _markAttached: () => void = () => undefined;
  private readonly _attached = new Promise<void>(resolve => (this._markAttached = resolve));

  private _showStatus(message: string, state: 'loading' | 'error'): void {
    this.node.replaceChildren();
    this.node.dataset.state = state;
    delete this.node.dataset.preliminary;
    const status = element('div', `${CARD_CLASS}-status`, message);
    status.dataset.modeltrace = state === 'error' ? 'error' : 'loading';
    if (state === 'error') {
      status.setAttribute('role', 'alert');
    }
    this.node.appendChild(status);
  }

  private _showResult(payload: Record<string, unknown>, result: AnalysisResult): void {
    this._clearMarks();
    this.node.replaceChildren();
    this.node.dataset.state = 'ready';
    delete this.node.dataset.preliminary;
    this.node.dataset.chunks = String(result.chunks.filter(chunk => chunk.period === 'current').length);
    this.node.append(...this._resultNodes(payload, result, true));
  }

  /**
   * The card's content for an analysis. `final` is false for a preliminary analysis: it neither records the run
   * (code changes) nor marks the cell's code, which the final analysis does.
   */
  private _resultNodes(payload: Record<string, unknown>, result: AnalysisResult, final: boolean): HTMLElement[] {
    const inferred = new Set(Array.isArray(payload.inferred) ? (payload.inferred as string[]) : []);
    const nodes = [
      this._header(String(payload.name ?? 'trace'), result, payload),
      this._metricsTable(result),
      this._findings(result, payload, final),
      this._roles(result.roles, inferred)
    ];
    if (result.pushdown) {
      const note = element('div', `${CARD_CLASS}-pushdown-note`, result.pushdown.note);
      note.dataset.modeltrace = 'pushdown-note';
      nodes.push(note);
    }
    if (result.warnings.length > 0) {
      const list = element('ul', `${CARD_CLASS}-warnings`);
      list.dataset.modeltrace = 'warnings';
      for (const warning of result.warnings) {
        list.appendChild(element('li', undefined, warning));
      }
      nodes.push(list);
    }
    return nodes;
  }

  private _header(name: string, result: AnalysisResult, payload: Record<string, unknown>): HTMLElement {
    const header = element('div', `${CARD_CLASS}-header`);
    header.append(
      element('span', `${CARD_CLASS}-brand`, 'ModelTrace'),
      element('span', `${CARD_CLASS}-name`, name),
      element('span', `${CARD_CLASS}-badge`, result.task)
    );
    const open = element('button', `${CARD_CLASS}-open`, 'Open explorer');
    open.type = 'button';
    open.dataset.modeltrace = 'open-explorer';
    open.addEventListener('click', () => this._options.openExplorer({ name, result, payload }));
    header.appendChild(open);
    const rows = element(
      'span',
      `${CARD_CLASS}-rows`,
      result.rows.reference > 0
        ? `${formatCount(result.rows.current)} rows · reference ${formatCount(result.rows.reference)}`
        : `${formatCount(result.rows.current)} rows · no reference`
    );
    rows.dataset.modeltrace = 'rows';
    header.appendChild(rows);
    return header;
  }

  private _metricsTable(result: AnalysisResult): HTMLElement {
    const table = metricsTable(HEADLINE_METRICS[result.task], result.metrics.reference ?? {}, result.metrics.current);
    table.dataset.modeltrace = 'metrics';
    return table;
  }

  private _findings(result: AnalysisResult, payload: Record<string, unknown>, final: boolean): HTMLElement {
    const findings = element('div', `${CARD_CLASS}-findings`);

    const alerts = element('div', `${CARD_CLASS}-finding`);
    alerts.dataset.modeltrace = 'alerts';
    const metricAlerts = result.alerts.filter(alert => !alert.metric.startsWith('drift:'));
    alerts.append(
      element('span', `${CARD_CLASS}-label`, 'Alerts'),
      element(
        'span',
        undefined,
        result.alerts.length === 0
          ? result.rows.reference > 0
            ? 'none: every current chunk is within its reference threshold'
            : 'none: thresholds need a reference'
          : `${result.alerts.length} (${metricAlerts.length} metric, ${result.alerts.length - metricAlerts.length} drift) — ` +
              describeAlerts(result)
      )
    );

    const drifted = result.drift.filter(feature => feature.drifted);
    const drift = element('div', `${CARD_CLASS}-finding`);
    drift.dataset.modeltrace = 'drifted';
    drift.append(
      element('span', `${CARD_CLASS}-label`, 'Drifted'),
      element(
        'span',
        undefined,
        result.drift.length === 0
          ? 'not computed: no reference'
          : drifted.length === 0
            ? `none of ${result.drift.length} features`
            : drifted
                .map(feature => `${feature.feature} (JS ${formatMetric(feature.methods.jensen_shannon?.value)})`)
                .join(', ')
      )
    );

    findings.append(alerts, drift, this._rootCauses(result, payload, final ? this._options.inline : undefined));
    return findings;
  }

  /**
   * The top 3 root causes, a code change since the cell's previous run first; each opens the explorer on its chart,
   * and can insert a probe cell. Their columns are underlined in the cell's editor.
   */
  private _rootCauses(result: AnalysisResult, payload: Record<string, unknown>, inline: ICardInline | undefined): HTMLElement {
    const finding = inline?.recordRun(this.node, payload, result) ?? null;
    const ranked = [...(finding ? [finding.cause] : []), ...result.root_causes]
      .slice(0, 3)
      .map((cause, index) => ({ ...cause, rank: index + 1 }));
    const causes = element('div', `${CARD_CLASS}-finding`);
    causes.append(element('span', `${CARD_CLASS}-label`, 'Root causes'));
    if (ranked.length === 0) {
      causes.append(element('span', undefined, 'no root cause found'));
      return causes;
    }
    const trace = { id: String(payload.id ?? ''), name: String(payload.name ?? 'trace') };
    const list = element('ol', `${CARD_CLASS}-causes`);
    for (const cause of ranked) {
      const item = element('li');
      item.dataset.modeltrace = 'root-cause';
      item.dataset.kind = cause.kind;
      // inline text that acts as a button: a <button> would wrap the summary as one block beside the list number
      const summary = element('span', `${CARD_CLASS}-cause`, cause.summary);
      if (inline) {
        summary.setAttribute('role', 'button');
        summary.tabIndex = 0;
        summary.title = 'Open the explorer on the chart that shows this cause';
        summary.dataset.modeltrace = 'root-cause-open';
        const open = () => inline.show(trace.id, cause, result.task);
        summary.addEventListener('click', open);
        summary.addEventListener('keydown', event => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            open();
          }
        });
      }
      item.appendChild(summary);
      if (inline && cause.probe) {
        const probe = element('button', `${CARD_CLASS}-probe`, 'Probe');
        probe.type = 'button';
        probe.title = 'Insert a cell below that isolates these rows in the trace\'s data and prints their metric';
        probe.dataset.modeltrace = 'probe-cell';
        probe.addEventListener('click', () => {
          try {
            inline.insertProbe(this.node, trace, cause);
          } catch (error) {
            probe.title = (error as Error).message;
          }
        });
        item.appendChild(probe);
      }
      if (finding && cause.kind === 'code_change') {
        item.appendChild(codeDiff(finding));
      }
      list.appendChild(item);
    }
    causes.append(list);
    if (inline) {
      void this._attached
        .then(() => inline.mark(this.node, ranked))
        .then(clear => {
          this._clearMarks();
          this._clearMarks = clear;
        });
    }
    return causes;
  }

  /** Removes this card's marks from its cell's editor. */
  private _clearMarks: () => void = () => undefined;

  private _roles(roles: Roles, inferred: Set<string>): HTMLElement {
    const line = element('div', `${CARD_CLASS}-roles`);
    line.dataset.modeltrace = 'roles';
    const parts: string[] = [];
    for (const role of ROLE_NAMES) {
      const value = roles[role];
      if (value === undefined || (Array.isArray(value) && value.length === 0)) {
        continue;
      }
      const columns = Array.isArray(value) ? value.join(', ') : value;
      parts.push(`${role}: ${columns}${inferred.has(role) ? ' (inferred)' : ''}`);
    }
    parts.push(`features: ${roles.features.length}${inferred.has('features') ? ' (inferred)' : ''}`);
    if (roles.slices.length > 0) {
      parts.push(`slices: ${roles.slices.join(', ')}`);
    }
    line.textContent = parts.join(' · ');
    return line;
  }
}

/**
 * The request for the kernel's aggregates, when the settings chunk each period into a number of chunks (the
 * aggregates know only that chunking; by rows per chunk or calendar period the card waits for the rows).
 */
function aggregatesRequest(
  settings: ModelTraceSettings,
  receive: (aggregates: Record<string, unknown>) => void
): IAggregatesRequest | undefined {
  return settings.chunkSize > 0 || settings.chunkPeriod ? undefined : { chunkCount: settings.chunkCount, receive };
}

/** Size of the Arrow data a payload embeds (base64: 3 bytes per 4 characters), without decoding it. */
function embeddedMegabytes(payload: unknown): number {
  let characters = 0;
  if (payload && typeof payload === 'object') {
    for (const period of ['current', 'reference']) {
      const data = (payload as Record<string, unknown>)[period] as Record<string, unknown> | null | undefined;
      if (data && typeof data.data === 'string') {
        characters += data.data.length;
      }
    }
  }
  return (characters * 3) / 4 / 2 ** 20;
}

function describeAlerts(result: AnalysisResult): string {
  const names = [...new Set(result.alerts.map(alert => alert.metric))];
  const shown = names.slice(0, 4).join(', ');
  return names.length > 4 ? `${shown} and ${names.length - 4} more` : shown;
}

/** The renderer factory; `safe` because the card never turns trace content into HTML or code. */
/** The changed lines of a code change, as a small diff (text nodes only). */
function codeDiff(finding: CodeChangeFinding): HTMLElement {
  const block = element('pre', `${CARD_CLASS}-diff`);
  block.dataset.modeltrace = 'code-diff';
  block.title = `Changes since the run "${finding.previous}" of this cell`;
  for (const line of finding.change.lines.filter(candidate => candidate.op !== 'same')) {
    const row = element('span', line.op === 'added' ? 'jp-mod-added' : 'jp-mod-removed', `${line.op === 'added' ? '+' : '−'} ${line.text}\n`);
    block.appendChild(row);
  }
  return block;
}

export function createCardFactory(options: ICardOptions): IRenderMime.IRendererFactory {
  return {
    safe: true,
    mimeTypes: [TRACE_MIME_TYPE],
    defaultRank: 0,
    createRenderer: () => new TraceCard(options)
  };
}
