import { DRIVE_BACKWARD, DRIVE_BOTH, DRIVE_FORWARD, WALK, type RoadClass } from './road-class.ts';

/** How a way may be used: its class and its flags along the way's node order. */
export interface WayUse {
  readonly roadClass: RoadClass;
  readonly flags: number;
}

/** highway=* → class, and whether pedestrians may use it; absent keys are not roads. */
const HIGHWAY: Readonly<Record<string, { cls: RoadClass; drive: boolean; walk: boolean }>> = {
  motorway: { cls: 'freeway', drive: true, walk: false },
  motorway_link: { cls: 'freeway', drive: true, walk: false },
  trunk: { cls: 'freeway', drive: true, walk: true },
  trunk_link: { cls: 'freeway', drive: true, walk: true },
  primary: { cls: 'arterial', drive: true, walk: true },
  primary_link: { cls: 'arterial', drive: true, walk: true },
  secondary: { cls: 'arterial', drive: true, walk: true },
  secondary_link: { cls: 'arterial', drive: true, walk: true },
  tertiary: { cls: 'street', drive: true, walk: true },
  tertiary_link: { cls: 'street', drive: true, walk: true },
  unclassified: { cls: 'street', drive: true, walk: true },
  residential: { cls: 'street', drive: true, walk: true },
  living_street: { cls: 'street', drive: true, walk: true },
  road: { cls: 'street', drive: true, walk: true },
  service: { cls: 'service', drive: true, walk: true },
  track: { cls: 'service', drive: true, walk: true },
  pedestrian: { cls: 'path', drive: false, walk: true },
  footway: { cls: 'path', drive: false, walk: true },
  path: { cls: 'path', drive: false, walk: true },
  steps: { cls: 'path', drive: false, walk: true },
  cycleway: { cls: 'path', drive: false, walk: true },
  bridleway: { cls: 'path', drive: false, walk: true },
};

const DENIED = new Set(['no', 'private']);
const ALLOWED = new Set(['yes', 'designated', 'permissive', 'destination', 'emergency']);

/** The most specific access tag present among `keys` (most specific first), or undefined. */
const accessOf = (tags: Readonly<Record<string, string>>, keys: readonly string[]): string | undefined =>
  keys.map((k) => tags[k]).find((v) => v !== undefined);

/**
 * Reads a way's tags: highway class; one-way (`oneway=yes|true|1|-1|reverse`, implied by
 * `junction=roundabout|circular` and by motorways; `oneway=no` lifts it); access (`access`,
 * `vehicle`, `motor_vehicle`, `motorcar` for driving, `access`, `foot` for walking: `no` and
 * `private` close; `emergency=yes` reopens a road to us). Walking ignores one-way; motorways
 * are walkable only with an explicit `foot=yes`. Returns
 * undefined for a way that is not a road anyone may use (no highway tag, `area=yes`, under
 * construction or closed to everyone).
 */
export function wayUse(tags: Readonly<Record<string, string>>): WayUse | undefined {
  const h = tags.highway === undefined ? undefined : HIGHWAY[tags.highway];
  if (h === undefined || tags.area === 'yes') return undefined;
  const driveAccess = accessOf(tags, ['motorcar', 'motor_vehicle', 'vehicle', 'access']);
  const footAccess = accessOf(tags, ['foot', 'access']);
  const emergencyAllowed = tags.emergency !== undefined && ALLOWED.has(tags.emergency);
  const drive = h.drive && (driveAccess === undefined || !DENIED.has(driveAccess) || emergencyAllowed);
  const walk = h.walk ? footAccess === undefined || !DENIED.has(footAccess) : tags.foot !== undefined && ALLOWED.has(tags.foot);

  let driveFlags = 0;
  if (drive) {
    const oneway = tags.oneway;
    const implied = tags.junction === 'roundabout' || tags.junction === 'circular' || tags.highway === 'motorway';
    if (oneway === '-1' || oneway === 'reverse') driveFlags = DRIVE_BACKWARD;
    else if (oneway === 'yes' || oneway === 'true' || oneway === '1' || (implied && oneway !== 'no')) driveFlags = DRIVE_FORWARD;
    else driveFlags = DRIVE_BOTH;
  }
  const flags = driveFlags | (walk ? WALK : 0);
  return flags === 0 ? undefined : { roadClass: h.cls, flags };
}
