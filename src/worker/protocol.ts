/**
 * Messages between the main thread and the analysis worker. Only plain JSON-like data crosses.
 */
import type { AnalysisResult, AnalyzeOptions } from '../engine/types.js';

export interface AnalysisRequest {
  id: number;
  /** The untrusted MIME body of a trace output. */
  payload: unknown;
  /** Chunking and metric settings from the user's settings. */
  options: Omit<AnalyzeOptions, 'roles'>;
}

export type AnalysisResponse =
  | { id: number; ok: true; result: AnalysisResult; decodeMs: number; analyzeMs: number }
  | { id: number; ok: false; error: string; inputError: boolean };
