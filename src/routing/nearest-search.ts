import type { ArcGraph } from './arc-graph.ts';
import { DijkstraSearch } from './dijkstra.ts';
import { MinHeap } from './min-heap.ts';
import type { EdgeSeed } from './snapped-seeds.ts';

/** An origin as the search sees it: the nodes it reaches first, or a direct way along the destination's edge. */
export interface OriginSeeds {
  readonly seeds: readonly EdgeSeed[];
  readonly direct: EdgeSeed | undefined;
}

export interface NearestFound {
  /** Origins whose road time is final, quickest first: index into the origins given, seconds and metres of road. */
  readonly settled: readonly { readonly index: number; readonly roadS: number; readonly metres: number }[];
  /**
   * Every origin not settled is at least this many seconds of road away (the last one settled);
   * Infinity when the
   * search ran out of graph, so that an origin not settled has no route at all.
   */
  readonly horizonS: number;
}

/**
 * One reverse Dijkstra search from the destination's seeds that stops as soon as `enough`
 * origins are settled: an origin is settled once the search radius reaches its best candidate,
 * since nothing found later can be shorter.
 */
export class NearestSearch {
  private readonly search: DijkstraSearch;
  /** Per-origin work arrays, kept between searches and grown when a search has more origins. */
  private best = new Float64Array(0);
  private metres = new Float64Array(0);
  private done = new Uint8Array(0);
  private pending = new MinHeap(0);
  private readonly at = new Map<number, { origin: number; seed: EdgeSeed }[]>();
  /** Nodes with an origin's seed in this search: stamped with the search's number (no map lookup elsewhere). */
  private readonly marked: Int32Array;
  private stamp = 0;

  constructor(arcs: ArcGraph) {
    this.search = new DijkstraSearch(arcs);
    this.marked = new Int32Array(arcs.nodeCount);
  }

  run(targets: readonly EdgeSeed[], origins: readonly OriginSeeds[], enough: number): NearestFound {
    if (this.best.length < origins.length) {
      this.best = new Float64Array(origins.length);
      this.metres = new Float64Array(origins.length);
      this.done = new Uint8Array(origins.length);
      this.pending = new MinHeap(origins.length);
    }
    const { best, metres, done, pending, at, marked } = this;
    const stamp = ++this.stamp;
    best.fill(Infinity, 0, origins.length);
    done.fill(0, 0, origins.length);
    pending.clear();
    at.clear();
    origins.forEach((o, i) => {
      for (const seed of o.seeds) {
        const list = marked[seed.node] === stamp ? at.get(seed.node) : undefined;
        if (list) list.push({ origin: i, seed });
        else at.set(seed.node, [{ origin: i, seed }]);
        marked[seed.node] = stamp;
      }
      if (o.direct !== undefined) {
        best[i] = o.direct.weight;
        metres[i] = o.direct.length;
        pending.push(i, o.direct.weight);
      }
    });
    const settled: { index: number; roadS: number; metres: number }[] = [];
    const settleUpTo = (radius: number): boolean => {
      while (pending.size > 0 && pending.peekKey() <= radius) {
        const i = pending.pop();
        if (done[i]) continue;
        done[i] = 1;
        settled.push({ index: i, roadS: best[i]!, metres: metres[i]! });
        if (settled.length >= enough) return true;
      }
      return false;
    };
    let horizonS = Infinity;
    if (enough <= 0) return { settled, horizonS: 0 };
    this.search.run(targets, true, (v, d) => {
      if (marked[v] === stamp) {
        for (const { origin, seed } of at.get(v)!) {
          const total = d + seed.weight;
          if (!done[origin] && total < best[origin]!) {
            best[origin] = total;
            metres[origin] = this.search.metres(v) + seed.length;
            pending.push(origin, total);
          }
        }
      }
      if (pending.size > 0 && pending.peekKey() <= d && settleUpTo(d)) {
        // Whatever is not settled is no quicker than the last one settled.
        horizonS = settled[settled.length - 1]!.roadS;
        return true;
      }
      return false;
    });
    if (horizonS === Infinity) settleUpTo(Infinity);
    return { settled, horizonS };
  }
}
