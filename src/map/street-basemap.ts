/**
 * The street network as a drawing, for a map with no tile server: every road line, thinned
 * (Douglas–Peucker) to what shows at street zoom and rounded to 5 decimals (about 1 m).
 */

export interface BasemapLine {
  readonly name?: string;
  /** `major`: a primary or secondary road; `minor`: the rest. */
  readonly kind: 'major' | 'minor';
  /** [lon, lat, lon, lat, …] */
  readonly line: readonly number[];
}

export interface StreetFeature {
  readonly type: 'Feature';
  readonly properties: { readonly kind: 'major' | 'minor'; readonly name?: string };
  readonly geometry: { readonly type: 'LineString'; readonly coordinates: readonly (readonly [number, number])[] };
}

export interface StreetCollection {
  readonly type: 'FeatureCollection';
  readonly attribution: string;
  readonly features: readonly StreetFeature[];
}

/** About 2 m at San Francisco's latitude: finer than a street's width on screen. */
export const DEFAULT_TOLERANCE_DEG = 0.00002;

const r5 = (v: number) => Math.round(v * 1e5) / 1e5;

/** Douglas–Peucker on [lon, lat] pairs, in degrees (the city is small enough for a plane). */
export function simplify(points: readonly (readonly [number, number])[], tolerance: number): [number, number][] {
  if (points.length <= 2) return points.map(([x, y]) => [x, y]);
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    const [ax, ay] = points[first]!;
    const [bx, by] = points[last]!;
    const dx = bx - ax, dy = by - ay;
    const len = Math.hypot(dx, dy);
    let worst = -1, worstD = 0;
    for (let i = first + 1; i < last; i++) {
      const [px, py] = points[i]!;
      const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / len;
      if (d > worstD) [worst, worstD] = [i, d];
    }
    if (worst >= 0 && worstD > tolerance) {
      keep[worst] = 1;
      stack.push([first, worst], [worst, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1).map(([x, y]) => [x, y]);
}

/** The lines as a GeoJSON FeatureCollection of LineStrings, thinned and rounded; lines that collapse to a point are left out. */
export function streetBasemap(lines: Iterable<BasemapLine>, attribution: string, tolerance = DEFAULT_TOLERANCE_DEG): StreetCollection {
  const features: StreetFeature[] = [];
  for (const l of lines) {
    const pairs: [number, number][] = [];
    for (let i = 0; i + 1 < l.line.length; i += 2) pairs.push([l.line[i]!, l.line[i + 1]!]);
    const coords: [number, number][] = [];
    for (const [x, y] of simplify(pairs, tolerance)) {
      const p: [number, number] = [r5(x), r5(y)];
      const prev = coords[coords.length - 1];
      if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) coords.push(p);
    }
    if (coords.length < 2) continue;
    features.push({
      type: 'Feature',
      properties: { kind: l.kind, ...(l.name ? { name: l.name } : {}) },
      geometry: { type: 'LineString', coordinates: coords },
    });
  }
  return { type: 'FeatureCollection', attribution, features };
}
