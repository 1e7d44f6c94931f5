/**
 * A multiset of numbers: each distinct value with how often it came. The replay's intervals are
 * whole seconds (a unit's, the data's) or milliseconds over an hour or so (a volunteer's), so a
 * year's half a million values take a few thousand entries, and a quantile read from them is the
 * one `quantile` gives on the sorted values, exactly: no bins, no rounding.
 */
export class ValueCounts {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private sum = 0;

  add(value: number): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
    this.total++;
    // In the order added, as a reduce over the values in that order would sum them.
    this.sum += value;
  }

  get n(): number {
    return this.total;
  }

  /** The sum of the values, added in the order they came. */
  get sumOfValues(): number {
    return this.sum;
  }

  /** How many values are at most `limit`. */
  atMost(limit: number): number {
    let n = 0;
    for (const [v, c] of this.counts) if (v <= limit) n += c;
    return n;
  }

  /** `quantile` (linear between closest ranks) of the values; null when there is none. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const pos = (this.total - 1) * Math.min(1, Math.max(0, q));
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    const [a, b] = this.atRanks(lo, hi);
    return a + (b - a) * (pos - lo);
  }

  /** The values at two ascending ranks (0-based) of the sorted multiset. */
  private atRanks(lo: number, hi: number): [number, number] {
    const values = [...this.counts.keys()].sort((x, y) => x - y);
    let seen = 0;
    let a = NaN;
    for (const v of values) {
      seen += this.counts.get(v)!;
      if (Number.isNaN(a) && seen > lo) a = v;
      if (seen > hi) return [a, v];
    }
    throw new Error('ValueCounts: rank out of range');
  }
}
