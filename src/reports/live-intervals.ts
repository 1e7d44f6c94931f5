import type { IncidentDetails } from '../core/events.ts';
import type { IncidentState } from '../core/incident.ts';
import { haversine, type LatLon } from '../core/lat-lon.ts';
import type { ResponseState } from '../core/volunteer-response.ts';
import type { IncidentIntervals } from './intervals.ts';

/** Natures whose turnout is judged against the EMS objective (60 s); every other one against fire's (80 s). */
export const EMS_NATURES: ReadonlySet<string> = new Set(['cardiac_arrest', 'choking', 'medical']);

export const serviceOfNature = (nature: string): 'ems' | 'fire' => (EMS_NATURES.has(nature) ? 'ems' : 'fire');

/** Longer than this, a difference of two stamps is a stamp mistyped or never closed, not an interval (s). */
export const LONGEST_INTERVAL_S = 2 * 3600;

/** What the intervals read of an incident: its snapshot has it, and so has the API's view with its assignments keyed again. */
export type LiveIncident = Pick<IncidentState, 'id' | 'receivedAt' | 'assignments'> & { readonly details: Pick<IncidentDetails, 'location' | 'nature' | 'priority'> };

/** What a live incident's record needs besides its snapshot. */
export interface LiveContext {
  /** The station area of a place: the nearest station's id (undefined without stations). */
  readonly stationAreaOf: (at: LatLon) => string | undefined;
  /** Natures the volunteer policy alerts volunteers for. */
  readonly volunteerNatures: ReadonlySet<string>;
  readonly unitTypeOf?: (unitId: string) => string | undefined;
}

/** The station area of a place is the nearest station's, in a straight line: the first-due area as near as the log knows it. */
export function nearestStationArea(stations: readonly { id: string; location: LatLon }[]): (at: LatLon) => string | undefined {
  return (at) => {
    let best: string | undefined;
    let bestM = Infinity;
    for (const s of stations) {
      const d = haversine(at, s.location);
      if (d < bestM || (d === bestM && best !== undefined && s.id < best)) [best, bestM] = [s.id, d];
    }
    return best;
  };
}

const ms = (iso: string | undefined): number | undefined => {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
};

/** Seconds from `a` to `b`; absent when either is, or when the difference is negative or absurd. */
function between(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  const s = (b - a) / 1000;
  return s < 0 || s > LONGEST_INTERVAL_S ? undefined : s;
}

/**
 * One live incident's NFPA intervals from its snapshot (each assignment keeps its own dispatch, en
 * route and on scene times) and, when there is one, its volunteer response (who reported arriving).
 * The first unit on scene is the assignment with the earliest arrival; its turnout and travel are
 * its own, as NFPA 1710 measures them.
 */
export function liveIntervals(incident: LiveIncident, ctx: LiveContext, response?: ResponseState): IncidentIntervals {
  const received = ms(incident.receivedAt)!;
  const assignments = Object.values(incident.assignments);
  let firstDispatch: number | undefined;
  for (const a of assignments) {
    const t = ms(a.dispatchedAt);
    if (t !== undefined && (firstDispatch === undefined || t < firstDispatch)) firstDispatch = t;
  }
  const first = assignments
    .flatMap((a) => {
      const t = ms(a.onSceneAt);
      return t === undefined ? [] : [{ a, t }];
    })
    .sort((x, y) => x.t - y.t || (x.a.unitId < y.a.unitId ? -1 : 1))[0];
  const enRoute = ms(first?.a.enRouteAt);
  const firstUnitS = between(received, first?.t);

  let firstVolunteer: number | undefined;
  for (const alert of Object.values(response?.alerts ?? {})) {
    const t = ms(alert.arrivedAt);
    if (t !== undefined && (firstVolunteer === undefined || t < firstVolunteer)) firstVolunteer = t;
  }
  const firstVolunteerS = between(received, firstVolunteer);
  const helps = [firstUnitS, firstVolunteerS].filter((v): v is number => v !== undefined);

  const d = incident.details;
  const unitType = first && ctx.unitTypeOf?.(first.a.unitId);
  return {
    incidentId: incident.id,
    receivedAt: received,
    location: d.location,
    stationArea: ctx.stationAreaOf(d.location),
    nature: d.nature,
    priority: d.priority,
    service: serviceOfNature(d.nature),
    volunteerCall: ctx.volunteerNatures.has(d.nature),
    ...opt('callToDispatchS', between(received, firstDispatch)),
    ...opt('turnoutS', between(ms(first?.a.dispatchedAt), enRoute)),
    ...opt('travelS', between(enRoute, first?.t)),
    ...opt('firstUnitS', firstUnitS),
    ...opt('firstVolunteerS', firstVolunteerS),
    ...opt('firstHelpS', helps.length === 0 ? undefined : Math.min(...helps)),
    ...opt('firstUnitId', first?.a.unitId),
    ...opt('firstUnitType', unitType),
  };
}

const opt = <K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } => (v === undefined ? {} : ({ [key]: v } as { [P in K]: V }));
