/**
 * Messages between the main thread and the analysis worker: plain JSON-like data, plus the Arrow streams the
 * card fetched from the kernel, whose buffers are transferred (moved, not copied).
 */
import type { AnalysisDetails } from '../engine/details/index.js';
import type { TablesComparison } from '../engine/analyze.js';
import type { AnalysisResult, AnalyzeOptions, Period } from '../engine/types.js';

export interface AnalysisRequest {
  id: number;
  /**
   * `analyze` (default): the analysis; `details`: also the explorer's chart data, from the data of the same trace;
   * `compare`: also the comparison of this trace (the candidate) with the `baseline` trace.
   */
  kind?: 'analyze' | 'details' | 'compare';
  /** The untrusted MIME body of a trace output. */
  payload: unknown;
  /** Chunking and metric settings from the user's settings. */
  options: Omit<AnalyzeOptions, 'roles'>;
  /** The Arrow IPC streams of the payload's `kernel-comm` periods, as fetched from the kernel. */
  fetched?: FetchedStreams;
  /** `details` of one chunk only: its period narrowed to the chunk's rows. */
  chunk?: { period: Period; index: number };
  /** `compare`: the untrusted MIME body of the baseline run, and how to name the two runs. */
  baseline?: { payload: unknown; name: string };
  name?: string;
}

export interface FetchedStreams {
  current?: Uint8Array;
  reference?: Uint8Array;
}

export type AnalysisResponse =
  | {
      id: number;
      ok: true;
      /** The analysis of `payload`; null for `compare`, which computes only the comparison. */
      result: AnalysisResult | null;
      decodeMs: number;
      analyzeMs: number;
      details?: AnalysisDetails;
      comparison?: TablesComparison;
    }
  | { id: number; ok: false; error: string; inputError: boolean };
