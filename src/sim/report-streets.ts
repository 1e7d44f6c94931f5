import { readRoads, ROADS_ATTRIBUTION } from '../geocoding/city-data.ts';
import { simplify } from '../map/street-basemap.ts';

/**
 * About 10 m at San Francisco's latitude: a report's city-wide map draws a kilometre in some 50
 * pixels, so finer detail would only make the file larger (about 12,000 points for the whole city).
 */
const TOLERANCE_DEG = 0.0001;

let cached: { root: string; lines: [number, number][][] } | undefined;

/** The bundled street lines as [lon, lat] points, thinned for the report's map background. */
export function reportStreets(root: string): [number, number][][] {
  if (cached?.root === root) return cached.lines;
  const lines: [number, number][][] = [];
  for (const r of readRoads(root)) {
    const pairs: [number, number][] = [];
    for (let i = 0; i + 1 < r.line.length; i += 2) pairs.push([r.line[i]!, r.line[i + 1]!]);
    const thin = simplify(pairs, TOLERANCE_DEG).map(([lon, lat]): [number, number] => [Math.round(lon * 1e5) / 1e5, Math.round(lat * 1e5) / 1e5]);
    if (thin.length >= 2) lines.push(thin);
  }
  cached = { root, lines };
  return lines;
}

/** Where those lines come from, for the report's footer. */
export const REPORT_STREETS_ATTRIBUTION = ROADS_ATTRIBUTION;
