import { haversine, type LatLon } from '../core/lat-lon.ts';
import type { RoadGraph } from './road-graph.ts';
import { SegmentGrid } from './segment-grid.ts';

/** A point placed on the road: on which edge, how far along it, and how far it was moved. */
export interface Snapped {
  readonly edge: number;
  /** Metres along the edge from its `from` node. */
  readonly offsetM: number;
  /** Metres from the given point to the road. */
  readonly distanceM: number;
  readonly point: LatLon;
}

const CELL_M = 100;
const END_M = 0.05;

/**
 * Snaps points to the nearest road segment (the projection onto the segment, not the nearest
 * vertex), through a grid over every piece of every edge's geometry.
 */
export class RoadSnapper {
  private readonly grid: SegmentGrid;
  /** Metres from its edge's start to each geometry point. */
  private readonly along: Float64Array;
  private readonly pointEdge: Int32Array;

  constructor(private readonly g: RoadGraph) {
    const points = g.geomLat.length;
    this.along = new Float64Array(points);
    this.pointEdge = new Int32Array(points);
    const ids: number[] = [];
    for (let e = 0; e < g.edgeFrom.length; e++) {
      const first = g.geomStart[e]!;
      const last = g.geomStart[e + 1]! - 1;
      this.pointEdge[first] = e;
      for (let i = first; i < last; i++) {
        this.pointEdge[i + 1] = e;
        this.along[i + 1] = this.along[i]! + haversine({ lat: g.geomLat[i]!, lon: g.geomLon[i]! }, { lat: g.geomLat[i + 1]!, lon: g.geomLon[i + 1]! });
        ids.push(i);
      }
    }
    const idArray = Int32Array.from(ids);
    this.grid = new SegmentGrid(
      Float64Array.from(idArray, (i) => g.geomLat[i]!),
      Float64Array.from(idArray, (i) => g.geomLon[i]!),
      Float64Array.from(idArray, (i) => g.geomLat[i + 1]!),
      Float64Array.from(idArray, (i) => g.geomLon[i + 1]!),
      idArray,
      CELL_M,
    );
  }

  /**
   * The nearest point on an edge that `accept` lets through, within `maxDistanceM` metres; or
   * undefined when there is none.
   */
  snap(p: LatLon, maxDistanceM: number, accept: (edge: number) => boolean): Snapped | undefined {
    const near = this.grid.nearest(p.lat, p.lon, maxDistanceM, (i) => accept(this.pointEdge[i]!));
    if (near === undefined) return undefined;
    const i = near.id;
    const { g } = this;
    const edge = this.pointEdge[i]!;
    const length = g.edgeLength[edge]!;
    const raw = this.along[i]! + near.t * (this.along[i + 1]! - this.along[i]!);
    // Within 5 cm of an end is at that end's node: coordinates are stored to 1e-7 degrees (~1 cm), and
    // rounding must not strand a point on a one-way edge.
    const offsetM = raw < END_M ? 0 : raw > length - END_M ? length : raw;
    const point = {
      lat: g.geomLat[i]! + near.t * (g.geomLat[i + 1]! - g.geomLat[i]!),
      lon: g.geomLon[i]! + near.t * (g.geomLon[i + 1]! - g.geomLon[i]!),
    };
    return { edge, offsetM, distanceM: near.distanceM, point };
  }
}
