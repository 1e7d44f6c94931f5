import type { LatLon } from '../core/lat-lon.ts';
import type { LineString } from '../routing/route-geometry.ts';
import type { Router } from '../routing/router.ts';

/** One leg of a volunteer's walk: to the AED, or to the scene. */
export interface RouteLeg {
  readonly to: 'aed' | 'scene';
  readonly timeS: number;
  readonly distanceM: number;
  readonly geometry: LineString;
}

/**
 * The walking route of a role: from where the volunteer is, via the AED when they fetch one, to
 * the scene, on the road network. Undefined when their position is unknown or a leg has no route.
 */
export function walkingRoute(router: Router, from: LatLon | undefined, scene: LatLon, aed?: LatLon): RouteLeg[] | undefined {
  if (from === undefined) return undefined;
  const stops: { to: RouteLeg['to']; at: LatLon }[] = aed === undefined ? [{ to: 'scene', at: scene }] : [{ to: 'aed', at: aed }, { to: 'scene', at: scene }];
  const legs: RouteLeg[] = [];
  let here = from;
  for (const stop of stops) {
    const r = router.route(here, stop.at, 'walk');
    if (!r.ok) return undefined;
    legs.push({ to: stop.to, timeS: Math.round(r.timeS), distanceM: Math.round(r.distanceM), geometry: r.geometry });
    here = stop.at;
  }
  return legs;
}
