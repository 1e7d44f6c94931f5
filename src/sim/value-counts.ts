/** Whole values from 0 up to this are counted in an array by value: a replay's seconds mostly are. */
const DENSE = 1 << 16;

/**
 * A multiset of numbers: each distinct value with how often it came. The replay's intervals are
 * whole seconds (a unit's, the data's) or milliseconds over an hour or so (a volunteer's), so a
 * year's half a million values take a few thousand entries, and a quantile read from them is the
 * one `quantile` gives on the sorted values, exactly: no bins, no rounding.
 */
export class ValueCounts {
  /** Counts of whole values 0 .. DENSE - 1, by value (grown as needed). */
  private readonly whole: number[] = [];
  /** Counts of every other value. */
  private readonly others = new Map<number, number>();
  private total = 0;
  private sum = 0;

  add(value: number): void {
    if (Number.isInteger(value) && value >= 0 && value < DENSE) {
      const w = this.whole;
      while (w.length <= value) w.push(0);
      w[value]!++;
    } else {
      this.others.set(value, (this.others.get(value) ?? 0) + 1);
    }
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
    for (const [v, c] of this.ascending()) {
      if (v > limit) break;
      n += c;
    }
    return n;
  }

  /** `quantile` (linear between closest ranks) of the values; null when there is none. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const pos = (this.total - 1) * Math.min(1, Math.max(0, q));
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    let seen = 0;
    let a = NaN;
    for (const [v, c] of this.ascending()) {
      seen += c;
      if (Number.isNaN(a) && seen > lo) a = v;
      if (seen > hi) return a + (v - a) * (pos - lo);
    }
    throw new Error('ValueCounts: rank out of range');
  }

  /** Each distinct value with its count, in ascending order. */
  private *ascending(): Generator<readonly [number, number]> {
    const others = [...this.others.keys()].sort((x, y) => x - y);
    let k = 0;
    for (let v = 0; v < this.whole.length; v++) {
      const c = this.whole[v]!;
      if (c === 0) continue;
      for (; k < others.length && others[k]! < v; k++) yield [others[k]!, this.others.get(others[k]!)!];
      yield [v, c];
    }
    for (; k < others.length; k++) yield [others[k]!, this.others.get(others[k]!)!];
  }
}
