import type { LatLon } from '../core/lat-lon.ts';
import type { TravelOrigin, TravelResult, TravelTimeEstimator } from '../core/travel-time.ts';

/** Past this many remembered answers the cache starts again (a synthetic year would otherwise grow without end). */
const MAX_ENTRIES = 400_000;

const placeKey = (p: LatLon): string => `${p.lat},${p.lon}`;

/**
 * Remembers road travel times by destination, origin and unit type. The policies replay the same
 * call in lockstep, so routed and routed_volunteers ask for the same unit positions to the same
 * scene, and a unit driving home from a scene is asked the same question under every policy. A
 * question answered once is not routed again; the ones left go to the road in one call, as before.
 */
export class TravelCache implements TravelTimeEstimator {
  readonly name: string;
  private readonly byDestination = new Map<string, Map<string, TravelResult>>();
  private entries = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly road: TravelTimeEstimator) {
    this.name = road.name;
  }

  travelTimes(destination: LatLon, origins: readonly TravelOrigin[]): TravelResult[] {
    const dKey = placeKey(destination);
    let known = this.byDestination.get(dKey);
    if (known === undefined) {
      if (this.entries >= MAX_ENTRIES) {
        this.byDestination.clear();
        this.entries = 0;
      }
      this.byDestination.set(dKey, (known = new Map()));
    }
    const keys = origins.map((o) => `${placeKey(o.location)}|${o.unitType}`);
    const missing: number[] = [];
    keys.forEach((k, i) => {
      if (!known.has(k)) missing.push(i);
    });
    this.hits += origins.length - missing.length;
    this.misses += missing.length;
    if (missing.length > 0) {
      const found = this.road.travelTimes(destination, missing.map((i) => origins[i]!));
      missing.forEach((i, k) => {
        if (!known.has(keys[i]!)) this.entries++;
        known.set(keys[i]!, found[k]!);
      });
    }
    return keys.map((k) => known.get(k)!);
  }
}
