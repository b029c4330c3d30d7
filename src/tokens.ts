import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import type { Task } from './engine/types.js';

/** One trace output found in an open notebook. */
export interface ITraceRecord {
  /** The trace id from the payload (unique per `mt.trace()` call). */
  id: string;
  name: string;
  /** ISO time the kernel created the trace. */
  created: string;
  task: Task | null;
  rows: number | null;
  /** Path of the notebook holding the output. */
  notebookPath: string;
  /** Id of the cell whose output is the trace. */
  cellId: string;
  /** Source of that cell as it is now. */
  cellSource: string;
  /** The untrusted MIME body, for analysis. */
  payload: unknown;
}

/** Knows every trace in the notebooks open in this window. */
export interface ITraceRegistry {
  readonly traces: readonly ITraceRecord[];
  /** Emitted when a trace appears, disappears or moves. */
  readonly changed: ISignal<ITraceRegistry, void>;
  /** Show the cell that holds the trace (activates its notebook). */
  reveal(record: ITraceRecord): void;
}

export const ITraceRegistry = new Token<ITraceRegistry>(
  'modeltrace:ITraceRegistry',
  'The traces (ModelTrace outputs) in the notebooks open in this window.'
);
