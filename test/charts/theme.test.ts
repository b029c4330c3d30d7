import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  chartTheme,
  FALLBACK_THEME_VALUES,
  JUPYTER_THEME_VARIABLES,
  metricTimelineSpec,
  type ChartTheme
} from '../../src/charts/index.js';
import { chartSamples } from './samples.js';
import { allSpecs } from './specs.js';
import { DARK_VALUES } from './theme-values.js';
import { walk } from './vega-lite.js';

test('every theme value is read from a JupyterLab CSS variable', () => {
  for (const variable of Object.values(JUPYTER_THEME_VARIABLES)) {
    assert.match(variable, /^--jp-[a-z0-9-]+$/);
  }
  assert.deepEqual(Object.keys(FALLBACK_THEME_VALUES.dark).sort(), Object.keys(JUPYTER_THEME_VARIABLES).sort());
});

test('the values JupyterLab gives are used as they are; the background stays transparent', () => {
  const theme = chartTheme(DARK_VALUES, 'dark');
  assert.equal(theme.config.background, 'transparent');
  assert.equal(theme.config.axis?.labelColor, 'rgba(255,255,255,.54)');
  assert.equal(theme.config.title?.color, 'rgba(255,255,255,.87)');
  assert.equal(theme.config.font, DARK_VALUES.fontFamily);
  assert.equal(theme.config.title?.fontSize, 13);
  assert.equal(theme.palette.current, '#2196f3');
  assert.deepEqual(theme.palette.heatmap, ['#424242', '#1976d2']);
});

test("missing or unusable values fall back to the mode's default palette", () => {
  const theme = chartTheme(
    {
      current: 'url(javascript:alert(1))',
      text: '',
      alert: 'red; background: url(x)',
      fontFamily: '<script>',
      fontSize: 'huge'
    },
    'dark'
  );
  assert.equal(theme.palette.current, FALLBACK_THEME_VALUES.dark.current);
  assert.equal(theme.palette.text, FALLBACK_THEME_VALUES.dark.text);
  assert.equal(theme.palette.alert, FALLBACK_THEME_VALUES.dark.alert);
  assert.equal(theme.config.font, FALLBACK_THEME_VALUES.dark.fontFamily);
  assert.equal(theme.config.title?.fontSize, 13);
  assert.notEqual(chartTheme({}, 'light').palette.text, chartTheme({}, 'dark').palette.text);
});

/** Every colour a theme can put in a spec. */
function themeColours(theme: ChartTheme): Set<string> {
  const colours = new Set<string>();
  for (const { value } of walk([theme.config, theme.palette])) {
    if (typeof value === 'string') {
      colours.add(value);
    }
  }
  return colours;
}

test('specs carry no colour of their own: every colour comes from the theme', () => {
  const theme = chartTheme(DARK_VALUES, 'dark');
  const allowed = themeColours(theme);
  const specs = allSpecs(chartSamples());
  const themed = {
    ...specs,
    'metric timeline, dark': metricTimelineSpec({ ...chartSamples(), metric: 'accuracy' }, { theme })
  };
  for (const [name, spec] of Object.entries(themed)) {
    const specTheme = name.endsWith('dark') ? allowed : themeColours(chartTheme());
    for (const { path, key, value } of walk(spec)) {
      const colourKey =
        ['color', 'fill', 'stroke', 'range', 'value'].some(part => path.includes(part)) || key === 'color';
      if (typeof value === 'string' && colourKey && /^(#|rgb|hsl)/.test(value)) {
        assert.ok(specTheme.has(value), `${name}: ${value} at ${path} is a theme colour`);
      }
    }
  }
});
