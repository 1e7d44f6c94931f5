import { buildArcGraph } from './arc-graph.ts';
import { DijkstraSearch } from './dijkstra.ts';
import { ROAD_CLASSES } from './road-class.ts';
import type { RoadGraph } from './road-graph.ts';
import type { Run } from './own-station-runs.ts';
import { MAX_SNAP_M } from './router.ts';
import { cheapestAt, directOnEdge, sourceSeeds, targetSeeds } from './snapped-seeds.ts';
import type { RoadSnapper } from './snap.ts';
import { usable, type TravelMode } from './travel-mode.ts';

/** The quickest path of one run under the speeds it was searched with: metres per road class, and seconds. */
export interface RunPath {
  readonly metresByClass: Float64Array;
  readonly roadS: number;
}

/**
 * The quickest drive path of each run (undefined when an end is off the network or no route
 * exists), by one forward Dijkstra per station over the whole graph.
 */
export function runPaths(g: RoadGraph, snapper: RoadSnapper, mode: TravelMode, runs: readonly Run[]): (RunPath | undefined)[] {
  const search = new DijkstraSearch(buildArcGraph(g, mode));
  const accept = (e: number) => usable(mode, g.edgeClass[e]!, g.edgeFlags[e]!);
  const byOrigin = new Map<string, number[]>();
  runs.forEach((r, i) => {
    const key = `${r.origin.lat},${r.origin.lon}`;
    byOrigin.set(key, [...(byOrigin.get(key) ?? []), i]);
  });
  const out: (RunPath | undefined)[] = runs.map(() => undefined);
  for (const indices of byOrigin.values()) {
    const s = snapper.snap(runs[indices[0]!]!.origin, MAX_SNAP_M, accept);
    if (s === undefined) continue;
    const sources = sourceSeeds(g, mode, s);
    search.run(sources, false);
    for (const i of indices) {
      const t = snapper.snap(runs[i]!.destination, MAX_SNAP_M, accept);
      if (t === undefined) continue;
      const metresByClass = new Float64Array(ROAD_CLASSES.length);
      const direct = directOnEdge(g, mode, s, t);
      let best = Infinity;
      let bestTarget = -1;
      const targets = targetSeeds(g, mode, t);
      targets.forEach((ts, k) => {
        const total = search.seconds(ts.node) + ts.weight;
        if (total < best) [best, bestTarget] = [total, k];
      });
      if (direct !== undefined && direct.weight <= best) {
        metresByClass[g.edgeClass[s.edge]!]! += direct.length;
        out[i] = { metresByClass, roadS: direct.weight };
        continue;
      }
      const target = targets[bestTarget];
      if (target === undefined || best === Infinity) continue;
      const { edgeRefs, firstNode } = search.pathTo(target.node);
      const first = cheapestAt(sources, firstNode);
      if (first) metresByClass[g.edgeClass[first.edge]!]! += first.length;
      for (const ref of edgeRefs) metresByClass[g.edgeClass[ref >> 1]!]! += g.edgeLength[ref >> 1]!;
      metresByClass[g.edgeClass[target.edge]!]! += target.length;
      out[i] = { metresByClass, roadS: best };
    }
  }
  return out;
}
