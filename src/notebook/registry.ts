/**
 * The trace registry: scans the models of open notebooks for ModelTrace outputs. It reads the notebook
 * model only (never the DOM and never writes), so traces of notebooks opened without a kernel are found too.
 */
import type { ICodeCellModel } from '@jupyterlab/cells';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { Signal } from '@lumino/signaling';
import { TRACE_MIME_TYPE } from '../engine/trace-format.js';
import type { Task } from '../engine/types.js';
import type { ITraceRecord, ITraceRegistry } from '../tokens.js';

const RESCAN_DELAY_MS = 250;

export class NotebookTraceRegistry implements ITraceRegistry {
  constructor(private readonly _tracker: INotebookTracker) {
    _tracker.widgetAdded.connect((_, panel) => this._watch(panel));
    _tracker.forEach(panel => this._watch(panel));
  }

  get traces(): readonly ITraceRecord[] {
    return [...this._byNotebook.values()].flat();
  }

  get changed(): Signal<this, void> {
    return this._changed;
  }

  reveal(record: ITraceRecord): void {
    const panel = this._tracker.find(candidate => candidate.context.path === record.notebookPath);
    if (!panel) {
      return;
    }
    const notebook = panel.content;
    const index = notebook.widgets.findIndex(cell => cell.model.id === record.cellId);
    if (index >= 0) {
      notebook.activeCellIndex = index;
      void notebook.scrollToItem(index, 'center');
    }
    panel.activate();
  }

  private _watch(panel: NotebookPanel): void {
    const rescan = () => this._scheduleScan(panel);
    void panel.context.ready.then(() => {
      if (panel.isDisposed) {
        return;
      }
      this._scan(panel);
      panel.model?.sharedModel.changed.connect(rescan);
      panel.context.pathChanged.connect(rescan);
    });
    panel.disposed.connect(() => {
      clearTimeout(this._timers.get(panel));
      this._timers.delete(panel);
      if (this._byNotebook.delete(panel)) {
        this._changed.emit();
      }
    });
  }

  private _scheduleScan(panel: NotebookPanel): void {
    clearTimeout(this._timers.get(panel));
    this._timers.set(
      panel,
      setTimeout(() => this._scan(panel), RESCAN_DELAY_MS)
    );
  }

  private _scan(panel: NotebookPanel): void {
    const model = panel.model;
    if (panel.isDisposed || !model) {
      return;
    }
    const records: ITraceRecord[] = [];
    for (let i = 0; i < model.cells.length; i++) {
      const cell = model.cells.get(i);
      if (cell.type !== 'code') {
        continue;
      }
      const outputs = (cell as ICodeCellModel).outputs;
      for (let j = 0; j < outputs.length; j++) {
        const body = outputs.get(j).data[TRACE_MIME_TYPE];
        if (body !== undefined) {
          records.push(describeTrace(body, panel.context.path, cell.id, cell.sharedModel.getSource()));
        }
      }
    }
    const before = this._byNotebook.get(panel) ?? [];
    this._byNotebook.set(panel, records);
    if (fingerprint(before) !== fingerprint(records)) {
      this._changed.emit();
    }
  }

  private _byNotebook = new Map<NotebookPanel, ITraceRecord[]>();
  private _timers = new Map<NotebookPanel, ReturnType<typeof setTimeout>>();
  private _changed = new Signal<this, void>(this);
}

/** The registry's cheap view of a payload: no decoding, tolerant of malformed bodies. */
function describeTrace(body: unknown, notebookPath: string, cellId: string, cellSource: string): ITraceRecord {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const current = (raw.current && typeof raw.current === 'object' ? raw.current : {}) as Record<string, unknown>;
  const task = raw.task === 'binary' || raw.task === 'multiclass' || raw.task === 'regression' ? (raw.task as Task) : null;
  return {
    id: typeof raw.id === 'string' ? raw.id : `${cellId}-output`,
    name: typeof raw.name === 'string' ? raw.name : '(unnamed trace)',
    created: typeof raw.created === 'string' ? raw.created : '',
    task,
    rows: typeof current.rows === 'number' ? current.rows : null,
    notebookPath,
    cellId,
    cellSource,
    payload: body
  };
}

function fingerprint(records: ITraceRecord[]): string {
  return records.map(record => `${record.id}|${record.cellId}|${record.notebookPath}|${record.name}`).join('\n');
}
