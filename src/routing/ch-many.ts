import { ranks, type Hierarchy } from './hierarchy.ts';
import { MinHeap } from './min-heap.ts';
import type { Seed } from './seeds.ts';

/** Every rank an upward search from some seeds reaches, with seconds and metres to it. */
interface UpwardSpace {
  readonly rank: Int32Array;
  readonly seconds: Float64Array;
  readonly metres: Float64Array;
}

/**
 * Many origins to one destination on a hierarchy: one backward upward search from the
 * destination, then for each origin its own forward upward search space (a few hundred ranks,
 * cached by its seeds, which the router keeps per position) is scanned for the best meeting
 * rank. Exact, like PHAST, at a fraction of a sweep when origins are a few hundred units whose
 * positions repeat.
 */
export class ManyToOne {
  private readonly rankOf: Int32Array;
  private readonly dist: Float64Array;
  private readonly len: Float64Array;
  private readonly stamp: Int32Array;
  private readonly heap: MinHeap;
  private generation = 0;
  private readonly spaces = new WeakMap<readonly Seed[], UpwardSpace>();

  constructor(private readonly h: Hierarchy) {
    this.rankOf = ranks(h);
    this.dist = new Float64Array(h.nodeCount);
    this.len = new Float64Array(h.nodeCount);
    this.stamp = new Int32Array(h.nodeCount);
    this.heap = new MinHeap(h.nodeCount);
  }

  /** Upward search from seeds, forward (`upOut`) or backward (`upIn`), to exhaustion; labels stay stamped. */
  private search(seeds: readonly Seed[], backward: boolean, reached?: number[]): void {
    const { h, dist, len, stamp, heap, rankOf } = this;
    const gen = ++this.generation;
    heap.clear();
    for (const s of seeds) {
      const r = rankOf[s.node]!;
      if (stamp[r] === gen && dist[r]! <= s.weight) continue;
      stamp[r] = gen;
      dist[r] = s.weight;
      len[r] = s.length;
      heap.push(r, s.weight);
    }
    const start = backward ? h.upInStart : h.upOutStart;
    const other = backward ? h.upInTail : h.upOutHead;
    const weight = backward ? h.upInWeight : h.upOutWeight;
    const length = backward ? h.upInLength : h.upOutLength;
    while (heap.size > 0) {
      const x = heap.pop();
      reached?.push(x);
      const dx = dist[x]!;
      const end = start[x + 1]!;
      for (let i = start[x]!; i < end; i++) {
        const y = other[i]!;
        const dy = dx + weight[i]!;
        if (stamp[y] !== gen || dy < dist[y]!) {
          stamp[y] = gen;
          dist[y] = dy;
          len[y] = len[x]! + length[i]!;
          heap.push(y, dy);
        }
      }
    }
  }

  /** How many of these origins have no cached upward space yet. */
  uncached(origins: readonly (readonly Seed[])[]): number {
    let n = 0;
    for (const o of origins) if (!this.spaces.has(o)) n++;
    return n;
  }

  /** Computes the upward spaces of up to `max` origins that have none yet. */
  warm(origins: readonly (readonly Seed[])[], max: number): void {
    let done = 0;
    for (const o of origins) {
      if (done >= max) return;
      if (!this.spaces.has(o)) {
        this.spaceOf(o);
        done++;
      }
    }
  }

  private spaceOf(seeds: readonly Seed[]): UpwardSpace {
    let space = this.spaces.get(seeds);
    if (space !== undefined) return space;
    const reached: number[] = [];
    this.search(seeds, false, reached);
    space = {
      rank: Int32Array.from(reached),
      seconds: Float64Array.from(reached, (r) => this.dist[r]!),
      metres: Float64Array.from(reached, (r) => this.len[r]!),
    };
    this.spaces.set(seeds, space);
    return space;
  }

  /** Seconds and metres from each origin (by its seeds) to the targets, into `seconds`/`metres` (Infinity: none). */
  run(origins: readonly (readonly Seed[])[], targets: readonly Seed[], seconds: Float64Array, metres: Float64Array): void {
    // Upward spaces first: each search reuses the labels that the backward search must keep.
    const spaces = origins.map((o) => this.spaceOf(o));
    this.search(targets, true);
    const { dist, len, stamp } = this;
    const gen = this.generation;
    spaces.forEach((space, i) => {
      let best = Infinity;
      let bestLen = Infinity;
      for (let k = 0; k < space.rank.length; k++) {
        const r = space.rank[k]!;
        if (stamp[r] !== gen) continue;
        const total = space.seconds[k]! + dist[r]!;
        if (total < best) {
          best = total;
          bestLen = space.metres[k]! + len[r]!;
        }
      }
      seconds[i] = best;
      metres[i] = bestLen;
    });
  }
}
