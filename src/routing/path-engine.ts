import type { Seed } from './seeds.ts';

/** A path one engine found: its time and length, the edges it takes, and the nodes it runs between. */
export interface PathFound {
  /** Seconds, seeds included. */
  readonly weight: number;
  /** Metres, seeds included. */
  readonly length: number;
  /** Original edges in travel order, as edgeRefs (edge * 2 + 1 when taken to → from). */
  readonly edgeRefs: number[];
  readonly sourceNode: number;
  readonly targetNode: number;
}

/** Seconds and metres from every node to the seeds of the last `distancesTo` call. */
export interface Distances {
  seconds(node: number): number;
  metres(node: number): number;
}

/**
 * The shortest-path core a planner runs on, for one travel mode: a contraction hierarchy in
 * production, plain Dijkstra as the reference that the hierarchy is tested against.
 */
export interface PathEngine {
  readonly name: string;
  /** The quickest path from any source seed to any target seed. */
  shortestPath(sources: readonly Seed[], targets: readonly Seed[]): PathFound | undefined;
  /** One forward search: time and distance from the sources to every node (Infinity if none). */
  distancesFrom(sources: readonly Seed[]): Distances;
  /** One reverse search: time and distance from every node to the targets (Infinity if none). */
  distancesTo(targets: readonly Seed[]): Distances;
  /**
   * From each origin (by its seeds) to the targets: seconds and metres into the arrays, Infinity
   * when none. Callers pass the same seed arrays for the same positions, so engines may cache by them.
   */
  manyToOne(origins: readonly (readonly Seed[])[], targets: readonly Seed[], seconds: Float64Array, metres: Float64Array): void;
}

/**
 * For each origin, the best of its seeds (a snapped point reaches two nodes) over distances
 * already computed to the target: seconds and metres, Infinity when no seed is reached.
 */
export function bestOverSeeds(origins: readonly (readonly Seed[])[], d: Distances, seconds: Float64Array, metres: Float64Array): void {
  origins.forEach((seeds, i) => {
    seconds[i] = Infinity;
    metres[i] = Infinity;
    for (const s of seeds) {
      const total = s.weight + d.seconds(s.node);
      if (total < seconds[i]!) {
        seconds[i] = total;
        metres[i] = s.length + d.metres(s.node);
      }
    }
  });
}
