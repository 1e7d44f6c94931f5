import type { LatLon } from '../core/lat-lon.ts';

/**
 * Street lines as flat [lon, lat, lon, lat, …] arrays, measured in a local plane: within a city an
 * equirectangular projection is off by well under a metre per kilometre, and keeps this arithmetic.
 */
export type Polyline = readonly number[];

const M_PER_DEG_LAT = 110_574;
/** Metres per degree of longitude at a latitude. */
const mPerDegLon = (lat: number) => 111_320 * Math.cos((lat * Math.PI) / 180);

export interface BBox {
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

export function bboxOf(line: Polyline): BBox {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (let i = 0; i < line.length; i += 2) {
    minLon = Math.min(minLon, line[i]!);
    maxLon = Math.max(maxLon, line[i]!);
    minLat = Math.min(minLat, line[i + 1]!);
    maxLat = Math.max(maxLat, line[i + 1]!);
  }
  return { minLon, minLat, maxLon, maxLat };
}

/** Whether two boxes come within `marginDeg` of each other. */
export function boxesMeet(a: BBox, b: BBox, marginDeg = 0): boolean {
  return a.minLon <= b.maxLon + marginDeg && b.minLon <= a.maxLon + marginDeg && a.minLat <= b.maxLat + marginDeg && b.minLat <= a.maxLat + marginDeg;
}

export interface OnLine {
  /** Metres from the line's start to the nearest point. */
  readonly measure: number;
  /** Metres from the point to the line. */
  readonly distanceM: number;
  readonly point: LatLon;
}

/** The point of a line nearest to `p`, and how far along the line it lies. */
export function projectOnLine(line: Polyline, p: LatLon): OnLine {
  const kx = mPerDegLon(p.lat);
  let best: OnLine = { measure: 0, distanceM: Infinity, point: { lat: line[1]!, lon: line[0]! } };
  let along = 0;
  for (let i = 0; i + 3 < line.length; i += 2) {
    const ax = (line[i]! - p.lon) * kx, ay = (line[i + 1]! - p.lat) * M_PER_DEG_LAT;
    const bx = (line[i + 2]! - p.lon) * kx, by = (line[i + 3]! - p.lat) * M_PER_DEG_LAT;
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    const x = ax + t * dx, y = ay + t * dy;
    const d = Math.hypot(x, y);
    const len = Math.sqrt(len2);
    if (d < best.distanceM) {
      best = { measure: along + t * len, distanceM: d, point: { lon: p.lon + x / kx, lat: p.lat + y / M_PER_DEG_LAT } };
    }
    along += len;
  }
  return best;
}

/** Length of a line, metres. */
export function lineLength(line: Polyline): number {
  let total = 0;
  for (let i = 0; i + 3 < line.length; i += 2) total += segmentM(line[i]!, line[i + 1]!, line[i + 2]!, line[i + 3]!);
  return total;
}

function segmentM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return Math.hypot((lon2 - lon1) * mPerDegLon((lat1 + lat2) / 2), (lat2 - lat1) * M_PER_DEG_LAT);
}

/** The point `measure` metres along a line (clamped to its ends). */
export function pointAt(line: Polyline, measure: number): LatLon {
  let along = 0;
  for (let i = 0; i + 3 < line.length; i += 2) {
    const len = segmentM(line[i]!, line[i + 1]!, line[i + 2]!, line[i + 3]!);
    if (along + len >= measure && len > 0) {
      const t = Math.max(0, (measure - along) / len);
      return { lon: line[i]! + t * (line[i + 2]! - line[i]!), lat: line[i + 1]! + t * (line[i + 3]! - line[i + 1]!) };
    }
    along += len;
  }
  return { lon: line[line.length - 2]!, lat: line[line.length - 1]! };
}

/** Points where two lines cross, in lon/lat (a plane at this scale). */
export function crossings(a: Polyline, b: Polyline): LatLon[] {
  const found: LatLon[] = [];
  for (let i = 0; i + 3 < a.length; i += 2) {
    const [x1, y1, x2, y2] = [a[i]!, a[i + 1]!, a[i + 2]!, a[i + 3]!];
    for (let j = 0; j + 3 < b.length; j += 2) {
      const [x3, y3, x4, y4] = [b[j]!, b[j + 1]!, b[j + 2]!, b[j + 3]!];
      if (Math.max(x3, x4) < Math.min(x1, x2) || Math.min(x3, x4) > Math.max(x1, x2)) continue;
      if (Math.max(y3, y4) < Math.min(y1, y2) || Math.min(y3, y4) > Math.max(y1, y2)) continue;
      const den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4);
      if (den === 0) continue;
      const t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den;
      const u = ((x1 - x3) * (y1 - y2) - (y1 - y3) * (x1 - x2)) / den;
      if (t >= 0 && t <= 1 && u >= 0 && u <= 1) found.push({ lon: x1 + t * (x2 - x1), lat: y1 + t * (y2 - y1) });
    }
  }
  return found;
}

/**
 * Where two lines come closest when they do not cross (TIGER ends some streets a few metres short
 * of the one they meet): the midpoint between the nearest vertex of one and the other line.
 */
export function closestApproach(a: Polyline, b: Polyline): { point: LatLon; distanceM: number } {
  let best = { point: { lat: a[1]!, lon: a[0]! }, distanceM: Infinity };
  const tryFrom = (from: Polyline, to: Polyline) => {
    for (let i = 0; i < from.length; i += 2) {
      const p = { lon: from[i]!, lat: from[i + 1]! };
      const on = projectOnLine(to, p);
      if (on.distanceM < best.distanceM) {
        best = { point: { lat: (p.lat + on.point.lat) / 2, lon: (p.lon + on.point.lon) / 2 }, distanceM: on.distanceM };
      }
    }
  };
  tryFrom(a, b);
  tryFrom(b, a);
  return best;
}
