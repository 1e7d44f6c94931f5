import { readFileSync } from 'node:fs';
import { isValidLatLon, type LatLon } from '../core/lat-lon.ts';
import { PROJECT_ROOT } from './configuration.ts';

export const SERVICE_AREA_FILE = 'config/service-area.json';

/** config/service-area.json: the buffer (m), and the polygon when it is not the road graph's hull. */
export interface ServiceAreaConfig {
  readonly bufferM: number;
  readonly polygon?: readonly LatLon[];
}

function fail(what: string): never {
  throw new Error(`${SERVICE_AREA_FILE}: ${what}`);
}

/** Reads and checks config/service-area.json; a bad file stops start-up, naming the field. */
export function loadServiceAreaConfig(root: string = PROJECT_ROOT): ServiceAreaConfig {
  const raw = JSON.parse(readFileSync(`${root}${SERVICE_AREA_FILE}`, 'utf8')) as Record<string, unknown>;
  const { bufferM, polygon } = raw;
  if (typeof bufferM !== 'number' || !Number.isFinite(bufferM) || bufferM < 0) fail('bufferM must be a number of metres, 0 or more');
  if (polygon === undefined) return { bufferM };
  if (!Array.isArray(polygon) || polygon.length < 3) fail('polygon must be a list of at least 3 {lat, lon} corners');
  const corners = polygon.map((p: unknown, i): LatLon => {
    const c = p as Partial<LatLon> | null;
    if (typeof c?.lat !== 'number' || typeof c.lon !== 'number' || !isValidLatLon({ lat: c.lat, lon: c.lon })) {
      fail(`polygon[${i}] must be {lat, lon} in WGS84 degrees`);
    }
    return { lat: c.lat, lon: c.lon };
  });
  return { bufferM, polygon: corners };
}
