import { OverlayMatcher, type Overlay } from './overlay-match.ts';
import { DRIVE_BOTH, WALK, roadClassCode } from './road-class.ts';
import { E7, RoadNetworkBuilder, type RoadNetwork } from './road-network.ts';

type Position = readonly number[];

/**
 * The lines of a GeoJSON FeatureCollection, whatever their wrapping: proper Features with a
 * LineString or MultiLineString geometry, bare geometries, or bare `{ "coordinates": [...] }`
 * objects (as in the SF streets file, stripped of everything else).
 */
export function geoJsonLines(doc: unknown, what: string): Position[][] {
  const features = (doc as { features?: unknown }).features;
  if (!Array.isArray(features)) throw new Error(`${what}: expected a GeoJSON FeatureCollection with a "features" array`);
  const lines: Position[][] = [];
  features.forEach((f: unknown, i) => {
    const geometry = ((f as { geometry?: unknown }).geometry ?? f) as { type?: string; coordinates?: unknown };
    const coords = geometry.coordinates;
    if (!Array.isArray(coords)) throw new Error(`${what}: feature ${i} has no coordinates`);
    const nested = geometry.type === 'MultiLineString' ? (coords as Position[][]) : [coords as Position[]];
    for (const line of nested) {
      for (const p of line) {
        if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
          throw new Error(`${what}: feature ${i} has a point that is not [lon, lat]: ${JSON.stringify(p)}`);
        }
      }
      lines.push(line);
    }
  });
  return lines;
}

/**
 * Builds the road network from untagged street lines: lines are split at every vertex they share
 * (same coordinate to 1e-7 degrees), every street is two-way and walkable, and a segment lying
 * on an overlay takes the overlay's class (a freeway is not walkable).
 */
export function networkFromLines(streets: readonly Position[][], overlays: readonly Overlay[]): RoadNetwork {
  const builder = new RoadNetworkBuilder();
  const vertexOf = new Map<string, number>();
  const matcher = new OverlayMatcher(overlays);
  const vertex = (p: Position): number => {
    const key = `${Math.round(p[0]! * E7)},${Math.round(p[1]! * E7)}`;
    let v = vertexOf.get(key);
    if (v === undefined) {
      v = builder.addVertex(p[1]!, p[0]!);
      vertexOf.set(key, v);
    }
    return v;
  };
  const street = roadClassCode('street');
  for (const line of streets) {
    for (let i = 0; i + 1 < line.length; i++) {
      const a = line[i]!;
      const b = line[i + 1]!;
      const cls = matcher.classify(a[1]!, a[0]!, b[1]!, b[0]!);
      const code = cls === undefined ? street : roadClassCode(cls);
      builder.addSegment(vertex(a), vertex(b), code, cls === 'freeway' ? DRIVE_BOTH : DRIVE_BOTH | WALK);
    }
  }
  return builder.build();
}
