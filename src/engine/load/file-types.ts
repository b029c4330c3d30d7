/** What a file's name says of its format (no reading, no heavy module: the CLI asks before the engine loads). */

/** Whether a file name says Arrow IPC. */
export function isArrowFileName(fileName: string): boolean {
  return ['.arrow', '.feather'].includes(extensionOf(fileName));
}

/** The lower-cased extension of a file name, with its dot; '' when it has none. */
export function extensionOf(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}
