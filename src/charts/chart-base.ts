/**
 * What every chart shares: the Vega-Lite v6 schema, a width that follows its container, a fixed height, a title
 * that names the method, the theme's config, and the colours of the two periods. Data always travels inline as
 * `values`, pre-aggregated by the engine; no chart loads a URL or links anywhere. Strings from the data (names of
 * features, classes, slices and runs) only ever appear as data values and in the chart's title: never as field
 * names, axis, legend or tooltip titles, which Vega-Lite writes into expressions (for ARIA descriptions and
 * tooltips), so no data string is ever part of an expression.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { LayerSpec, UnitSpec } from 'vega-lite/types_unstable/spec/index.js';
import { DEFAULT_THEME, type ChartTheme } from './theme.js';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export const DEFAULT_HEIGHT = 240;

export type Layer = UnitSpec<Field> | LayerSpec<Field>;

export interface ChartOptions {
  theme?: ChartTheme;
  /** Height in pixels (default 240); the width follows the container. */
  height?: number;
}

export interface ChartTitle {
  text: string;
  subtitle: string | string[];
}

/**
 * A layered chart with the shared frame around its layers; `values`, when given, are the data every layer without
 * data of its own draws.
 */
export function layeredChart(
  title: ChartTitle,
  layers: Layer[],
  options: ChartOptions = {},
  values?: object[]
): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: 'container',
    height: options.height ?? DEFAULT_HEIGHT,
    ...(values ? { data: { values } } : {}),
    layer: layers,
    config: theme.config
  };
}

/** Data of one empty row, for layers that draw one mark from constants (a band, a rule, a diagonal). */
export const SINGLE_MARK = { values: [{}] };

export const PERIODS = ['reference', 'current'] as const;
export type PeriodName = (typeof PERIODS)[number];

/** Colour by the `period` field, reference and current always in the palette's colours. */
export function periodColour(theme: ChartTheme = DEFAULT_THEME) {
  return {
    field: 'period',
    type: 'nominal' as const,
    title: 'period',
    scale: { domain: [...PERIODS], range: [theme.palette.reference, theme.palette.current] }
  };
}

/** A number for titles and subtitles: 3 significant digits, or "n/a". */
export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : String(Number(value.toPrecision(3)));
}
