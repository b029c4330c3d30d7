/** Column names shared by every loader: a table whose names repeat cannot say which column a role means. */
import { InputError } from '../types.js';

export function checkColumnNames(names: string[], fileName: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new InputError(`${fileName}: duplicate column name "${name}"`);
    }
    seen.add(name);
  }
}
