import type { Aed, AedOption } from '../core/aed.ts';
import { eligibility } from '../core/eligibility.ts';
import type { EpochMs } from '../core/ids.ts';
import type { IncidentState } from '../core/incident.ts';
import type { LatLon } from '../core/lat-lon.ts';
import type { StreamState } from '../core/loaded.ts';
import { volunteerStream } from '../core/streams.ts';
import type { VolunteerState } from '../core/volunteer.ts';
import type { IncidentPlace, VolunteerPolicy } from '../core/volunteer-policy.ts';
import type { RankedCandidate } from '../core/volunteer-response.ts';
import type { AttrFilter } from '../geo/attr-bits.ts';
import type { MovingPointIndex } from '../geo/moving-point-index.ts';
import { WALK_SPEED_MPS } from '../routing/drive-profile.ts';
import type { Router } from '../routing/router.ts';
import type { TravelTimes } from '../routing/travel-worker-pool.ts';
import type { EventStore } from '../store/event-store.ts';
import type { AedDirectory } from './aed-directory.ts';

/** Volunteers looked at around one incident, nearest first (before the walking-time ranking). */
const MAX_LOOKED_AT = 500;
/** AEDs offered to a `fetch_aed` decision. */
const MAX_AEDS = 8;

/** Where the time of one candidate search went (ms), for the latency benchmark. */
export interface SearchTimings {
  readonly searchMs: number;
  readonly eligibilityMs: number;
  readonly walkMs: number;
  readonly lookedAt: number;
  readonly eligible: number;
}

export interface CandidateDeps {
  readonly store: EventStore<StreamState>;
  readonly policy: VolunteerPolicy;
  readonly index: MovingPointIndex;
  /** Volunteers free to take an alert (ResponderAttrs.availableVolunteers()). */
  readonly available: AttrFilter;
  /** Travel times, answered off the event loop (a worker thread). */
  readonly travel: TravelTimes;
}

/** The radius that holds everyone within the maximum walking time: the road is never shorter than the straight line. */
export const searchRadiusM = (policy: VolunteerPolicy): number => policy.waves.maxWalkingS * WALK_SPEED_MPS;

/**
 * The candidates of a new response: available volunteers with a fresh fix in the live index within
 * walking reach, kept when the policy's `eligibility` allows them now, with their walking time to
 * the scene on the road network from one many-to-one search. The core ranks and cuts them.
 * The live index key of a volunteer is their volunteer id.
 */
export async function findCandidates(
  d: CandidateDeps,
  incident: IncidentState,
  place: IncidentPlace,
  now: EpochMs,
  utcOffsetMin: number,
): Promise<{ candidates: RankedCandidate[]; timings: SearchTimings }> {
  const scene = incident.details.location;
  const t0 = performance.now();
  const near = d.index.within(scene.lat, scene.lon, searchRadiusM(d.policy), { now, filter: d.available, limit: MAX_LOOKED_AT });
  const t1 = performance.now();
  const snaps = await d.store.load(near.map((n) => volunteerStream(n.id)));
  const where = { nature: incident.details.nature, place, incidentId: incident.id };
  const eligible = near.filter((n) => {
    const v = snaps.get(volunteerStream(n.id))?.state as VolunteerState | undefined;
    return v !== undefined && eligibility(d.policy, v, where, now, utcOffsetMin).eligible;
  });
  const t2 = performance.now();
  const times = await d.travel('walk', scene, eligible.map((n) => ({ id: n.id, location: { lat: n.lat, lon: n.lon }, unitType: 'walk' })));
  const candidates: RankedCandidate[] = [];
  times.forEach((t, i) => {
    if (t.ok) candidates.push({ volunteerId: eligible[i]!.id, etaS: t.travelS });
  });
  const t3 = performance.now();
  return {
    candidates,
    timings: { searchMs: t1 - t0, eligibilityMs: t2 - t1, walkMs: t3 - t2, lookedAt: near.length, eligible: eligible.length },
  };
}

/**
 * The AEDs a volunteer who accepts could fetch: those near the scene or near the volunteer, with
 * walking times volunteer → AED (one forward search) and AED → scene (one reverse search). Opening
 * hours come from the directory at `atMs`. No route: Infinity (the core passes it over).
 */
export function aedOptions(
  router: Router,
  aeds: AedDirectory,
  policy: VolunteerPolicy,
  volunteerAt: LatLon | undefined,
  scene: LatLon,
  atMs: number,
): AedOption[] {
  const radius = searchRadiusM(policy);
  const found = new Map<string, Aed>();
  for (const a of aeds.near(scene, radius, MAX_AEDS, atMs)) found.set(a.id, a);
  if (volunteerAt !== undefined) for (const a of aeds.near(volunteerAt, radius / 2, MAX_AEDS, atMs)) found.set(a.id, a);
  const list = [...found.values()];
  if (list.length === 0) return [];
  const from = volunteerAt ?? scene;
  const toAed = router.travelFrom(from, list.map((a) => a.location), 'walk');
  const toScene = router.travelTo(scene, list.map((a) => ({ location: a.location })), 'walk');
  const whole = (s: number | undefined) => (s === undefined || !Number.isFinite(s) ? Infinity : Math.round(s));
  return list.map((aed, i) => ({ aed, toAedS: whole(toAed[i]?.seconds), toSceneS: whole(toScene[i]?.seconds) }));
}
