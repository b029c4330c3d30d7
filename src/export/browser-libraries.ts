/**
 * The Vega libraries' browser builds for the offline HTML report, in JupyterLab: the build copies them next to the
 * extension's bundle (each `new URL(…, import.meta.url)` below becomes a static file of the labextension) and
 * they are fetched from the Jupyter server's own origin only when a report is made, so the extension's code stays
 * lean. The interpreter is made a classic script as in the CLI (report-libraries.ts).
 */
import { classicInterpreter, type ReportLibraries } from './report.js';

const SOURCES = {
  vega: new URL('../../node_modules/vega/build/vega.min.js?modeltrace-file', import.meta.url),
  vegaLite: new URL('../../node_modules/vega-lite/build/vega-lite.min.js?modeltrace-file', import.meta.url),
  vegaEmbed: new URL('../../node_modules/vega-embed/build/vega-embed.min.js?modeltrace-file', import.meta.url),
  vegaInterpreter: new URL('../../node_modules/vega-interpreter/build/vega-interpreter.js?modeltrace-file', import.meta.url)
};

let loaded: Promise<ReportLibraries> | null = null;

export function browserReportLibraries(): Promise<ReportLibraries> {
  loaded ??= (async () => {
    const text = async (url: URL): Promise<string> => {
      const response = await fetch(url);
      if (!response.ok) {
        throw new Error(`${url.pathname}: ${response.status} ${response.statusText}`);
      }
      return response.text();
    };
    const [vega, vegaLite, vegaEmbed, interpreter] = await Promise.all([
      text(SOURCES.vega),
      text(SOURCES.vegaLite),
      text(SOURCES.vegaEmbed),
      text(SOURCES.vegaInterpreter)
    ]);
    return { vega, vegaLite, vegaEmbed, vegaInterpreter: classicInterpreter(interpreter) };
  })();
  loaded.catch(() => (loaded = null));
  return loaded;
}
