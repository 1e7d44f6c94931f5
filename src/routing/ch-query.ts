import { ManyToOne } from './ch-many.ts';
import { ranks, unpackArc, type Hierarchy } from './hierarchy.ts';
import { MinHeap } from './min-heap.ts';
import { bestOverSeeds, type Distances, type PathEngine, type PathFound } from './path-engine.ts';
import type { Seed } from './seeds.ts';

/** One side of a bidirectional search: its own labels, stamped so a new query costs nothing to reset. */
class Side {
  readonly dist: Float64Array;
  readonly len: Float64Array;
  readonly parentArc: Int32Array;
  readonly parentNode: Int32Array;
  readonly stamp: Int32Array;
  readonly heap: MinHeap;
  generation = 0;

  constructor(n: number) {
    this.dist = new Float64Array(n);
    this.len = new Float64Array(n);
    this.parentArc = new Int32Array(n);
    this.parentNode = new Int32Array(n);
    this.stamp = new Int32Array(n);
    this.heap = new MinHeap(n);
  }

  reset(seeds: readonly Seed[], rankOf: Int32Array): void {
    this.generation++;
    this.heap.clear();
    for (const s of seeds) this.offer(rankOf[s.node]!, s.weight, s.length, -1, -1);
  }

  distance(v: number): number {
    return this.stamp[v] === this.generation ? this.dist[v]! : Infinity;
  }

  offer(v: number, d: number, l: number, arc: number, from: number): void {
    if (d >= this.distance(v)) return;
    this.stamp[v] = this.generation;
    this.dist[v] = d;
    this.len[v] = l;
    this.parentArc[v] = arc;
    this.parentNode[v] = from;
    this.heap.push(v, d);
  }
}

/**
 * Queries on one hierarchy: a bidirectional upward search between two sets of seeds, and PHAST
 * sweeps (one upward search, then one pass down the ranks) for one-to-all distances. Seeds and
 * results are node ids; inside, everything is by rank. Holds its work arrays; not for
 * concurrent use.
 */
export class HierarchyQuery {
  readonly rankOf: Int32Array;
  private readonly fwd: Side;
  private readonly bwd: Side;
  /** Distances of the last sweep, by RANK (seconds, metres). */
  readonly sweepDist: Float64Array;
  readonly sweepLen: Float64Array;
  private readonly sweepHeap: MinHeap;

  constructor(readonly h: Hierarchy) {
    this.rankOf = ranks(h);
    this.fwd = new Side(h.nodeCount);
    this.bwd = new Side(h.nodeCount);
    this.sweepDist = new Float64Array(h.nodeCount);
    this.sweepLen = new Float64Array(h.nodeCount);
    this.sweepHeap = new MinHeap(h.nodeCount);
  }

  /** The quickest path from any source seed to any target seed, or undefined when none. */
  shortestPath(sources: readonly Seed[], targets: readonly Seed[]): PathFound | undefined {
    const { h, fwd, bwd } = this;
    fwd.reset(sources, this.rankOf);
    bwd.reset(targets, this.rankOf);
    let best = Infinity;
    let meet = -1;
    const consider = (v: number) => {
      const d = fwd.distance(v) + bwd.distance(v);
      if (d < best) [best, meet] = [d, v];
    };
    for (const s of sources) consider(this.rankOf[s.node]!);
    while (Math.min(fwd.heap.peekKey(), bwd.heap.peekKey()) < best) {
      const forward = fwd.heap.peekKey() <= bwd.heap.peekKey();
      const side = forward ? fwd : bwd;
      const x = side.heap.pop();
      const dx = side.dist[x]!;
      const lx = side.len[x]!;
      if (forward) {
        for (let i = h.upOutStart[x]!; i < h.upOutStart[x + 1]!; i++) {
          const y = h.upOutHead[i]!;
          fwd.offer(y, dx + h.upOutWeight[i]!, lx + h.upOutLength[i]!, i, x);
          if (bwd.stamp[y] === bwd.generation) consider(y);
        }
      } else {
        for (let i = h.upInStart[x]!; i < h.upInStart[x + 1]!; i++) {
          const y = h.upInTail[i]!;
          bwd.offer(y, dx + h.upInWeight[i]!, lx + h.upInLength[i]!, i, x);
          if (fwd.stamp[y] === fwd.generation) consider(y);
        }
      }
    }
    if (meet < 0) return undefined;
    return this.path(meet, best);
  }

  private path(meet: number, weight: number): PathFound {
    const { h, fwd, bwd } = this;
    const up: [number, number][] = [];
    let v = meet;
    while (fwd.parentArc[v]! >= 0) {
      up.push([fwd.parentNode[v]!, fwd.parentArc[v]!]);
      v = fwd.parentNode[v]!;
    }
    const sourceNode = v;
    const edgeRefs: number[] = [];
    for (let k = up.length - 1; k >= 0; k--) {
      const [tail, i] = up[k]!;
      unpackArc(h, tail, h.upOutHead[i]!, h.upOutWeight[i]!, h.upOutMid[i]!, edgeRefs);
    }
    v = meet;
    while (bwd.parentArc[v]! >= 0) {
      const i = bwd.parentArc[v]!;
      const next = bwd.parentNode[v]!;
      unpackArc(h, v, next, h.upInWeight[i]!, h.upInMid[i]!, edgeRefs);
      v = next;
    }
    return { weight, length: fwd.len[meet]! + bwd.len[meet]!, edgeRefs, sourceNode: h.order[sourceNode]!, targetNode: h.order[v]! };
  }

  /**
   * PHAST: seconds and metres from the seeds to every node (`toSeeds` false), or from every node
   * to the seeds (`toSeeds` true), left in sweepDist / sweepLen (Infinity when unreachable).
   */
  sweep(seeds: readonly Seed[], toSeeds: boolean): void {
    const { h, sweepDist: d, sweepLen: l, sweepHeap: heap } = this;
    d.fill(Infinity);
    heap.clear();
    for (const s of seeds) {
      const r = this.rankOf[s.node]!;
      if (s.weight < d[r]!) {
        d[r] = s.weight;
        l[r] = s.length;
      }
      heap.push(r, d[r]!);
    }
    const start = toSeeds ? h.upInStart : h.upOutStart;
    const other = toSeeds ? h.upInTail : h.upOutHead;
    const weight = toSeeds ? h.upInWeight : h.upOutWeight;
    const length = toSeeds ? h.upInLength : h.upOutLength;
    while (heap.size > 0) {
      const x = heap.pop();
      const dx = d[x]!;
      for (let i = start[x]!; i < start[x + 1]!; i++) {
        const y = other[i]!;
        const dy = dx + weight[i]!;
        if (dy < d[y]!) {
          d[y] = dy;
          l[y] = l[x]! + length[i]!;
          heap.push(y, dy);
        }
      }
    }
    // Down the ranks: every arc into v from above (forward), or out of v to above (to the seeds).
    const downStart = toSeeds ? h.upOutStart : h.upInStart;
    const downOther = toSeeds ? h.upOutHead : h.upInTail;
    const downWeight = toSeeds ? h.upOutWeight : h.upInWeight;
    const downLength = toSeeds ? h.upOutLength : h.upInLength;
    for (let v = h.nodeCount - 1; v >= 0; v--) {
      let best = d[v]!;
      let bestLen = l[v]!;
      const end = downStart[v + 1]!;
      for (let i = downStart[v]!; i < end; i++) {
        const u = downOther[i]!;
        const c = d[u]! + downWeight[i]!;
        if (c < best) {
          best = c;
          bestLen = l[u]! + downLength[i]!;
        }
      }
      d[v] = best;
      l[v] = bestLen;
    }
  }
}

/** Above this many origins without a cached upward space, one sweep is cheaper than computing them. */
const NEW_SPACES_PER_QUERY = 20;

/** The production engine: bidirectional hierarchy search for paths, PHAST for one-to-all. */
export class HierarchyEngine implements PathEngine {
  readonly name = 'contraction-hierarchy';
  private readonly query: HierarchyQuery;
  private readonly distances: Distances;
  private readonly many: ManyToOne;

  constructor(h: Hierarchy) {
    this.many = new ManyToOne(h);
    const q = new HierarchyQuery(h);
    this.query = q;
    const rankOf = q.rankOf;
    this.distances = { seconds: (v) => q.sweepDist[rankOf[v]!]!, metres: (v) => q.sweepLen[rankOf[v]!]! };
  }

  shortestPath(sources: readonly Seed[], targets: readonly Seed[]): PathFound | undefined {
    return this.query.shortestPath(sources, targets);
  }

  distancesFrom(sources: readonly Seed[]): Distances {
    this.query.sweep(sources, false);
    return this.distances;
  }

  distancesTo(targets: readonly Seed[]): Distances {
    this.query.sweep(targets, true);
    return this.distances;
  }

  /**
   * Upward spaces when most origins have one cached (units at stations, ~0.2 ms for 200);
   * otherwise one PHAST sweep (~0.5 ms whatever the count), e.g. for thousands of volunteers
   * whose positions are new (a space costs about a twentieth of a sweep), and a few more spaces
   * computed for next time, so that a fleet that stays put soon takes the quick way.
   */
  manyToOne(origins: readonly (readonly Seed[])[], targets: readonly Seed[], seconds: Float64Array, metres: Float64Array): void {
    if (this.many.uncached(origins) <= NEW_SPACES_PER_QUERY) {
      this.many.run(origins, targets, seconds, metres);
      return;
    }
    const d = this.distancesTo(targets);
    this.many.warm(origins, NEW_SPACES_PER_QUERY);
    bestOverSeeds(origins, d, seconds, metres);
  }
}
