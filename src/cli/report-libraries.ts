/**
 * The Vega libraries' browser builds, read from node_modules, for the offline HTML report (export/report.ts).
 * vega, vega-lite and vega-embed ship UMD builds that define globals; vega-interpreter ships only an ES module
 * importing three vega-util functions, which the vega build exposes: it is wrapped into a classic script that
 * takes them from the `vega` global and defines `vegaInterpreter`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classicInterpreter, type ReportLibraries } from '../export/report.js';

const FILES = {
  vega: ['vega', 'build/vega.min.js'],
  vegaLite: ['vega-lite', 'build/vega-lite.min.js'],
  vegaEmbed: ['vega-embed', 'build/vega-embed.min.js'],
  vegaInterpreter: ['vega-interpreter', 'build/vega-interpreter.js']
} as const;

export async function readReportLibraries(): Promise<ReportLibraries> {
  const read = async ([name, file]: readonly [string, string]): Promise<string> => readFile(packageFile(name, file), 'utf8');
  const [vega, vegaLite, vegaEmbed, interpreterModule] = await Promise.all([
    read(FILES.vega),
    read(FILES.vegaLite),
    read(FILES.vegaEmbed),
    read(FILES.vegaInterpreter)
  ]);
  return { vega, vegaLite, vegaEmbed, vegaInterpreter: classicInterpreter(interpreterModule) };
}

/** A file of an installed package: the nearest node_modules above this module that holds it. */
function packageFile(name: string, file: string): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, 'node_modules', name, file);
    if (existsSync(candidate)) {
      return candidate;
    }
    const parent = dirname(directory);
    if (parent === directory) {
      throw new Error(`${name}/${file} not found in any node_modules above ${fileURLToPath(import.meta.url)}`);
    }
    directory = parent;
  }
}
