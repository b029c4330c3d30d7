/**
 * Root causes next to the code: what the card does in the notebook around it.
 * - Editor diagnostics: in the cell whose output is the card, every whole-word occurrence of a column a root cause
 *   implicates gets a CodeMirror lint warning (underline, gutter mark, the causes' summaries on hover); cleared when
 *   the card goes away (outputs cleared, or the cell run again).
 * - Probe cells: a code cell inserted below with the cause's pandas probe (engine/root-causes/probe.ts), run on the
 *   trace's own data from the kernel (`mt.frames(id)`) inside a function, so the user's variables are left alone.
 * - Code changes: each card's run is remembered per cell (in this window, not in the notebook); when a later run of
 *   the same cell on the same data (`source.data`) moved the primary metric, the changed lines and literals are a
 *   `code_change` cause.
 * ModelTrace changes the notebook only through the explicit "Probe" action.
 */
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { StateEffect } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';
import type { Cell } from '@jupyterlab/cells';
import { NotebookActions, type INotebookTracker, type NotebookPanel } from '@jupyterlab/notebook';
import { codeChange, codeChangeCause, type CodeChange, type RunSnapshot } from '../engine/root-causes/index.js';
import { primaryMetricOf } from '../engine/details/slices.js';
import type { RunComparison } from '../engine/details/types.js';
import type { AnalysisResult, RootCause, Task } from '../engine/types.js';
import type { ICardInline } from '../ui/card.js';
import { columnDiagnostics } from './column-diagnostics.js';

/** A run's code change against the previous run of its cell. */
export interface CodeChangeFinding {
  cause: RootCause;
  change: CodeChange;
  /** Name of the earlier run. */
  previous: string;
}

/** The chart of the explorer that shows a cause, and the feature to show in it. */
export function causeChart(cause: RootCause, task: Task): { chart: string; feature?: string } {
  switch (cause.kind) {
    case 'slice':
      return { chart: 'slices' };
    case 'feature_drift':
      return { chart: 'distribution', feature: cause.feature };
    case 'data_quality':
      return { chart: 'data-quality', feature: cause.feature };
    case 'label_shift':
      return { chart: task === 'regression' ? 'residuals' : 'confusion' };
    case 'model_change':
    case 'code_change':
      return { chart: 'metric-timeline' };
  }
}

export class InlineRootCauses implements ICardInline {
  /** `show` opens the explorer on the chart of a cause. */
  constructor(
    private readonly _tracker: INotebookTracker,
    readonly show: ICardInline['show']
  ) {}

  /**
   * Underline the implicated columns in the cell that holds `node`; resolves to the function that clears them
   * (a no-op when the card is not in a notebook cell).
   */
  async mark(node: HTMLElement, causes: RootCause[]): Promise<() => void> {
    const found = this._cellOf(node);
    if (!found || causes.length === 0) {
      return () => undefined;
    }
    await found.cell.ready;
    const view = editorView(found.cell);
    if (!view) {
      return () => undefined;
    }
    const diagnostics = columnDiagnostics(view.state.doc.toString(), causes);
    if (diagnostics.length === 0) {
      return () => undefined;
    }
    if (!GUTTERS.has(view)) {
      GUTTERS.add(view);
      view.dispatch({ effects: StateEffect.appendConfig.of(lintGutter()) });
    }
    view.dispatch(setDiagnostics(view.state, diagnostics));
    found.cell.node.dataset.modeltraceMarks = String(diagnostics.length);
    return () => {
      if (!found.cell.isDisposed) {
        view.dispatch(setDiagnostics(view.state, []));
        delete found.cell.node.dataset.modeltraceMarks;
      }
    };
  }

  /** Insert the cause's probe below the cell that holds `node`, as a code cell the user runs. */
  insertProbe(node: HTMLElement, trace: { id: string; name: string }, cause: RootCause): void {
    const found = this._cellOf(node);
    if (!found || !cause.probe) {
      throw new Error('the probe goes below the trace\'s cell: open its notebook');
    }
    const notebook = found.panel.content;
    notebook.activeCellIndex = notebook.widgets.indexOf(found.cell);
    NotebookActions.insertBelow(notebook);
    const probe = notebook.activeCell;
    if (!probe || probe.model.type !== 'code') {
      throw new Error('the notebook did not take a code cell');
    }
    probe.model.sharedModel.setSource(probeSource(trace, cause));
  }

  /** Remember this run of its cell; the code change against the cell's previous run on the same data, if any. */
  recordRun(node: HTMLElement, payload: unknown, result: AnalysisResult): CodeChangeFinding | null {
    const found = this._cellOf(node);
    const body = payload as { id?: unknown; name?: unknown; source?: { code?: unknown; data?: unknown } } | null;
    const code = body?.source?.code;
    const data = body?.source?.data;
    if (!found || typeof body?.id !== 'string' || typeof code !== 'string' || typeof data !== 'string') {
      return null;
    }
    const key = `${found.panel.context.path}#${found.cell.model.id}`;
    const runs = this._runs.get(key) ?? [];
    const now: RunSnapshot = { source: code, metrics: result.metrics.current, data };
    const previous = [...runs].reverse().find(run => run.traceId !== body.id);
    if (!runs.some(run => run.traceId === body.id)) {
      runs.push({ traceId: body.id, name: String(body.name ?? 'trace'), snapshot: now });
      this._runs.set(key, runs.slice(-KEPT_RUNS));
    }
    if (!previous) {
      return null;
    }
    const change = codeChange(previous.snapshot, now, primaryMetricOf(result.task).metric);
    return change ? { cause: codeChangeCause(change), change, previous: previous.name } : null;
  }

  private _cellOf(node: HTMLElement): { panel: NotebookPanel; cell: Cell } | null {
    const panel = this._tracker.find(candidate => candidate.node.contains(node));
    const cell = panel?.content.widgets.find(candidate => candidate.node.contains(node));
    return panel && cell ? { panel, cell } : null;
  }

  private _runs = new Map<string, Array<{ traceId: string; name: string; snapshot: RunSnapshot }>>();
}

/**
 * The code change between two traces compared in the explorer, when both carry their cell's source and were run on
 * the same inputs (`source.data`); the metric values are those of the comparison.
 */
export function tracesCodeChange(baseline: unknown, candidate: unknown, comparison: RunComparison): CodeChange | null {
  const snapshot = (payload: unknown, side: 'baseline' | 'candidate'): RunSnapshot | null => {
    const source = (payload as { source?: { code?: unknown; data?: unknown } } | null)?.source;
    if (typeof source?.code !== 'string' || typeof source.data !== 'string') {
      return null;
    }
    const metrics = Object.fromEntries(comparison.differences.map(difference => [difference.metric, difference[side]]));
    return { source: source.code, data: source.data, metrics };
  };
  const before = snapshot(baseline, 'baseline');
  const after = snapshot(candidate, 'candidate');
  return before && after ? codeChange(before, after, primaryMetricOf(comparison.task).metric) : null;
}

const KEPT_RUNS = 5;
const GUTTERS = new WeakSet<EditorView>();

/** The CodeMirror view of a cell's editor (JupyterLab's CodeMirrorEditor keeps it as `editor`). */
function editorView(cell: Cell): EditorView | null {
  const view = (cell.editor as { editor?: unknown } | null)?.editor as EditorView | undefined;
  return view && typeof view.dispatch === 'function' && view.state ? view : null;
}

/** The probe as a cell: a function of the trace's two DataFrames, called on the data the kernel holds. */
export function probeSource(trace: { id: string; name: string }, cause: RootCause): string {
  const body = (cause.probe ?? '')
    .split('\n')
    .map(line => (line ? `    ${line}` : ''))
    .join('\n');
  const title = `${cause.kind.replace('_', ' ')}: ${cause.summary}`.replace(/\s+/g, ' ');
  return [
    `# ModelTrace probe of ${JSON.stringify(trace.name)}, root cause #${cause.rank} (${title})`,
    `# runs on the trace's own data in this kernel; your variables are left as they are`,
    `import modeltrace as mt`,
    ``,
    ``,
    `def modeltrace_probe(current, reference):`,
    body,
    ``,
    ``,
    `modeltrace_probe(*mt.frames(${JSON.stringify(trace.id)}))`
  ].join('\n');
}
