/** Values of JupyterLab's CSS variables as the browser gives them (JupyterLab 4.6's dark theme). */
import type { JupyterThemeValues } from '../../src/charts/index.js';

export const DARK_VALUES: JupyterThemeValues = {
  text: ' rgba(255,255,255,.87)',
  mutedText: 'rgba(255,255,255,.54)',
  faintText: 'rgba(255,255,255,.38)',
  grid: '#424242',
  domain: '#616161',
  heatmapLow: '#424242',
  heatmapHigh: '#1976d2',
  current: '#2196f3',
  reference: '#ff9800',
  alert: '#f44336',
  threshold: '#616161',
  accent: '#4caf50',
  info: '#00bcd4',
  fontFamily: 'system-ui, -apple-system, blinkmacsystemfont, "Segoe UI", helvetica, arial, sans-serif',
  fontSize: '13px'
};
