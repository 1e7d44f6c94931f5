/** Unit and incident statuses, as the glossary names them. */
export const UNIT_STATUSES = [
  'available',
  'dispatched',
  'en_route',
  'on_scene',
  'transporting',
  'at_hospital',
  'returning',
  'out_of_service',
] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export const INCIDENT_STATUSES = [
  'received',
  'dispatched',
  'en_route',
  'on_scene',
  'resolved',
  'closed',
  'cancelled',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Incident statuses in which help is still needed or under way. */
export const OPEN_INCIDENT_STATUSES: readonly IncidentStatus[] = ['received', 'dispatched', 'en_route', 'on_scene'];

/**
 * Legal unit transitions. A unit that is `returning` may be sent straight to a new incident, as
 * crews do when they are still on the road. `out_of_service` is reachable from anywhere because
 * apparatus breaks down mid-call.
 */
export const UNIT_TRANSITIONS: Readonly<Record<UnitStatus, readonly UnitStatus[]>> = {
  available: ['dispatched', 'out_of_service'],
  dispatched: ['en_route', 'on_scene', 'available', 'out_of_service'],
  en_route: ['on_scene', 'available', 'out_of_service'],
  on_scene: ['transporting', 'returning', 'available', 'out_of_service'],
  transporting: ['at_hospital', 'out_of_service'],
  at_hospital: ['returning', 'available', 'out_of_service'],
  returning: ['available', 'dispatched', 'out_of_service'],
  out_of_service: ['available'],
};

/** Statuses in which a unit is committed to an incident. */
export const COMMITTED_UNIT_STATUSES: readonly UnitStatus[] = [
  'dispatched',
  'en_route',
  'on_scene',
  'transporting',
  'at_hospital',
];

/** Statuses from which a unit may be dispatched. */
export const DISPATCHABLE_UNIT_STATUSES: readonly UnitStatus[] = ['available', 'returning'];

export const isUnitStatus = (s: string): s is UnitStatus => (UNIT_STATUSES as readonly string[]).includes(s);
