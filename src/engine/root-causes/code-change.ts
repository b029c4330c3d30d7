/**
 * Code change as a root cause: between two runs of the same cell, the lines of source that changed and the literal
 * parameters that changed with them (`C=1.0` → `C=0.01`), when the data are the same and the metric moved.
 *
 * The line diff is a longest common subsequence of lines (O(n·m), cells are short). Within each changed hunk the
 * removed and added lines are tokenized (identifiers, numbers, strings, operators) and their token sequences
 * aligned the same way; a literal replaced by a literal is a changed literal, named by the `name=` or `name:` that
 * precedes it, if any.
 */
import type { MetricValues, RootCause } from '../types.js';

export interface RunSnapshot {
  /** The cell's source. */
  source: string;
  metrics: MetricValues;
  /** Identity of the data the run evaluated (e.g. a hash or rows and columns); equal strings are the same data. */
  data: string;
}

export type DiffLine = { op: 'same' | 'removed' | 'added'; text: string; before: number | null; after: number | null };

export interface ChangedLiteral {
  name: string | null;
  before: string;
  after: string;
  /** Line (1-based) in the later run's source. */
  line: number;
}

export interface CodeChange {
  metric: string;
  before: number;
  after: number;
  lines: DiffLine[];
  literals: ChangedLiteral[];
}

/** The code change between two runs, or null when the data differ, the source is the same or the metric did not move. */
export function codeChange(before: RunSnapshot, after: RunSnapshot, metric: string, minimumChange = 0): CodeChange | null {
  const valueBefore = before.metrics[metric];
  const valueAfter = after.metrics[metric];
  if (before.data !== after.data || valueBefore == null || valueAfter == null) {
    return null;
  }
  if (!(Math.abs(valueAfter - valueBefore) > minimumChange)) {
    return null;
  }
  const lines = lineDiff(before.source.split('\n'), after.source.split('\n'));
  if (lines.every(line => line.op === 'same')) {
    return null;
  }
  return { metric, before: valueBefore, after: valueAfter, lines, literals: changedLiterals(lines) };
}

/** A RootCause of kind code_change: with the data unchanged, the change of code explains all of the metric's move. */
export function codeChangeCause(change: CodeChange, rank = 1): RootCause {
  const changed = change.literals.length > 0
    ? change.literals.map(literal => `${literal.name ? `${literal.name}=` : ''}${literal.before} → ${literal.name ? `${literal.name}=` : ''}${literal.after}`).join(', ')
    : `${change.lines.filter(line => line.op !== 'same').length} changed lines`;
  return {
    rank,
    kind: 'code_change',
    metric: change.metric,
    score: 1,
    summary: `${changed} in the cell; ${change.metric} ${round(change.before)} → ${round(change.after)} on the same data`
  };
}

function round(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** Longest-common-subsequence diff of two sequences of lines. */
export function lineDiff(before: string[], after: string[]): DiffLine[] {
  const common = lcsTable(before, after);
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    if (i < before.length && j < after.length && before[i] === after[j]) {
      lines.push({ op: 'same', text: before[i], before: i + 1, after: j + 1 });
      i++;
      j++;
    } else if (j < after.length && (i === before.length || common[i][j + 1] >= common[i + 1][j])) {
      lines.push({ op: 'added', text: after[j], before: null, after: j + 1 });
      j++;
    } else {
      lines.push({ op: 'removed', text: before[i], before: i + 1, after: null });
      i++;
    }
  }
  // a hunk reads removed lines first, then added ones
  for (let k = 1; k < lines.length; k++) {
    for (let m = k; m > 0 && lines[m].op === 'removed' && lines[m - 1].op === 'added'; m--) {
      [lines[m - 1], lines[m]] = [lines[m], lines[m - 1]];
    }
  }
  return lines;
}

/** common[i][j] = length of the longest common subsequence of a[i…] and b[j…]. */
function lcsTable<T>(a: T[], b: T[]): Int32Array[] {
  const common = Array.from({ length: a.length + 1 }, () => new Int32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i][j] = a[i] === b[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  return common;
}

export interface Token {
  text: string;
  kind: 'number' | 'string' | 'name' | 'operator';
}

const TOKEN_PATTERN =
  /(?<string>[rbfuRBFU]{0,2}(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'))|(?<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[jJ]?)|(?<name>[A-Za-z_][A-Za-z0-9_]*)|(?<operator>\S)/g;

/** Tokens of a line of code (Python-like); comments are left out. */
export function literalTokens(line: string): Token[] {
  const tokens: Token[] = [];
  for (const match of line.matchAll(TOKEN_PATTERN)) {
    const groups = match.groups as Record<string, string | undefined>;
    if (groups.operator === '#') {
      break;
    }
    const kind = (['string', 'number', 'name', 'operator'] as const).find(name => groups[name] !== undefined) as Token['kind'];
    tokens.push({ text: match[0], kind });
  }
  return tokens;
}

/** Literals replaced by literals within each hunk of removed and added lines. */
function changedLiterals(lines: DiffLine[]): ChangedLiteral[] {
  const literals: ChangedLiteral[] = [];
  let k = 0;
  while (k < lines.length) {
    if (lines[k].op === 'same') {
      k++;
      continue;
    }
    const removed: Array<Token & { line: number }> = [];
    const added: Array<Token & { line: number }> = [];
    for (; k < lines.length && lines[k].op !== 'same'; k++) {
      const line = lines[k];
      const tokens = literalTokens(line.text).map(token => ({ ...token, line: (line.after ?? line.before) as number }));
      (line.op === 'removed' ? removed : added).push(...tokens);
    }
    literals.push(...replacedLiterals(removed, added));
  }
  return literals;
}

function replacedLiterals(removed: Array<Token & { line: number }>, added: Array<Token & { line: number }>): ChangedLiteral[] {
  const common = lcsTable(removed.map(token => token.text), added.map(token => token.text));
  const literals: ChangedLiteral[] = [];
  let i = 0;
  let j = 0;
  while (i < removed.length && j < added.length) {
    if (removed[i].text === added[j].text) {
      i++;
      j++;
      continue;
    }
    const isLiteral = (token: Token): boolean => token.kind === 'number' || token.kind === 'string';
    if (isLiteral(removed[i]) && isLiteral(added[j]) && common[i + 1][j + 1] === common[i][j]) {
      literals.push({ name: nameBefore(added, j), before: removed[i].text, after: added[j].text, line: added[j].line });
      i++;
      j++;
    } else if (common[i][j + 1] >= common[i + 1][j]) {
      j++;
    } else {
      i++;
    }
  }
  return literals;
}

/** The name in `name=` or `name:` just before token j. */
function nameBefore(tokens: Token[], j: number): string | null {
  const operator = tokens[j - 1];
  const name = tokens[j - 2];
  return operator && name && (operator.text === '=' || operator.text === ':') && name.kind === 'name' ? name.text : null;
}
