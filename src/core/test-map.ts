/**
 * Test-only helpers for the recommendation tests: a small map, a fake travel-time estimator and
 * a way to ask for a recommendation about incident I1 of a folded world.
 */
import unitTypesFile from '../../config/unit-types.json' with { type: 'json' };
import { meters, seconds } from './ids.ts';
import { haversine, type LatLon } from './lat-lon.ts';
import { recommend, type Recommendation, type UnitWhereabouts } from './recommend.ts';
import type { ResponsePlan } from './response-plan.ts';
import {
  CITY_HALL,
  UNIT_TYPES,
  incidentOf,
  incidentReceived,
  plan,
  unitCommissioned,
  unitMoves,
  unitOf,
  unitsDispatched,
  type World,
} from './test-kit.ts';
import type { TravelOrigin, TravelTimeEstimator } from './travel-time.ts';
import { BY_ROAD, type TravelBy } from './unit-travel.ts';

const TYPES: Readonly<Record<string, { readonly travel?: string; readonly speedMps: number }>> = unitTypesFile.types;

/** How each real unit type travels (config/unit-types.json): boats by water at their own speed, the rest by road. */
export function travelByType(unitType: string): TravelBy {
  const t = TYPES[unitType];
  return t?.travel === 'water' ? { by: 'water', speedMps: t.speedMps } : BY_ROAD;
}

/**
 * The test map: every incident is at City Hall (*). Units sit due north of it, at whole
 * kilometres, so straight-line distance is the distance on the map:
 *
 *        5 km  ·
 *        4 km  ·
 *        3 km  ·
 *        2 km  ·
 *        1 km  ·
 *        0     *  City Hall
 */
/** Kilometres in one degree of latitude on the sphere `haversine` uses (radius 6371.0088 km). */
const KM_PER_DEGREE_LAT = (6371.0088 * Math.PI) / 180;
export const north = (km: number): LatLon => ({ lat: CITY_HALL.lat + km / KM_PER_DEGREE_LAT, lon: CITY_HALL.lon });

/**
 * A fake estimator: straight-line metres at 10 m/s (so 1 km is 100 s); `noRoute` units have no
 * road; a unit in `detour` drives that many times the straight line (a river between it and the scene).
 */
export function crowFlies(
  noRoute: readonly string[] = [],
  detour: Readonly<Record<string, number>> = {},
): TravelTimeEstimator & { asked: TravelOrigin[] } {
  const asked: TravelOrigin[] = [];
  return {
    name: 'test-crow-flies',
    asked,
    travelTimes: (destination, origins) => {
      asked.push(...origins);
      return origins.map((o) => {
        if (noRoute.includes(o.id)) return { ok: false, code: 'NoRoute' } as const;
        const distanceM = meters(haversine(o.location, destination) * (detour[o.id] ?? 1));
        return { ok: true, distanceM, travelS: seconds(distanceM / 10) } as const;
      });
    },
  };
}

export interface Placed {
  readonly id: string;
  readonly km: number;
  /** `station`: no fix, assumed at its station, `km` north; `live`: a fix `km` north. */
  readonly source?: 'station' | 'live';
}

export function recommendation(
  world: World,
  placed: readonly Placed[],
  opts: { plan?: ResponsePlan | undefined; estimator?: TravelTimeEstimator; travelBy?: (unitType: string) => TravelBy } = {},
): Recommendation {
  const incident = incidentOf(world, 'I1');
  const units: UnitWhereabouts[] = placed.map(({ id, km, source = 'station' }) => ({
    unit: unitOf(world, id),
    location: north(km),
    source,
    placeName: source === 'station' ? `Station ${id}` : 'its live position',
  }));
  return recommend({
    incident,
    plan: 'plan' in opts ? opts.plan : plan(incident.details.nature),
    units,
    estimator: opts.estimator ?? crowFlies(),
    turnoutS: (t) => seconds(UNIT_TYPES.get(t)?.turnoutS ?? 60),
    travelBy: opts.travelBy ?? travelByType,
  });
}

export const engines = (...ids: string[]) => ids.map((id) => unitCommissioned(id, 'engine'));
export const ids = (r: Recommendation) => r.candidates.map((c) => c.unitId);
/** A second, earlier incident that keeps units busy. */
export const busyOnI9 = (...unitIds: string[]) => [incidentReceived('I9'), ...unitsDispatched('I9', unitIds)];
export const outOfService = (unitId: string) => unitMoves(unitId, undefined, 'available', ['out_of_service']);
