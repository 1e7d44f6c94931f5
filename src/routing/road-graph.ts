import { haversine } from '../core/lat-lon.ts';
import type { LatLon } from '../core/lat-lon.ts';

/**
 * The routable graph: junctions and dead ends are nodes; each edge is a chain of road between two
 * nodes, of one road class, with its full geometry kept for snapping and display. Edges are
 * stored once with direction flags (DRIVE_FORWARD is from → to); profiles derive directed arcs.
 */
export interface RoadGraph {
  readonly nodeLat: Float64Array;
  readonly nodeLon: Float64Array;
  readonly edgeFrom: Int32Array;
  readonly edgeTo: Int32Array;
  /** Metres along the geometry. */
  readonly edgeLength: Float64Array;
  readonly edgeClass: Uint8Array;
  readonly edgeFlags: Uint8Array;
  /** Edge e's points are geomStart[e] .. geomStart[e+1]-1, from its `from` node to its `to` node. */
  readonly geomStart: Int32Array;
  readonly geomLat: Float64Array;
  readonly geomLon: Float64Array;
}

export const nodeCount = (g: RoadGraph): number => g.nodeLat.length;
export const edgeCount = (g: RoadGraph): number => g.edgeFrom.length;

export const nodeLocation = (g: RoadGraph, v: number): LatLon => ({ lat: g.nodeLat[v]!, lon: g.nodeLon[v]! });

/** The points of edge e from `offsetFromM` to `offsetToM` metres along it (either order), as [lon, lat]. */
export function edgeCoordinates(g: RoadGraph, e: number, offsetFromM: number, offsetToM: number): [number, number][] {
  const reverse = offsetToM < offsetFromM;
  const lo = Math.max(0, Math.min(offsetFromM, offsetToM));
  const hi = Math.min(g.edgeLength[e]!, Math.max(offsetFromM, offsetToM));
  const out: [number, number][] = [];
  const first = g.geomStart[e]!;
  const last = g.geomStart[e + 1]! - 1;
  let run = 0;
  out.push(pointAlong(g, e, lo));
  for (let i = first; i < last; i++) {
    run += haversine({ lat: g.geomLat[i]!, lon: g.geomLon[i]! }, { lat: g.geomLat[i + 1]!, lon: g.geomLon[i + 1]! });
    if (run > lo && run < hi) out.push([g.geomLon[i + 1]!, g.geomLat[i + 1]!]);
  }
  out.push(pointAlong(g, e, hi));
  return reverse ? out.reverse() : out;
}

/** The point `offsetM` metres along edge e, as [lon, lat]. */
export function pointAlong(g: RoadGraph, e: number, offsetM: number): [number, number] {
  const first = g.geomStart[e]!;
  const last = g.geomStart[e + 1]! - 1;
  let run = 0;
  for (let i = first; i < last; i++) {
    const a = { lat: g.geomLat[i]!, lon: g.geomLon[i]! };
    const b = { lat: g.geomLat[i + 1]!, lon: g.geomLon[i + 1]! };
    const len = haversine(a, b);
    if (run + len >= offsetM && len > 0) {
      const t = Math.max(0, Math.min(1, (offsetM - run) / len));
      return [a.lon + (b.lon - a.lon) * t, a.lat + (b.lat - a.lat) * t];
    }
    run += len;
  }
  return [g.geomLon[last]!, g.geomLat[last]!];
}
