import { ROLES, type Role, type Scope } from '../core/roles.ts';

/**
 * The one authorization table: every route the server has, and who may call it. A route that is
 * not listed here makes the server refuse to start (see auth.ts), so nothing is born unprotected.
 * Integrations pass when their token carries the listed scope.
 */
export type Rule =
  'public' | { readonly roles: readonly Role[]; readonly scope?: Scope; readonly via?: readonly CredentialKind[] };

/**
 * How the caller proved who it is. A rule's `via` lists the kinds it takes; without one, a route is
 * for people and their scripts (a console session or a bearer token), never for a volunteer's
 * device, whatever role that device's token names.
 */
export type CredentialKind = 'token' | 'session' | 'device';
const PEOPLE: readonly CredentialKind[] = ['token', 'session'];

const CALL_TAKING: readonly Role[] = ['call_taker', 'dispatcher', 'supervisor'];
const DISPATCHING: readonly Role[] = ['dispatcher', 'supervisor'];
const STAFF_READ: readonly Role[] = ['call_taker', 'dispatcher', 'supervisor', 'admin'];
const ADMIN: readonly Role[] = ['admin'];
/** Personal data of volunteers: supervisors only, every read audited. */
const SUPERVISING: readonly Role[] = ['supervisor'];
/** Who may log an incident outside the service area with `"outsideServiceArea": "accept"` (others: 403). */
export const MAY_LOG_OUTSIDE_SERVICE_AREA: readonly Role[] = SUPERVISING;
/** A volunteer's own device token; the route resolves the volunteer from it, never from the path. */
const VOLUNTEER: readonly Role[] = ['volunteer'];
/** The rule of a volunteer's own route: their device, and nothing else. */
const DEVICE = { roles: VOLUNTEER, via: ['device'] } as const;

export const ACCESS: Readonly<Record<string, Rule>> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'GET /docs/': 'public',
  'GET /docs/static/*': 'public',
  'GET /docs/json': 'public',
  'GET /docs/yaml': 'public',
  // The console and the responder app: static pages that sign in from inside.
  'GET /': 'public',
  'GET /responder/': 'public',
  'GET /responder/*': 'public',
  'GET /assets/*': 'public',
  'GET /docs/static/index.html': 'public',
  'GET /docs/static/swagger-initializer.js': 'public',

  'POST /api/session': 'public',
  'GET /api/session': { roles: ROLES },
  'DELETE /api/session': { roles: ROLES },

  'POST /api/incidents': { roles: CALL_TAKING, scope: 'incidents:write' },
  'GET /api/incidents': { roles: STAFF_READ, scope: 'incidents:read' },
  'GET /api/incidents/:id': { roles: STAFF_READ, scope: 'incidents:read' },
  'GET /api/incidents/nearby': { roles: STAFF_READ, scope: 'incidents:read' },
  'PATCH /api/incidents/:id': { roles: CALL_TAKING, scope: 'incidents:write' },
  'GET /api/incidents/:id/recommendation': { roles: STAFF_READ, scope: 'incidents:read' },
  'POST /api/incidents/:id/dispatch': { roles: DISPATCHING },
  'POST /api/incidents/:id/cancel': { roles: DISPATCHING },
  'POST /api/incidents/:id/resolve': { roles: DISPATCHING },
  'POST /api/incidents/:id/close': { roles: DISPATCHING },
  'POST /api/incidents/:id/merge': { roles: CALL_TAKING },

  'GET /api/units': { roles: STAFF_READ, scope: 'units:read' },
  'GET /api/units/:id': { roles: STAFF_READ, scope: 'units:read' },
  'POST /api/units/:id/status': { roles: DISPATCHING, scope: 'units:write' },
  'POST /api/units/:id/position': { roles: DISPATCHING, scope: 'positions:write' },
  'POST /api/positions': { roles: DISPATCHING, scope: 'positions:write' },

  'GET /api/stations': { roles: STAFF_READ, scope: 'units:read' },
  'GET /api/natures': { roles: STAFF_READ, scope: 'incidents:read' },
  // The address field and the map (src/server/routes/geo.ts), from bundled files.
  'GET /api/geocode': { roles: STAFF_READ, scope: 'incidents:read' },
  // The street map is drawn on the console and on the volunteers' phones alike.
  'GET /api/map/streets': { roles: [...STAFF_READ, 'volunteer'], via: ['token', 'session', 'device'] },
  'GET /api/map/config': { roles: [...STAFF_READ, 'volunteer'], via: ['token', 'session', 'device'] },
  'GET /api/events': { roles: STAFF_READ, scope: 'events:read' },
  // The console's live stream (src/server/routes/stream.ts): whoever may read GET /api/events, filtered
  // alike (src/read-models/event-visibility.ts). Volunteers have their own socket, /api/volunteers/me/stream.
  'GET /api/stream': { roles: STAFF_READ, scope: 'events:read' },
  'POST /api/stream/ticket': { roles: STAFF_READ, scope: 'events:read' },

  // The volunteer registry (src/server/routes/volunteers.ts): sign-up is public and rate-limited.
  'POST /api/volunteers': 'public',
  'GET /api/volunteers/me': DEVICE,
  'PATCH /api/volunteers/me': DEVICE,
  'DELETE /api/volunteers/me': DEVICE,
  'POST /api/volunteers/me/qualifications': DEVICE,
  'POST /api/volunteers/me/position': DEVICE,
  'GET /api/volunteers': { roles: SUPERVISING },
  'GET /api/volunteers/:id': { roles: SUPERVISING },
  'POST /api/volunteers/:id/qualifications/:kind/verify': { roles: SUPERVISING },

  // Volunteer alerts (src/server/routes/volunteer-alerts.ts, responder-socket.ts): a volunteer's own,
  // resolved from the device token; the dispatcher's view of an incident's volunteer response.
  'GET /api/volunteers/me/alerts': DEVICE,
  'POST /api/volunteers/me/alerts/:alertId/accept': DEVICE,
  'POST /api/volunteers/me/alerts/:alertId/decline': DEVICE,
  'POST /api/volunteers/me/alerts/:alertId/seen': DEVICE,
  'POST /api/volunteers/me/alerts/:alertId/arrived': DEVICE,
  'GET /api/volunteers/me/push-subscription': DEVICE,
  'POST /api/volunteers/me/push-subscription': DEVICE,
  'GET /api/volunteers/me/stream': DEVICE,
  // The responder app's devices (src/server/routes/responder-devices.ts): a WebSocket ticket, a code to
  // enrol a second phone (redeemed publicly, rate-limited per address), and the public VAPID key.
  'POST /api/volunteers/me/stream/ticket': DEVICE,
  'POST /api/volunteers/me/enrolment-code': DEVICE,
  'POST /api/volunteers/enrol': 'public',
  'GET /api/volunteers/push-key': 'public',
  'GET /api/incidents/:id/volunteers': { roles: DISPATCHING },

  // Response-time reports over the live incidents (src/server/routes/reports.ts): dispatchers and
  // supervisors, and integrations that may read incidents (the reports are made of them).
  'GET /api/reports/intervals': { roles: DISPATCHING, scope: 'incidents:read' },
  'GET /api/reports/intervals.csv': { roles: DISPATCHING, scope: 'incidents:read' },
  'GET /api/reports/charts/:chart': { roles: DISPATCHING, scope: 'incidents:read' },

  // GeoJSON (RFC 7946) for other maps (src/server/routes/interop-geojson.ts): who may read the same
  // things through the API. No caller details or access notes are in them.
  // EMSI (src/server/routes/interop-emsi.ts): an incident out as a message is a read of the incident;
  // a message in makes or updates an incident, like logging a call.
  'GET /api/incidents/:id/emsi': { roles: STAFF_READ, scope: 'incidents:read' },
  'POST /api/emsi': { roles: CALL_TAKING, scope: 'incidents:write' },
  // NENA EIDO (src/server/routes/interop-eido.ts): the same as EMSI, an export is a read of the
  // incident, a document in makes or updates one.
  'GET /api/incidents/:id/eido': { roles: STAFF_READ, scope: 'incidents:read' },
  'POST /api/eido': { roles: CALL_TAKING, scope: 'incidents:write' },
  // Mutual aid (src/server/routes/handovers.ts): dispatchers hand incidents over; a partner centre's
  // own hand-over proves who it is by its signature with the key we share, not by a token.
  'GET /api/partners': { roles: STAFF_READ },
  'POST /api/incidents/:id/handover': { roles: DISPATCHING },
  'POST /api/partners/:partnerId/incidents': 'public',
  // OASIS CAP 1.2 (src/server/routes/interop-cap.ts): an incident's alert is a read of the incident;
  // the feed and the alerts of public warnings are for the public; supervisors issue and withdraw them.
  'GET /api/incidents/:id/cap': { roles: STAFF_READ, scope: 'incidents:read' },
  'GET /api/cap/feed': 'public',
  'GET /api/cap/warnings/:id': 'public',
  'POST /api/incidents/:id/public-warning': { roles: SUPERVISING },
  'POST /api/incidents/:id/public-warning/withdraw': { roles: SUPERVISING },
  'GET /api/geojson/incidents': { roles: STAFF_READ, scope: 'incidents:read' },
  'GET /api/geojson/units': { roles: STAFF_READ, scope: 'units:read' },
  'GET /api/geojson/stations': { roles: STAFF_READ, scope: 'units:read' },
  'GET /api/geojson/aeds': { roles: STAFF_READ, scope: 'units:read' },
  // Advanced Mobile Location (src/server/routes/aml.ts): the operator's AML gateway posts with its own
  // scope and nothing else; call-takers read a caller's position for the incident they are creating.
  'POST /api/aml': { roles: [], scope: 'aml:write' },
  'GET /api/aml': { roles: CALL_TAKING, scope: 'incidents:read' },

  // The AED registry (src/server/routes/aeds.ts).
  'GET /api/aeds': { roles: STAFF_READ },
  'POST /api/aeds/import': { roles: ADMIN },

  'POST /api/tokens': { roles: ADMIN },
  'GET /api/tokens': { roles: ADMIN },
  'DELETE /api/tokens/:id': { roles: ADMIN },
  'POST /api/users': { roles: ADMIN },
  'GET /api/users': { roles: ADMIN },
  'PATCH /api/users/:id': { roles: ADMIN },
};

/** The rule for a route, HEAD sharing GET's. */
export function ruleFor(method: string, url: string): Rule | undefined {
  return ACCESS[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}

/** Whether a credential of this kind may be shown to a route with this (non-public) rule. */
export function takesKind(rule: Exclude<Rule, 'public'>, via: CredentialKind): boolean {
  return (rule.via ?? PEOPLE).includes(via);
}

/** Whether a principal with this role and these scopes passes a non-public rule. */
export function allows(rule: Exclude<Rule, 'public'>, role: Role, scopes: readonly Scope[]): boolean {
  if (role === 'integration') return rule.scope !== undefined && scopes.includes(rule.scope);
  return rule.roles.includes(role);
}
