/**
 * Great-circle distance on plain numbers, for the hot loops of the live index. The index and its
 * brute-force reference both measure with this one function, so their orders agree to the last bit.
 */

/** Mean Earth radius (m), the same as core/lat-lon.ts. */
export const EARTH_RADIUS_M = 6_371_008.8;
/** Metres per degree of latitude on that sphere. */
export const METERS_PER_DEGREE = (Math.PI * EARTH_RADIUS_M) / 180;

const RAD = Math.PI / 180;

/** cos(latitude in degrees): computed once per query and handed to {@link haversineM}. */
export const cosLat = (latDeg: number): number => Math.cos(latDeg * RAD);

/**
 * Haversine distance in metres from point 1 (whose latitude's cosine is `cosLat1`) to point 2;
 * all angles in degrees. Correct across the antimeridian (sin² has period π) and at the poles.
 */
export function haversineM(lat1: number, lon1: number, cosLat1: number, lat2: number, lon2: number): number {
  const sLat = Math.sin((lat2 - lat1) * (RAD / 2));
  const sLon = Math.sin((lon2 - lon1) * (RAD / 2));
  const h = sLat * sLat + cosLat1 * Math.cos(lat2 * RAD) * sLon * sLon;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** True when lat/lon (degrees) are finite and within [-90, 90] × [-180, 180]. */
export const isValidCoordinate = (lat: number, lon: number): boolean =>
  Number.isFinite(lat) && Number.isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
