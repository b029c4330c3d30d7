/**
 * Reliability (calibration) curve of a binary score, as scikit-learn's
 * `calibration_curve(y, score, n_bins=10, strategy="uniform")`:
 * - edges are `numpy.linspace(0, 1, 11)`, i.e. k · 0.1 in float64 (so 0.30000000000000004, not 0.3);
 * - a score s goes to bin `searchsorted(edges[1:-1], s, side="left")`: bin 0 is [0, e₁], bin k is (eₖ, eₖ₊₁];
 * - per non-empty bin: mean score and fraction of positives (scikit-learn returns these two for non-empty bins
 *   only; the count and bounds are given here as well).
 * Note that metrics/binary.ts bins the ECE the other way round, [k/10, (k+1)/10): scores exactly on an edge fall
 * into neighbouring bins in the two, each following its own reference.
 */
import { Sum } from '../metrics/summation.js';
import { linspace } from './histogram.js';
import type { CalibrationBin, CalibrationCurve } from './types.js';

export const CALIBRATION_BIN_COUNT = 10;

export const CALIBRATION_EDGES: readonly number[] = Array.from(linspace(0, 1, CALIBRATION_BIN_COUNT + 1));

export function calibrationCurve(labels: Uint8Array, scores: Float64Array): CalibrationCurve | null {
  const rows = labels.length;
  if (rows === 0) {
    return null;
  }
  const counts = new Float64Array(CALIBRATION_BIN_COUNT);
  const positives = new Float64Array(CALIBRATION_BIN_COUNT);
  const scoreSums = Array.from({ length: CALIBRATION_BIN_COUNT }, () => new Sum());
  for (let i = 0; i < rows; i++) {
    const bin = calibrationBinOf(scores[i]);
    counts[bin]++;
    positives[bin] += labels[i];
    scoreSums[bin].add(scores[i]);
  }
  const bins: CalibrationBin[] = [];
  for (let bin = 0; bin < CALIBRATION_BIN_COUNT; bin++) {
    if (counts[bin] > 0) {
      bins.push({
        bin,
        lower: CALIBRATION_EDGES[bin],
        upper: CALIBRATION_EDGES[bin + 1],
        count: counts[bin],
        mean_score: scoreSums[bin].value / counts[bin],
        fraction_positive: positives[bin] / counts[bin]
      });
    }
  }
  return { bins, rows };
}

/** The number of interior edges strictly below the score (numpy's searchsorted, side "left"). */
export function calibrationBinOf(score: number): number {
  let bin = Math.min(Math.max(Math.ceil(score * CALIBRATION_BIN_COUNT) - 1, 0), CALIBRATION_BIN_COUNT - 1);
  // step to the exact bin where rounding of the guess crossed an edge
  while (bin > 0 && score <= CALIBRATION_EDGES[bin]) {
    bin--;
  }
  while (bin < CALIBRATION_BIN_COUNT - 1 && score > CALIBRATION_EDGES[bin + 1]) {
    bin++;
  }
  return bin;
}
