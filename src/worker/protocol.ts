/**
 * Messages between the main thread and the analysis worker: plain JSON-like data, plus the Arrow streams the
 * card fetched from the kernel, whose buffers are transferred (moved, not copied).
 */
import type { AnalysisDetails } from '../engine/details/index.js';
import type { AnalysisResult, AnalyzeOptions } from '../engine/types.js';

export interface AnalysisRequest {
  id: number;
  /** `analyze` (default): the analysis; `details`: also the explorer's chart data, from the data of the same trace. */
  kind?: 'analyze' | 'details';
  /** The untrusted MIME body of a trace output. */
  payload: unknown;
  /** Chunking and metric settings from the user's settings. */
  options: Omit<AnalyzeOptions, 'roles'>;
  /** The Arrow IPC streams of the payload's `kernel-comm` periods, as fetched from the kernel. */
  fetched?: FetchedStreams;
}

export interface FetchedStreams {
  current?: Uint8Array;
  reference?: Uint8Array;
}

export type AnalysisResponse =
  | { id: number; ok: true; result: AnalysisResult; decodeMs: number; analyzeMs: number; details?: AnalysisDetails }
  | { id: number; ok: false; error: string; inputError: boolean };
