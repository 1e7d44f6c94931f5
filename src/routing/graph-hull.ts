import { convexHull, type ServiceArea } from '../core/service-area.ts';
import { meters } from '../core/ids.ts';
import type { LatLon } from '../core/lat-lon.ts';
import { nodeCount, type RoadGraph } from './road-graph.ts';

/** The convex hull of a road graph's nodes: the default service area of whatever graph is loaded. */
export function graphHull(g: RoadGraph): LatLon[] {
  const points: LatLon[] = [];
  for (let v = 0; v < nodeCount(g); v++) points.push({ lat: g.nodeLat[v]!, lon: g.nodeLon[v]! });
  return convexHull(points);
}

/** The service area: the configured polygon, else the graph's hull, with the buffer (m) around it. */
export function serviceAreaOf(g: RoadGraph, config: { readonly bufferM: number; readonly polygon?: readonly LatLon[] }): ServiceArea {
  return { polygon: config.polygon ?? graphHull(g), bufferM: meters(config.bufferM) };
}
