import type { AedRecord } from '../../core/aed.ts';
import type { IncidentState } from '../../core/incident.ts';
import type { LatLon } from '../../core/lat-lon.ts';
import type { StationState } from '../../core/station.ts';
import type { UnitState } from '../../core/unit.ts';

/**
 * RFC 7946 documents of what the centre knows, for integrators' maps: incidents, units, stations
 * and AEDs as FeatureCollections of Points. Positions are [longitude, latitude] (RFC 7946 §3.1.1),
 * WGS84 with no `crs` member (§4), rounded to 6 decimals (about 0.1 m: §11.2 asks for no false
 * precision). What a feature carries is what a map beside ours needs; never who called, their
 * number or the access notes of a door (those stay behind the incident routes and their audit).
 */
export interface Point {
  readonly type: 'Point';
  readonly coordinates: readonly [number, number];
}

export interface Feature<P> {
  readonly type: 'Feature';
  readonly id: string;
  readonly geometry: Point;
  readonly properties: P;
}

export interface FeatureCollection<P> {
  readonly type: 'FeatureCollection';
  readonly features: readonly Feature<P>[];
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** A position as RFC 7946 orders it: longitude first. */
export const pointOf = (p: LatLon): Point => ({ type: 'Point', coordinates: [round6(p.lon), round6(p.lat)] });

const feature = <P>(id: string, at: LatLon, properties: P): Feature<P> => ({ type: 'Feature', id, geometry: pointOf(at), properties });

export const collection = <P>(features: readonly Feature<P>[]): FeatureCollection<P> => ({ type: 'FeatureCollection', features });

export interface IncidentProperties {
  readonly kind: 'incident';
  readonly status: string;
  readonly nature: string;
  readonly priority: number;
  readonly address: string | null;
  readonly floor: string | null;
  readonly receivedAt: string;
  readonly statusChangedAt: string;
  /** Units still committed to it. */
  readonly units: readonly string[];
  readonly outsideServiceArea: boolean;
  readonly source: string | null;
  readonly externalId: string | null;
}

export function incidentFeature(s: IncidentState): Feature<IncidentProperties> {
  const d = s.details;
  return feature(s.id, d.location, {
    kind: 'incident',
    status: s.status,
    nature: d.nature,
    priority: d.priority,
    address: d.address ?? null,
    floor: d.floor ?? null,
    receivedAt: s.receivedAt,
    statusChangedAt: s.statusChangedAt,
    units: Object.values(s.assignments)
      .filter((a) => a.active)
      .map((a) => a.unitId),
    outsideServiceArea: s.outsideServiceArea === true,
    source: s.source ?? null,
    externalId: s.externalId ?? null,
  });
}

/** Where a unit is drawn: its live fix, its last logged one, or its station; and which of these it is. */
export interface UnitPlace {
  readonly location: LatLon;
  readonly source: 'live' | 'logged' | 'station';
  readonly at: string | null;
  readonly stale: boolean;
}

export interface UnitProperties {
  readonly kind: 'unit';
  readonly name: string;
  readonly unitType: string;
  readonly status: string;
  readonly statusChangedAt: string;
  readonly capabilities: readonly string[];
  readonly stationId: string;
  readonly incidentId: string | null;
  readonly positionSource: UnitPlace['source'];
  readonly positionAt: string | null;
  readonly positionStale: boolean;
}

export function unitFeature(u: UnitState, place: UnitPlace): Feature<UnitProperties> {
  return feature(u.id, place.location, {
    kind: 'unit',
    name: u.name,
    unitType: u.unitType,
    status: u.status,
    statusChangedAt: u.statusChangedAt,
    capabilities: u.capabilities,
    stationId: u.stationId,
    incidentId: u.incidentId ?? null,
    positionSource: place.source,
    positionAt: place.at,
    positionStale: place.stale,
  });
}

export interface StationProperties {
  readonly kind: 'station';
  readonly name: string;
  readonly address: string;
  /** Units whose home it is. */
  readonly units: readonly string[];
}

export const stationFeature = (s: StationState, units: readonly string[]): Feature<StationProperties> =>
  feature(s.id, s.location, { kind: 'station', name: s.name, address: s.address, units });

export interface AedProperties {
  readonly kind: 'aed';
  readonly placeName: string;
  readonly floor: string | null;
  readonly status: string;
  readonly openNow: boolean;
  readonly hours: string;
  /** True for the generated demo set: not a real defibrillator. */
  readonly synthetic: boolean;
  readonly source: string;
}

/**
 * An AED without its access notes: those may hold a cabinet's code, which a volunteer is given
 * only once they accept (core/scene.ts); a public map must not be a way round that.
 */
export const aedFeature = (a: AedRecord, now: { openNow: boolean; hoursText: string }): Feature<AedProperties> =>
  feature(a.id, a.location, {
    kind: 'aed',
    placeName: a.placeName,
    floor: a.floor ?? null,
    status: a.status,
    openNow: now.openNow,
    hours: now.hoursText,
    synthetic: a.synthetic,
    source: a.source,
  });
