import { counts } from './eligibility.ts';
import type { IncidentDetails } from './events.ts';
import type { EpochMs } from './ids.ts';
import type { LatLon } from './lat-lon.ts';
import type { VolunteerState } from './volunteer.ts';
import { natureRuleOf, type VolunteerPolicy } from './volunteer-policy.ts';
import type { AlertStatus } from './volunteer-response.ts';

/**
 * What a volunteer is shown of the scene, in three steps (policy rule `accessDetails`):
 * - `area`: before accepting (and once the alert is closed), the nature, the walking time and the
 *   area rounded to about 100 m; no exact location, address or floor;
 * - `place`: once accepted, the exact location, address and floor;
 * - `access`: once accepted by a volunteer with a verified, unexpired qualification the nature rule
 *   lists, also the door code and access notes.
 * The caller's name and number are shown to no volunteer at any step.
 */
export type SceneDetail = 'area' | 'place' | 'access';

/** The side of the grid the area is rounded to, metres: the true place is within 71 m of its centre. */
export const AREA_GRID_M = 100;
const M_PER_DEG_LAT = 111_320;

/** The centre of the 100 m grid cell holding `p`, the same for every point of the cell (lat/lon degrees). */
export function areaOf(p: LatLon): { lat: number; lon: number; withinM: number } {
  const latStep = AREA_GRID_M / M_PER_DEG_LAT;
  const lat = Math.round(p.lat / latStep) * latStep;
  const lonStep = AREA_GRID_M / (M_PER_DEG_LAT * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  const lon = Math.round(p.lon / lonStep) * lonStep;
  const round5 = (x: number) => Math.round(x * 1e5) / 1e5;
  return { lat: round5(lat), lon: round5(Math.max(-180, Math.min(180, lon))), withinM: AREA_GRID_M };
}

/** Whether `v` holds a verified, unexpired qualification that the nature rule lists, at `now`. */
export function seesAccess(policy: VolunteerPolicy, v: VolunteerState | undefined, nature: string, now: EpochMs): boolean {
  const rule = natureRuleOf(policy, nature);
  if (v === undefined || rule === undefined || v.status === 'deleted') return false;
  return rule.qualifications.some((k) => {
    const q = v.qualifications[k];
    return q !== undefined && counts(q, now, true);
  });
}

/** How much of the scene the volunteer of an alert in `status` is shown at `now`. */
export function sceneDetail(
  policy: VolunteerPolicy,
  v: VolunteerState | undefined,
  nature: string,
  status: AlertStatus,
  now: EpochMs,
): SceneDetail {
  if (status !== 'accepted') return 'area';
  return seesAccess(policy, v, nature, now) ? 'access' : 'place';
}

/** The scene as shown at `detail`: `area` always; location, address and floor from `place`; access at `access`. */
export function sceneFor(d: IncidentDetails, detail: SceneDetail): Record<string, unknown> {
  const area = { area: areaOf(d.location) };
  if (detail === 'area') return area;
  return {
    ...area,
    location: d.location,
    ...(d.address === undefined ? {} : { address: d.address }),
    ...(d.floor === undefined ? {} : { floor: d.floor }),
    ...(detail === 'access' && d.access !== undefined ? { access: d.access } : {}),
  };
}
