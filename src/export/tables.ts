/**
 * The analysis as tables for reports: metrics, drift, data quality and root causes, each as CSV, Markdown and LaTeX
 * (booktabs). Pure functions: a table is a header and rows of cells; the formats only differ in how they quote.
 *
 * Numbers keep every digit JSON has in CSV (a table for further work) and are rounded to `digits` significant
 * digits in Markdown and LaTeX (tables for reading). A missing value is empty in CSV and "–" elsewhere.
 */
import type { AnalysisDetails, SliceMetrics } from '../engine/details/index.js';
import type { AnalysisResult } from '../engine/types.js';

export type Cell = string | number | boolean | null;

export interface Table {
  /** A short name, also the default file name ("metrics", "drift", …). */
  name: string;
  caption: string;
  header: string[];
  rows: Cell[][];
  /** Columns holding numbers: right-aligned in Markdown and LaTeX. */
  numeric: boolean[];
}

export type TableFormat = 'csv' | 'markdown' | 'latex';

export const TABLE_EXTENSIONS: Record<TableFormat, string> = { csv: 'csv', markdown: 'md', latex: 'tex' };

// ------------------------------------------------------------------------------------------- tables

/** Each metric of both periods, and the change of current vs reference. */
export function metricsTable(result: AnalysisResult): Table {
  const names = Object.keys(result.metrics.current);
  const reference = result.metrics.reference;
  return {
    name: 'metrics',
    caption: `Metrics, current vs reference (${result.task}; ${result.rows.current} current and ${result.rows.reference} reference rows)`,
    header: ['metric', 'reference', 'current', 'change'],
    numeric: [false, true, true, true],
    rows: names.map(name => {
      const before = reference?.[name] ?? null;
      const now = result.metrics.current[name] ?? null;
      return [name, before, now, before !== null && now !== null ? now - before : null];
    })
  };
}

/** Every drift method of every feature, most drifted (Jensen-Shannon) first. */
export function driftTable(result: AnalysisResult): Table {
  const rows = [...result.drift]
    .sort((a, b) => (b.methods.jensen_shannon?.value ?? -1) - (a.methods.jensen_shannon?.value ?? -1))
    .map((drift): Cell[] => [
      drift.feature,
      drift.type,
      drift.drifted ? 'yes' : 'no',
      drift.methods.jensen_shannon?.value ?? null,
      drift.methods.psi?.value ?? null,
      drift.methods.ks?.statistic ?? null,
      drift.methods.ks?.p_value ?? null,
      drift.methods.wasserstein?.normed ?? null,
      drift.methods.chi2?.statistic ?? null,
      drift.methods.chi2?.p_value ?? null
    ]);
  return {
    name: 'drift',
    caption: 'Drift of each feature, current vs reference',
    header: ['feature', 'type', 'drifted', 'jensen_shannon', 'psi', 'ks', 'ks p-value', 'wasserstein (normed)', 'chi2', 'chi2 p-value'],
    numeric: [false, false, false, true, true, true, true, true, true, true],
    rows
  };
}

export function dataQualityTable(result: AnalysisResult): Table {
  return {
    name: 'data-quality',
    caption: 'Data quality of each feature',
    header: ['feature', 'missing (reference)', 'missing (current)', 'unseen categories', 'out of range'],
    numeric: [false, true, true, true, true],
    rows: result.data_quality.map(quality => [
      quality.feature,
      quality.missing.reference,
      quality.missing.current,
      quality.unseen_count ?? quality.unseen.length,
      quality.out_of_range
    ])
  };
}

export function rootCausesTable(result: AnalysisResult): Table {
  return {
    name: 'root-causes',
    caption: 'Suggested root causes, by the share of the degradation each explains',
    header: ['rank', 'kind', 'share', 'summary'],
    numeric: [true, false, true, false],
    rows: result.root_causes.map(cause => [cause.rank, cause.kind, cause.score, cause.summary])
  };
}

/** The primary metric per slice value in both periods and its change, worst first (from the explorer's details). */
export function slicesTable(details: AnalysisDetails): Table {
  return sliceTable('slices', details.slices, { reference: 'reference', current: 'current' }, 'worst change first');
}

/**
 * Two runs per slice value (engine compareTables: the baseline in `reference`, the candidate in `current`), worst
 * change first, the runs named in the header.
 */
export function sliceComparisonTable(slices: SliceMetrics[], baseline: string, candidate: string): Table {
  return sliceTable('compare-slices', slices, { reference: baseline, current: candidate }, `${candidate} against ${baseline}, worst change first`);
}

function sliceTable(name: string, slices: SliceMetrics[], periods: { reference: string; current: string }, order: string): Table {
  const metric = slices[0]?.primary_metric ?? 'metric';
  return {
    name,
    caption: `${metric} per slice, ${order}`,
    header: ['slice', 'value', `rows (${periods.reference})`, `rows (${periods.current})`, `${metric} (${periods.reference})`, `${metric} (${periods.current})`, 'change'],
    numeric: [false, false, true, true, true, true, true],
    rows: slices.map(slice => [
      slice.column,
      slice.value,
      slice.rows.reference,
      slice.rows.current,
      slice.metrics.reference?.[metric] ?? null,
      slice.metrics.current?.[metric] ?? null,
      slice.change
    ])
  };
}

/** The tables of an analysis (and of its details, when given) that have rows. */
export function analysisTables(result: AnalysisResult, details: AnalysisDetails | null = null): Table[] {
  return [
    metricsTable(result),
    driftTable(result),
    dataQualityTable(result),
    rootCausesTable(result),
    ...(details ? [slicesTable(details)] : [])
  ].filter(
    table => table.rows.length > 0
  );
}

// ------------------------------------------------------------------------------------------- formats

export function formatTable(table: Table, format: TableFormat, digits = 4): string {
  switch (format) {
    case 'csv':
      return toCsv(table);
    case 'markdown':
      return toMarkdown(table, digits);
    case 'latex':
      return toLatex(table, digits);
  }
}

/** RFC 4180: comma-separated, CRLF line ends, a field with a comma, quote or line break in double quotes. */
export function toCsv(table: Table): string {
  const field = (cell: Cell): string => {
    const text = cell === null ? '' : typeof cell === 'number' ? String(cell) : String(cell);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [table.header, ...table.rows].map(row => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** A GitHub-flavoured Markdown table; pipes, backslashes and line breaks in cells are escaped. */
export function toMarkdown(table: Table, digits = 4): string {
  const escape = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const cell = (value: Cell): string => escape(readable(value, digits));
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const rule = table.numeric.map(numeric => (numeric ? '---:' : ':---'));
  return [line(table.header.map(escape)), line(rule), ...table.rows.map(row => line(row.map(cell)))].join('\n') + '\n';
}

/** A LaTeX `table` with a booktabs `tabular` (\toprule, \midrule, \bottomrule); special characters escaped. */
export function toLatex(table: Table, digits = 4): string {
  const columns = table.numeric.map(numeric => (numeric ? 'r' : 'l')).join('');
  const row = (cells: string[]): string => `    ${cells.join(' & ')} \\\\`;
  return [
    '\\begin{table}[htbp]',
    '  \\centering',
    `  \\caption{${latexEscape(table.caption)}}`,
    `  \\label{tab:modeltrace-${table.name}}`,
    `  \\begin{tabular}{${columns}}`,
    '    \\toprule',
    row(table.header.map(latexEscape)),
    '    \\midrule',
    ...table.rows.map(cells => row(cells.map(value => latexEscape(readable(value, digits))))),
    '    \\bottomrule',
    '  \\end{tabular}',
    '\\end{table}',
    ''
  ].join('\n');
}

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
  '–': '--'
};

export function latexEscape(text: string): string {
  return text.replace(/[\\&%$#_{}~^<>|–]/g, character => LATEX_SPECIALS[character]).replace(/\r?\n/g, ' ');
}

/** A cell for reading: numbers to `digits` significant digits (integers as they are), missing as "–". */
function readable(value: Cell, digits: number): string {
  if (value === null) {
    return '–';
  }
  if (typeof value !== 'number') {
    return String(value);
  }
  if (Number.isInteger(value) && Math.abs(value) < 1e15) {
    return String(value);
  }
  if (value !== 0 && (Math.abs(value) < 1e-4 || Math.abs(value) >= 1e6)) {
    return value.toExponential(digits - 1);
  }
  return String(Number(value.toPrecision(digits)));
}
