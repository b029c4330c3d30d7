import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import Ajv from 'ajv';

import { DARK_VALUES } from './theme-values.js';
import { chartTheme } from '../../src/charts/index.js';
import { chartSamples } from './samples.js';
import { allSpecs } from './specs.js';
import { compileQuietly } from './vega-lite.js';

const schemaPath = createRequire(import.meta.url).resolve('vega-lite/vega-lite-schema.json');
const validate = new Ajv({ strict: false, allowUnionTypes: true, allErrors: true, validateFormats: false }).compile(
  JSON.parse(readFileSync(schemaPath, 'utf8'))
);

const variants = {
  'light theme': allSpecs(chartSamples()),
  'nasty names': allSpecs(chartSamples(undefined, ['a.b', 'a[0]', '<img src=x onerror=alert(1)>', 'it\'s "quoted"\\'])),
  'dark theme from JupyterLab values': Object.fromEntries(
    Object.entries(allSpecs(chartSamples())).map(([name, spec]) => [
      name,
      { ...spec, config: chartTheme(DARK_VALUES, 'dark').config }
    ])
  )
};

for (const [variant, specs] of Object.entries(variants)) {
  test(`every spec validates against the Vega-Lite v6 JSON schema and compiles without warnings (${variant})`, () => {
    for (const [name, spec] of Object.entries(specs)) {
      const valid = validate(spec);
      assert.ok(valid, `${name}: ${JSON.stringify(validate.errors?.slice(0, 3), null, 1)}`);
      compileQuietly(spec);
    }
  });
}

test('the schema rejects what is not Vega-Lite (the check can fail)', () => {
  assert.equal(validate({ mark: 'bars', data: { values: [] } }), false);
  assert.equal(validate({ mark: 'bar', encoding: { x: { field: 'a', type: 'quantitive' } } }), false);
});
