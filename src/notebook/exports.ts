/**
 * Exports into the workspace and the notebook: files saved next to the current notebook through Jupyter's contents
 * API (a free name, never overwriting), static outputs inserted below the active cell on the user's click (a code
 * cell whose output holds the PNG and a text description, so nbconvert and GitHub show it without ModelTrace),
 * and the HTML report.
 */
import type { INotebookTracker } from '@jupyterlab/notebook';
import { NotebookActions } from '@jupyterlab/notebook';
import type { ICodeCellModel } from '@jupyterlab/cells';
import { PathExt } from '@jupyterlab/coreutils';
import type { Contents } from '@jupyterlab/services';
import { browserReportLibraries } from '../export/browser-libraries.js';
import { safeFileName, type ChartExporter, type ExportFile } from '../export/chart-files.js';
import { buildReport } from '../export/report.js';
import { analysisTables, formatTable, metricsTable, TABLE_EXTENSIONS, toMarkdown, type TableFormat } from '../export/tables.js';
import type { AnalysisDetails } from '../engine/details/index.js';
import type { AnalysisResult } from '../engine/types.js';

export function createExporter(contents: Contents.IManager, tracker: INotebookTracker | null): ChartExporter {
  return {
    save: file => saveFile(contents, directoryOf(tracker), file),
    insert: async (file, description) =>
      insertStaticOutput(tracker, 'chart', `${description} (static image`, { [file.mimeType]: file.content, 'text/plain': description })
  };
}

/** Builds the report of an analysis and saves it next to the current notebook; resolves to its path. */
export async function saveReport(
  contents: Contents.IManager,
  tracker: INotebookTracker | null,
  name: string,
  result: AnalysisResult,
  details: AnalysisDetails | null = null
): Promise<string> {
  const html = buildReport({
    title: `ModelTrace report: ${name}`,
    result,
    details,
    libraries: await browserReportLibraries(),
    generated: new Date().toISOString()
  });
  return saveFile(contents, directoryOf(tracker), {
    name: `${safeFileName(name)}-report.html`,
    mimeType: 'text/html',
    format: 'text',
    content: html
  });
}

/**
 * Saves every table of an analysis (metrics, drift, data quality, root causes) as CSV, Markdown and LaTeX in a folder
 * next to the current notebook; resolves to the folder's path.
 */
export async function saveTables(
  contents: Contents.IManager,
  tracker: INotebookTracker | null,
  name: string,
  result: AnalysisResult,
  details: AnalysisDetails | null = null
): Promise<string> {
  const parent = directoryOf(tracker);
  let folder = PathExt.join(parent, `${safeFileName(name)}-tables`);
  for (let attempt = 1; await exists(contents, folder); attempt++) {
    folder = PathExt.join(parent, `${safeFileName(name)}-tables-${attempt}`);
  }
  const created = await contents.newUntitled({ path: parent, type: 'directory' });
  await contents.rename(created.path, folder);
  for (const table of analysisTables(result, details)) {
    for (const format of ['csv', 'markdown', 'latex'] as TableFormat[]) {
      await contents.save(PathExt.join(folder, `${table.name}.${TABLE_EXTENSIONS[format]}`), {
        type: 'file',
        format: 'text',
        content: formatTable(table, format)
      });
    }
  }
  return folder;
}

/** Inserts the metrics table below the active cell as a static output: text/markdown, and text/plain for any frontend. */
export async function insertMetricsTable(tracker: INotebookTracker | null, name: string, result: AnalysisResult): Promise<void> {
  const markdown = toMarkdown(metricsTable(result));
  insertStaticOutput(tracker, 'table', `metrics of ${name} (static table`, { 'text/markdown': markdown, 'text/plain': markdown });
}

/**
 * A code cell below the active one whose source is a comment saying what it holds and whose one output is `data`:
 * what nbconvert and GitHub show without ModelTrace.
 */
function insertStaticOutput(
  tracker: INotebookTracker | null,
  what: 'chart' | 'table',
  description: string,
  data: Record<string, string>
): void {
  const panel = tracker?.currentWidget;
  if (!panel) {
    throw new Error(`open a notebook to insert the ${what} into`);
  }
  NotebookActions.insertBelow(panel.content);
  const cell = panel.content.activeCell;
  if (!cell || cell.model.type !== 'code') {
    throw new Error('the notebook did not take a code cell');
  }
  const model = cell.model as ICodeCellModel;
  model.sharedModel.setSource(`# ModelTrace: ${description.replace(/\s+/g, ' ')}; shows without ModelTrace)`);
  model.outputs.add({ output_type: 'display_data', data, metadata: {} });
}

async function exists(contents: Contents.IManager, path: string): Promise<boolean> {
  return contents.get(path, { content: false }).then(
    () => true,
    () => false
  );
}

function directoryOf(tracker: INotebookTracker | null): string {
  const path = tracker?.currentWidget?.context.path;
  return path ? PathExt.dirname(path) : '';
}

/** Saves under the first free name: name.ext, name-1.ext, name-2.ext, … */
async function saveFile(contents: Contents.IManager, directory: string, file: ExportFile): Promise<string> {
  const dot = file.name.indexOf('.');
  const stem = dot > 0 ? file.name.slice(0, dot) : file.name;
  const extension = dot > 0 ? file.name.slice(dot) : '';
  for (let attempt = 0; attempt < 1000; attempt++) {
    const path = PathExt.join(directory, `${stem}${attempt === 0 ? '' : `-${attempt}`}${extension}`);
    if (!(await exists(contents, path))) {
      await contents.save(path, { type: 'file', format: file.format, content: file.content });
      return path;
    }
  }
  throw new Error(`no free file name for ${file.name} in ${directory || 'the workspace root'}`);
}
