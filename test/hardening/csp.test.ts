/**
 * ModelTrace under a policy without 'unsafe-eval' (Node's --disallow-code-generation-from-strings stands in for the
 * browser's CSP): the analysis, its details and the charts drawn with Vega's expression interpreter work; custom
 * metrics (Arquero compiles their expressions) are refused with a message naming the metric; Vega without the
 * interpreter would fail, which is why the charts always use it. Outcomes documented in docs/reliability.md.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

test('without code generation from strings: analysis, details and charts work; custom metrics are refused by name', () => {
  const probe = join(dirname(fileURLToPath(import.meta.url)), 'csp-probe.js');
  const run = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', probe], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout.trim().split('\n').pop() as string);
  assert.equal(report.analyze, 'ok');
  assert.equal(report.details, 'ok');
  assert.equal(report.chartWithInterpreter, 'ok');
  assert.match(report.customMetrics, /^custom metric "positive_rate": cannot evaluate expression "d => op\.mean\(d\.y_hat\)": Code generation from strings disallowed/);
  assert.match(report.chartWithoutInterpreter, /Code generation from strings disallowed/);
  // and with code generation allowed, the same probe draws and computes everything
  const free = JSON.parse(spawnSync(process.execPath, [probe], { encoding: 'utf8' }).stdout.trim().split('\n').pop() as string);
  assert.deepEqual(free, { analyze: 'ok', details: 'ok', customMetrics: 'ok', chartWithInterpreter: 'ok', chartWithoutInterpreter: 'ok' });
});
