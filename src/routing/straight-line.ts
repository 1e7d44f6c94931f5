import { meters, seconds } from '../core/ids.ts';
import { haversine } from '../core/lat-lon.ts';
import type { TravelResult, TravelTimeEstimator } from '../core/travel-time.ts';

/**
 * Estimates road travel as straight-line distance times a detour factor, at one speed per unit
 * type (m/s). A stand-in until the road graph answers the same interface.
 */
export function straightLineEstimator(detourFactor: number, speedMps: (unitType: string) => number): TravelTimeEstimator {
  return {
    name: 'straight-line',
    travelTimes(destination, origins): TravelResult[] {
      return origins.map((o) => {
        const d = haversine(o.location, destination) * detourFactor;
        return { ok: true, distanceM: meters(Math.round(d)), travelS: seconds(Math.round(d / speedMps(o.unitType))) };
      });
    },
  };
}
