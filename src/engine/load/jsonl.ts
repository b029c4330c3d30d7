/**
 * JSON Lines (one JSON object per line) → Arquero table with `fromJSON` (type "ndjson"). Dates stay text;
 * the timestamp role parses them. A malformed line is an InputError giving its line number.
 */
import { fromJSON, type ColumnTable } from 'arquero';
import { InputError } from '../types.js';
import { checkColumnNames } from './names.js';

export function loadJsonl(bytes: Uint8Array, fileName: string): ColumnTable {
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === '') {
    throw new InputError(`${fileName}: the file is empty`);
  }
  let parsed: ColumnTable;
  try {
    parsed = fromJSON(text, { type: 'ndjson', autoType: false });
  } catch (error) {
    throw new InputError(`${fileName}: ${describeBadLine(text) ?? `not readable as JSON Lines (${(error as Error).message})`}`);
  }
  const badLine = describeBadLine(text, true);
  if (badLine) {
    throw new InputError(`${fileName}: ${badLine}`);
  }
  checkColumnNames(parsed.columnNames(), fileName);
  return parsed;
}

/** The first line that is not a JSON object, described; undefined when every line is one. */
function describeBadLine(text: string, objectsOnly = false): string | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') {
      continue;
    }
    if (objectsOnly && !line.startsWith('{')) {
      return `line ${i + 1} is not a JSON object`;
    }
    if (!objectsOnly) {
      try {
        JSON.parse(line);
      } catch (error) {
        return `line ${i + 1} is not valid JSON (${(error as Error).message})`;
      }
    }
  }
  return undefined;
}
