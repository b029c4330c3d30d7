import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { table as columnTable } from 'arquero';
import { readReportLibraries } from '../../src/cli/report-libraries.js';
import { analyze } from '../../src/engine/analyze.js';
import { buildReport, resultCharts } from '../../src/export/report.js';

const HOSTILE = '</script><img src=x onerror=alert(1)>';
const NO_LIBRARIES = { vega: '', vegaLite: '', vegaEmbed: '', vegaInterpreter: '' };

/** A binary trace of `n` rows per period with numeric and categorical features; the current one drifts. */
function trace(n: number, name = 'income') {
  const period = (shift: number) => {
    const y = new Float64Array(n);
    const p = new Float64Array(n);
    const yHat = new Float64Array(n);
    const feature = new Float64Array(n);
    const latency = new Float64Array(n);
    const colour = new Array<string>(n);
    let state = 12345 + shift;
    const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < n; i++) {
      feature[i] = random() * 10 + shift * (i / n);
      p[i] = random();
      y[i] = random() < p[i] ? 1 : 0;
      yHat[i] = p[i] >= 0.5 ? 1 : 0;
      latency[i] = 10 + random() * 20;
      colour[i] = ['red', 'green', 'blue', HOSTILE][Math.floor(random() * (shift ? 4 : 3))];
    }
    return columnTable({ y, y_hat: yHat, p, [name]: feature, colour, latency_ms: latency });
  };
  return analyze(period(1), period(0), {
    roles: { label: 'y', prediction: 'y_hat', score: 'p', features: [name, 'colour'], slices: [], latency: 'latency_ms' }
  });
}

describe('the offline HTML report', () => {
  it('states a Content-Security-Policy that loads nothing and keeps trace strings out of the markup', () => {
    const result = trace(2000, HOSTILE);
    const html = buildReport({ title: `Run ${HOSTILE}`, result, libraries: NO_LIBRARIES, generated: '2026-11-22T12:00:00Z' });
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'/);
    assert.ok(!html.includes('<img'), 'a trace string became markup');
    assert.equal(html.match(/<\/script>/g)?.length, 6, 'only the report\'s own six script elements end');
    assert.ok(html.includes('&#60;/script&#62;&#60;img src=x onerror=alert(1)&#62;'), 'the name shows as text');
  });

  it('carries each chart\'s spec as JSON that parses back to the chart builders\' specs', () => {
    const result = trace(2000);
    const html = buildReport({ title: 'Run', result, libraries: NO_LIBRARIES, generated: '2026-11-22T12:00:00Z' });
    const json = /<script type="application\/json" id="modeltrace-specs">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    const specs = JSON.parse(json);
    const charts = resultCharts(result);
    assert.deepEqual(Object.keys(specs), charts.map(chart => chart.name));
    assert.deepEqual(specs, JSON.parse(JSON.stringify(Object.fromEntries(charts.map(chart => [chart.name, chart.spec])))));
    for (const chart of charts) {
      assert.ok(html.includes(`data-modeltrace-chart="${chart.name}"`));
    }
    assert.ok(charts.some(chart => chart.name === 'latency') && charts.some(chart => chart.name === 'drift-ranking'));
  });

  it('of a 1M-row trace, with the Vega libraries inlined, is under 2 MB', async () => {
    const result = trace(1_000_000);
    const html = buildReport({ title: 'Run', result, libraries: await readReportLibraries(), generated: '2026-11-22T12:00:00Z' });
    const bytes = Buffer.byteLength(html);
    assert.ok(bytes < 2 * 1024 * 1024, `${bytes} bytes`);
    assert.ok(html.includes('globalThis.vegaInterpreter'), 'the interpreter is inlined as a classic script');
  });
});

describe('vega-interpreter as a classic script', () => {
  it('works on the published module and on a minified copy', async () => {
    const { classicInterpreter } = await import('../../src/export/report.js');
    const published = "import { ascending, isString } from 'vega-util';\nfunction expression() { return ascending && isString; }\nexport { expression as expressionInterpreter };\n";
    const minified = 'import{ascending as e,isString as t}from"vega-util";function expression(){return e&&t}export{expression as expressionInterpreter};';
    for (const source of [published, minified]) {
      const script = classicInterpreter(source);
      const scope: Record<string, unknown> = { vega: { ascending: 1, isString: 2 } };
      new Function('globalThis', 'vega', script)(scope, scope.vega);
      const interpreter = scope.vegaInterpreter as { expressionInterpreter: () => unknown };
      assert.equal(interpreter.expressionInterpreter(), 2);
    }
    assert.throws(() => classicInterpreter('export default 1;'), /unexpected module layout/);
  });
});

describe('the report with the explorer\'s details', () => {
  it('adds the curves, confusion, slice and distribution charts and the slice table', async () => {
    const { analyzeWithDetails } = await import('../../src/engine/analyze.js');
    const { slicesTable } = await import('../../src/export/tables.js');
    const n = 3000;
    const period = (shift: number) =>
      columnTable({
        y: Array.from({ length: n }, (_, i) => ((i * 7919) % 10 < 4 ? 1 : 0)),
        p: Array.from({ length: n }, (_, i) => ((i * 7919) % 10) / 10 + (shift ? 0.05 : 0)),
        y_hat: Array.from({ length: n }, (_, i) => (((i * 7919) % 10) / 10 + (shift && i % 3 === 0 ? 0.6 : 0) >= 0.5 ? 1 : 0)),
        x: Array.from({ length: n }, (_, i) => Math.cos(i) + shift),
        region: Array.from({ length: n }, (_, i) => ['north', 'south', 'east'][i % 3])
      });
    const { result, details } = analyzeWithDetails(period(1), period(0), {
      roles: { label: 'y', prediction: 'y_hat', score: 'p', features: ['x'], slices: ['region'] }
    });
    const html = buildReport({ title: 'Run', result, details, libraries: NO_LIBRARIES, generated: '2026-11-22T12:00:00Z' });
    for (const chart of ['roc', 'pr', 'calibration', 'confusion', 'slices', 'distribution-']) {
      assert.ok(html.includes(`data-modeltrace-chart="${chart}`), chart);
    }
    const table = slicesTable(details);
    const north = details.slices.find(slice => slice.value === 'north');
    const row = table.rows.find(cells => cells[1] === 'north');
    assert.deepEqual(row, ['region', 'north', north?.rows.reference, north?.rows.current, north?.metrics.reference?.accuracy, north?.metrics.current?.accuracy, north?.change]);
    // worst change first, as the details order them
    assert.deepEqual(table.rows.map(cells => cells[1]), details.slices.map(slice => slice.value));
    const changes = details.slices.map(slice => slice.change).filter((change): change is number => change !== null);
    assert.equal(table.rows[0][6], Math.min(...changes));
    assert.ok(html.includes('<h2>Slices</h2>'));
  });
});
