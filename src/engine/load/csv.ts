/**
 * CSV → Arquero table with `fromCSV`, each cell typed on its own so a stray word in a numeric column stays a
 * visible type mismatch instead of turning the whole column into text: numbers (also "nan", "inf"), booleans
 * ("true"/"false" in any case, as pandas writes them), empty cells as missing, everything else text.
 * Dates stay text; the timestamp role parses them (UTC unless they carry an offset).
 */
import { fromCSV, table, type ColumnTable } from 'arquero';
import { parseNumber } from '../columns.js';
import { InputError } from '../types.js';
import { checkColumnNames } from './names.js';

export function loadCsv(bytes: Uint8Array, fileName: string): ColumnTable {
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === '') {
    throw new InputError(`${fileName}: the file is empty`);
  }
  let raw: ColumnTable;
  try {
    raw = fromCSV(text, { autoType: false });
  } catch (error) {
    throw new InputError(`${fileName}: not a readable CSV file (${(error as Error).message})`);
  }
  const names = raw.columnNames();
  checkColumnNames(names, fileName);
  return table(Object.fromEntries(names.map(name => [name, typeCells(raw.column(name) as unknown as ArrayLike<unknown>)])));
}

function typeCells(cells: ArrayLike<unknown>): unknown[] {
  const typed = new Array<unknown>(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    typed[i] = typeof cell === 'string' ? typeCell(cell) : null;
  }
  return typed;
}

function typeCell(cell: string): unknown {
  const number = parseNumber(cell);
  if (!Number.isNaN(number)) {
    return number;
  }
  const word = cell.trim().toLowerCase();
  if (word === 'nan') {
    return NaN;
  }
  if (word === 'true' || word === 'false') {
    return word === 'true';
  }
  return cell;
}
