/**
 * Where a cell's source names a column implicated by a root cause: whole-word occurrences, inside string literals
 * (`df["debt_ratio"]`) or as identifiers (`df.debt_ratio`), never as part of a longer word (`debt_ratio_2`).
 * The result is plain CodeMirror lint data (offsets into the source), so the editor integration only draws it.
 */
import type { Diagnostic } from '@codemirror/lint';
import type { RootCause } from '../engine/types.js';

export interface ColumnOccurrence {
  column: string;
  from: number;
  to: number;
}

/** The columns a root cause implicates: its feature and the columns of its slice. */
export function implicatedColumns(cause: RootCause): string[] {
  const columns = new Set<string>();
  if (cause.feature) columns.add(cause.feature);
  for (const column of Object.keys(cause.slice ?? {})) columns.add(column);
  return [...columns];
}

const WORD_CHARACTER = /[\p{L}\p{N}_]/u;

/** Every whole-word occurrence of each column name in the source, in source order. */
export function columnOccurrences(source: string, columns: string[]): ColumnOccurrence[] {
  const occurrences: ColumnOccurrence[] = [];
  for (const column of columns) {
    if (column.length === 0) continue;
    for (let at = source.indexOf(column); at >= 0; at = source.indexOf(column, at + 1)) {
      const before = at > 0 ? source[at - 1] : '';
      const after = source[at + column.length] ?? '';
      if (isWordBoundary(before, column[0]) && isWordBoundary(after, column[column.length - 1])) {
        occurrences.push({ column, from: at, to: at + column.length });
      }
    }
  }
  return occurrences.sort((a, b) => a.from - b.from || a.to - b.to);
}

/** A neighbour ends the word when either it or the name's edge character is not a word character. */
function isWordBoundary(neighbour: string, edge: string): boolean {
  return neighbour === '' || !WORD_CHARACTER.test(neighbour) || !WORD_CHARACTER.test(edge);
}

/** One warning per occurrence, its message the causes' summaries that implicate that column. */
export function columnDiagnostics(source: string, causes: RootCause[]): Diagnostic[] {
  const summaries = new Map<string, string[]>();
  for (const cause of causes) {
    for (const column of implicatedColumns(cause)) {
      const list = summaries.get(column) ?? [];
      list.push(`Root cause #${cause.rank} (${cause.kind.replace('_', ' ')}): ${cause.summary}`);
      summaries.set(column, list);
    }
  }
  return columnOccurrences(source, [...summaries.keys()]).map(occurrence => ({
    from: occurrence.from,
    to: occurrence.to,
    severity: 'warning',
    source: 'ModelTrace',
    message: summaries.get(occurrence.column)!.join('\n')
  }));
}
