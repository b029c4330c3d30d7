/**
 * Run by csp.test.ts in a Node started with --disallow-code-generation-from-strings, the closest thing Node has to
 * a Content-Security-Policy without 'unsafe-eval': what of ModelTrace's browser code works there. Prints JSON.
 * (Also picked up by the test runner as a file under test/: it then only prints.)
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';
import { driftRankingSpec, metricTimelineSpec } from '../../src/charts/index.js';
import { analyzeTrace } from '../../src/worker/run.js';

const rows = Array.from({ length: 300 }, (_, i) => ({
  y: i % 2,
  y_hat: i % 3 ? i % 2 : 1 - (i % 2),
  p: ((i * 37) % 100) / 100,
  x: Math.sin(i),
  c: ['a', 'b'][i % 2]
}));
const payload = {
  version: 1,
  id: 'a',
  name: 'n',
  created: '2026-11-22T00:00:00Z',
  roles: { label: 'y', prediction: 'y_hat', score: 'p', features: ['x', 'c'], slices: ['c'] },
  task: 'binary',
  current: { format: 'records', data: rows },
  reference: { format: 'records', data: rows.slice(0, 200) }
};
const outcome = (response: ReturnType<typeof analyzeTrace>) => (response.ok ? 'ok' : response.error);

async function draw(spec: TopLevelSpec, interpreter: boolean): Promise<string> {
  try {
    const parsed = vega.parse(compile({ ...spec, width: 400 } as TopLevelSpec).spec, undefined, interpreter ? { ast: true } : undefined);
    const view = new vega.View(parsed, { renderer: 'none', ...(interpreter ? { expr: expressionInterpreter } : {}) });
    const svg = await view.toSVG();
    view.finalize();
    return svg.includes('<path') ? 'ok' : 'empty';
  } catch (error) {
    return (error as Error).message;
  }
}

const analysis = analyzeTrace({ id: 1, payload, options: {} });
const result = analysis.ok ? analysis.result! : null;
const report = {
  analyze: outcome(analysis),
  details: outcome(analyzeTrace({ id: 2, kind: 'details', payload, options: {} })),
  customMetrics: outcome(analyzeTrace({ id: 3, payload, options: { customMetrics: { positive_rate: 'd => op.mean(d.y_hat)' } } })),
  chartWithInterpreter: result
    ? await draw(metricTimelineSpec({ chunks: result.chunks, thresholds: result.thresholds, alerts: result.alerts, metric: 'accuracy' }), true)
    : 'no result',
  chartWithoutInterpreter: result ? await draw(driftRankingSpec({ drift: result.drift, method: 'jensen_shannon' }), false) : 'no result'
};
console.log(JSON.stringify(report));
