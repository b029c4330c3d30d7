/**
 * The trace explorer: a main-area view of one analysis with interactive charts.
 * - Clicking a chunk in a timeline filters the other views to it: the other timelines select the same chunk, the
 *   drift ranking shows that chunk's drift, and the worker recomputes the curves, confusion matrix, slices and
 *   distributions over the chunk's rows (its period narrowed to the chunk, the other period whole). A
 *   double click or "Show all rows" clears the filter.
 * - Compare: this run against another trace of the open notebooks (metric deltas with bootstrap intervals,
 *   McNemar's test on shared ids, per-slice deltas).
 * - `showAnalysis()` takes a new analysis of the same trace (new settings) and redraws everything.
 */
import type { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';
import type { TopLevelSpec } from 'vega-lite';
import {
  CHUNK_SELECTION,
  chartTheme,
  compareSpec,
  distributionSpec,
  DRIFT_METHOD_TITLES,
  driftRankingSpec,
  driftTimelineSpec,
  FEATURE_SELECTION,
  JUPYTER_THEME_VARIABLES,
  latencySpec,
  metricTimelineSpec,
  sliceDeltasSpec,
  type ChartTheme,
  type ChunkRef,
  type DriftMethod,
  type JupyterThemeValues
} from '../charts/index.js';
import type { TablesComparison } from '../engine/analyze.js';
import type { AnalysisDetails } from '../engine/details/index.js';
import type { CodeChange } from '../engine/root-causes/index.js';
import type { AnalysisResult, ChunkResult, FeatureDrift } from '../engine/types.js';
import { detailCharts, type ReportChart } from '../export/report.js';
import { dataQualityTable, sliceComparisonTable, slicesTable, type Table } from '../export/tables.js';
import { ChartView, type IChartSelection } from './chart-view.js';
import { element, formatCount, formatMetric } from './format.js';

const EXPLORER_CLASS = 'jp-ModelTrace-Explorer';

/** The metric each task's timeline opens on. */
const PRIMARY_METRIC = { binary: 'accuracy', multiclass: 'accuracy', regression: 'mae' } as const;

const TIMELINES = ['metric-timeline', 'drift-timeline', 'latency'];

/** Another trace this run can be compared with. */
export interface IComparableRun {
  id: string;
  label: string;
}

export interface IExplorerOptions {
  name: string;
  result: AnalysisResult;
  /** Whether the charts take dark colours. */
  isDark: () => boolean;
  /** The drift method the ranking opens on. */
  driftMethod?: DriftMethod;
  /** The explorer's chart data (curves, confusion, slices, distributions), of one chunk when given; from the worker. */
  details?: (chunk?: ChunkRef) => Promise<AnalysisDetails>;
  /** Other runs to compare with, and the comparison of this run with one of them. */
  compare?: {
    runs: () => IComparableRun[];
    run: (id: string) => Promise<{ baseline: string; comparison: TablesComparison; codeChange?: CodeChange | null }>;
  };
}

export class TraceExplorer extends Panel {
  constructor(private readonly _options: IExplorerOptions) {
    super();
    this.addClass(EXPLORER_CLASS);
    this.node.dataset.modeltrace = 'explorer';
    this.id = `modeltrace-explorer-${Private.nextId++}`;
    this.title.label = `ModelTrace: ${_options.name}`;
    this.title.closable = true;
    this._result = _options.result;
    this._driftMethod = _options.driftMethod ?? 'jensen_shannon';
    this._build();
  }

  /** The analysis shown. */
  get result(): AnalysisResult {
    return this._result;
  }

  /** The chart data of the whole periods, once the worker has computed them. */
  get details(): AnalysisDetails | null {
    return this._chunk ? this._wholeDetails : this._details;
  }

  /** Resolves when every chart has been drawn. */
  get drawn(): Promise<void> {
    return this._drawn;
  }

  /** The chunk the views are filtered to, or null. */
  get chunk(): ChunkRef | null {
    return this._chunk;
  }

  /** A new analysis of the same trace (e.g. other settings): every view is built again, unfiltered. */
  showAnalysis(result: AnalysisResult, driftMethod?: DriftMethod): void {
    this._result = result;
    this._driftMethod = driftMethod ?? this._driftMethod;
    this._chunk = null;
    this._details = this._wholeDetails = null;
    this._detailsRequest++;
    this._charts = [];
    for (const widget of [...this.widgets]) {
      widget.dispose();
    }
    this._build();
    if (this.isAttached) {
      this._refreshRuns();
      this._drawn = this._drawAll().then(() => this._loadDetails(null));
    }
  }

  /** Bring one chart into view (waiting for the details when it is one of theirs), e.g. from a root cause. */
  async showChart(name: string, feature?: string): Promise<boolean> {
    await this._drawn;
    if (feature && this._details?.distributions.some(distribution => distribution.feature === feature)) {
      this._feature = feature;
      const select = this._featurePicker?.node.querySelector('select');
      if (select) {
        select.value = feature;
      }
      const distribution = this._chart('distribution');
      if (distribution) {
        await this._draw(distribution);
      }
    }
    // a chart, or a table (e.g. data quality)
    const target = this._chart(name)?.node ?? this.node.querySelector<HTMLElement>(`[data-modeltrace-table="${CSS.escape(name)}"]`);
    if (!target) {
      return false;
    }
    for (const other of this.node.querySelectorAll<HTMLElement>('[data-focused]')) {
      delete other.dataset.focused;
    }
    target.dataset.focused = 'true';
    target.scrollIntoView({ block: 'center' });
    return true;
  }

  protected onAfterAttach(message: Message): void {
    super.onAfterAttach(message);
    this._refreshRuns();
    // timings read by the UI tests and benchmarks: the timelines drawn after the explorer opened
    performance.mark(`${this.id}:opened`);
    this._drawn = this._drawAll()
      .then(() => performance.measure('modeltrace:explorer-charts', { start: `${this.id}:opened`, detail: this.id }))
      .then(() => this._loadDetails(null));
    // JupyterLab marks the body when the theme changes; charts take their colours from the theme, so redraw
    this._themeObserver.observe(document.body, { attributes: true, attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light'] });
  }

  protected onBeforeDetach(message: Message): void {
    this._themeObserver.disconnect();
    cancelAnimationFrame(this._redrawFrame);
    super.onBeforeDetach(message);
  }

  /** Rank the features by another drift method (the whole periods' ranking; a chunk's is Jensen-Shannon only). */
  setDriftMethod(method: DriftMethod): void {
    const select = this.node.querySelector<HTMLSelectElement>('select[data-modeltrace="drift-method"]');
    if (!select || ![...select.options].some(option => option.value === method)) {
      return;
    }
    select.value = method;
    this._driftMethod = method;
    const chart = this._chart('drift-ranking');
    if (chart) {
      void this._draw(chart);
    }
  }

  /** Redraw with the current theme, e.g. after the chart-theme setting changed. */
  redraw(): void {
    this._drawn = this._drawAll();
  }

  // ------------------------------------------------------------------------------------------ building

  private _build(): void {
    const result = this._result;
    this._metric = PRIMARY_METRIC[result.task];
    this.addWidget(textWidget('h2', `${EXPLORER_CLASS}-title`, `${this._options.name} · ${result.task}`));
    this.addWidget(
      textWidget(
        'p',
        `${EXPLORER_CLASS}-subtitle`,
        `${formatCount(result.rows.current)} current rows, ${formatCount(result.rows.reference)} reference rows, ` +
          `${result.chunks.length} chunks, ${result.alerts.length} alerts`
      )
    );
    const controls = new Widget({ node: element('div', `${EXPLORER_CLASS}-controls`) });
    controls.node.append(this._metricPicker(), ...(result.drift.length > 0 ? [this._methodPicker()] : []));
    this.addWidget(controls);
    this._filterBar = new Widget({ node: element('div', `${EXPLORER_CLASS}-filter`) });
    this._filterBar.node.dataset.modeltrace = 'chunk-filter';
    this.addWidget(this._filterBar);

    this._overview = new Panel();
    this._overview.addClass(`${EXPLORER_CLASS}-details`);
    this.addWidget(this._overview);
    for (const chart of this._resultCharts()) {
      chart.selectionChanged.connect(this._onSelection, this);
      this._charts.push(chart);
      this.addWidget(chart);
    }
    this._chunkDetail = new Widget({ node: element('div', `${EXPLORER_CLASS}-chunk`) });
    this._chunkDetail.node.dataset.modeltrace = 'chunk-detail';
    this.addWidget(this._chunkDetail);
    this.addWidget(tableWidget(dataQualityTable(result), 'data-quality'));
    this._detailsStatus = textWidget('p', `${EXPLORER_CLASS}-hint`, this._options.details ? 'Computing curves, slices and distributions…' : '');
    this._detailsStatus.node.dataset.modeltrace = 'details-status';
    this.addWidget(this._detailsStatus);
    this._detailsPanel = new Panel();
    this._detailsPanel.addClass(`${EXPLORER_CLASS}-details`);
    this.addWidget(this._detailsPanel);
    if (this._options.compare) {
      this.addWidget(this._compareSection());
    }
    this._showChunk(null);
  }

  private _metricPicker(): HTMLElement {
    const result = this._result;
    const metrics = Object.keys(result.metrics.current).filter(metric =>
      result.chunks.some(chunk => chunk.metrics[metric] !== undefined && chunk.metrics[metric] !== null)
    );
    return picker('Timeline metric', 'metric-picker', metrics, this._metric, value => {
      this._metric = value;
      const chart = this._chart('metric-timeline');
      if (chart) {
        void this._draw(chart);
      }
    });
  }

  private _methodPicker(): HTMLElement {
    const methods = (Object.keys(DRIFT_METHOD_TITLES) as DriftMethod[]).filter(method =>
      this._result.drift.some(feature => feature.methods[method])
    );
    if (!methods.includes(this._driftMethod)) {
      this._driftMethod = 'jensen_shannon';
    }
    return picker('Drift method', 'drift-method', methods, this._driftMethod, value => {
      this._driftMethod = value as DriftMethod;
      const chart = this._chart('drift-ranking');
      if (chart) {
        void this._draw(chart);
      }
    });
  }

  private _resultCharts(): ChartView[] {
    const result = this._result;
    const charts = [new ChartView('metric-timeline', [CHUNK_SELECTION])];
    if (result.drift.length > 0) {
      charts.push(new ChartView('drift-ranking', [FEATURE_SELECTION]), new ChartView('drift-timeline', [CHUNK_SELECTION]));
    }
    if (result.chunks.some(chunk => chunk.metrics.latency_p50 !== undefined && chunk.metrics.latency_p50 !== null)) {
      charts.push(new ChartView('latency', [CHUNK_SELECTION]));
    }
    for (const chart of charts) {
      chart.exportName = `${this._options.name}-${chart.chartName}`;
    }
    return charts;
  }

  // ------------------------------------------------------------------------------------------ drawing

  private async _drawAll(): Promise<void> {
    await this._drawEach(this._charts);
  }

  /**
   * Draw charts one after the other, handing the main thread back to the browser between two: drawn together,
   * their promise chains run as one task of several hundred milliseconds, during which the tab would not respond.
   */
  private async _drawEach(charts: ChartView[]): Promise<void> {
    for (const chart of charts) {
      await this._draw(chart);
      await new Promise(resolve => setTimeout(resolve, 0));
    }
  }

  private async _draw(chart: ChartView): Promise<void> {
    const { chunks, thresholds, alerts } = this._result;
    const options = { theme: this._theme() };
    const selected = this._chunk;
    switch (chart.chartName) {
      case 'metric-timeline':
        return chart.render(metricTimelineSpec({ chunks, thresholds, alerts, metric: this._metric, selected }, options));
      case 'drift-ranking':
        return chart.render(driftRankingSpec(this._rankingInput(), options));
      case 'drift-timeline':
        return chart.render(driftTimelineSpec({ chunks, thresholds, alerts, selected }, options));
      case 'latency':
        return chart.render(latencySpec({ chunks, selected }, options));
      case 'distribution': {
        const distribution = this._details?.distributions.find(candidate => candidate.feature === this._feature);
        return distribution ? chart.render(distributionSpec(distribution, options)) : undefined;
      }
      case 'compare':
      case 'slice-deltas':
        return this._comparison ? chart.render(this._compareSpecs(options.theme)[chart.chartName]) : undefined;
      default: {
        const detail = this._detailCharts(options.theme).find(candidate => candidate.name === chart.chartName);
        return detail ? chart.render(detail.spec) : undefined;
      }
    }
  }

  /** The drift ranking over the whole periods, or over the selected chunk (Jensen-Shannon only: chunks have no other). */
  private _rankingInput(): Parameters<typeof driftRankingSpec>[0] {
    const chunk = this._selectedChunk();
    if (!chunk) {
      return { drift: this._result.drift, method: this._driftMethod };
    }
    const alerted = new Set(
      this._result.alerts.filter(alert => alert.period === chunk.period && alert.index === chunk.index).map(alert => alert.metric)
    );
    const drift = this._result.drift.flatMap((feature): FeatureDrift[] => {
      const value = chunk.drift[feature.feature]?.jensen_shannon;
      return value === null || value === undefined
        ? []
        : [{ feature: feature.feature, type: feature.type, drifted: alerted.has(`drift:${feature.feature}`), methods: { jensen_shannon: { value } } }];
    });
    const against = chunk.period === 'current' ? 'the whole reference' : 'its own period';
    return { drift, method: 'jensen_shannon', scope: `${chunk.period} chunk ${chunk.index} against ${against} (Jensen-Shannon per chunk)` };
  }

  /**
   * The detail charts for a theme, built once per theme and details (the report's top-3 distributions left out:
   * the explorer has its own, with a feature picker).
   */
  private _detailCharts(theme: ChartTheme): ReportChart[] {
    if (!this._details) {
      return [];
    }
    const key = JSON.stringify(theme);
    if (this._detailChartCache?.key !== key || this._detailChartCache.details !== this._details) {
      const charts = detailCharts(this._details, this._result.drift, theme).filter(chart => !chart.name.startsWith('distribution-'));
      this._detailChartCache = { key, details: this._details, charts };
    }
    return this._detailChartCache.charts;
  }

  private _theme(): ChartTheme {
    const style = getComputedStyle(document.body);
    const values = Object.fromEntries(
      Object.entries(JUPYTER_THEME_VARIABLES).map(([key, variable]) => [key, style.getPropertyValue(variable).trim()])
    ) as JupyterThemeValues;
    return chartTheme(values, this._options.isDark() ? 'dark' : 'light');
  }

  private _chart(name: string): ChartView | undefined {
    return this._charts.find(chart => chart.chartName === name);
  }

  // ------------------------------------------------------------------------------------------ details

  /** Asks the worker for the details of the whole periods or of one chunk, then (re)builds their charts. */
  private async _loadDetails(chunk: ChunkRef | null): Promise<void> {
    if (!this._options.details) {
      return;
    }
    const request = ++this._detailsRequest;
    const label = chunk ? `${chunk.period} chunk ${chunk.index}` : 'all rows';
    if (!chunk && this._wholeDetails) {
      return this._showDetails(this._wholeDetails, null);
    }
    this._detailsStatus.node.textContent = chunk ? `Computing the curves, slices and distributions of ${label}…` : 'Computing curves, slices and distributions…';
    this.node.dataset.detailsState = 'loading';
    try {
      // timings read by the UI tests and benchmarks: the worker computing, then the detail charts drawn
      const requested = performance.mark('modeltrace:details-requested', { detail: this.id });
      const details = await this._options.details(chunk ?? undefined);
      if (request !== this._detailsRequest || this.isDisposed) {
        return;
      }
      const arrived = performance.mark('modeltrace:details-arrived', { detail: this.id });
      performance.measure('modeltrace:details-computed', { start: requested.startTime, end: arrived.startTime, detail: this.id });
      if (!chunk) {
        this._wholeDetails = details;
      }
      await this._showDetails(details, chunk);
      performance.measure('modeltrace:details-charts', { start: arrived.startTime, detail: this.id });
    } catch (error) {
      if (request === this._detailsRequest) {
        this._detailsStatus.node.textContent = `Curves, slices and distributions are not available for ${label}: ${(error as Error).message}`;
        this.node.dataset.detailsState = 'error';
      }
    }
  }

  private async _showDetails(details: AnalysisDetails, chunk: ChunkRef | null): Promise<void> {
    this._details = details;
    const scope = chunk ? `Filtered to ${chunk.period} chunk ${chunk.index}. ` : '';
    this._detailsStatus.node.textContent = scope + (details.notes.length > 0 ? `Not shown: ${details.notes.join('; ')}` : '');
    // rebuild the detail charts: a chunk may lack some (e.g. a ROC curve when its labels hold one class)
    const kept = new Set(['compare', 'slice-deltas', ...TIMELINES, 'drift-ranking']);
    this._charts = this._charts.filter(chart => kept.has(chart.chartName));
    for (const widget of [...this._overview.widgets, ...this._detailsPanel.widgets]) {
      widget.dispose();
    }
    for (const chart of this._detailCharts(this._theme())) {
      const view = new ChartView(chart.name);
      view.description = chart.title;
      view.exportName = `${this._options.name}-${chart.name}`;
      this._charts.push(view);
      (chart.name === 'overview' ? this._overview : this._detailsPanel).addWidget(view);
    }
    if (details.slices.length > 0) {
      this._detailsPanel.addWidget(tableWidget(slicesTable(details), 'slices'));
    }
    if (details.distributions.length > 0) {
      const features = details.distributions.map(distribution => distribution.feature);
      if (!this._feature || !features.includes(this._feature)) {
        const ranked = [...this._result.drift].sort((a, b) => (b.methods.jensen_shannon?.value ?? 0) - (a.methods.jensen_shannon?.value ?? 0));
        this._feature = ranked.find(feature => features.includes(feature.feature))?.feature ?? features[0];
      }
      this._featurePicker = new Widget({
        node: picker('Distribution of', 'feature-picker', features, this._feature, value => {
          this._feature = value;
          const view = this._chart('distribution');
          if (view) {
            void this._draw(view);
          }
        })
      });
      this._detailsPanel.addWidget(this._featurePicker);
      const view = new ChartView('distribution');
      view.description = 'Reference vs current distribution of a feature';
      view.exportName = `${this._options.name}-distribution`;
      this._charts.push(view);
      this._detailsPanel.addWidget(view);
    }
    await this._drawEach(this._charts.filter(chart => !kept.has(chart.chartName)));
    this.node.dataset.detailsState = 'ready';
    this.node.dataset.detailsChunk = chunk ? `${chunk.period}:${chunk.index}` : 'all';
  }

  // ------------------------------------------------------------------------------------------ chunk filter

  private _onSelection(source: ChartView, selection: IChartSelection): void {
    if (selection.selection === FEATURE_SELECTION) {
      const feature = firstValue(selection.value?.feature);
      if (typeof feature === 'string') {
        void this.showChart('distribution', feature);
      }
      return;
    }
    if (selection.selection !== CHUNK_SELECTION) {
      return;
    }
    const period = firstValue(selection.value?.period);
    const index = Number(firstValue(selection.value?.index));
    const chunk = this._result.chunks.find(candidate => candidate.period === period && candidate.index === index);
    this._filterTo(chunk ? { period: chunk.period, index: chunk.index } : null, source);
  }

  /** Filter every view to a chunk (null: all rows); the chart clicked keeps its own selection. */
  private _filterTo(chunk: ChunkRef | null, source?: ChartView): void {
    if (chunk?.period === this._chunk?.period && chunk?.index === this._chunk?.index) {
      return;
    }
    this._chunk = chunk;
    this._showChunk(this._selectedChunk());
    const redrawn = this._charts.filter(chart => (TIMELINES.includes(chart.chartName) && chart !== source) || chart.chartName === 'drift-ranking');
    this._drawn = this._drawEach(redrawn).then(() => this._loadDetails(chunk));
  }

  private _selectedChunk(): ChunkResult | null {
    const chunk = this._chunk;
    return chunk ? (this._result.chunks.find(candidate => candidate.period === chunk.period && candidate.index === chunk.index) ?? null) : null;
  }

  private _showChunk(chunk: ChunkResult | null): void {
    const bar = this._filterBar.node;
    bar.replaceChildren();
    const node = this._chunkDetail.node;
    node.replaceChildren();
    if (!chunk) {
      bar.appendChild(element('span', undefined, 'Showing all rows. Click a chunk in a timeline to filter every view to it.'));
      delete bar.dataset.period;
      delete bar.dataset.index;
      node.appendChild(element('p', `${EXPLORER_CLASS}-hint`, 'Click a chunk in a timeline to see its metrics and drift.'));
      delete node.dataset.period;
      delete node.dataset.index;
      return;
    }
    const range = chunk.start && chunk.end ? ` (${chunk.start} – ${chunk.end})` : '';
    bar.dataset.period = chunk.period;
    bar.dataset.index = String(chunk.index);
    bar.appendChild(element('span', undefined, `Filtered to ${chunk.period} chunk ${chunk.index}: ${formatCount(chunk.rows)} rows${range}. `));
    const clear = element('button', `${EXPLORER_CLASS}-button`, 'Show all rows');
    clear.type = 'button';
    clear.dataset.modeltrace = 'clear-chunk';
    clear.addEventListener('click', () => this._filterTo(null));
    bar.appendChild(clear);

    node.dataset.period = chunk.period;
    node.dataset.index = String(chunk.index);
    node.appendChild(element('h3', undefined, `${chunk.period} chunk ${chunk.index}: ${formatCount(chunk.rows)} rows${range}`));
    const table = element('table', `${EXPLORER_CLASS}-table`);
    const alerts = new Set(
      this._result.alerts.filter(alert => alert.period === chunk.period && alert.index === chunk.index).map(alert => alert.metric)
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

  // ------------------------------------------------------------------------------------------ compare

  private _compareSection(): Widget {
    const section = new Panel();
    section.addClass(`${EXPLORER_CLASS}-section`);
    section.node.dataset.modeltrace = 'compare';
    const head = new Widget({ node: element('div', `${EXPLORER_CLASS}-controls`) });
    head.node.appendChild(element('h3', undefined, 'Compare with another run'));
    const select = element('select');
    select.dataset.modeltrace = 'compare-picker';
    const refresh = () => {
      const chosen = select.value;
      select.replaceChildren();
      for (const run of this._options.compare?.runs() ?? []) {
        const option = element('option', undefined, run.label);
        option.value = run.id;
        select.appendChild(option);
      }
      if ([...select.options].some(option => option.value === chosen)) {
        select.value = chosen;
      }
      button.disabled = select.options.length === 0;
      status.textContent = select.options.length === 0 ? 'No other trace of the same task is open.' : '';
    };
    const button = element('button', `${EXPLORER_CLASS}-button`, 'Compare');
    button.type = 'button';
    button.dataset.modeltrace = 'compare-run';
    const status = element('span', `${EXPLORER_CLASS}-hint`);
    status.dataset.modeltrace = 'compare-status';
    select.addEventListener('focus', refresh);
    select.addEventListener('pointerdown', refresh);
    button.addEventListener('click', () => void this._compareWith(select.value, status, section));
    const label = element('label', `${EXPLORER_CLASS}-picker`, 'Baseline run ');
    label.appendChild(select);
    head.node.append(label, button, status);
    section.addWidget(head);
    // the runs are listed once the explorer is shown, and again each time the picker is opened
    this._refreshRuns = refresh;
    return section;
  }

  /** Runs offered for comparison, read again (a new trace may have appeared). */
  refreshRuns(): void {
    this._refreshRuns();
  }

  private async _compareWith(id: string, status: HTMLElement, section: Panel): Promise<void> {
    if (!id || !this._options.compare) {
      return;
    }
    status.textContent = 'Comparing…';
    section.node.dataset.state = 'loading';
    try {
      const { baseline, comparison, codeChange } = await this._options.compare.run(id);
      this._comparison = { baseline, comparison };
      this._charts = this._charts.filter(chart => chart.chartName !== 'compare' && chart.chartName !== 'slice-deltas');
      for (const widget of section.widgets.slice(1)) {
        widget.dispose();
      }
      const pairing = comparison.comparison.paired
        ? `paired on ${formatCount(comparison.comparison.rows.shared ?? 0)} shared ids`
        : 'no shared id column: independent samples';
      status.textContent = `${this._options.name} against ${baseline}: ${pairing}.`;
      const names = ['compare', ...(comparison.slices.length > 0 ? ['slice-deltas'] : [])];
      for (const name of names) {
        const view = new ChartView(name);
        view.exportName = `${this._options.name}-vs-${baseline}-${name}`;
        this._charts.push(view);
        section.addWidget(view);
      }
      if (comparison.slices.length > 0) {
        section.addWidget(tableWidget(sliceComparisonTable(comparison.slices, baseline, this._options.name), 'compare-slices'));
      }
      if (codeChange) {
        section.addWidget(codeChangeWidget(codeChange, baseline, this._options.name));
      }
      await this._drawEach(this._charts.filter(chart => names.includes(chart.chartName)));
      section.node.dataset.state = 'ready';
    } catch (error) {
      status.textContent = `These runs cannot be compared: ${(error as Error).message}`;
      section.node.dataset.state = 'error';
    }
  }

  private _compareSpecs(theme: ChartTheme): Record<string, TopLevelSpec> {
    const { baseline, comparison } = this._comparison as NonNullable<TraceExplorer['_comparison']>;
    const candidate = this._options.name;
    return {
      compare: compareSpec({ comparison: comparison.comparison, baseline, candidate }, { theme }),
      'slice-deltas': sliceDeltasSpec({ slices: comparison.slices, baseline, candidate }, { theme })
    };
  }

  private _result: AnalysisResult;
  private _driftMethod: DriftMethod;
  private _details: AnalysisDetails | null = null;
  private _wholeDetails: AnalysisDetails | null = null;
  private _detailsRequest = 0;
  private _detailChartCache: { key: string; details: AnalysisDetails; charts: ReportChart[] } | null = null;
  private _detailsStatus!: Widget;
  private _detailsPanel!: Panel;
  private _overview!: Panel;
  private _filterBar!: Widget;
  private _featurePicker: Widget | null = null;
  private _feature: string | null = null;
  private _chunk: ChunkRef | null = null;
  private _comparison: { baseline: string; comparison: TablesComparison } | null = null;
  private _refreshRuns: () => void = () => undefined;
  private _metric: string = 'accuracy';
  private _charts: ChartView[] = [];
  private _chunkDetail!: Widget;
  private _drawn: Promise<void> = Promise.resolve();
  private _themeObserver = new MutationObserver(() => {
    cancelAnimationFrame(this._redrawFrame);
    this._redrawFrame = requestAnimationFrame(() => (this._drawn = this._drawAll()));
  });
  private _redrawFrame = 0;
}

/** The cell's code change between the two runs (same inputs): changed literals, then the changed lines. */
function codeChangeWidget(change: CodeChange, baseline: string, candidate: string): Widget {
  const node = element('div', `${EXPLORER_CLASS}-section`);
  node.dataset.modeltrace = 'compare-code-change';
  node.appendChild(
    element('h3', undefined, `Code change: ${change.metric} ${formatMetric(change.before)} in ${baseline} → ${formatMetric(change.after)} in ${candidate}, same inputs`)
  );
  if (change.literals.length > 0) {
    const list = element('ul');
    for (const literal of change.literals) {
      const name = literal.name ? `${literal.name}=` : '';
      list.appendChild(element('li', undefined, `line ${literal.line}: ${name}${literal.before} → ${name}${literal.after}`));
    }
    node.appendChild(list);
  }
  const diff = element('pre', `${EXPLORER_CLASS}-diff`);
  for (const line of change.lines.filter(candidateLine => candidateLine.op !== 'same')) {
    diff.appendChild(element('span', line.op === 'added' ? 'jp-mod-added' : 'jp-mod-removed', `${line.op === 'added' ? '+' : '−'} ${line.text}\n`));
  }
  node.appendChild(diff);
  return new Widget({ node });
}

/** A labelled select (text options only), hooked as `data-modeltrace`. */
function picker(label: string, hook: string, values: string[], selected: string, changed: (value: string) => void): HTMLElement {
  const node = element('label', `${EXPLORER_CLASS}-picker`, `${label} `);
  const select = element('select');
  select.dataset.modeltrace = hook;
  for (const value of values) {
    const option = element('option', undefined, value);
    option.value = value;
    select.appendChild(option);
  }
  select.value = selected;
  select.addEventListener('change', () => changed(select.value));
  node.appendChild(select);
  return node;
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
      // whole numbers (row counts) as counts, as the exported tables show them
      const text =
        typeof cell === 'number' ? (Number.isInteger(cell) ? formatCount(cell) : formatMetric(cell)) : cell === null ? '–' : String(cell);
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
