import { edgeCoordinates, type RoadGraph } from './road-graph.ts';
import type { EdgeSeed } from './snapped-seeds.ts';

export interface LineString {
  readonly type: 'LineString';
  /** [lon, lat], 6 decimals (about 0.1 m). */
  readonly coordinates: [number, number][];
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The drawn route: the first edge's stretch, the whole edges between, the last edge's stretch. */
export function routeGeometry(g: RoadGraph, first: EdgeSeed | undefined, edgeRefs: readonly number[], last: EdgeSeed | undefined): LineString {
  const coords: [number, number][] = [];
  const add = (pts: [number, number][]) => {
    for (const [lon, lat] of pts) {
      const p: [number, number] = [round6(lon), round6(lat)];
      const prev = coords[coords.length - 1];
      if (prev === undefined || prev[0] !== p[0] || prev[1] !== p[1]) coords.push(p);
    }
  };
  if (first) add(edgeCoordinates(g, first.edge, first.fromOffsetM, first.toOffsetM));
  for (const ref of edgeRefs) {
    const e = ref >> 1;
    const len = g.edgeLength[e]!;
    add(ref & 1 ? edgeCoordinates(g, e, len, 0) : edgeCoordinates(g, e, 0, len));
  }
  if (last) add(edgeCoordinates(g, last.edge, last.fromOffsetM, last.toOffsetM));
  // A LineString needs two positions, even for a route that goes nowhere.
  if (coords.length === 1) coords.push([coords[0]![0], coords[0]![1]]);
  return { type: 'LineString', coordinates: coords };
}
