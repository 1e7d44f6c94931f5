import { meters, seconds } from '../core/ids.ts';
import type { LatLon } from '../core/lat-lon.ts';
import type { TravelOrigin, TravelResult, TravelTimeEstimator } from '../core/travel-time.ts';
import type { DriveProfile } from './drive-profile.ts';
import { buildArcGraph } from './arc-graph.ts';
import { NearestSearch, type OriginSeeds } from './nearest-search.ts';
import type { Distances, PathEngine } from './path-engine.ts';
import type { RoadGraph } from './road-graph.ts';
import { routeGeometry, type LineString } from './route-geometry.ts';
import { cheapestAt, directOnEdge, sourceSeeds, targetSeeds, type EdgeSeed } from './snapped-seeds.ts';
import type { RoadSnapper, Snapped } from './snap.ts';
import { usable, type ProfileName, type TravelMode } from './travel-mode.ts';

/** The quickest `enough` origins of a bounded search; see Router.nearest. */
export interface NearestOrigins {
  /** Quickest first: index into the origins given, travel seconds (unit type applied) and road metres. */
  readonly settled: readonly { readonly index: number; readonly seconds: number; readonly metres: number }[];
  /** Every other origin needs at least this many seconds of road (before its unit type's factor); Infinity: no route at all. */
  readonly horizonS: number;
}

export type RouteResult =
  | { readonly ok: true; readonly timeS: number; readonly distanceM: number; readonly geometry: LineString; readonly snappedM: readonly [number, number] }
  | { readonly ok: false; readonly code: 'NoRoute'; readonly message: string };

/** A travel mode with the engine that answers its queries. */
export interface ModeEngine {
  readonly mode: TravelMode;
  readonly engine: PathEngine;
}

/** Points farther than this from any usable road are off the network: NoRoute. */
export const MAX_SNAP_M = 1000;
/** Each cached position may also hold a hierarchy upward space (~5 kB): about 50 MB at most. */
const PLACED_CACHE_SIZE = 10_000;

interface Placed {
  readonly snap: Snapped;
  readonly sources: readonly EdgeSeed[];
  readonly targets: readonly EdgeSeed[];
}

/**
 * Answers routing questions in lat/lon: snaps points to the road, runs the mode's engine, and
 * turns seconds of road into a unit's travel time (drive: factor per unit type, plus fixedS).
 */
export class Router {
  constructor(
    readonly name: string,
    readonly graph: RoadGraph,
    private readonly snapper: RoadSnapper,
    private readonly modes: Readonly<Record<ProfileName, ModeEngine>>,
    readonly driveProfile: DriveProfile,
  ) {}

  private readonly nearestSearches = new Map<ProfileName, NearestSearch>();
  /** Units sit at stations and move little between queries: their snaps and seeds are kept, by profile, lat, lon (cleared when full). */
  private readonly placedCache: Record<ProfileName, Map<number, Map<number, Placed | null>>> = { drive: new Map(), walk: new Map() };
  private placedCount = 0;

  /** Places a point on the nearest road the profile may use; undefined when none is within MAX_SNAP_M. */
  snap(p: LatLon, profile: ProfileName): Snapped | undefined {
    return this.place(p, profile)?.snap;
  }

  /** A point on the road with the seeds to leave and to reach it; cached by position. */
  private place(p: LatLon, profile: ProfileName): Placed | undefined {
    const byLat = this.placedCache[profile];
    const cached = byLat.get(p.lat)?.get(p.lon);
    if (cached !== undefined) return cached ?? undefined;
    const { mode } = this.modes[profile];
    const g = this.graph;
    const snap = this.snapper.snap(p, MAX_SNAP_M, (e) => usable(mode, g.edgeClass[e]!, g.edgeFlags[e]!));
    const placed = snap === undefined ? null : { snap, sources: sourceSeeds(g, mode, snap), targets: targetSeeds(g, mode, snap) };
    if (this.placedCount >= PLACED_CACHE_SIZE) {
      this.placedCache.drive.clear();
      this.placedCache.walk.clear();
      this.placedCount = 0;
    }
    let byLon = byLat.get(p.lat);
    if (byLon === undefined) byLat.set(p.lat, (byLon = new Map()));
    byLon.set(p.lon, placed);
    this.placedCount++;
    return placed ?? undefined;
  }

  /** Seconds a unit type takes for a stretch that the profile's speeds cover in `roadS`. */
  tripSeconds(profile: ProfileName, roadS: number, unitType?: string): number {
    if (profile === 'walk') return roadS;
    const p = this.driveProfile;
    const factor = unitType === undefined ? p.defaultUnitTypeFactor : (p.unitTypeFactors[unitType] ?? p.defaultUnitTypeFactor);
    return factor * roadS + p.fixedS;
  }

  /** The quickest route between two points, with its line for the map. */
  route(from: LatLon, to: LatLon, profile: ProfileName = 'drive', unitType?: string): RouteResult {
    const { mode, engine } = this.modes[profile];
    const g = this.graph;
    const from_ = this.place(from, profile);
    const to_ = this.place(to, profile);
    if (from_ === undefined || to_ === undefined) {
      const which = from_ === undefined ? 'start' : 'destination';
      return { ok: false, code: 'NoRoute', message: `the ${which} is more than ${MAX_SNAP_M} m from any road open to ${profile}` };
    }
    const { snap: s, sources } = from_;
    const { snap: t, targets } = to_;
    const direct = directOnEdge(g, mode, s, t);
    const path = engine.shortestPath(sources, targets);
    const snappedM = [s.distanceM, t.distanceM] as const;
    if (direct !== undefined && (path === undefined || direct.weight <= path.weight)) {
      return this.found(profile, unitType, direct.weight, direct.length, routeGeometry(g, direct, [], undefined), snappedM);
    }
    if (path === undefined) return { ok: false, code: 'NoRoute', message: `no ${profile} route joins the two points` };
    const geometry = routeGeometry(g, cheapestAt(sources, path.sourceNode), path.edgeRefs, cheapestAt(targets, path.targetNode));
    return this.found(profile, unitType, path.weight, path.length, geometry, snappedM);
  }

  private found(profile: ProfileName, unitType: string | undefined, roadS: number, distanceM: number, geometry: LineString, snappedM: readonly [number, number]): RouteResult {
    return { ok: true, timeS: this.tripSeconds(profile, roadS, unitType), distanceM, geometry, snappedM };
  }

  /**
   * Travel from each origin to one destination, in origin order, by one reverse search from the
   * destination (in the hierarchy: its backward upward search, met by each origin's cached
   * upward search space). Unrounded: seconds and metres, Infinity when there is no route.
   */
  travelTo(destination: LatLon, origins: readonly { location: LatLon; unitType?: string }[], profile: ProfileName): { seconds: number; metres: number }[] {
    const { mode, engine } = this.modes[profile];
    const g = this.graph;
    const to = this.place(destination, profile);
    const none = { seconds: Infinity, metres: Infinity };
    if (to === undefined) return origins.map(() => none);
    const placed = origins.map((o) => this.place(o.location, profile));
    const seconds = new Float64Array(origins.length);
    const metres = new Float64Array(origins.length);
    engine.manyToOne(placed.map((p) => p?.sources ?? []), to.targets, seconds, metres);
    return origins.map((o, i) => {
      const from = placed[i];
      if (from === undefined) return none;
      let best = { seconds: seconds[i]!, metres: metres[i]! };
      const direct = directOnEdge(g, mode, from.snap, to.snap);
      if (direct !== undefined && direct.weight <= best.seconds) best = { seconds: direct.weight, metres: direct.length };
      return best.seconds === Infinity ? none : { seconds: this.tripSeconds(profile, best.seconds, o.unitType), metres: best.metres };
    });
  }

  /** From one point to many, by one forward search; same units as travelTo. */
  travelFrom(source: LatLon, targets: readonly LatLon[], profile: ProfileName, unitType?: string): { seconds: number; metres: number }[] {
    const { mode, engine } = this.modes[profile];
    const g = this.graph;
    const from = this.place(source, profile);
    const none = { seconds: Infinity, metres: Infinity };
    if (from === undefined) return targets.map(() => none);
    const s = from.snap;
    const d = engine.distancesFrom(from.sources);
    return targets.map((p) => {
      const to = this.place(p, profile);
      if (to === undefined) return none;
      const t = to.snap;
      let best = bestVia(to.targets, d);
      const direct = directOnEdge(g, mode, s, t);
      if (direct !== undefined && direct.weight <= best.seconds) best = { seconds: direct.weight, metres: direct.length };
      return best.seconds === Infinity ? none : { seconds: this.tripSeconds(profile, best.seconds, unitType), metres: best.metres };
    });
  }

  /**
   * The recommendation query: one reverse search from the destination that stops once `enough`
   * origins are settled. Origins are ranked by road time; a unit type's factor is applied to the
   * times returned, not to the order (factors differ by a few per cent at most).
   */
  nearest(destination: LatLon, origins: readonly { location: LatLon; unitType?: string }[], enough: number, profile: ProfileName = 'drive'): NearestOrigins {
    const { mode } = this.modes[profile];
    const g = this.graph;
    const to = this.place(destination, profile);
    if (to === undefined) return { settled: [], horizonS: Infinity };
    const t = to.snap;
    let search = this.nearestSearches.get(profile);
    if (search === undefined) {
      search = new NearestSearch(buildArcGraph(g, mode));
      this.nearestSearches.set(profile, search);
    }
    const seeded = origins.map((o): OriginSeeds => {
      const from = this.place(o.location, profile);
      return from === undefined ? NOWHERE : { seeds: from.sources, direct: directOnEdge(g, mode, from.snap, t) };
    });
    const found = search.run(to.targets, seeded, enough);
    return {
      settled: found.settled.map((x) => ({ index: x.index, seconds: this.tripSeconds(profile, x.roadS, origins[x.index]!.unitType), metres: x.metres })),
      horizonS: found.horizonS,
    };
  }

  /** The core's port for one profile: travel times of units (drive) or volunteers (walk), whole seconds and metres. */
  estimator(profile: ProfileName = 'drive'): TravelTimeEstimator {
    return {
      name: `road-${profile}`,
      travelTimes: (destination: LatLon, origins: readonly TravelOrigin[]): TravelResult[] =>
        this.travelTo(destination, origins, profile).map((r) =>
          r.seconds === Infinity
            ? { ok: false, code: 'NoRoute' }
            : { ok: true, travelS: seconds(Math.round(r.seconds)), distanceM: meters(Math.round(r.metres)) },
        ),
    };
  }
}

const NOWHERE: OriginSeeds = { seeds: [], direct: undefined };

/** The best of a snapped point's seeds against one-to-all distances. */
function bestVia(seeds: readonly EdgeSeed[], d: Distances): { seconds: number; metres: number } {
  let seconds = Infinity;
  let metres = Infinity;
  for (const s of seeds) {
    const total = s.weight + d.seconds(s.node);
    if (total < seconds) {
      seconds = total;
      metres = s.length + d.metres(s.node);
    }
  }
  return { seconds, metres };
}
