import type { Meters, Seconds } from './ids.ts';
import type { LatLon } from './lat-lon.ts';

export type TravelResult = { readonly ok: true; readonly travelS: Seconds; readonly distanceM: Meters } | { readonly ok: false; readonly code: 'NoRoute' };

export interface TravelOrigin {
  readonly id: string;
  readonly location: LatLon;
  readonly unitType: string;
}

/**
 * The port through which the core asks for travel times: from many origins to one destination,
 * in one call, so an implementation can run a single reverse search. Results follow `origins` order.
 */
export interface TravelTimeEstimator {
  readonly name: string;
  travelTimes(destination: LatLon, origins: readonly TravelOrigin[]): TravelResult[];
}
