/**
 * Downsampling of a curve in the unit square (ROC, precision-recall) to at most `maxPoints` of its own points,
 * keeping the area under it:
 * 1. thinning, for curves of more than 16 · maxPoints points: walking the curve, a point is kept only once it lies at
 *    least δ = 1 / (8 · maxPoints) away, in x or in y, from the last point kept; every dropped run lies in a δ-box,
 *    so the curve moves by less than δ, and at most about 16 · maxPoints points remain;
 * 2. Visvalingam & Whyatt (1993): repeatedly drop the interior point whose removal changes the area under the curve
 *    least, re-scoring its two neighbours, until few enough remain. The area change of a point is a triangle for a
 *    `linear` curve (ROC: trapezoidal area), and for a `step` curve (precision-recall in scikit-learn's order, where
 *    point j's height holds from the next point's x up to its own) the rectangle |x_j − x_{j+1}| · |y_j − y_{j−1}|.
 * The first and last points always stay, and every kept point is an exact point of the input.
 */

export type CurveShape = 'linear' | 'step';

/** Curves with more points than this many times maxPoints are thinned first. */
export const THINNING_FACTOR = 16;

/** Points offered in curve order, kept when far enough from the last kept one (or when forced). */
export class CurveThinner {
  readonly x: number[] = [];
  readonly y: number[] = [];
  /** What the caller attached to each kept point (its threshold). */
  readonly tags: (number | null)[] = [];
  private readonly step: number;

  /** Thins when `pointCount` > THINNING_FACTOR · maxPoints, otherwise keeps every point offered. */
  constructor(pointCount: number, maxPoints: number) {
    this.step = pointCount > THINNING_FACTOR * maxPoints ? 1 / ((THINNING_FACTOR / 2) * maxPoints) : 0;
  }

  offer(x: number, y: number, tag: number | null, force = false): void {
    const last = this.x.length - 1;
    if (force || last < 0 || Math.abs(x - this.x[last]) >= this.step || Math.abs(y - this.y[last]) >= this.step) {
      this.x.push(x);
      this.y.push(y);
      this.tags.push(tag);
    }
  }
}

/** Indices (increasing) of the points Visvalingam-Whyatt keeps; all of them when there are at most maxPoints. */
export function visvalingam(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  maxPoints: number,
  shape: CurveShape
): Int32Array {
  if (maxPoints < 2) {
    throw new RangeError(`a curve keeps at least its 2 endpoints, got maxPoints ${maxPoints}`);
  }
  const pointCount = x.length;
  if (pointCount <= maxPoints) {
    return Int32Array.from({ length: pointCount }, (_, i) => i);
  }
  const removalCost =
    shape === 'linear'
      ? (before: number, point: number, after: number) =>
          Math.abs((x[point] - x[before]) * (y[after] - y[before]) - (x[after] - x[before]) * (y[point] - y[before])) /
          2
      : (before: number, point: number, after: number) => Math.abs((x[point] - x[after]) * (y[point] - y[before]));
  // neighbours as a doubly linked list over the point indices
  const previous = new Int32Array(pointCount);
  const next = new Int32Array(pointCount);
  for (let i = 0; i < pointCount; i++) {
    previous[i] = i - 1;
    next[i] = i + 1;
  }
  const heap = new CostHeap(pointCount);
  for (let i = 1; i < pointCount - 1; i++) {
    heap.push(i, removalCost(i - 1, i, i + 1));
  }

  // drop the cheapest interior point until maxPoints remain
  const removed = new Uint8Array(pointCount);
  for (let remaining = pointCount; remaining > maxPoints; remaining--) {
    const point = heap.pop();
    removed[point] = 1;
    const before = previous[point];
    const after = next[point];
    next[before] = after;
    previous[after] = before;
    if (before > 0) {
      heap.update(before, removalCost(previous[before], before, after));
    }
    if (after < pointCount - 1) {
      heap.update(after, removalCost(before, after, next[after]));
    }
  }

  const kept = new Int32Array(maxPoints);
  for (let i = 0, k = 0; i < pointCount; i++) {
    if (!removed[i]) {
      kept[k++] = i;
    }
  }
  return kept;
}

/** Binary min-heap of point indices by cost, with positions so a point's cost can change in place. */
class CostHeap {
  private readonly items: Int32Array;
  private readonly costs: Float64Array;
  private readonly positions: Int32Array;
  private size = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
    this.costs = new Float64Array(capacity);
    this.positions = new Int32Array(capacity).fill(-1);
  }

  push(item: number, cost: number): void {
    this.costs[item] = cost;
    this.place(item, this.size);
    this.size++;
    this.siftUp(this.size - 1);
  }

  pop(): number {
    const top = this.items[0];
    this.size--;
    this.positions[top] = -1;
    if (this.size > 0) {
      this.place(this.items[this.size], 0);
      this.siftDown(0);
    }
    return top;
  }

  update(item: number, cost: number): void {
    const previousCost = this.costs[item];
    this.costs[item] = cost;
    if (cost < previousCost) {
      this.siftUp(this.positions[item]);
    } else {
      this.siftDown(this.positions[item]);
    }
  }

  /** Ties go to the lower index, so the result does not depend on the heap's history. */
  private less(a: number, b: number): boolean {
    const costA = this.costs[a];
    const costB = this.costs[b];
    return costA < costB || (costA === costB && a < b);
  }

  private place(item: number, position: number): void {
    this.items[position] = item;
    this.positions[item] = position;
  }

  private siftUp(position: number): void {
    const item = this.items[position];
    while (position > 0) {
      const parent = (position - 1) >> 1;
      if (!this.less(item, this.items[parent])) {
        break;
      }
      this.place(this.items[parent], position);
      position = parent;
    }
    this.place(item, position);
  }

  private siftDown(position: number): void {
    const item = this.items[position];
    for (;;) {
      let child = 2 * position + 1;
      if (child >= this.size) {
        break;
      }
      if (child + 1 < this.size && this.less(this.items[child + 1], this.items[child])) {
        child++;
      }
      if (!this.less(this.items[child], item)) {
        break;
      }
      this.place(this.items[child], position);
      position = child;
    }
    this.place(item, position);
  }
}
