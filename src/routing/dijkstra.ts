import type { ArcGraph } from './arc-graph.ts';
import { MinHeap } from './min-heap.ts';
import { bestOverSeeds, type Distances, type PathEngine, type PathFound } from './path-engine.ts';
import type { Seed } from './seeds.ts';

/**
 * Plain Dijkstra on a mode's arcs, forward (from the seeds) or reverse (to the seeds), with an
 * optional stop after each settled node. Labels are stamped per search; not for concurrent use.
 */
export class DijkstraSearch {
  private readonly dist: Float64Array;
  private readonly len: Float64Array;
  private readonly parentArc: Int32Array;
  private readonly stamp: Int32Array;
  private readonly heap: MinHeap;
  private generation = 0;
  private reverse = false;

  constructor(readonly g: ArcGraph) {
    const n = g.nodeCount;
    this.dist = new Float64Array(n);
    this.len = new Float64Array(n);
    this.parentArc = new Int32Array(n);
    this.stamp = new Int32Array(n);
    this.heap = new MinHeap(n);
  }

  seconds(v: number): number {
    return this.stamp[v] === this.generation ? this.dist[v]! : Infinity;
  }

  metres(v: number): number {
    return this.stamp[v] === this.generation ? this.len[v]! : Infinity;
  }

  /**
   * Runs the search; `settled(v, seconds)` is called as each node becomes final and may return
   * true to stop there. Labels of unsettled nodes are upper bounds, not final.
   */
  run(seeds: readonly Seed[], reverse: boolean, settled?: (v: number, seconds: number) => boolean): void {
    const { g, dist, len, parentArc, stamp, heap } = this;
    this.generation++;
    this.reverse = reverse;
    heap.clear();
    const gen = this.generation;
    for (const s of seeds) {
      if (stamp[s.node] === gen && dist[s.node]! <= s.weight) continue;
      stamp[s.node] = gen;
      dist[s.node] = s.weight;
      len[s.node] = s.length;
      parentArc[s.node] = -1;
      heap.push(s.node, s.weight);
    }
    const start = reverse ? g.inStart : g.outStart;
    const other = reverse ? g.inTail : g.outHead;
    const weight = reverse ? g.inWeight : g.outWeight;
    const length = reverse ? g.inLength : g.outLength;
    while (heap.size > 0) {
      const x = heap.pop();
      const dx = dist[x]!;
      if (settled?.(x, dx)) return;
      for (let i = start[x]!; i < start[x + 1]!; i++) {
        const y = other[i]!;
        const dy = dx + weight[i]!;
        if (stamp[y] !== gen || dy < dist[y]!) {
          stamp[y] = gen;
          dist[y] = dy;
          len[y] = len[x]! + length[i]!;
          parentArc[y] = i;
          heap.push(y, dy);
        }
      }
    }
  }

  /** The edgeRefs of the path to v found by the last forward search, in travel order. */
  pathTo(v: number): { edgeRefs: number[]; firstNode: number } {
    if (this.reverse) throw new Error('pathTo needs a forward search');
    const refs: number[] = [];
    let x = v;
    while (this.stamp[x] === this.generation && this.parentArc[x]! >= 0) {
      const i = this.parentArc[x]!;
      refs.push(this.g.outEdge[i]!);
      x = tailOf(this.g, i);
    }
    return { edgeRefs: refs.reverse(), firstNode: x };
  }
}

/** The tail of out-arc i: the last node whose row starts at or before i. */
function tailOf(g: ArcGraph, i: number): number {
  let lo = 0;
  let hi = g.nodeCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.outStart[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The reference engine: every query is one plain Dijkstra search. */
export class DijkstraEngine implements PathEngine {
  readonly name = 'dijkstra';
  private readonly search: DijkstraSearch;

  constructor(g: ArcGraph) {
    this.search = new DijkstraSearch(g);
  }

  shortestPath(sources: readonly Seed[], targets: readonly Seed[]): PathFound | undefined {
    const wanted = new Map<number, Seed[]>();
    for (const t of targets) wanted.set(t.node, [...(wanted.get(t.node) ?? []), t]);
    let best = Infinity;
    let bestNode = -1;
    let bestSeed: Seed | undefined;
    this.search.run(sources, false, (v, d) => {
      if (d >= best) return true;
      for (const t of wanted.get(v) ?? []) {
        if (d + t.weight < best) [best, bestNode, bestSeed] = [d + t.weight, v, t];
      }
      return false;
    });
    if (bestNode < 0 || bestSeed === undefined) return undefined;
    const { edgeRefs, firstNode } = this.search.pathTo(bestNode);
    return { weight: best, length: this.search.metres(bestNode) + bestSeed.length, edgeRefs, sourceNode: firstNode, targetNode: bestNode };
  }

  distancesFrom(sources: readonly Seed[]): Distances {
    this.search.run(sources, false);
    return { seconds: (v) => this.search.seconds(v), metres: (v) => this.search.metres(v) };
  }

  distancesTo(targets: readonly Seed[]): Distances {
    this.search.run(targets, true);
    return { seconds: (v) => this.search.seconds(v), metres: (v) => this.search.metres(v) };
  }

  manyToOne(origins: readonly (readonly Seed[])[], targets: readonly Seed[], seconds: Float64Array, metres: Float64Array): void {
    const d = this.distancesTo(targets);
    bestOverSeeds(origins, d, seconds, metres);
  }
}
