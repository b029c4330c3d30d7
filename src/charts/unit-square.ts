/**
 * What the charts of probabilities share (ROC, precision-recall, reliability): [0, 1] domains, the dashed diagonal
 * y = x (chance for ROC, perfect calibration for a reliability curve) and the text of a curve's thresholds.
 */
import { SINGLE_MARK, type Layer } from './chart-base.js';
import type { ChartTheme } from './theme.js';

export const UNIT_DOMAIN: [number, number] = [0, 1];

/** A curve point's threshold for tooltips; null is scikit-learn's +∞ (ROC) or the point past every score (PR). */
export function thresholdText(threshold: number | null): string {
  return threshold === null ? '+∞' : String(Number(threshold.toPrecision(4)));
}

export function diagonalLayer(theme: ChartTheme): Layer {
  return {
    data: SINGLE_MARK,
    mark: { type: 'rule', strokeDash: [4, 4], color: theme.palette.guide },
    encoding: {
      x: { datum: 0, type: 'quantitative' },
      y: { datum: 0, type: 'quantitative' },
      x2: { datum: 1 },
      y2: { datum: 1 }
    }
  };
}
