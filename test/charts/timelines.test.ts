import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CHUNK_SELECTION, driftTimelineSpec, latencySpec, metricTimelineSpec } from '../../src/charts/index.js';
import { chartSamples } from './samples.js';
import { compileQuietly, layersOf, layerWith, valuesOf } from './vega-lite.js';

const samples = chartSamples();
const { chunks, thresholds, alerts } = samples;

test('metric timeline: one point per chunk with a value, reference first, alerts flagged, threshold band', () => {
  const spec = metricTimelineSpec({ chunks, thresholds, alerts, metric: 'f1' });
  compileQuietly(spec);
  const values = valuesOf(spec);
  // the current chunk 3 has no f1: left out
  assert.equal(values.length, chunks.length - 1);
  assert.deepEqual(
    values.map(row => row.position),
    values.map((_, i) => (i < 13 ? i : i + 1))
  );
  assert.ok(values.slice(0, 10).every(row => row.period === 'reference'));
  const expectedAlerts = alerts.filter(alert => alert.metric === 'f1').map(alert => alert.index);
  assert.deepEqual(
    values.filter(row => row.alert).map(row => row.index),
    expectedAlerts
  );
  assert.ok(expectedAlerts.length > 0);

  const band = layerWith(spec, 'rect', 'y2');
  assert.deepEqual([band.encoding.y.datum, band.encoding.y2.datum], [0.78, 0.83]);
  const points = layerWith(spec, 'point', 'opacity');
  assert.equal(points.params?.[0].name, CHUNK_SELECTION);
  assert.deepEqual(points.params?.[0].select.fields, ['period', 'index']);
  assert.equal(points.encoding.y.field, 'value');
  assert.equal(points.encoding.x.field, 'position');
  assert.deepEqual(points.encoding.color.scale, { domain: ['reference', 'current'], range: ['#f57c00', '#1976d2'] });
  const alertLayer = layersOf(spec).find(layer => layer.transform);
  assert.deepEqual(alertLayer?.transform, [{ filter: { field: 'alert', equal: true } }]);
  assert.match(JSON.stringify(spec.title), /reference mean ± 3σ \(ddof 0\) \[0\.78, 0\.83\]/);
});

test('metric timeline: a one-sided threshold is a dashed rule, no threshold no band', () => {
  const oneSided = metricTimelineSpec({
    chunks,
    thresholds: { accuracy: { lower: null, upper: 0.9 } },
    alerts,
    metric: 'accuracy'
  });
  const rules = layersOf(oneSided).filter(layer => layer.mark.type === 'rule' && 'y' in layer.encoding);
  assert.deepEqual(
    rules.map(rule => rule.encoding.y.datum),
    [0.9]
  );
  const none = metricTimelineSpec({ chunks, thresholds: {}, alerts: [], metric: 'accuracy' });
  assert.equal(layersOf(none).filter(layer => layer.mark.type === 'rect').length, 0);
  assert.match(JSON.stringify(none.title), /\(none\)/);
});

test('drift timeline: Jensen-Shannon per chunk and feature, thresholds per feature, drift alerts', () => {
  const spec = driftTimelineSpec({ chunks, thresholds, alerts });
  compileQuietly(spec);
  const values = valuesOf(spec);
  const features = (layerWith(spec, 'line', 'color').encoding.color.scale as { domain: string[] }).domain;
  // drifted features (every third one) come first
  assert.deepEqual(features.slice(0, 2), ['feature_0', 'feature_3']);
  assert.equal(values.length, chunks.length * features.length);
  const first = values.find(row => row.feature === 'feature_0' && row.period === 'current' && row.index === 9);
  assert.equal(
    first?.value,
    chunks.find(chunk => chunk.period === 'current' && chunk.index === 9)!.drift.feature_0.jensen_shannon
  );
  const alerted = values.filter(row => row.alert).map(row => `${row.feature}@${row.index}`);
  const expected = alerts
    .filter(alert => alert.metric.startsWith('drift:') && features.includes(alert.metric.slice(6)))
    .map(alert => `${alert.metric.slice(6)}@${alert.index}`);
  assert.deepEqual(alerted.sort(), expected.sort());
  const rules = layerWith(spec, 'rule', 'y');
  assert.deepEqual(
    rules.data?.values,
    features.map(feature => ({ feature, upper: 0.04 }))
  );
  assert.equal(layerWith(spec, 'point', 'opacity').params?.[0].name, CHUNK_SELECTION);
});

test('drift timeline: chosen features only', () => {
  const spec = driftTimelineSpec({ chunks, thresholds, alerts, features: ['feature_1'] });
  assert.deepEqual([...new Set(valuesOf(spec).map(row => row.feature))], ['feature_1']);
});

test('latency: p50, p95, p99 per chunk on the chunk axis', () => {
  const spec = latencySpec({ chunks, unit: 'ms' });
  compileQuietly(spec);
  const values = valuesOf(spec);
  assert.equal(values.length, 3 * chunks.length);
  assert.deepEqual([...new Set(values.map(row => row.percentile))], ['p50', 'p95', 'p99']);
  const row = values.find(value => value.period === 'current' && value.index === 2 && value.percentile === 'p99');
  assert.equal(row?.value, chunks.find(chunk => chunk.period === 'current' && chunk.index === 2)!.metrics.latency_p99);
  assert.equal(layerWith(spec, 'line', 'y').encoding.y.title, 'latency (ms)');
  // the dashed rule between the periods
  assert.equal(layerWith(spec, 'rule', 'x').encoding.x.datum, 9.5);
});

test('timelines start with the chunk selected elsewhere: its point opaque, the others faded', async () => {
  const vega = await import('vega');
  const selected = { period: 'current' as const, index: 2 };
  for (const spec of [
    metricTimelineSpec({ chunks, thresholds, alerts, metric: 'accuracy', selected }),
    driftTimelineSpec({ chunks, thresholds, alerts, selected }),
    latencySpec({ chunks, selected })
  ]) {
    const view = new vega.View(vega.parse(compileQuietly({ ...spec, width: 400 } as never)), { renderer: 'none' });
    await view.runAsync();
    const store = view.data(`${CHUNK_SELECTION}_store`) as Array<{ values: unknown[] }>;
    assert.deepEqual(store.map(tuple => tuple.values), [['current', 2]]);
    const marks = (view.scenegraph() as unknown as { root: unknown }).root;
    const opacities: Array<{ index: unknown; period: unknown; opacity: unknown }> = [];
    const walk = (node: { items?: unknown[]; datum?: Record<string, unknown>; opacity?: unknown; mark?: { marktype?: string } }) => {
      if (node.datum && typeof node.datum.index === 'number' && node.opacity !== undefined) {
        opacities.push({ index: node.datum.index, period: node.datum.period, opacity: node.opacity });
      }
      for (const item of node.items ?? []) {
        walk(item as never);
      }
    };
    walk(marks as never);
    const chosen = opacities.filter(mark => mark.period === 'current' && mark.index === 2);
    // the selection's faded opacity is 0.3; other layers keep their own
    assert.ok(chosen.some(mark => mark.opacity === 1) && chosen.every(mark => mark.opacity !== 0.3), JSON.stringify(chosen));
    assert.ok(opacities.some(mark => mark.opacity === 0.3));
    view.finalize();
  }
});
