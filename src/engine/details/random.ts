/**
 * Seeded pseudo-random numbers for the bootstrap, reproducible on any platform and from Python:
 * - generator: xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2021),
 *   32-bit outputs, 128-bit state, period 2^128 − 1; plain 32-bit integer arithmetic, so fast in a Web Worker;
 * - seeding: the seed (an integer in [0, 2^53)) is expanded by two steps of SplitMix64, as the authors advise;
 *   the two 64-bit outputs, low word first, are the four state words;
 * - `nextDouble()`: 53 random bits as (a >>> 5) · 2^26 + (b >>> 6), divided by 2^53, from two successive outputs
 *   a and b (the construction of CPython's `random.random`), uniform on [0, 1);
 * - `nextIndex(n)`, uniform on {0, …, n − 1}: for n ≤ 2^21, Lemire's multiply-shift with rejection ("Fast random
 *   integer generation in an interval", 2019) on one output u: ⌊u · n / 2^32⌋, drawing again while
 *   (u · n) mod 2^32 < 2^32 mod n, which makes it exactly uniform (u · n < 2^53 stays exact in float64);
 *   above, ⌊nextDouble() · n⌋, uniform up to a bias below n / 2^53.
 */

const MASK_64 = (1n << 64n) - 1n;
const TWO_POW_21 = 2097152;
const TWO_POW_26 = 67108864;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

export class Xoshiro128 {
  /** The four state words; an Int32Array keeps them unboxed 32-bit integers. */
  private readonly state = new Int32Array(4);

  constructor(seed: number) {
    if (!(Number.isInteger(seed) && seed >= 0 && seed < TWO_POW_53)) {
      throw new RangeError(`random seed ${seed}: expected a whole number in [0, 2^53)`);
    }
    const mixer = new SplitMix64(BigInt(seed));
    const first = mixer.next();
    const second = mixer.next();
    this.state[0] = Number(first & 0xffffffffn);
    this.state[1] = Number(first >> 32n);
    this.state[2] = Number(second & 0xffffffffn);
    this.state[3] = Number(second >> 32n);
  }

  /** The next 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    const state = this.state;
    const result = Math.imul(rotateLeft(Math.imul(state[1], 5), 7), 9) >>> 0;
    const shifted = state[1] << 9;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= shifted;
    state[3] = rotateLeft(state[3], 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * TWO_POW_26 + low) / TWO_POW_53;
  }

  /** Uniform on {0, …, n − 1}, n ≥ 1. */
  nextIndex(n: number): number {
    if (n > TWO_POW_21) {
      return Math.floor(this.nextDouble() * n);
    }
    let product = this.nextUint32() * n;
    let high = Math.floor(product / TWO_POW_32);
    let low = product - high * TWO_POW_32;
    if (low < n) {
      const threshold = TWO_POW_32 % n;
      while (low < threshold) {
        product = this.nextUint32() * n;
        high = Math.floor(product / TWO_POW_32);
        low = product - high * TWO_POW_32;
      }
    }
    return high;
  }
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/** SplitMix64 (Steele, Lea & Flood 2014), used only to expand a seed into a state. */
class SplitMix64 {
  constructor(private state: bigint) {}

  next(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK_64;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
    return z ^ (z >> 31n);
  }
}
