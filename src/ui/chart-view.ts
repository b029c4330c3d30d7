/**
 * One chart: a Vega-Lite spec built by src/charts, drawn with vega-embed. Untrusted notebooks can't run code
 * through it: the spec never comes from the payload, expressions go through Vega's AST interpreter (no `eval`,
 * CSP-safe), the loader refuses every URL, and the editor/source actions are off.
 */
import type { Message } from '@lumino/messaging';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import type { TopLevelSpec } from 'vega-lite';
import type { Result as EmbedResult } from 'vega-embed';
import { chartExporter, chartFile, CHART_FORMATS, downloadFile, type ChartFormat } from '../export/chart-files.js';
import { element } from './format.js';

const CHART_CLASS = 'jp-ModelTrace-Chart';

/** A loader that never reaches the network or the file system: charts carry their data inline. */
const offlineLoader = {
  load: (uri: string) => Promise.reject(new Error(`ModelTrace charts load no data from URLs (${uri})`)),
  sanitize: (uri: string) => Promise.reject(new Error(`ModelTrace charts follow no URLs (${uri})`)),
  http: (uri: string) => Promise.reject(new Error(`ModelTrace charts make no requests (${uri})`)),
  file: (path: string) => Promise.reject(new Error(`ModelTrace charts read no files (${path})`))
};

/** The drawing libraries, loaded once (every card asks for a preload; the first request is the only one). */
let libraries: ReturnType<typeof loadChartLibraries> | null = null;

function loadChartLibraries() {
  return Promise.all([import('vega-embed'), import('vega-interpreter')]);
}

function chartLibraries(): ReturnType<typeof loadChartLibraries> {
  // a failed load (e.g. the server gone for a moment) is not kept: the next chart tries again
  libraries ??= loadChartLibraries().catch(error => {
    libraries = null;
    throw error;
  });
  return libraries;
}

/**
 * Load and evaluate the drawing libraries while the browser is idle (e.g. once a card is shown), so that the
 * explorer's first charts do not pay for evaluating a megabyte of JavaScript in one long task.
 */
export function preloadChartLibraries(): void {
  if (libraries) {
    return;
  }
  const idle = (window as { requestIdleCallback?: (callback: () => void, options?: { timeout: number }) => number }).requestIdleCallback;
  const load = () => void chartLibraries().catch(() => undefined);
  if (idle) {
    idle(load, { timeout: 5000 });
  } else {
    setTimeout(load, 500);
  }
}

export interface IChartSelection {
  chart: string;
  /** Name of the Vega-Lite selection parameter. */
  selection: string;
  /** The selected values per field, or null when cleared. */
  value: Record<string, unknown> | null;
}

export class ChartView extends Widget {
  constructor(
    readonly chartName: string,
    private readonly _selections: string[] = []
  ) {
    super();
    this.addClass(CHART_CLASS);
    this.node.dataset.modeltraceChart = chartName;
    this._host = element('div', `${CHART_CLASS}-host`);
    this.node.appendChild(this._host);
    this.node.appendChild(this._createExportMenu());
  }

  /** Base of exported file names (the explorer sets it to the trace's name and the chart's). */
  exportName = '';

  /** A one-line description of the chart, for the text of an inserted output. */
  description = '';

  /** Emitted when a selection parameter of the chart changes (e.g. a chunk is clicked). */
  get selectionChanged(): Signal<this, IChartSelection> {
    return this._selectionChanged;
  }

  /** Milliseconds the last draw took, from spec to painted view. */
  get lastDrawMs(): number {
    return this._lastDrawMs;
  }

  /** The drawn Vega view, for exports. */
  get embedResult(): EmbedResult | null {
    return this._embed;
  }

  async render(spec: TopLevelSpec): Promise<void> {
    const started = performance.now();
    const [{ default: embed }, { expressionInterpreter }] = await chartLibraries();
    this._finalize();
    this._spec = spec;
    try {
      this._embed = await embed(this._host, spec, {
        ast: true,
        expr: expressionInterpreter,
        loader: offlineLoader as never,
        actions: false,
        // vega-tooltip's default sanitizer escapes HTML, so trace strings in tooltips stay text
        renderer: 'svg'
      });
    } catch (error) {
      this._host.replaceChildren(element('div', `${CHART_CLASS}-error`, `This chart could not be drawn: ${(error as Error).message}`));
      return;
    }
    for (const selection of this._selections) {
      this._embed.view.addSignalListener(selection, (_, value) => {
        const selected = value && typeof value === 'object' && Object.keys(value).length > 0 ? (value as Record<string, unknown>) : null;
        this._selectionChanged.emit({ chart: this.chartName, selection, value: selected });
      });
    }
    this._drawnWidth = this._host.clientWidth;
    this._lastDrawMs = performance.now() - started;
    this.node.dataset.drawMs = this._lastDrawMs.toFixed(1);
  }

  protected onResize(message: Widget.ResizeMessage): void {
    super.onResize(message);
    this._fitWidth();
  }

  protected onAfterShow(message: Message): void {
    super.onAfterShow(message);
    this._fitWidth();
  }

  /**
   * Redraw at the host's width, once per frame and only when the width changed: Lumino sends resize messages to every
   * chart of a panel at once, and redrawing them all unchanged made one task of several hundred milliseconds.
   */
  private _fitWidth(): void {
    cancelAnimationFrame(this._resizeFrame);
    this._resizeFrame = requestAnimationFrame(() => {
      const width = this._host.clientWidth;
      if (this._embed && width > 0 && width !== this._drawnWidth) {
        this._drawnWidth = width;
        void this._embed.view.resize().runAsync();
      }
    });
  }

  dispose(): void {
    cancelAnimationFrame(this._resizeFrame);
    this._finalize();
    super.dispose();
  }

  private _resizeFrame = 0;
  private _drawnWidth = 0;

  private _finalize(): void {
    this._embed?.finalize();
    this._embed = null;
  }

  /** Saves (or downloads, or inserts into the notebook) the drawn chart; resolves to what the status line says. */
  async export(format: ChartFormat, action: 'save' | 'download' | 'insert'): Promise<string> {
    if (!this._embed || !this._spec) {
      throw new Error('the chart is not drawn yet');
    }
    const file = await chartFile(this._embed.view, this._spec, format, this.exportName || `modeltrace-${this.chartName}`);
    const exporter = chartExporter();
    if (action === 'download' || !exporter) {
      downloadFile(file);
      return `Downloaded ${file.name}`;
    }
    if (action === 'insert') {
      await exporter.insert(file, this.description || this.chartName);
      return 'Inserted into the notebook';
    }
    return `Saved ${await exporter.save(file)}`;
  }

  private _createExportMenu(): HTMLElement {
    const menu = element('details', `${CHART_CLASS}-export`);
    menu.dataset.modeltrace = 'chart-export';
    menu.appendChild(element('summary', undefined, 'Export'));
    const status = element('span', `${CHART_CLASS}-exportStatus`);
    status.dataset.modeltrace = 'export-status';
    const item = (label: string, format: ChartFormat, action: 'save' | 'download' | 'insert', hook: string) => {
      const button = element('button', `${CHART_CLASS}-exportItem`, label);
      button.type = 'button';
      button.dataset.modeltraceExport = hook;
      button.addEventListener('click', () => {
        status.textContent = '…';
        this.export(format, action).then(
          message => (status.textContent = message),
          error => (status.textContent = `Export failed: ${(error as Error).message}`)
        );
      });
      menu.appendChild(button);
    };
    for (const format of Object.keys(CHART_FORMATS) as ChartFormat[]) {
      item(`Save ${CHART_FORMATS[format].label}`, format, 'save', format);
    }
    for (const format of Object.keys(CHART_FORMATS) as ChartFormat[]) {
      item(`Download ${CHART_FORMATS[format].label}`, format, 'download', `download-${format}`);
    }
    item('Insert into notebook', 'png', 'insert', 'insert');
    menu.appendChild(status);
    return menu;
  }

  private _spec: TopLevelSpec | null = null;
  private _host: HTMLElement;
  private _embed: EmbedResult | null = null;
  private _lastDrawMs = 0;
  private _selectionChanged = new Signal<this, IChartSelection>(this);
}
