import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { table as columnTable } from 'arquero';
import { analyze } from '../../src/engine/analyze.js';
import {
  analysisTables,
  driftTable,
  latexEscape,
  metricsTable,
  sliceComparisonTable,
  toCsv,
  toLatex,
  toMarkdown,
  type Table
} from '../../src/export/tables.js';

const HOSTILE = 'x,"y"|z & 50% $#_{}~^\\ <img src=x onerror=alert(1)>';

const table: Table = {
  name: 'sample',
  caption: 'A 50% sample & more',
  header: ['name', 'value'],
  numeric: [false, true],
  rows: [
    [HOSTILE, 0.123456789],
    ['line\nbreak', null],
    ['integer', 42],
    ['tiny', 1.5e-7]
  ]
};

/** A small binary trace with a hostile feature name and a drifted feature. */
function sampleResult() {
  const n = 400;
  const make = (shift: number) =>
    columnTable({
      y: Array.from({ length: n }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0),
      y_hat: Array.from({ length: n }, (_, i) => (i * 5) % 3 === 0 ? 1 : 0),
      p: Array.from({ length: n }, (_, i) => ((i * 37) % 100) / 100),
      [HOSTILE]: Array.from({ length: n }, (_, i) => Math.sin(i) + shift),
      colour: Array.from({ length: n }, (_, i) => ['red', 'green', 'blue'][(i + shift) % 3])
    });
  return analyze(make(1), make(0), { roles: { label: 'y', prediction: 'y_hat', score: 'p', features: [HOSTILE, 'colour'], slices: [] } });
}

describe('tables for reports', () => {
  it('CSV quotes fields with commas, quotes and line breaks (RFC 4180) and keeps every digit', () => {
    const csv = toCsv(table);
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'name,value');
    assert.equal(lines[1], `"x,""y""|z & 50% $#_{}~^\\ <img src=x onerror=alert(1)>",0.123456789`);
    assert.equal(lines[2], '"line\nbreak",', 'a line break is quoted; a missing value is an empty field');
    assert.ok(csv.endsWith('tiny,1.5e-7\r\n'));
  });

  it('Markdown escapes pipes and backslashes, aligns numbers right and rounds to 4 significant digits', () => {
    const markdown = toMarkdown(table).split('\n');
    assert.equal(markdown[0], '| name | value |');
    assert.equal(markdown[1], '| :--- | ---: |');
    assert.equal(markdown[2], '| x,"y"\\|z & 50% $#_{}~^\\\\ <img src=x onerror=alert(1)> | 0.1235 |');
    assert.equal(markdown[3], '| line break | – |');
    assert.equal(markdown[4], '| integer | 42 |');
    assert.equal(markdown[5], '| tiny | 1.500e-7 |');
    // every row has exactly one more pipe than columns once escaped pipes are removed
    for (const line of markdown.filter(Boolean)) {
      assert.equal(line.replace(/\\\|/g, '').split('|').length, 4, line);
    }
  });

  it('LaTeX escapes every special character and uses booktabs rules', () => {
    assert.equal(latexEscape('50% & $5_{x}#~^\\'), '50\\% \\& \\$5\\_\\{x\\}\\#\\textasciitilde{}\\textasciicircum{}\\textbackslash{}');
    const latex = toLatex(table);
    assert.match(latex, /\\begin\{tabular\}\{lr\}/);
    assert.match(latex, /\\toprule[\s\S]*\\midrule[\s\S]*\\bottomrule/);
    assert.match(latex, /\\caption\{A 50\\% sample \\& more\}/);
    assert.ok(!/[^\\]%/.test(latex.replace(/\\%/g, '')), 'no unescaped percent sign');
  });

  it('metrics, drift, data quality and root-cause tables come from the analysis', () => {
    const result = sampleResult();
    const metrics = metricsTable(result);
    const accuracy = metrics.rows.find(row => row[0] === 'accuracy') as [string, number, number, number];
    assert.equal(accuracy[1], result.metrics.reference?.accuracy);
    assert.equal(accuracy[2], result.metrics.current.accuracy);
    assert.equal(accuracy[3], (result.metrics.current.accuracy as number) - (result.metrics.reference?.accuracy as number));
    const drift = driftTable(result);
    assert.deepEqual(
      drift.rows.map(row => row[0]),
      [...result.drift].sort((a, b) => (b.methods.jensen_shannon?.value ?? 0) - (a.methods.jensen_shannon?.value ?? 0)).map(d => d.feature)
    );
    assert.ok(analysisTables(result).length >= 3);
  });

  it('every table of an analysis compiles with pdflatex (booktabs), hostile names included', t => {
    const available = spawnSync('pdflatex', ['--version'], { encoding: 'utf8' }).status === 0;
    if (!available) {
      assert.ok(!process.env.CI, 'pdflatex is missing on CI (scripts/test.sh installs texlive-latex-recommended)');
      t.skip('pdflatex not installed (apt-get install texlive-latex-base texlive-latex-recommended)');
      return;
    }
    const directory = mkdtempSync(join(tmpdir(), 'modeltrace-latex-'));
    try {
      const body = [table, ...analysisTables(sampleResult())].map(each => toLatex(each)).join('\n');
      const document = `\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n\\usepackage{booktabs}\n\\begin{document}\n${body}\\end{document}\n`;
      writeFileSync(join(directory, 'tables.tex'), document);
      const run = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'tables.tex'], {
        cwd: directory,
        encoding: 'utf8'
      });
      assert.equal(run.status, 0, run.stdout.split('\n').filter(line => line.startsWith('!')).join('\n') || run.stdout.slice(-2000));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('the slice table of two compared runs', () => {
  it('names the runs in its header and keeps the comparison\'s worst-first order', () => {
    const slice = (value: string, baseline: number, candidate: number) => ({
      column: 'region',
      value,
      kind: 'value' as const,
      rows: { reference: 10, current: 12 },
      metrics: { reference: { accuracy: baseline }, current: { accuracy: candidate } },
      primary_metric: 'accuracy',
      change: candidate - baseline
    });
    const table = sliceComparisonTable([slice('north', 0.9, 0.5), slice('south', 0.8, 0.8)], 'model-a', 'model-b');
    assert.equal(table.name, 'compare-slices');
    assert.equal(table.caption, 'accuracy per slice, model-b against model-a, worst change first');
    assert.deepEqual(table.header, ['slice', 'value', 'rows (model-a)', 'rows (model-b)', 'accuracy (model-a)', 'accuracy (model-b)', 'change']);
    assert.deepEqual(table.rows[0], ['region', 'north', 10, 12, 0.9, 0.5, 0.5 - 0.9]);
    assert.deepEqual(table.rows.map(row => row[1]), ['north', 'south']);
  });
});
