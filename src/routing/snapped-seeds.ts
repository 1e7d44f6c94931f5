import { edgeSeconds } from './arc-graph.ts';
import type { RoadGraph } from './road-graph.ts';
import type { Seed } from './seeds.ts';
import type { Snapped } from './snap.ts';
import type { TravelMode } from './travel-mode.ts';

/** A seed that also says which stretch of its edge it covers (metres along the edge, in travel order). */
export interface EdgeSeed extends Seed {
  readonly edge: number;
  readonly fromOffsetM: number;
  readonly toOffsetM: number;
}

function part(g: RoadGraph, mode: TravelMode, edge: number, node: number, fromOffsetM: number, toOffsetM: number): EdgeSeed {
  const metres = Math.abs(toOffsetM - fromOffsetM);
  const share = g.edgeLength[edge]! > 0 ? metres / g.edgeLength[edge]! : 0;
  return { node, weight: edgeSeconds(g, mode, edge) * share, length: metres, edge, fromOffsetM, toOffsetM };
}

/**
 * Leaving a snapped point: to the edge's `to` node if the edge may be taken forward, to `from` if
 * backward. A point right on a node is at that node whatever the edge allows.
 */
export function sourceSeeds(g: RoadGraph, mode: TravelMode, s: Snapped): EdgeSeed[] {
  const f = g.edgeFlags[s.edge]!;
  const len = g.edgeLength[s.edge]!;
  const seeds: EdgeSeed[] = [];
  if (mode.forward(f) || s.offsetM >= len) seeds.push(part(g, mode, s.edge, g.edgeTo[s.edge]!, s.offsetM, len));
  if (mode.backward(f) || s.offsetM <= 0) seeds.push(part(g, mode, s.edge, g.edgeFrom[s.edge]!, s.offsetM, 0));
  return seeds;
}

/** Arriving at a snapped point: from the `from` node if the edge may be taken forward, from `to` if backward. */
export function targetSeeds(g: RoadGraph, mode: TravelMode, t: Snapped): EdgeSeed[] {
  const f = g.edgeFlags[t.edge]!;
  const len = g.edgeLength[t.edge]!;
  const seeds: EdgeSeed[] = [];
  if (mode.forward(f) || t.offsetM <= 0) seeds.push(part(g, mode, t.edge, g.edgeFrom[t.edge]!, 0, t.offsetM));
  if (mode.backward(f) || t.offsetM >= len) seeds.push(part(g, mode, t.edge, g.edgeTo[t.edge]!, len, t.offsetM));
  return seeds;
}

/** Along one edge, when both points are on it and the edge may be taken that way. */
export function directOnEdge(g: RoadGraph, mode: TravelMode, s: Snapped, t: Snapped): EdgeSeed | undefined {
  if (s.edge !== t.edge) return undefined;
  const f = g.edgeFlags[s.edge]!;
  const ok = t.offsetM >= s.offsetM ? mode.forward(f) : mode.backward(f);
  return ok ? part(g, mode, s.edge, -1, s.offsetM, t.offsetM) : undefined;
}

/** Seeds of one node with the least weight: the one a search started from at that node. */
export function cheapestAt(seeds: readonly EdgeSeed[], node: number): EdgeSeed | undefined {
  let best: EdgeSeed | undefined;
  for (const s of seeds) if (s.node === node && (best === undefined || s.weight < best.weight)) best = s;
  return best;
}
