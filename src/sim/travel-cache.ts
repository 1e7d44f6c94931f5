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
/** Answers by origin latitude, longitude and unit type: numbers as keys, no string to build per origin. */
type ByOrigin = Map<number, Map<number, Map<string, TravelResult>>>;

export class TravelCache implements TravelTimeEstimator {
  readonly name: string;
  private readonly byDestination = new Map<string, ByOrigin>();
  private entries = 0;

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
    const out: (TravelResult | undefined)[] = origins.map((o) => known.get(o.location.lat)?.get(o.location.lon)?.get(o.unitType));
    const missing: number[] = [];
    out.forEach((r, i) => {
      if (r === undefined) missing.push(i);
    });
    if (missing.length > 0) {
      const found = this.road.travelTimes(destination, missing.map((i) => origins[i]!));
      missing.forEach((i, k) => {
        const o = origins[i]!;
        let byLon = known.get(o.location.lat);
        if (byLon === undefined) known.set(o.location.lat, (byLon = new Map()));
        let byType = byLon.get(o.location.lon);
        if (byType === undefined) byLon.set(o.location.lon, (byType = new Map()));
        if (!byType.has(o.unitType)) this.entries++;
        byType.set(o.unitType, found[k]!);
        out[i] = found[k]!;
      });
    }
    return out as TravelResult[];
  }
}
