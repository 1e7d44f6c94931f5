import { readFileSync } from 'node:fs';
import type { LatLon } from '../core/lat-lon.ts';

/**
 * Where people live in San Francisco: census block groups with their population density
 * (data/sf/sf_popdensity_blockgroups.geojson, 2010 Census). Residents of a block group are its
 * density (persons per square mile) times its area; points are drawn uniformly inside its polygon.
 */

type Ring = readonly (readonly [number, number])[];
/** Outer ring first, then holes; [lon, lat] as GeoJSON has them. */
type Polygon = readonly Ring[];

export interface BlockGroup {
  readonly id: string;
  readonly personsPerSqMile: number;
  readonly polygons: readonly Polygon[];
  readonly areaM2: number;
  readonly residents: number;
  readonly bbox: { readonly minLon: number; readonly minLat: number; readonly maxLon: number; readonly maxLat: number };
}

const EARTH_RADIUS_M = 6_371_008.8;
export const SQUARE_METRES_PER_SQUARE_MILE = 2_589_988.110336;
const rad = (d: number) => (d * Math.PI) / 180;

/** The area of a ring on the sphere (m²), by the spherical-excess formula GeoJSON tools use. */
export function ringAreaM2(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [lon1, lat1] = ring[i]!;
    const [lon2, lat2] = ring[i + 1]!;
    sum += rad(lon2 - lon1) * (2 + Math.sin(rad(lat1)) + Math.sin(rad(lat2)));
  }
  return Math.abs((sum * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2);
}

const polygonAreaM2 = (p: Polygon): number => p.reduce((a, ring, i) => a + (i === 0 ? 1 : -1) * ringAreaM2(ring), 0);

/** Ray casting: whether [lon, lat] is inside the ring. */
function inRing(ring: Ring, lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export const inPolygon = (p: Polygon, lon: number, lat: number): boolean =>
  p.length > 0 && inRing(p[0]!, lon, lat) && !p.slice(1).some((hole) => inRing(hole, lon, lat));

interface GeoJsonFile {
  features: { properties: { BLOCKGROUP: string; Pop_psmi: number }; geometry: { type: string; coordinates: unknown } }[];
}

/** Reads the block groups of the population-density file, with their area and residents. */
export function readBlockGroups(file: string): BlockGroup[] {
  const geo = JSON.parse(readFileSync(file, 'utf8')) as GeoJsonFile;
  return geo.features.map((f) => {
    const polygons = (f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [f.geometry.coordinates]) as Polygon[];
    const areaM2 = polygons.reduce((a, p) => a + polygonAreaM2(p), 0);
    let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const p of polygons) {
      for (const [lon, lat] of p[0] ?? []) {
        minLon = Math.min(minLon, lon);
        maxLon = Math.max(maxLon, lon);
        minLat = Math.min(minLat, lat);
        maxLat = Math.max(maxLat, lat);
      }
    }
    const personsPerSqMile = f.properties.Pop_psmi;
    return {
      id: f.properties.BLOCKGROUP,
      personsPerSqMile,
      polygons,
      areaM2,
      residents: (personsPerSqMile * areaM2) / SQUARE_METRES_PER_SQUARE_MILE,
      bbox: { minLon, minLat, maxLon, maxLat },
    };
  });
}

export const totalResidents = (groups: readonly BlockGroup[]): number => groups.reduce((a, g) => a + g.residents, 0);

/**
 * Splits `count` people over the block groups in proportion to their residents (largest
 * remainder, ties by file order): the same input always gives the same split.
 */
export function apportion(groups: readonly BlockGroup[], count: number): number[] {
  const total = totalResidents(groups);
  const exact = groups.map((g) => (total > 0 ? (g.residents / total) * count : 0));
  const counts = exact.map(Math.floor);
  let left = count - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i]!++;
    left--;
  }
  return counts;
}

/** A point drawn uniformly inside the block group (rejection sampling in its bounding box). */
export function pointIn(g: BlockGroup, random: () => number): LatLon {
  const { minLon, minLat, maxLon, maxLat } = g.bbox;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    // Rounded to 6 decimals (~0.1 m) before the test, so the point kept is the point tested.
    const lon = round6(minLon + random() * (maxLon - minLon));
    const lat = round6(minLat + random() * (maxLat - minLat));
    if (g.polygons.some((p) => inPolygon(p, lon, lat))) return { lat, lon };
  }
  // A sliver the sampler cannot hit: its first vertex is inside the block group by definition.
  const [lon, lat] = g.polygons[0]?.[0]?.[0] ?? [minLon, minLat];
  return { lat: round6(lat), lon: round6(lon) };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

