/**
 * ModelTrace plugins. This file only wires: the card renderer, the trace registry and its side panel.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ILabShell, ILayoutRestorer } from '@jupyterlab/application';
import { ICommandPalette, InputDialog, MainAreaWidget, showErrorMessage, ToolbarButton } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { createExporter, insertMetricsTable, saveReport, saveTables } from './notebook/exports.js';
import { setChartExporter } from './export/chart-files.js';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { LabIcon } from '@jupyterlab/ui-components';
import { Signal } from '@lumino/signaling';
import { notebookKernel } from './notebook/kernel-transfer.js';
import { NotebookTraceRegistry } from './notebook/registry.js';
import { ITraceRegistry, type ITraceRecord } from './tokens.js';
import { createCardFactory } from './ui/card.js';
import { causeChart, InlineRootCauses, tracesCodeChange } from './notebook/inline.js';
import { TraceExplorer } from './ui/explorer.js';
import { analysisChanged, analysisOptions, DEFAULT_SETTINGS, readSettings, type ModelTraceSettings } from './ui/settings.js';
import { TracesPanel } from './ui/traces-panel.js';
import { AnalysisClient } from './worker/client.js';
import type { AnalysisDetails } from './engine/details/index.js';
import type { AnalysisResult } from './engine/types.js';
import traceIconSvg from '../style/icons/trace.svg';

const PLUGIN_ID = 'modeltrace:plugin';

export namespace CommandIDs {
  export const showTraces = 'modeltrace:show-traces';
  export const exportReport = 'modeltrace:export-report';
  export const openExplorer = 'modeltrace:open-explorer';
}

const traceIcon = new LabIcon({ name: 'modeltrace:trace', svgstr: traceIconSvg });

/** The card under each trace output, analysed in a worker. */
const cardPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Renders ModelTrace outputs as trace cards.',
  autoStart: true,
  requires: [IRenderMimeRegistry],
  optional: [ISettingRegistry, INotebookTracker, ICommandPalette, ITraceRegistry],
  activate: (
    app: JupyterFrontEnd,
    rendermime: IRenderMimeRegistry,
    settingRegistry: ISettingRegistry | null,
    tracker: INotebookTracker | null,
    palette: ICommandPalette | null,
    registry: ITraceRegistry | null
  ) => {
    let settings: ModelTraceSettings = DEFAULT_SETTINGS;
    // open cards and explorers analyse again when chunking or custom metrics change, redraw when the chart theme does
    const analysisSettingsChanged = new Signal<unknown, void>(cardPlugin);
    const client = new AnalysisClient();
    const explorers = new Map<string, { name: string; payload: unknown; explorer: TraceExplorer }>();
    const applySettings = (next: ModelTraceSettings): void => {
      const before = settings;
      settings = next;
      if (analysisChanged(before, next)) {
        analysisSettingsChanged.emit();
        for (const { payload, explorer } of explorers.values()) {
          client.analyze(payload, analysisOptions(next)).then(
            result => explorer.showAnalysis(result, settings.driftMethod),
            error => console.warn('ModelTrace: the explorer keeps its analysis;', (error as Error).message)
          );
        }
        return;
      }
      if (before.driftMethod !== next.driftMethod) {
        explorers.forEach(({ explorer }) => explorer.setDriftMethod(next.driftMethod));
      }
      if (before.chartTheme !== next.chartTheme) {
        explorers.forEach(({ explorer }) => explorer.redraw());
      }
    };
    if (settingRegistry) {
      void app.restored
        .then(() => settingRegistry.load(PLUGIN_ID))
        .then(loaded => {
          applySettings(readSettings(loaded));
          loaded.changed.connect(() => applySettings(readSettings(loaded)));
        })
        .catch(error => console.warn('ModelTrace: settings not loaded, using defaults.', error));
    }
    const isDark = () =>
      settings.chartTheme === 'auto' ? document.body.dataset.jpThemeLight === 'false' : settings.chartTheme === 'dark';
    // exports go next to the current notebook, through the contents API
    setChartExporter(createExporter(app.serviceManager.contents, tracker));
    const report = async (name: string, result: AnalysisResult, details: AnalysisDetails | null = null): Promise<void> => {
      const path = await saveReport(app.serviceManager.contents, tracker, name, result, details);
      await app.commands.execute('docmanager:open', { path, factory: 'HTML Viewer' }).catch(() => undefined);
    };
    /** A trace output's key: the same trace may be shown in two cells or notebooks. */
    const runKey = (record: ITraceRecord) => `${record.notebookPath}#${record.cellId}#${record.id}`;
    /** Other traces of the same task in the open notebooks, to compare a run with. */
    const comparableRuns = (payload: unknown, result: AnalysisResult) => {
      const id = (payload as { id?: unknown } | null)?.id;
      return (registry?.traces ?? []).filter(record => record.id !== id && (record.task === null || record.task === result.task));
    };
    const openExplorer = ({ name, result, payload }: { name: string; result: AnalysisResult; payload: unknown }): TraceExplorer => {
      const explorer: TraceExplorer = new TraceExplorer({
        name,
        result,
        isDark,
        driftMethod: settings.driftMethod,
        details: chunk => client.details(payload, analysisOptions(settings), chunk).then(answer => answer.details),
        compare: registry
          ? {
              runs: () =>
                comparableRuns(payload, explorer.result).map(record => ({ id: runKey(record), label: `${record.name} (${record.notebookPath})` })),
              run: async id => {
                const record = comparableRuns(payload, explorer.result).find(candidate => runKey(candidate) === id);
                if (!record) {
                  throw new Error('that trace is no longer open');
                }
                const comparison = await client.compare(payload, name, { payload: record.payload, name: record.name }, analysisOptions(settings));
                const codeChange = tracesCodeChange(record.payload, payload, comparison.comparison);
                return { baseline: record.name, comparison, codeChange };
              }
            }
          : undefined
      });
      const widget = new MainAreaWidget({ content: explorer });
      widget.id = explorer.id;
      widget.title.label = explorer.title.label;
      widget.title.icon = traceIcon;
      const reportButton = new ToolbarButton({
        label: 'Report',
        tooltip: 'Save the whole analysis as one offline HTML report next to the notebook',
        onClick: () =>
          void report(name, explorer.result, explorer.details).catch(error => console.error('ModelTrace: report not saved.', error))
      });
      reportButton.node.dataset.modeltrace = 'export-report';
      widget.toolbar.addItem('modeltrace-report', reportButton);
      const tablesButton = new ToolbarButton({
        label: 'Tables',
        tooltip: 'Save the metrics, drift, data-quality and root-cause tables as CSV, Markdown and LaTeX next to the notebook',
        onClick: () =>
          void saveTables(app.serviceManager.contents, tracker, name, explorer.result, explorer.details).catch(error =>
            console.error('ModelTrace: tables not saved.', error)
          )
      });
      tablesButton.node.dataset.modeltrace = 'export-tables';
      widget.toolbar.addItem('modeltrace-tables', tablesButton);
      const insertButton = new ToolbarButton({
        label: 'Insert metrics',
        tooltip: 'Insert the metrics table into the notebook as a static Markdown output',
        onClick: () =>
          void insertMetricsTable(tracker, name, explorer.result).catch(error => console.error('ModelTrace: table not inserted.', error))
      });
      insertButton.node.dataset.modeltrace = 'insert-metrics';
      widget.toolbar.addItem('modeltrace-insert-metrics', insertButton);
      explorers.set(widget.id, { name, payload, explorer });
      widget.disposed.connect(() => explorers.delete(widget.id));
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      return explorer;
    };
    app.commands.addCommand(CommandIDs.exportReport, {
      label: 'ModelTrace: Export HTML Report',
      caption: 'Save the analysis of the current explorer as one offline HTML report next to the notebook',
      isEnabled: () => explorers.has(app.shell.currentWidget?.id ?? '') || explorers.size > 0,
      execute: async () => {
        const current = explorers.get(app.shell.currentWidget?.id ?? '') ?? [...explorers.values()].pop();
        if (current) {
          await report(current.name, current.explorer.result, current.explorer.details);
        }
      }
    });
    palette?.addItem({ command: CommandIDs.exportReport, category: 'ModelTrace' });

    // the explorer of any trace in the open notebooks, from the palette (pick one) or the side panel (args.id)
    app.commands.addCommand(CommandIDs.openExplorer, {
      label: 'ModelTrace: Open Explorer…',
      caption: 'Open the explorer on a trace of the open notebooks (args: id, and chart and feature to show)',
      isEnabled: () => (registry?.traces.length ?? 0) > 0,
      execute: async args => {
        const traces = registry?.traces ?? [];
        let record = traces.find(candidate => candidate.id === args.id);
        if (!record) {
          const labels = traces.map(candidate => `${candidate.name} (${candidate.notebookPath})`);
          const choice = await InputDialog.getItem({ title: 'Open the explorer on', items: labels });
          record = choice.button.accept && choice.value ? traces[labels.indexOf(choice.value)] : undefined;
        }
        if (!record) {
          return;
        }
        try {
          const result = await client.analyze(record.payload, analysisOptions(settings));
          const explorer = openExplorer({ name: record.name, result, payload: record.payload });
          if (typeof args.chart === 'string') {
            await explorer.showChart(args.chart, typeof args.feature === 'string' ? args.feature : undefined);
          }
        } catch (error) {
          await showErrorMessage('ModelTrace', `The explorer cannot open ${record.name}: ${(error as Error).message}`);
        }
      }
    });
    palette?.addItem({ command: CommandIDs.openExplorer, category: 'ModelTrace' });
    const locateKernel = tracker ? (node: HTMLElement) => notebookKernel(tracker, node) : undefined;
    // root causes next to the code: editor marks, probe cells, code changes between runs, links to the explorer
    const inline = tracker
      ? new InlineRootCauses(tracker, (id, cause, task) => void app.commands.execute(CommandIDs.openExplorer, { id, ...causeChart(cause, task) }))
      : undefined;
    rendermime.addFactory(
      createCardFactory({ client, settings: () => settings, openExplorer, locateKernel, analysisSettingsChanged, inline }),
      0
    );
  }
};

/** The registry of traces in open notebooks, and the side panel listing them. */
const registryPlugin: JupyterFrontEndPlugin<ITraceRegistry> = {
  id: 'modeltrace:registry',
  description: 'Tracks the traces in open notebooks and lists them in a side panel.',
  autoStart: true,
  provides: ITraceRegistry,
  requires: [INotebookTracker],
  optional: [ILabShell, ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null
  ): ITraceRegistry => {
    const registry = new NotebookTraceRegistry(tracker);
    const panel = new TracesPanel(registry, record => void app.commands.execute(CommandIDs.openExplorer, { id: record.id }));
    panel.title.icon = traceIcon;
    app.shell.add(panel, 'left', { rank: 600 });
    restorer?.add(panel, panel.id);

    app.commands.addCommand(CommandIDs.showTraces, {
      label: 'ModelTrace: Show Traces',
      caption: 'List the traces in the open notebooks',
      execute: () => {
        if (labShell) {
          labShell.activateById(panel.id);
        } else {
          app.shell.activateById(panel.id);
        }
      }
    });
    palette?.addItem({ command: CommandIDs.showTraces, category: 'ModelTrace' });
    return registry;
  }
};

export default [cardPlugin, registryPlugin];
