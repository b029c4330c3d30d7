/**
 * The user's settings (schema/plugin.json), read once and kept current.
 */
import type { ISettingRegistry } from '@jupyterlab/settingregistry';

export interface ModelTraceSettings {
  /** Chunks per period when no chunk size or period is set. */
  chunkCount: number;
  /** Largest trace, in MB of Arrow data, a card decodes in the browser (the emitter's default embed limit too). */
  embedLimitMB: number;
}

export const DEFAULT_SETTINGS: ModelTraceSettings = { chunkCount: 10, embedLimitMB: 8 };

export function readSettings(settings: ISettingRegistry.ISettings): ModelTraceSettings {
  const composite = settings.composite as Partial<ModelTraceSettings>;
  return {
    chunkCount: positiveInteger(composite.chunkCount, DEFAULT_SETTINGS.chunkCount),
    embedLimitMB: positiveInteger(composite.embedLimitMB, DEFAULT_SETTINGS.embedLimitMB)
  };
}

function positiveInteger(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}
