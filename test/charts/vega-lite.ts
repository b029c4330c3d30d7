/**
 * What the chart tests check specs with: Vega-Lite's compiler with a logger that fails on any warning, Vega's
 * headless SVG renderer, and walks over a spec's layers and values.
 */
import assert from 'node:assert/strict';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The Vega spec of a Vega-Lite spec; any warning or error of the compiler fails the test. */
export function compileQuietly(spec: TopLevelSpec): vega.Spec {
  const messages: string[] = [];
  const record = (level: string) =>
    function (this: unknown, ...parts: unknown[]) {
      messages.push(`${level}: ${parts.map(String).join(' ')}`);
      return this;
    };
  const logger = {
    level(this: unknown) {
      return this;
    },
    warn: record('warning'),
    error: record('error'),
    info(this: unknown) {
      return this;
    },
    debug(this: unknown) {
      return this;
    }
  };
  const compiled = compile(spec, { logger: logger as never });
  assert.deepEqual(messages, [], 'Vega-Lite compiles the spec without warnings');
  return compiled.spec;
}

/** Headless SVG of a spec at a fixed width (a container width has no container here). */
export async function renderSvg(spec: TopLevelSpec, width = 640): Promise<string> {
  const view = new vega.View(vega.parse(compileQuietly({ ...spec, width } as TopLevelSpec)), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export interface LayerView {
  mark: { type: string; [key: string]: unknown };
  encoding: Record<string, Record<string, unknown>>;
  data?: { values: Record<string, unknown>[] };
  params?: { name: string; select: Record<string, unknown> }[];
  transform?: unknown[];
}

/** The unit layers of a layered spec, marks normalised to objects. */
export function layersOf(spec: TopLevelSpec): LayerView[] {
  const layers = (spec as { layer?: LayerView[] }).layer;
  assert.ok(Array.isArray(layers), 'a layered spec');
  return layers.map(layer => ({
    ...layer,
    mark: typeof layer.mark === 'string' ? { type: layer.mark } : layer.mark,
    encoding: layer.encoding ?? {}
  }));
}

/** The top-level inline values of a spec. */
export function valuesOf(spec: TopLevelSpec): Record<string, unknown>[] {
  const data = (spec as { data?: { values?: Record<string, unknown>[] } }).data;
  assert.ok(data && Array.isArray(data.values), 'inline top-level values');
  return data.values;
}

/** The layer drawing a given mark type that has an encoding on `channel`. */
export function layerWith(spec: TopLevelSpec, markType: string, channel: string): LayerView {
  const layer = layersOf(spec).find(candidate => candidate.mark.type === markType && channel in candidate.encoding);
  assert.ok(layer, `a ${markType} layer encoding ${channel}`);
  return layer;
}

/** Every key and string anywhere in a JSON value, with its path. */
export function* walk(value: unknown, path = '$'): Generator<{ path: string; key: string | null; value: unknown }> {
  yield { path, key: path.split('.').pop() ?? null, value };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      yield* walk(value[i], `${path}[${i}]`);
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      yield* walk(item, `${path}.${key}`);
    }
  }
}
