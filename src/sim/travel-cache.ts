import type { LatLon } from '../core/lat-lon.ts';
import type { TravelOrigin, TravelResult, TravelTimeEstimator } from '../core/travel-time.ts';

/** Past this many remembered answers the cache starts again (a synthetic year would otherwise grow without end). */
const MAX_ENTRIES = 400_000;
/** Places and unit types get small numbers; a key is `place × TYPES + type`, which stays a small integer. */
const TYPES = 256;
const MAX_PLACES = 2 ** 22;

/**
 * Remembers road travel times by destination, origin and unit type. The policies replay the same
 * call in lockstep, so routed and routed_volunteers ask for the same unit positions to the same
 * scene, and a unit driving home from a scene is asked the same question under every policy. A
 * question answered once is not routed again; the ones left go to the road in one call, as before.
 *
 * A year asks about a few thousand places (scenes, stations, homes) but hundreds of thousands of
 * pairs of them: each place gets a number once, and each destination one map from
 * `origin × TYPES + type` to the answer, so an answer costs one map entry, not a map per origin.
 */
export class TravelCache implements TravelTimeEstimator {
  readonly name: string;
  /** latitude → longitude → the place's number. */
  private readonly places = new Map<number, Map<number, number>>();
  private placeCount = 0;
  private readonly types = new Map<string, number>();
  private readonly byDestination = new Map<number, Map<number, TravelResult>>();
  private entries = 0;

  constructor(
    private readonly road: TravelTimeEstimator,
    private readonly maxEntries = MAX_ENTRIES,
  ) {
    this.name = road.name;
  }

  private placeOf(p: LatLon): number {
    let byLon = this.places.get(p.lat);
    if (byLon === undefined) this.places.set(p.lat, (byLon = new Map()));
    let id = byLon.get(p.lon);
    if (id === undefined) byLon.set(p.lon, (id = this.placeCount++));
    return id;
  }

  private typeOf(unitType: string): number {
    let id = this.types.get(unitType);
    if (id === undefined) {
      // The configured unit types and 'walk': a dozen, not hundreds.
      if (this.types.size >= TYPES) throw new Error(`TravelCache: more than ${TYPES} unit types`);
      this.types.set(unitType, (id = this.types.size));
    }
    return id;
  }

  private clear(): void {
    this.byDestination.clear();
    this.places.clear();
    this.types.clear();
    this.placeCount = 0;
    this.entries = 0;
  }

  travelTimes(destination: LatLon, origins: readonly TravelOrigin[]): TravelResult[] {
    if (this.entries >= this.maxEntries || this.placeCount + origins.length + 1 >= MAX_PLACES) this.clear();
    const dId = this.placeOf(destination);
    let known = this.byDestination.get(dId);
    if (known === undefined) this.byDestination.set(dId, (known = new Map()));
    const keys = origins.map((o) => this.placeOf(o.location) * TYPES + this.typeOf(o.unitType));
    const out: (TravelResult | undefined)[] = keys.map((k) => known.get(k));
    const missing: number[] = [];
    out.forEach((r, i) => {
      if (r === undefined) missing.push(i);
    });
    if (missing.length > 0) {
      const found = this.road.travelTimes(destination, missing.map((i) => origins[i]!));
      missing.forEach((i, k) => {
        if (!known.has(keys[i]!)) this.entries++;
        known.set(keys[i]!, found[k]!);
        out[i] = found[k]!;
      });
    }
    return out as TravelResult[];
  }
}
