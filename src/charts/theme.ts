/**
 * The look of every chart, from JupyterLab's theme: the caller reads the CSS variables of `JUPYTER_THEME_VARIABLES`
 * (`getComputedStyle(document.body).getPropertyValue(name)`) and passes their values as plain strings; this module
 * never touches the DOM. A value that is missing or is not a plain colour (hex, rgb[a](), hsl[a]() or a colour
 * name) or font falls back to the light or dark default palette below, JupyterLab's own defaults. Backgrounds are
 * transparent, so a chart sits on the panel's colour.
 * The result holds a Vega-Lite `config` (text, axes, legends, titles) and a `palette` of the colours with a meaning
 * (reference vs current, alerts, improvements, thresholds, reference lines, heatmap ramp, series) that the builders
 * put on marks.
 */
import type { Config } from 'vega-lite';

export type ThemeMode = 'light' | 'dark';

/** The CSS variable each theme value is read from. */
export const JUPYTER_THEME_VARIABLES = {
  text: '--jp-ui-font-color1',
  mutedText: '--jp-ui-font-color2',
  faintText: '--jp-ui-font-color3',
  grid: '--jp-border-color2',
  domain: '--jp-border-color1',
  heatmapLow: '--jp-layout-color2',
  heatmapHigh: '--jp-brand-color0',
  current: '--jp-brand-color1',
  reference: '--jp-warn-color1',
  alert: '--jp-error-color1',
  threshold: '--jp-layout-color3',
  accent: '--jp-accent-color1',
  info: '--jp-info-color1',
  fontFamily: '--jp-ui-font-family',
  fontSize: '--jp-ui-font-size1'
} as const;

export type JupyterThemeValues = Record<keyof typeof JUPYTER_THEME_VARIABLES, string>;

export interface ChartPalette {
  reference: string;
  current: string;
  alert: string;
  /** A change for the better (compare view). */
  improvement: string;
  /** Fill of threshold bands, stroke of threshold rules. */
  threshold: string;
  /** Reference lines: chance diagonal, perfect calibration, zero. */
  guide: string;
  text: string;
  /** Low and high end of heatmap colour ramps. */
  heatmap: [string, string];
  /** Lines of several series (features, percentiles), in order. */
  series: string[];
}

export interface ChartTheme {
  mode: ThemeMode;
  config: Config;
  palette: ChartPalette;
}

/** JupyterLab 4's own values of the variables, used where a value is missing or unusable. */
export const FALLBACK_THEME_VALUES: Record<ThemeMode, JupyterThemeValues> = {
  light: {
    text: 'rgba(0, 0, 0, 0.87)',
    mutedText: 'rgba(0, 0, 0, 0.54)',
    faintText: 'rgba(0, 0, 0, 0.38)',
    grid: '#e0e0e0',
    domain: '#bdbdbd',
    heatmapLow: '#eeeeee',
    heatmapHigh: '#0d47a1',
    current: '#1976d2',
    reference: '#f57c00',
    alert: '#d32f2f',
    threshold: '#bdbdbd',
    accent: '#388e3c',
    info: '#0097a7',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", helvetica, arial, sans-serif',
    fontSize: '13px'
  },
  dark: {
    text: 'rgba(255, 255, 255, 0.87)',
    mutedText: 'rgba(255, 255, 255, 0.54)',
    faintText: 'rgba(255, 255, 255, 0.38)',
    grid: '#424242',
    domain: '#616161',
    heatmapLow: '#424242',
    heatmapHigh: '#64b5f6',
    current: '#2196f3',
    reference: '#ff9800',
    alert: '#f44336',
    threshold: '#616161',
    accent: '#4caf50',
    info: '#00bcd4',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", helvetica, arial, sans-serif',
    fontSize: '13px'
  }
};

/** Series beyond the theme's own colours (Tableau 10, Vega's default categorical scheme). */
const EXTRA_SERIES = ['#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const COLOUR = /^(#[0-9a-f]{3,8}|(rgb|rgba|hsl|hsla)\(\s*[-0-9.%\s,/]+\)|[a-z]{3,20})$/i;
const FONT_FAMILY = /^[-\w\s,'".]+$/;
const FONT_SIZE = /^(\d+(\.\d+)?)px$/;

export function chartTheme(values: Partial<JupyterThemeValues> = {}, mode: ThemeMode = 'light'): ChartTheme {
  const fallback = FALLBACK_THEME_VALUES[mode];
  const colour = (key: keyof JupyterThemeValues): string => {
    const value = values[key]?.trim();
    return value && COLOUR.test(value) ? value : fallback[key];
  };
  const fontFamily = values.fontFamily?.trim();
  const font = fontFamily && FONT_FAMILY.test(fontFamily) ? fontFamily : fallback.fontFamily;
  const fontSize = Number((FONT_SIZE.exec(values.fontSize?.trim() ?? '') ?? FONT_SIZE.exec(fallback.fontSize))![1]);
  const text = colour('text');
  const mutedText = colour('mutedText');
  const palette: ChartPalette = {
    reference: colour('reference'),
    current: colour('current'),
    alert: colour('alert'),
    improvement: colour('accent'),
    threshold: colour('threshold'),
    guide: colour('faintText'),
    text,
    heatmap: [colour('heatmapLow'), colour('heatmapHigh')],
    series: [colour('current'), colour('reference'), colour('accent'), colour('info'), colour('alert'), ...EXTRA_SERIES]
  };
  const axis = {
    labelColor: mutedText,
    titleColor: text,
    gridColor: colour('grid'),
    domainColor: colour('domain'),
    tickColor: colour('domain'),
    labelFontSize: fontSize - 2,
    titleFontSize: fontSize - 1,
    titleFontWeight: 'normal' as const
  };
  const config: Config = {
    background: 'transparent',
    font,
    view: { stroke: null },
    axis,
    legend: { labelColor: mutedText, titleColor: text, labelFontSize: fontSize - 2, titleFontSize: fontSize - 1 },
    title: { color: text, subtitleColor: mutedText, fontSize, subtitleFontSize: fontSize - 2, anchor: 'start' },
    text: { color: text }
  };
  return { mode, config, palette };
}

export const DEFAULT_THEME: ChartTheme = chartTheme();
