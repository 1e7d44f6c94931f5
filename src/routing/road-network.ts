import { haversine } from '../core/lat-lon.ts';

/**
 * The road network as imported, before degree-2 vertices are folded: every vertex of every line,
 * and one segment between each pair of consecutive vertices. Coordinates are rounded to 1e-7
 * degrees (OSM's own precision), so a graph read back from its file is bit-identical.
 */
export interface RoadNetwork {
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  readonly segA: Int32Array;
  readonly segB: Int32Array;
  /** Index into ROAD_CLASSES. */
  readonly segClass: Uint8Array;
  /** DRIVE_FORWARD (a→b) | DRIVE_BACKWARD (b→a) | WALK. */
  readonly segFlags: Uint8Array;
}

export const E7 = 1e7;
/** Rounds degrees to the 1e-7 grid that the graph file stores as integers. */
export const quantize = (deg: number): number => Math.round(deg * E7) / E7;

/** Grows a RoadNetwork vertex by vertex and segment by segment. */
export class RoadNetworkBuilder {
  private lat: number[] = [];
  private lon: number[] = [];
  private readonly segA: number[] = [];
  private readonly segB: number[] = [];
  private readonly segClass: number[] = [];
  private readonly segFlags: number[] = [];

  get vertexCount(): number {
    return this.lat.length;
  }

  /** Adds a vertex; returns its index. */
  addVertex(lat: number, lon: number): number {
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      throw new Error(`vertex (${lat}, ${lon}) is not a WGS84 lat/lon in degrees`);
    }
    this.lat.push(quantize(lat));
    this.lon.push(quantize(lon));
    return this.lat.length - 1;
  }

  /** Adds a segment a–b; a segment from a vertex to itself is dropped (it goes nowhere). */
  addSegment(a: number, b: number, classCode: number, flags: number): void {
    if (a === b || flags === 0) return;
    this.segA.push(a);
    this.segB.push(b);
    this.segClass.push(classCode);
    this.segFlags.push(flags);
  }

  build(): RoadNetwork {
    return {
      lat: Float64Array.from(this.lat),
      lon: Float64Array.from(this.lon),
      segA: Int32Array.from(this.segA),
      segB: Int32Array.from(this.segB),
      segClass: Uint8Array.from(this.segClass),
      segFlags: Uint8Array.from(this.segFlags),
    };
  }
}

/** Length of segment i in metres. */
export function segmentLength(n: RoadNetwork, i: number): number {
  const a = n.segA[i]!;
  const b = n.segB[i]!;
  return haversine({ lat: n.lat[a]!, lon: n.lon[a]! }, { lat: n.lat[b]!, lon: n.lon[b]! });
}
