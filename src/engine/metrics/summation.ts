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
