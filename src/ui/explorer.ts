/**
 * The trace explorer: a main-area view of one analysis with interactive charts. Clicking a chunk in a timeline
 * selects it; the chunk table then shows that chunk's metrics and drift values.
 */
import type { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';
import type { TopLevelSpec } from 'vega-lite';
import {
  CHUNK_SELECTION,
  chartTheme,
  driftRankingSpec,
  driftTimelineSpec,
  JUPYTER_THEME_VARIABLES,
  latencySpec,
  metricTimelineSpec,
  type ChartTheme,
  type JupyterThemeValues
} from '../charts/index.js';
import type { AnalysisDetails } from '../engine/details/index.js';
import type { AnalysisResult, ChunkResult } from '../engine/types.js';
import { detailCharts } from '../export/report.js';
import { dataQualityTable, slicesTable, type Table } from '../export/tables.js';
import { ChartView, type IChartSelection } from './chart-view.js';
import { element, formatCount, formatMetric } from './format.js';

const EXPLORER_CLASS = 'jp-ModelTrace-Explorer';

/** The metric each task's timeline opens on. */
const PRIMARY_METRIC = { binary: 'accuracy', multiclass: 'accuracy', regression: 'mae' } as const;

export interface IExplorerOptions {
  name: string;
  result: AnalysisResult;
  /** Whether JupyterLab's current theme is dark. */
  isDark: () => boolean;
  /** The explorer's chart data (curves, confusion, slices, distributions), computed in the worker on demand. */
  details?: () => Promise<AnalysisDetails>;
}

export class TraceExplorer extends Panel {
  constructor(private readonly _options: IExplorerOptions) {
    super();
    this.addClass(EXPLORER_CLASS);
    this.node.dataset.modeltrace = 'explorer';
    this.id = `modeltrace-explorer-${Private.nextId++}`;
    this.title.label = `ModelTrace: ${_options.name}`;
    this.title.closable = true;

    const { result } = _options;
    this._metric = PRIMARY_METRIC[result.task];
    this.addWidget(textWidget('h2', `${EXPLORER_CLASS}-title`, `${_options.name} · ${result.task}`));
    this.addWidget(
      textWidget(
        'p',
        `${EXPLORER_CLASS}-subtitle`,
        `${formatCount(result.rows.current)} current rows, ${formatCount(result.rows.reference)} reference rows, ` +
          `${result.chunks.length} chunks, ${result.alerts.length} alerts`
      )
    );
    this._metricPicker = this._createMetricPicker();
    this.addWidget(this._metricPicker);

    this._charts = this._createCharts();
    for (const chart of this._charts) {
      chart.selectionChanged.connect(this._onSelection, this);
      this.addWidget(chart);
    }
    this._chunkDetail = new Widget({ node: element('div', `${EXPLORER_CLASS}-chunk`) });
    this._chunkDetail.node.dataset.modeltrace = 'chunk-detail';
    this.addWidget(this._chunkDetail);
    this._showChunk(null);
    this.addWidget(tableWidget(dataQualityTable(result), 'data-quality'));
    this._detailsStatus = textWidget('p', `${EXPLORER_CLASS}-hint`, _options.details ? 'Computing curves, slices and distributions…' : '');
    this._detailsStatus.node.dataset.modeltrace = 'details-status';
    this.addWidget(this._detailsStatus);
  }

  /** The chart data, once the worker has computed them. */
  get details(): AnalysisDetails | null {
    return this._details;
  }

  /** Resolves when every chart has been drawn. */
  get drawn(): Promise<void> {
    return this._drawn;
  }

  protected onAfterAttach(message: Message): void {
    super.onAfterAttach(message);
    this._drawn = this._drawAll().then(() => this._loadDetails());
    // JupyterLab marks the body when the theme changes; charts take their colours from the theme, so redraw
    this._themeObserver.observe(document.body, { attributes: true, attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light'] });
  }

  protected onBeforeDetach(message: Message): void {
    this._themeObserver.disconnect();
    cancelAnimationFrame(this._redrawFrame);
    super.onBeforeDetach(message);
  }

  private _createMetricPicker(): Widget {
    const metrics = Object.keys(this._options.result.metrics.current).filter(metric =>
      this._options.result.chunks.some(chunk => chunk.metrics[metric] !== undefined && chunk.metrics[metric] !== null)
    );
    const label = element('label', `${EXPLORER_CLASS}-picker`, 'Timeline metric ');
    const select = element('select');
    select.dataset.modeltrace = 'metric-picker';
    for (const metric of metrics) {
      const option = element('option', undefined, metric);
      option.value = metric;
      select.appendChild(option);
    }
    select.value = PRIMARY_METRIC[this._options.result.task];
    select.addEventListener('change', () => {
      this._metric = select.value;
      void this._draw(this._charts[0]);
    });
    label.appendChild(select);
    return new Widget({ node: label });
  }

  private _createCharts(): ChartView[] {
    const result = this._options.result;
    const charts = [new ChartView('metric-timeline', [CHUNK_SELECTION])];
    if (result.drift.length > 0) {
      charts.push(new ChartView('drift-ranking'), new ChartView('drift-timeline', [CHUNK_SELECTION]));
    }
    if (result.chunks.some(chunk => chunk.metrics.latency_p50 !== undefined && chunk.metrics.latency_p50 !== null)) {
      charts.push(new ChartView('latency', [CHUNK_SELECTION]));
    }
    return charts;
  }

  private async _drawAll(): Promise<void> {
    await Promise.all(this._charts.map(chart => this._draw(chart)));
  }

  /** Asks the worker for the details once, then adds their charts and the slice table. */
  private async _loadDetails(): Promise<void> {
    if (!this._options.details || this._details || this._detailsLoading) {
      return;
    }
    this._detailsLoading = true;
    try {
      const details = await this._options.details();
      this._details = details;
      this._detailsStatus.node.textContent = details.notes.length > 0 ? `Not shown: ${details.notes.join('; ')}` : '';
      for (const chart of detailCharts(details, this._options.result.drift, this._theme())) {
        const view = new ChartView(chart.name);
        view.description = chart.title;
        this._charts.push(view);
        this.addWidget(view);
      }
      if (details.slices.length > 0) {
        this.addWidget(tableWidget(slicesTable(details), 'slices'));
      }
      await Promise.all(this._charts.filter(chart => isDetailChart(chart.chartName)).map(chart => this._draw(chart)));
    } catch (error) {
      this._detailsStatus.node.textContent = `Curves, slices and distributions are not available: ${(error as Error).message}`;
    } finally {
      this._detailsLoading = false;
    }
  }

  private async _draw(chart: ChartView): Promise<void> {
    const { chunks, thresholds, alerts, drift } = this._options.result;
    const options = { theme: this._theme() };
    switch (chart.chartName) {
      case 'metric-timeline':
        return chart.render(metricTimelineSpec({ chunks, thresholds, alerts, metric: this._metric }, options));
      case 'drift-ranking':
        return chart.render(driftRankingSpec({ drift, method: 'jensen_shannon' }, options));
      case 'drift-timeline':
        return chart.render(driftTimelineSpec({ chunks, thresholds, alerts }, options));
      case 'latency':
        return chart.render(latencySpec({ chunks }, options));
      default: {
        const spec = this._detailSpecs(options.theme).get(chart.chartName);
        return spec ? chart.render(spec) : undefined;
      }
    }
  }

  /** The detail charts' specs for a theme, built once per theme (each draw of a chart asks for its own). */
  private _detailSpecs(theme: ChartTheme): Map<string, TopLevelSpec> {
    if (!this._details) {
      return new Map();
    }
    const key = JSON.stringify(theme);
    if (this._detailSpecCache?.key !== key) {
      const charts = detailCharts(this._details, this._options.result.drift, theme);
      this._detailSpecCache = { key, specs: new Map(charts.map(chart => [chart.name, chart.spec])) };
    }
    return this._detailSpecCache.specs;
  }

  private _theme(): ChartTheme {
    const style = getComputedStyle(document.body);
    const values = Object.fromEntries(
      Object.entries(JUPYTER_THEME_VARIABLES).map(([key, variable]) => [key, style.getPropertyValue(variable).trim()])
    ) as JupyterThemeValues;
    return chartTheme(values, this._options.isDark() ? 'dark' : 'light');
  }

  private _onSelection(_: ChartView, selection: IChartSelection): void {
    if (selection.selection !== CHUNK_SELECTION) {
      return;
    }
    const period = firstValue(selection.value?.period);
    const index = Number(firstValue(selection.value?.index));
    const chunk = this._options.result.chunks.find(candidate => candidate.period === period && candidate.index === index);
    this._showChunk(chunk ?? null);
  }

  private _showChunk(chunk: ChunkResult | null): void {
    const node = this._chunkDetail.node;
    node.replaceChildren();
    if (!chunk) {
      node.appendChild(element('p', `${EXPLORER_CLASS}-hint`, 'Click a chunk in a timeline to see its metrics and drift.'));
      delete node.dataset.period;
      delete node.dataset.index;
      return;
    }
    node.dataset.period = chunk.period;
    node.dataset.index = String(chunk.index);
    const range = chunk.start && chunk.end ? ` (${chunk.start} – ${chunk.end})` : '';
    node.appendChild(element('h3', undefined, `${chunk.period} chunk ${chunk.index}: ${formatCount(chunk.rows)} rows${range}`));
    const table = element('table', `${EXPLORER_CLASS}-table`);
    const alerts = new Set(
      this._options.result.alerts.filter(alert => alert.period === chunk.period && alert.index === chunk.index).map(alert => alert.metric)
    );
    const rows: [string, number | null][] = [
      ...Object.entries(chunk.metrics),
      ...Object.entries(chunk.drift).map(([feature, value]): [string, number | null] => [`drift:${feature}`, value.jensen_shannon])
    ];
    for (const [name, value] of rows) {
      const row = table.insertRow();
      row.appendChild(element('th', undefined, name));
      const cell = element('td', undefined, formatMetric(value));
      if (alerts.has(name)) {
        cell.classList.add('jp-mod-alert');
        cell.title = 'outside its reference threshold';
      }
      row.appendChild(cell);
    }
    node.appendChild(table);
  }

  private _details: AnalysisDetails | null = null;
  private _detailSpecCache: { key: string; specs: Map<string, TopLevelSpec> } | null = null;
  private _detailsLoading = false;
  private _detailsStatus: Widget;
  private _metric: string;
  private _metricPicker: Widget;
  private _charts: ChartView[];
  private _chunkDetail: Widget;
  private _drawn: Promise<void> = Promise.resolve();
  private _themeObserver = new MutationObserver(() => {
    cancelAnimationFrame(this._redrawFrame);
    this._redrawFrame = requestAnimationFrame(() => (this._drawn = this._drawAll()));
  });
  private _redrawFrame = 0;
}

function isDetailChart(name: string): boolean {
  return !['metric-timeline', 'drift-ranking', 'drift-timeline', 'latency'].includes(name);
}

/** A table of the export module as a DOM table (text nodes only), hooked as `data-modeltrace-table`. */
function tableWidget(table: Table, hook: string): Widget {
  const node = element('div', `${EXPLORER_CLASS}-section`);
  node.dataset.modeltraceTable = hook;
  node.appendChild(element('h3', undefined, table.caption));
  const dom = element('table', `${EXPLORER_CLASS}-table`);
  const head = dom.createTHead().insertRow();
  for (const name of table.header) {
    head.appendChild(element('th', undefined, name));
  }
  const body = dom.createTBody();
  for (const cells of table.rows) {
    const row = body.insertRow();
    cells.forEach((cell, column) => {
      const text = typeof cell === 'number' ? formatMetric(cell) : cell === null ? '–' : String(cell);
      const td = element('td', table.numeric[column] ? 'jp-mod-number' : undefined, text);
      row.appendChild(td);
    });
  }
  node.appendChild(dom);
  return new Widget({ node });
}

function textWidget(tag: 'h2' | 'p', className: string, text: string): Widget {
  return new Widget({ node: element(tag, className, text) });
}

/** Vega point selections hold an array of values per field. */
function firstValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

namespace Private {
  export let nextId = 0;
}
