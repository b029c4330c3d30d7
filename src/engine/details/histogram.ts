/**
 * Equal-width bins as numpy builds and fills them, for the reliability curve and the regression views (the feature
 * distributions use the drift statistics' own bins, drift/histogram.ts):
 * - `linspace(start, stop, count)`: numpy.linspace, edge i = i · step + start with step = (stop − start) / (count − 1),
 *   the last edge set to stop;
 * - `binOf(edges, x)`: numpy.histogram's bin of x ∈ [first edge, last edge]: bin i holds edgeᵢ ≤ x < edgeᵢ₊₁, the
 *   last bin also its right edge. Found as numpy does for equal widths: ⌊(x − first) · bins / range⌋, then moved
 *   by one where rounding put it across an edge.
 */

export function linspace(start: number, stop: number, count: number): Float64Array {
  const values = new Float64Array(count);
  const step = (stop - start) / (count - 1);
  for (let i = 0; i < count; i++) {
    values[i] = i * step + start;
  }
  values[count - 1] = stop;
  return values;
}

/** Bin of x within equal-width `edges` (x must lie in [edges[0], edges[last]]). */
export function binOf(edges: Float64Array, x: number): number {
  const binCount = edges.length - 1;
  const first = edges[0];
  let bin = Math.floor(((x - first) * binCount) / (edges[binCount] - first));
  if (bin > binCount - 1) {
    bin = binCount - 1;
  } else if (bin < 0) {
    bin = 0;
  }
  if (x < edges[bin]) {
    bin--;
  } else if (bin < binCount - 1 && x >= edges[bin + 1]) {
    bin++;
  }
  return bin;
}
