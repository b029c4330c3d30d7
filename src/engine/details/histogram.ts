/**
 * Equal-width bins as numpy builds and fills them, for the reliability curve, the regression views and filling the
 * feature distributions (whose edges are the drift statistics' own, drift/histogram.ts):
 * - `linspace(start, stop, count)`: numpy.linspace, edge i = i · step + start with step = (stop − start) / (count − 1),
 *   the last edge set to stop;
 * - `binOf(edges, x)`: numpy.histogram's bin of x ∈ [first edge, last edge]: bin i holds edgeᵢ ≤ x < edgeᵢ₊₁, the
 *   last bin also its right edge. Found as numpy does for equal widths: ⌊(x − first) · bins / range⌋, then moved
 *   by one where rounding put it across an edge (bins / range is computed once, by `binsPerUnit`).
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

/** Bins per unit of x for `binOf`: bins / (last edge − first edge). */
export function binsPerUnit(edges: Float64Array): number {
  return (edges.length - 1) / (edges[edges.length - 1] - edges[0]);
}

/** Bin of x within equal-width `edges` (x must lie in [edges[0], edges[last]]); `scale` is `binsPerUnit(edges)`. */
export function binOf(edges: Float64Array, x: number, scale: number): number {
  const lastBin = edges.length - 2;
  let bin = Math.floor((x - edges[0]) * scale);
  if (bin > lastBin) {
    bin = lastBin;
  } else if (bin < 0) {
    bin = 0;
  }
  if (x < edges[bin]) {
    bin--;
  } else if (bin < lastBin && x >= edges[bin + 1]) {
    bin++;
  }
  return bin;
}
