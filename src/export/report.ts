/**
 * The whole analysis as one self-contained HTML file: headline metrics, root causes, the charts, and the drift and
 * data-quality tables. Everything is inside the file — the Vega libraries once, then each chart's spec with its
 * aggregated data inline — and a Content-Security-Policy forbids loading anything else, so it opens from disk
 * with no network. Charts are drawn by vega-embed with the expression interpreter (no eval); no string of the
 * trace becomes markup: text is escaped, specs sit in a JSON script element.
 *
 * Pure: the caller passes the libraries' source (the CLI reads them from node_modules, see cli/report-libraries.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import {
  calibrationSpec,
  compareSpec,
  confusionMatrixSpec,
  DEFAULT_THEME,
  distributionSpec,
  driftRankingSpec,
  driftTimelineSpec,
  latencySpec,
  metricTimelineSpec,
  predictedVsActualSpec,
  prSpec,
  residualsSpec,
  rocSpec,
  sliceMetricsSpec,
  type ChartTheme
} from '../charts/index.js';
import type { AnalysisDetails } from '../engine/details/index.js';
import type { AnalysisResult } from '../engine/types.js';
import { dataQualityTable, driftTable, metricsTable, slicesTable, type Cell, type Table } from './tables.js';

/** The JavaScript of the libraries, each a classic script defining its global (vega, vegaLite, vegaEmbed, vegaInterpreter). */
export interface ReportLibraries {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
  vegaInterpreter: string;
}

export interface ReportChart {
  /** Stable name, also the `data-modeltrace-chart` hook. */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

export interface ReportInput {
  title: string;
  result: AnalysisResult;
  libraries: ReportLibraries;
  /** When the report was made (ISO 8601); shown in its header. */
  generated: string;
  /** The chart data of the explorer (curves, confusion, slices, distributions), when computed. */
  details?: AnalysisDetails | null;
  /** Charts beyond those built from the result and the details. */
  extraCharts?: ReportChart[];
  theme?: ChartTheme;
}

/** The metric each task's timeline shows first. */
const PRIMARY_METRIC = { binary: 'accuracy', multiclass: 'accuracy', regression: 'mae' } as const;

/** The charts an analysis result alone can draw. */
export function resultCharts(result: AnalysisResult, theme: ChartTheme = DEFAULT_THEME): ReportChart[] {
  const options = { theme };
  const { chunks, thresholds, alerts } = result;
  const charts: ReportChart[] = [];
  const metrics = Object.keys(result.metrics.current).filter(metric =>
    chunks.some(chunk => chunk.metrics[metric] !== undefined && chunk.metrics[metric] !== null)
  );
  const primary = PRIMARY_METRIC[result.task];
  for (const metric of [primary, ...metrics.filter(name => name !== primary)].filter(name => metrics.includes(name)).slice(0, 4)) {
    charts.push({
      name: `metric-timeline-${metric}`,
      title: `${metric} per chunk, with the reference's threshold band`,
      spec: metricTimelineSpec({ chunks, thresholds, alerts, metric }, options)
    });
  }
  if (result.drift.length > 0) {
    charts.push({
      name: 'drift-ranking',
      title: 'Features ranked by drift (Jensen-Shannon distance, base 2)',
      spec: driftRankingSpec({ drift: result.drift, method: 'jensen_shannon' }, options)
    });
    charts.push({
      name: 'drift-timeline',
      title: 'Jensen-Shannon distance of each feature per chunk',
      spec: driftTimelineSpec({ chunks, thresholds, alerts }, options)
    });
  }
  if (chunks.some(chunk => typeof chunk.metrics.latency_p50 === 'number')) {
    charts.push({ name: 'latency', title: 'Latency p50, p95 and p99 per chunk', spec: latencySpec({ chunks }, options) });
  }
  return charts;
}

/** The charts the details can draw: curves, calibration, confusion or regression views, slices, distributions. */
export function detailCharts(details: AnalysisDetails, drift: AnalysisResult['drift'], theme: ChartTheme = DEFAULT_THEME): ReportChart[] {
  const options = { theme };
  const charts: ReportChart[] = [];
  if (details.differences.length > 0) {
    const rows = details.differences[0].rows_per_resample;
    charts.push({
      name: 'overview',
      title: 'Headline metrics, current − reference, with seeded bootstrap intervals',
      spec: compareSpec(
        {
          comparison: { task: details.task, paired: false, rows: { baseline: rows.baseline, candidate: rows.candidate, shared: null }, differences: details.differences, mcnemar: null },
          baseline: 'reference',
          candidate: 'current'
        },
        options
      )
    });
  }
  if (details.roc) {
    const points = details.score_bins ? `points at the edges of ${details.score_bins} score bins` : 'scikit-learn roc_curve points';
    charts.push({ name: 'roc', title: `ROC curve (${points})`, spec: rocSpec(details.roc, options) });
  }
  if (details.pr) {
    charts.push({ name: 'pr', title: 'Precision-recall curve (average precision)', spec: prSpec(details.pr, options) });
  }
  if (details.calibration) {
    charts.push({ name: 'calibration', title: 'Reliability curve, 10 equal-width score bins', spec: calibrationSpec(details.calibration, options) });
  }
  if (details.confusion?.current) {
    charts.push({
      name: 'confusion',
      title: 'Confusion matrix of the current data',
      spec: confusionMatrixSpec({ matrix: details.confusion.current, period: 'current' }, options)
    });
  }
  if (details.residuals) {
    charts.push({ name: 'residuals', title: 'Residual distribution', spec: residualsSpec(details.residuals, options) });
  }
  if (details.predicted_vs_actual?.current) {
    charts.push({
      name: 'predicted-vs-actual',
      title: 'Predicted vs actual (binned) of the current data',
      spec: predictedVsActualSpec({ view: details.predicted_vs_actual, period: 'current' }, options)
    });
  }
  if (details.slices.length > 0) {
    charts.push({ name: 'slices', title: 'Per-slice change of the primary metric, worst first', spec: sliceMetricsSpec({ slices: details.slices }, options) });
  }
  // the distributions of the most drifted features
  const ranked = [...drift].sort((a, b) => (b.methods.jensen_shannon?.value ?? 0) - (a.methods.jensen_shannon?.value ?? 0));
  for (const feature of ranked.slice(0, 3)) {
    const distribution = details.distributions.find(each => each.feature === feature.feature);
    if (distribution) {
      charts.push({
        name: `distribution-${charts.length}`,
        title: `${feature.feature}: reference vs current distribution`,
        spec: distributionSpec(distribution, options)
      });
    }
  }
  return charts;
}

export function buildReport(input: ReportInput): string {
  const { result } = input;
  const charts = [
    ...resultCharts(result, input.theme),
    ...(input.details ? detailCharts(input.details, result.drift, input.theme) : []),
    ...(input.extraCharts ?? [])
  ];
  const specs = Object.fromEntries(charts.map(chart => [chart.name, chart.spec]));
  const alerts = result.alerts.length;
  const summary =
    `${result.task} · ${result.rows.current} current rows, ${result.rows.reference} reference rows · ` +
    `${result.chunks.length} chunks · ${alerts} alert${alerts === 1 ? '' : 's'} · ` +
    `${result.drift.filter(drift => drift.drifted).length} drifted feature(s)`;
  const rootCauses =
    result.root_causes.length > 0
      ? `<ol class="causes">${result.root_causes
          .map(cause => `<li><span class="kind">${escapeHtml(cause.kind)}</span> ${escapeHtml(cause.summary)}</li>`)
          .join('')}</ol>`
      : '<p class="none">No root cause found: performance did not degrade beyond its thresholds, or nothing explains it.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ModelTrace">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(input.title)}</h1>
<p class="summary">${escapeHtml(summary)}</p>
<p class="generated">Generated ${escapeHtml(input.generated)} by ModelTrace. Statistics and their conventions: docs/statistics.md.</p>
</header>
<section><h2>Metrics</h2>${htmlTable(metricsTable(result))}</section>
<section><h2>Root causes</h2>${rootCauses}</section>
<section><h2>Charts</h2>
${charts
  .map(
    chart =>
      `<figure><div class="chart" data-modeltrace-chart="${escapeHtml(chart.name)}"></div><figcaption>${escapeHtml(chart.title)}</figcaption></figure>`
  )
  .join('\n')}
</section>
${input.details && input.details.slices.length > 0 ? `<section><h2>Slices</h2>${htmlTable(slicesTable(input.details))}</section>` : ''}
${result.drift.length > 0 ? `<section><h2>Drift</h2>${htmlTable(driftTable(result))}</section>` : ''}
<section><h2>Data quality</h2>${htmlTable(dataQualityTable(result))}</section>
<script type="application/json" id="modeltrace-specs">${jsonForScript(specs)}</script>
${[input.libraries.vega, input.libraries.vegaLite, input.libraries.vegaEmbed, input.libraries.vegaInterpreter]
  .map(source => `<script>${scriptText(source)}</script>`)
  .join('\n')}
<script>${DRAW_SCRIPT}</script>
</body>
</html>
`;
}

/** Draws every chart; marks the body with data-modeltrace-charts="drawn" (or "failed: …") when done. */
const DRAW_SCRIPT = `
(function () {
  var specs = JSON.parse(document.getElementById('modeltrace-specs').textContent);
  var refuse = function () { return Promise.reject(new Error('the report loads nothing')); };
  var loader = { load: refuse, sanitize: refuse, http: refuse, file: refuse };
  var nodes = document.querySelectorAll('[data-modeltrace-chart]');
  var drawing = [];
  for (var i = 0; i < nodes.length; i++) {
    var spec = specs[nodes[i].getAttribute('data-modeltrace-chart')];
    drawing.push(vegaEmbed(nodes[i], spec, {
      renderer: 'svg', actions: false, ast: true, expr: vegaInterpreter.expressionInterpreter, loader: loader
    }));
  }
  Promise.all(drawing).then(
    function () { document.body.setAttribute('data-modeltrace-charts', 'drawn'); },
    function (error) { document.body.setAttribute('data-modeltrace-charts', 'failed: ' + error.message); }
  );
})();
`;

const STYLE = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --head: #f6f8fa; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg);
  max-width: 1100px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.summary { font-size: 1rem; margin: 0; } .generated, figcaption, .none { color: var(--muted); }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { padding: .3rem .6rem; border-bottom: 1px solid var(--line); text-align: left; }
th { background: var(--head); } td.number, th.number { text-align: right; }
figure { margin: 1rem 0 1.5rem; } .chart { min-height: 60px; }
.causes li { margin: .3rem 0; } .kind { font-family: ui-monospace, monospace; background: var(--head); padding: 0 .3rem; border-radius: 3px; }
@media print { body { margin: 0; max-width: none; } figure { break-inside: avoid; } }
`;

function htmlTable(table: Table): string {
  const head = table.header
    .map((name, column) => `<th${table.numeric[column] ? ' class="number"' : ''}>${escapeHtml(name)}</th>`)
    .join('');
  const body = table.rows
    .map(
      row =>
        `<tr>${row
          .map((cell, column) => `<td${table.numeric[column] ? ' class="number"' : ''}>${escapeHtml(cellText(cell))}</td>`)
          .join('')}</tr>`
    )
    .join('');
  return `<table><caption class="none">${escapeHtml(table.caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function cellText(cell: Cell): string {
  if (cell === null) {
    return '–';
  }
  if (typeof cell === 'number') {
    return Number.isInteger(cell) ? String(cell) : String(Number(cell.toPrecision(4)));
  }
  return String(cell);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, character => `&#${character.charCodeAt(0)};`);
}

/** JSON inside a script element: "<" escaped so no "</script>" in a trace's strings can end the element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A library's source inside a script element (a literal "</script" would end it early). */
function scriptText(source: string): string {
  return source.replace(/<\/script/gi, '<\\/script').replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
}

/**
 * vega-interpreter's ES module as a classic script: its import of vega-util reads the `vega` global (the vega build
 * exposes those functions), its export defines `vegaInterpreter`. Works on the published file and on a minified
 * copy (the extension's build minifies the file it ships).
 */
export function classicInterpreter(source: string): string {
  const imports = /import\s*\{([^}]*)\}\s*from\s*["']vega-util["'];?/;
  const exports = /export\s*\{\s*([\w$]+)\s+as\s+expressionInterpreter\s*\};?/;
  const imported = imports.exec(source);
  const exported = exports.exec(source);
  if (!imported || !exported) {
    throw new Error('vega-interpreter: unexpected module layout (its import of vega-util or its export changed)');
  }
  const bindings = imported[1]
    .split(',')
    .map(binding => binding.trim())
    .filter(Boolean)
    .map(binding => binding.replace(/^([\w$]+)\s+as\s+([\w$]+)$/, '$1: $2'));
  const body = source
    .replace(imports, `const { ${bindings.join(', ')} } = vega;`)
    .replace(exports, `globalThis.vegaInterpreter = { expressionInterpreter: ${exported[1]} };`)
    .replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
  return `(function () {\n${body}\n})();`;
}
