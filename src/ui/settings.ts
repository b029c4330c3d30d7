/**
 * The user's settings (schema/plugin.json), read once and kept current. Open cards and explorers listen to
 * `settingsChanged` and analyse again, so a change applies at once.
 */
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { DriftMethod } from '../charts/index.js';
import type { AnalyzeOptions } from '../engine/types.js';

export interface ModelTraceSettings {
  /** Chunks per period when no chunk size or period is set. */
  chunkCount: number;
  /** Rows per chunk; 0: use `chunkCount`. */
  chunkSize: number;
  /** Calendar chunks ("1h", "1d", "1w"); empty: use the settings above. */
  chunkPeriod: '' | '1h' | '1d' | '1w';
  /** The method the explorer's drift ranking opens on. */
  driftMethod: DriftMethod;
  /** Custom metrics: name → Arquero aggregate expression (the only source of expressions). */
  customMetrics: Record<string, string>;
  /** Chart colours: JupyterLab's theme, or always light or dark. */
  chartTheme: 'auto' | 'light' | 'dark';
  /** Largest trace, in MB of Arrow data, a card decodes in the browser (the emitter's default embed limit too). */
  embedLimitMB: number;
}

export const DEFAULT_SETTINGS: ModelTraceSettings = {
  chunkCount: 10,
  chunkSize: 0,
  chunkPeriod: '',
  driftMethod: 'jensen_shannon',
  customMetrics: {},
  chartTheme: 'auto',
  embedLimitMB: 8
};

const DRIFT_METHODS: DriftMethod[] = ['jensen_shannon', 'ks', 'psi', 'wasserstein', 'chi2'];

export function readSettings(settings: ISettingRegistry.ISettings): ModelTraceSettings {
  const composite = settings.composite as Partial<Record<keyof ModelTraceSettings, unknown>>;
  return {
    chunkCount: wholeNumber(composite.chunkCount, 1, DEFAULT_SETTINGS.chunkCount),
    chunkSize: wholeNumber(composite.chunkSize, 0, DEFAULT_SETTINGS.chunkSize),
    chunkPeriod: oneOf(composite.chunkPeriod, ['', '1h', '1d', '1w'] as const, DEFAULT_SETTINGS.chunkPeriod),
    driftMethod: oneOf(composite.driftMethod, DRIFT_METHODS, DEFAULT_SETTINGS.driftMethod),
    customMetrics: expressions(composite.customMetrics),
    chartTheme: oneOf(composite.chartTheme, ['auto', 'light', 'dark'] as const, DEFAULT_SETTINGS.chartTheme),
    embedLimitMB: wholeNumber(composite.embedLimitMB, 1, DEFAULT_SETTINGS.embedLimitMB)
  };
}

/** The analysis options the settings set (chunking and custom metrics). */
export function analysisOptions(settings: ModelTraceSettings): Omit<AnalyzeOptions, 'roles'> {
  return {
    chunkCount: settings.chunkCount,
    ...(settings.chunkSize > 0 ? { chunkSize: settings.chunkSize } : {}),
    ...(settings.chunkPeriod ? { chunkPeriod: settings.chunkPeriod } : {}),
    ...(Object.keys(settings.customMetrics).length > 0 ? { customMetrics: settings.customMetrics } : {})
  };
}

/** Whether two settings give different analyses (chunking or custom metrics changed). */
export function analysisChanged(before: ModelTraceSettings, after: ModelTraceSettings): boolean {
  return JSON.stringify(analysisOptions(before)) !== JSON.stringify(analysisOptions(after));
}

function wholeNumber(value: unknown, minimum: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= minimum ? value : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function expressions(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return {};
  }
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
