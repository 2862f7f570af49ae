// A histogram of magnitudes |x| over [0, width·BINS) whose range grows as larger values
// arrive, by doubling the bin width and merging bin pairs — exact, so one pass over the
// calibration set suffices (no min/max pre-pass). Values on each side of zero get their own
// histogram; exact zeros (most of a ReLU output) are counted apart because they quantize
// without error.

export const BINS = 2048;

export class MagnitudeHistogram {
  readonly counts = new Float64Array(BINS);
  /** Bin width; 0 until the first non-zero value. */
  width = 0;
  total = 0;

  /** Make sure `maxMag` falls inside the range. */
  reserve(maxMag: number): void {
    if (!(maxMag > 0) || !Number.isFinite(maxMag)) return;
    if (this.width === 0) {
      // Start with a little headroom so the next batch rarely forces a merge.
      this.width = (maxMag * 1.25) / BINS;
      return;
    }
    while (maxMag >= this.width * BINS) {
      for (let i = 0; i < BINS / 2; i++) this.counts[i] = this.counts[2 * i] + this.counts[2 * i + 1];
      this.counts.fill(0, BINS / 2);
      this.width *= 2;
    }
  }

  /** Caller has reserved for m (> 0). */
  add(m: number): void {
    this.counts[Math.min(BINS - 1, Math.floor(m / this.width))]++;
    this.total++;
  }

  /** Smallest magnitude with at most `tail` of the counts above it (linear inside the bin). */
  quantileFromTop(tail: number): number {
    if (this.total === 0) return 0;
    let above = 0;
    for (let i = BINS - 1; i >= 0; i--) {
      const c = this.counts[i];
      if (above + c > tail) return (i + 1 - (tail - above) / c) * this.width;
      above += c;
    }
    return 0;
  }
}
