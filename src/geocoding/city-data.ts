import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvRecords } from '../interop/csv.ts';
import { Geocoder } from './geocoder.ts';
import { BlockIndex } from './house-numbers.ts';
import type { Place } from './places.ts';
import type { Polyline } from './polylines.ts';
import { StreetIndex } from './street-index.ts';
import { titleCase } from './street-names.ts';

/** The bundled files the geocoder and the basemap read (see data/sf/README.md). */
export const CITY_FILES = {
  roads: 'data/sf/sf_roads_tiger2017_named.geojson',
  calls: 'data/sf/sf_fire_calls_2016-12-31_to_2017-01-03.csv',
  healthCare: 'data/sf/sf_health_care_facilities_datasf.csv',
} as const;

export const ROADS_ATTRIBUTION = 'Source: U.S. Census Bureau, TIGER/Line Shapefiles 2017';

/** One TIGER road: its name (absent for most ramps), its MAF/TIGER class (S1100 primary … S1740 private) and its line. */
export interface RoadLine {
  readonly name?: string;
  readonly mtfcc?: string;
  readonly line: Polyline;
}

/** Primary and secondary roads (freeways, highways, the big arterials TIGER classes as such). */
export const isMajorRoad = (mtfcc: string | undefined) => mtfcc === 'S1100' || mtfcc === 'S1200';

interface RoadFeature {
  readonly properties?: { FULLNAME?: string | null; MTFCC?: string | null };
  readonly geometry?: { type: string; coordinates: number[][] } | null;
}

export function readRoads(root: string): RoadLine[] {
  const fc = JSON.parse(readFileSync(join(root, CITY_FILES.roads), 'utf8')) as { features: RoadFeature[] };
  const roads: RoadLine[] = [];
  for (const f of fc.features) {
    if (f.geometry?.type !== 'LineString') continue;
    const name = f.properties?.FULLNAME ?? undefined;
    const mtfcc = f.properties?.MTFCC ?? undefined;
    roads.push({ ...(name ? { name } : {}), ...(mtfcc ? { mtfcc } : {}), line: f.geometry.coordinates.flat() });
  }
  return roads;
}

const POINT = /^\(\s*(-?\d+(?:\.\d+)?),\s*(-?\d+(?:\.\d+)?)\s*\)$/;

/** The calls' block addresses with their points ("1400 Block of MARKET ST", 37.77, -122.41). */
export function readBlockAddresses(root: string): { address: string; location: { lat: number; lon: number } }[] {
  const rows = parseCsvRecords(readFileSync(join(root, CITY_FILES.calls), 'utf8'));
  return rows.flatMap((r) => {
    const m = POINT.exec(r['Location'] ?? '');
    return m && r['Address'] ? [{ address: r['Address'], location: { lat: Number(m[1]), lon: Number(m[2]) } }] : [];
  });
}

/** The health-care facilities, hospitals first in the file's order. */
export function readHealthCarePlaces(root: string): Place[] {
  const rows = parseCsvRecords(readFileSync(join(root, CITY_FILES.healthCare), 'utf8'));
  return rows.flatMap((r): Place[] => {
    const lat = Number(r['latitude']);
    const lon = Number(r['longitude']);
    if (!r['facility_name'] || !Number.isFinite(lat) || !Number.isFinite(lon) || r['latitude'] === '') return [];
    const address = r['address'] ? titleCase(r['address']) : undefined;
    const what = r['facility_type'] === 'General Acute Care Hospital' ? 'Hospital' : (r['facility_type'] ?? 'Health care');
    return [{ name: r['facility_name'], location: { lat, lon }, detail: [what, address].filter(Boolean).join(' · '), ...(address ? { address } : {}) }];
  });
}

export interface CityGeodata {
  readonly roads: readonly RoadLine[];
  readonly geocoder: Geocoder;
  readonly healthCare: readonly Place[];
}

const loaded = new Map<string, CityGeodata>();

/**
 * The bundled city's roads, geocoder and health-care places, read on first use (not at start-up:
 * about a tenth of a second that a server which never geocodes need not spend) and kept.
 */
export function cityGeodata(root: string): CityGeodata {
  const cached = loaded.get(root);
  if (cached) return cached;
  const roads = readRoads(root);
  const named = roads.flatMap((r) => (r.name ? [{ name: r.name, line: r.line, major: isMajorRoad(r.mtfcc) }] : []));
  const geocoder = new Geocoder(StreetIndex.fromLines(named), BlockIndex.fromAddresses(readBlockAddresses(root)));
  const data = { roads, geocoder, healthCare: readHealthCarePlaces(root) };
  loaded.set(root, data);
  return data;
}
