import { meters, type Meters } from './ids.ts';
import { haversine, type LatLon } from './lat-lon.ts';

/**
 * Where the product takes calls: a polygon (the convex hull of the road graph by default) and a
 * buffer around it in metres that still counts as inside. Built once at start-up and handed to
 * the core as data; the geometry below is all the core does with it.
 */
export interface ServiceArea {
  /** Corners in order, not closed (the last corner joins the first). Empty: no area, nothing is outside. */
  readonly polygon: readonly LatLon[];
  readonly bufferM: Meters;
}

/** Metres per degree of latitude on the sphere `haversine` uses. */
const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

/** An equirectangular plane around the polygon's first corner, in metres: true to a few metres across a city. */
function plane(origin: LatLon) {
  const k = Math.cos((origin.lat * Math.PI) / 180);
  return {
    to: (p: LatLon) => ({ x: (p.lon - origin.lon) * k * M_PER_DEG, y: (p.lat - origin.lat) * M_PER_DEG }),
    from: (x: number, y: number): LatLon => ({ lat: origin.lat + y / M_PER_DEG, lon: origin.lon + x / (k * M_PER_DEG) }),
  };
}

/** True when `p` lies inside the polygon (ray casting; a point on an edge may fall either way). */
function insidePolygon(polygon: readonly LatLon[], p: LatLon): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.lat > p.lat !== b.lat > p.lat && p.lon < ((b.lon - a.lon) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lon) inside = !inside;
  }
  return inside;
}

/**
 * Great-circle metres from `p` to the polygon's edge (0 inside). The nearest point of the edge is
 * found in a plane around the polygon, then measured on the sphere, so a point far away (another
 * continent) still gets its true distance to within the polygon's size.
 */
export function distanceToPolygon(polygon: readonly LatLon[], p: LatLon): Meters {
  const first = polygon[0];
  if (first === undefined) return meters(0);
  if (polygon.length >= 3 && insidePolygon(polygon, p)) return meters(0);
  const { to, from } = plane(first);
  const q = to(p);
  let best = Infinity;
  let nearest: LatLon = first;
  for (let i = 0; i < polygon.length; i++) {
    const a = to(polygon[i]!);
    const b = to(polygon[(i + 1) % polygon.length]!);
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((q.x - a.x) * dx + (q.y - a.y) * dy) / len2));
    const x = a.x + t * dx;
    const y = a.y + t * dy;
    const d2 = (q.x - x) ** 2 + (q.y - y) ** 2;
    if (d2 < best) {
      best = d2;
      nearest = from(x, y);
    }
  }
  return haversine(p, nearest);
}

/** Metres from `p` to the service area, buffer included: 0 when `p` is inside it. */
export function distanceOutside(area: ServiceArea, p: LatLon): Meters {
  return meters(Math.max(0, distanceToPolygon(area.polygon, p) - area.bufferM));
}

/** The convex hull of points, counter-clockwise in (lon, lat), without repeating the first corner. */
export function convexHull(points: readonly LatLon[]): LatLon[] {
  const sorted = [...points].sort((a, b) => a.lon - b.lon || a.lat - b.lat);
  if (sorted.length < 3) return sorted;
  const cross = (o: LatLon, a: LatLon, b: LatLon) => (a.lon - o.lon) * (b.lat - o.lat) - (a.lat - o.lat) * (b.lon - o.lon);
  const half = (pts: readonly LatLon[]): LatLon[] => {
    const out: LatLon[] = [];
    for (const p of pts) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  // Monotone chain: the lower hull left to right, then the upper hull right to left.
  return [...half(sorted), ...half([...sorted].reverse())];
}
