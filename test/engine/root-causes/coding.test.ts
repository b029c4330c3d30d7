import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referenceEdges } from '../../../src/engine/root-causes/coding.js';

/** The edges as the definition states them: deciles of a sorted strided sample of the non-missing values. */
function edgesBySorting(reference: Float64Array): number[] {
  const present = Array.from(reference).filter(value => !Number.isNaN(value));
  if (present.length === 0) {
    return [0];
  }
  const step = Math.max(1, Math.floor(present.length / 65536));
  const sorted = present.filter((_, i) => i % step === 0).sort((a, b) => a - b);
  const minimum = present.reduce((a, b) => (b < a ? b : a), Infinity);
  const maximum = present.reduce((a, b) => (b > a ? b : a), -Infinity);
  const edges = [minimum];
  for (let decile = 1; decile <= 9; decile++) {
    const position = (decile / 10) * (sorted.length - 1);
    const below = Math.floor(position);
    const above = Math.min(below + 1, sorted.length - 1);
    const quantile = sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    if (quantile > edges[edges.length - 1] && quantile < maximum) {
      edges.push(quantile);
    }
  }
  if (maximum > edges[edges.length - 1]) {
    edges.push(maximum);
  }
  return edges;
}

describe('root-cause bins of a numeric feature', () => {
  it('have the deciles of the strided reference sample as edges, whatever the shape of the values', () => {
    const random = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const next = random(5);
    const inputs: Array<[string, Float64Array]> = [
      ['large, skewed', Float64Array.from({ length: 300000 }, () => Math.round(Math.exp(8 * next())))],
      ['with missing values', Float64Array.from({ length: 70000 }, (_, i) => (i % 4 === 0 ? NaN : next() - 0.5))],
      ['few values', Float64Array.from({ length: 5000 }, () => Math.floor(next() * 3))],
      ['one value', new Float64Array(1000).fill(7)],
      ['small', Float64Array.of(3, 1, 2)],
      ['only missing', Float64Array.of(NaN, NaN)]
    ];
    for (const [label, values] of inputs) {
      assert.deepEqual(referenceEdges(values), edgesBySorting(values), label);
    }
  });
});
