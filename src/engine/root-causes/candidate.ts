/**
 * A candidate root cause: a kind, the columns and values that isolate its rows, and those rows in both periods.
 * Each finder (slice, feature drift, data quality, label shift, model change) returns candidates; ranking decides
 * which of them explain the degradation.
 */
import type { RootCauseKind } from '../types.js';
import type { Level } from './coding.js';
import type { RowSet } from './row-sets.js';

/** Which rows of a column a cause takes. */
export type Condition =
  | Level
  | { test: 'in'; values: Array<string | number | boolean>; label: string }
  | { test: 'unseen'; label: string }
  | { test: 'out_of_range'; minimum: number; maximum: number; label: string };

export interface Candidate {
  kind: RootCauseKind;
  feature?: string;
  /** A conjunction: every condition holds on the cause's rows. */
  where: Array<{ column: string; condition: Condition }>;
  rows: { reference: RowSet; current: RowSet };
  /** SliceLine's score of a slice found by the search. */
  sliceScore?: number;
}
