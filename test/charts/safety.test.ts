import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { TopLevelSpec } from 'vega-lite';

import { distributionSpec, driftRankingSpec, sliceMetricsSpec, VEGA_LITE_SCHEMA } from '../../src/charts/index.js';
import { chartSamples } from './samples.js';
import { allSpecs } from './specs.js';
import { compileQuietly, layersOf, renderSvg, walk } from './vega-lite.js';

const MARKUP = '<img src=x onerror=alert(1)>';
const NASTY = ['a.b', 'a[0]', MARKUP, 'it\'s "quoted"\\'];
const samples = chartSamples(undefined, NASTY);
const specs = allSpecs(samples);

test('every spec: Vega-Lite v6, container width, a title with a subtitle, inline values only', () => {
  for (const [name, spec] of Object.entries(specs)) {
    assert.equal(spec.$schema, VEGA_LITE_SCHEMA, name);
    assert.equal((spec as { width?: unknown }).width, 'container', name);
    const title = spec.title as { text: string; subtitle: unknown };
    assert.ok(title.text && title.subtitle, `${name} has a title and subtitle`);
    for (const { path, key, value } of walk(spec)) {
      assert.ok(key !== 'url' && key !== 'href', `${name}: no ${key} at ${path}`);
      if (key === 'data') {
        assert.deepEqual(Object.keys(value as object), ['values'], `${name}: inline data at ${path}`);
      }
      // no expression strings at all: filters are field predicates, sorts are fields
      assert.ok(!['expr', 'calculate'].includes(key ?? ''), `${name}: no expression at ${path}`);
      if (key === 'filter' || key === 'test') {
        assert.equal(typeof value, 'object', `${name}: ${path} is a predicate object`);
      }
    }
  }
});

test('every mark that draws data has a tooltip', () => {
  for (const [name, spec] of Object.entries(specs)) {
    for (const layer of layersOf(spec)) {
      const constant = layer.data?.values.length === 1 && Object.keys(layer.data.values[0]).length === 0;
      const drawsData = ['point', 'bar', 'rect', 'text'].includes(layer.mark.type) || Boolean(layer.mark.point);
      if (drawsData && !constant) {
        assert.ok(layer.encoding.tooltip, `${name}: the ${layer.mark.type} layer has a tooltip`);
      }
    }
  }
});

test('names from the data never reach an expression of the compiled Vega spec', () => {
  const leaks: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const compiled = compileQuietly(spec);
    for (const { path, key, value } of walk(compiled)) {
      if (typeof value === 'string' && ['expr', 'signal', 'update', 'init', 'test', 'field'].includes(key ?? '')) {
        leaks.push(...NASTY.filter(nasty => value.includes(nasty)).map(nasty => `${name}: "${nasty}" in ${path}`));
      }
    }
  }
  assert.deepEqual(leaks, []);
});

test('a feature named like markup, a path or an index renders as text', async () => {
  const rendered: [string, TopLevelSpec][] = [
    ['ranking', driftRankingSpec({ drift: samples.drift, method: 'jensen_shannon' })],
    ['distribution', distributionSpec(samples.binary.distributions[2])],
    ['slices', sliceMetricsSpec({ slices: samples.binary.slices, limit: 40 })]
  ];
  for (const [name, spec] of rendered) {
    const svg = await renderSvg(spec);
    assert.ok(!svg.includes('<img'), `${name}: no <img element`);
    assert.ok(
      !/onerror=alert/.test(svg.replace(/&lt;img src=x onerror=alert\(1\)&gt;/g, '')),
      `${name}: markup only as text`
    );
    if (name === 'ranking') {
      // axis labels, the long one cut short by the label limit
      for (const text of ['>a.b<', '>a[0]<', '>&lt;img src=x onerror=', '>it\'s "quoted"\\<']) {
        assert.ok(svg.includes(text), `${name}: ${text} drawn as a label`);
      }
    }
    if (name === 'distribution') {
      assert.ok(
        svg.includes('&lt;img src=x onerror=alert(1)&gt;: reference vs current'),
        'the title names the feature'
      );
    }
  }
});
