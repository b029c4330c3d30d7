/**
 * Custom metrics: Arquero aggregate expressions from the user's own settings (never from a trace), e.g.
 * `{"mean_score": "d => op.mean(d.p)"}`, evaluated with `table.rollup` over the rows of a period or a chunk.
 * A result that is not a finite number, or an expression Arquero cannot evaluate, is an InputError naming the
 * metric and its expression.
 */
import { BitSet, type ColumnTable } from 'arquero';
import { InputError, type MetricValues } from '../types.js';

/** Evaluate every custom metric over `rows` of the table (all rows when omitted). */
export function customMetrics(
  table: ColumnTable,
  expressions: Record<string, string>,
  rows?: ArrayLike<number>
): MetricValues {
  const names = Object.keys(expressions);
  if (names.length === 0) {
    return {};
  }
  const subset = rows ? table.create({ filter: rowFilter(table.totalRows(), rows) }) : table;
  const metrics: MetricValues = {};
  for (const name of names) {
    metrics[name] = evaluate(subset, name, expressions[name]);
  }
  return metrics;
}

function evaluate(table: ColumnTable, name: string, expression: string): number | null {
  let value: unknown;
  try {
    value = table.rollup({ [name]: expression }).get(name, 0);
  } catch (error) {
    throw new InputError(`custom metric "${name}": cannot evaluate expression "${expression}": ${(error as Error).message}`);
  }
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) {
    return null;
  }
  if (typeof value === 'boolean') {
    return value ? 1 : 0;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InputError(
      `custom metric "${name}": expression "${expression}" gave ${describe(value)}, expected a finite number`
    );
  }
  return value;
}

function rowFilter(size: number, rows: ArrayLike<number>): BitSet {
  const filter = new BitSet(size);
  for (let i = 0; i < rows.length; i++) {
    filter.set(rows[i]);
  }
  return filter;
}

function describe(value: unknown): string {
  if (typeof value === 'number') {
    return String(value);
  }
  const text = typeof value === 'string' ? JSON.stringify(value) : typeof value;
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
