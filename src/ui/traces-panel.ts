/**
 * The side panel listing every trace in the open notebooks, grouped by notebook.
 */
import { Widget } from '@lumino/widgets';
import type { Message } from '@lumino/messaging';
import type { ITraceRecord, ITraceRegistry } from '../tokens.js';
import { element, formatCount } from './format.js';

const PANEL_CLASS = 'jp-ModelTrace-TracesPanel';

export class TracesPanel extends Widget {
  /** `explore`: opens the explorer on a trace (the card plugin's command); without it rows only reveal their cell. */
  constructor(
    private readonly _registry: ITraceRegistry,
    private readonly _explore?: (record: ITraceRecord) => void
  ) {
    super();
    this.id = 'modeltrace-traces';
    this.addClass(PANEL_CLASS);
    this.node.dataset.modeltrace = 'traces';
    this.title.caption = 'ModelTrace: traces in open notebooks';
    this._render();
  }

  protected onAfterAttach(message: Message): void {
    super.onAfterAttach(message);
    this._registry.changed.connect(this._render, this);
    this._render();
  }

  protected onBeforeDetach(message: Message): void {
    this._registry.changed.disconnect(this._render, this);
    super.onBeforeDetach(message);
  }

  private _render(): void {
    const traces = this._registry.traces;
    this.node.replaceChildren(element('h2', `${PANEL_CLASS}-title`, 'Traces'));
    if (traces.length === 0) {
      const empty = element('div', `${PANEL_CLASS}-empty`);
      empty.dataset.modeltrace = 'traces-empty';
      empty.append(
        element('p', undefined, 'No traces in the open notebooks yet.'),
        element(
          'p',
          undefined,
          'Run a cell that ends with mt.trace(df, reference=ref_df, label="y", prediction="y_hat") ' +
            '(after import modeltrace as mt); each trace output appears here, grouped by notebook.'
        )
      );
      this.node.appendChild(empty);
      return;
    }
    const byNotebook = new Map<string, ITraceRecord[]>();
    for (const trace of traces) {
      byNotebook.set(trace.notebookPath, [...(byNotebook.get(trace.notebookPath) ?? []), trace]);
    }
    for (const [path, records] of byNotebook) {
      const group = element('section', `${PANEL_CLASS}-notebook`);
      group.dataset.notebook = path;
      group.appendChild(element('h3', undefined, path));
      const list = element('ul');
      for (const record of records) {
        list.appendChild(this._item(record));
      }
      group.appendChild(list);
      this.node.appendChild(group);
    }
  }

  private _item(record: ITraceRecord): HTMLElement {
    const item = element('li', `${PANEL_CLASS}-item`);
    item.dataset.modeltrace = 'trace-item';
    item.dataset.traceId = record.id;
    const button = element('button', `${PANEL_CLASS}-link`);
    button.type = 'button';
    button.title = `Show the cell of ${record.name} in ${record.notebookPath}`;
    button.append(
      element('span', `${PANEL_CLASS}-name`, record.name),
      element(
        'span',
        `${PANEL_CLASS}-meta`,
        [record.task ?? 'unknown task', record.rows === null ? null : `${formatCount(record.rows)} rows`, formatCreated(record.created)]
          .filter(Boolean)
          .join(' · ')
      )
    );
    button.addEventListener('click', () => this._registry.reveal(record));
    item.appendChild(button);
    if (this._explore) {
      const explore = element('button', `${PANEL_CLASS}-explore`, 'Explore');
      explore.type = 'button';
      explore.title = `Open the explorer on ${record.name}`;
      explore.dataset.modeltrace = 'explore-trace';
      explore.addEventListener('click', () => this._explore?.(record));
      item.appendChild(explore);
    }
    return item;
  }
}

function formatCreated(created: string): string | null {
  const time = Date.parse(created);
  return Number.isNaN(time) ? null : new Date(time).toLocaleString();
}
