/**
 * Compensated (Neumaier) summation, so means over millions of rows agree with numpy's pairwise sums
 * to well under 1e-12 relative. Every metric that averages per-row terms goes through `Sum`.
 */
export class Sum {
  private total = 0;
  private compensation = 0;

  add(value: number): void {
    const next = this.total + value;
    if (Math.abs(this.total) >= Math.abs(value)) {
      this.compensation += this.total - next + value;
    } else {
      this.compensation += value - next + this.total;
    }
    this.total = next;
  }

  get value(): number {
    return this.total + this.compensation;
  }
}

/** A sum with its Neumaier compensation, as the metric kernels keep them. */
export interface CompensatedSum {
  sum: number;
  compensation: number;
}

/** The compensated total of several compensated sums (the partials of consecutive chunks). */
export function addSums(parts: CompensatedSum[]): CompensatedSum {
  const total = new Sum();
  for (const part of parts) {
    total.add(part.sum);
    total.add(part.compensation);
  }
  return { sum: total.value, compensation: 0 };
}
