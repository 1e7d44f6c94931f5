import { meters, seconds, type Meters, type Seconds } from './ids.ts';
import { haversine, type LatLon } from './lat-lon.ts';
import type { TravelOrigin, TravelTimeEstimator } from './travel-time.ts';

/**
 * How a unit type travels: on the road graph (the estimator's answer), or by water, a boat's
 * straight line at its own speed (m/s): a fireboat routed by road would be sent down the streets.
 */
export type TravelBy = { readonly by: 'road' } | { readonly by: 'water'; readonly speedMps: number };

export const BY_ROAD: TravelBy = { by: 'road' };

/** One unit's way to a place: how it goes, in how many seconds, over how many metres. */
export interface UnitTravel {
  readonly by: TravelBy['by'];
  readonly travelS: Seconds;
  readonly distanceM: Meters;
}

/**
 * Travel to `destination` from each origin, in origin order; undefined where the road has no
 * route. Every road unit is asked of the estimator in one call (one search); boats need none.
 */
export function unitTravel(
  destination: LatLon,
  origins: readonly TravelOrigin[],
  estimator: TravelTimeEstimator,
  travelBy: (unitType: string) => TravelBy,
): (UnitTravel | undefined)[] {
  const modes = origins.map((o) => travelBy(o.unitType));
  const road = origins.filter((_, i) => modes[i]!.by === 'road');
  const roadTimes = road.length === 0 ? [] : estimator.travelTimes(destination, road);
  let next = 0;
  return origins.map((o, i): UnitTravel | undefined => {
    const mode = modes[i]!;
    if (mode.by === 'water') {
      const d = haversine(o.location, destination);
      return { by: 'water', travelS: seconds(Math.round(d / mode.speedMps)), distanceM: meters(Math.round(d)) };
    }
    const t = roadTimes[next++];
    return t?.ok ? { by: 'road', travelS: t.travelS, distanceM: t.distanceM } : undefined;
  });
}
