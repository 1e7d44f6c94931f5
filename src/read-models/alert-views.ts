import type { StoredEvent } from '../core/events.ts';
import { epochMs, type IncidentId } from '../core/ids.ts';
import { haversine, type LatLon } from '../core/lat-lon.ts';
import { isOpen, type IncidentState } from '../core/incident.ts';
import { incidentOfAlert } from '../core/response-steps.ts';
import { incidentStream, responseStream, volunteerStream } from '../core/streams.ts';
import type { VolunteerState } from '../core/volunteer.ts';
import type { ResponseState, VolunteerAlert } from '../core/volunteer-response.ts';
import type { ReceiptRow } from '../store/outbox-store.ts';
import { sceneDetail, sceneFor } from '../core/scene.ts';
import type { StreamState } from '../core/loaded.ts';
import type { VolunteerPolicy } from '../core/volunteer-policy.ts';
import type { MovingPointIndex } from '../geo/moving-point-index.ts';
import type { Router } from '../routing/router.ts';
import type { EventStore } from '../store/event-store.ts';
import type { OutboxStore } from '../store/outbox-store.ts';
import { searchRadiusM } from '../volunteers/volunteer-candidates.ts';
import { walkingRoute, type RouteLeg } from '../volunteers/walking-route.ts';

/**
 * Read models of volunteer alerts: a volunteer's own open alerts with what their role needs, and a
 * dispatcher's view of an incident's volunteer response. A volunteer never sees another's
 * position; a dispatcher sees positions only while the incident is active and only near it.
 */

/** What the alert views read: snapshots and the log, live positions, routes, the delivery queue's receipts. */
export interface AlertViewDeps {
  readonly store: EventStore<StreamState>;
  readonly positions: { readonly index: MovingPointIndex & { readonly staleAfterMs: number } };
  readonly router: Router;
  readonly clock: () => number;
  readonly responders: { readonly outbox: OutboxStore; readonly policy: VolunteerPolicy };
}

async function load<T>(app: AlertViewDeps, stream: string): Promise<T | undefined> {
  return (await app.store.load([stream])).get(stream)?.state as T | undefined;
}
const incidentOf = (app: AlertViewDeps, id: string) => load<IncidentState>(app, incidentStream(id as IncidentId));
const responseOf = (app: AlertViewDeps, id: string) => load<ResponseState>(app, responseStream(id));

/** A volunteer's live position, if fresh. */
function livePosition(app: AlertViewDeps, volunteerId: string): { lat: number; lon: number; at: string } | undefined {
  const fix = app.positions.index.get(volunteerId);
  if (fix === undefined || app.clock() - fix.atMs > app.positions.index.staleAfterMs) return undefined;
  return { lat: fix.lat, lon: fix.lon, at: new Date(fix.atMs).toISOString() };
}

function roleRoute(app: AlertViewDeps, s: ResponseState, a: VolunteerAlert, scene: LatLon, from: LatLon | undefined): RouteLeg[] | undefined {
  const assignment = s.assignments.find((x) => x.alertId === a.alertId);
  if (assignment === undefined) return undefined;
  return walkingRoute(app.router, from, scene, assignment.aed?.location);
}

export interface MyAlert {
  readonly alertId: string;
  readonly incidentId: string;
  readonly status: VolunteerAlert['status'];
  readonly wave: number;
  readonly etaS: number;
  readonly alertedAt: string;
  readonly expiresAt: string;
  readonly incident: Readonly<Record<string, unknown>>;
  readonly role?: string;
  readonly roleReason?: string;
  readonly aed?: unknown;
  readonly route?: readonly RouteLeg[];
  readonly seenAt?: string;
  readonly arrivedAt?: string;
}

/**
 * One of the volunteer's own alerts, with as much of the scene as they may see now (core/scene.ts:
 * the area until they accept; then the place and floor; access notes only with a verified
 * qualification), and their role's route.
 */
export async function myAlert(
  app: AlertViewDeps,
  volunteerId: string,
  alertId: string,
  known?: VolunteerState,
): Promise<MyAlert | undefined> {
  const incidentId = incidentOfAlert(alertId, volunteerId);
  if (incidentId === undefined) return undefined;
  const [s, incident] = [await responseOf(app, incidentId), await incidentOf(app, incidentId)];
  const a = s?.alerts[alertId];
  if (s === undefined || incident === undefined || a === undefined || a.volunteerId !== volunteerId) return undefined;
  const v = known ?? (await load<VolunteerState>(app, volunteerStream(volunteerId)));
  const detail = sceneDetail(app.responders.policy, v, s.nature, a.status, epochMs(app.clock()));
  const assignment = s.assignments.find((x) => x.alertId === alertId);
  const from = livePosition(app, volunteerId) ?? (await app.responders.outbox.alertPosition(alertId));
  const route = assignment === undefined || a.status !== 'accepted' ? undefined : roleRoute(app, s, a, incident.details.location, from);
  const seenAt = (await app.responders.outbox.receipt(alertId, 'alert'))?.seenAt;
  return {
    alertId,
    incidentId,
    status: a.status,
    wave: a.wave,
    etaS: a.etaS,
    alertedAt: a.alertedAt,
    expiresAt: a.expiresAt,
    incident: { nature: incident.details.nature, place: s.place, status: incident.status, shown: detail, ...sceneFor(incident.details, detail) },
    ...(assignment === undefined ? {} : { role: assignment.role, roleReason: assignment.reason }),
    ...(assignment?.aed === undefined ? {} : { aed: assignment.aed }),
    ...(route === undefined ? {} : { route }),
    ...(seenAt === undefined ? {} : { seenAt }),
    ...(a.arrivedAt === undefined ? {} : { arrivedAt: a.arrivedAt }),
  };
}

/** The volunteer's alerts still in play (open or accepted), newest first. */
export async function myAlerts(app: AlertViewDeps, volunteerId: string): Promise<MyAlert[]> {
  const v = await load<VolunteerState>(app, volunteerStream(volunteerId));
  if (v === undefined) return [];
  const out: MyAlert[] = [];
  for (const active of Object.values(v.activeAlerts)) {
    const a = await myAlert(app, volunteerId, active.alertId, v);
    if (a !== undefined && (a.status === 'open' || a.status === 'accepted')) out.push(a);
  }
  return out.sort((x, y) => y.alertedAt.localeCompare(x.alertedAt));
}

/** Whether an alert is this volunteer's (for `seen`): the alert and its incident, or undefined. */
export async function ownAlert(app: AlertViewDeps, volunteerId: string, alertId: string): Promise<{ incidentId: string } | undefined> {
  const incidentId = incidentOfAlert(alertId, volunteerId);
  if (incidentId === undefined) return undefined;
  const a = (await responseOf(app, incidentId))?.alerts[alertId];
  return a?.volunteerId === volunteerId ? { incidentId } : undefined;
}

const receiptView = (r: ReceiptRow | undefined) =>
  r === undefined
    ? {}
    : {
        ...(r.sentAt === undefined ? {} : { sentAt: r.sentAt, sentVia: r.sentVia }),
        ...(r.deliveredAt === undefined ? {} : { deliveredAt: r.deliveredAt, deliveredVia: r.deliveredVia }),
        ...(r.seenAt === undefined ? {} : { seenAt: r.seenAt }),
        ...(r.suppressed === undefined ? {} : { suppressed: r.suppressed }),
      };

const waveOf = (e: StoredEvent) => {
  if (e.type !== 'VolunteerWaveSent') return undefined;
  const { incidentId: _i, ...rest } = e.data;
  return { ...rest, at: e.at };
};

/**
 * A dispatcher's view of an incident's volunteer response: status, waves, each alert with its
 * status, wave, walking ETA, policy rule, role, AED and delivery receipts. Positions (and routes,
 * which start from them) only while the incident is active, and only for volunteers near it.
 */
export async function incidentVolunteers(app: AlertViewDeps, incidentId: string) {
  const incident = await incidentOf(app, incidentId);
  if (incident === undefined) return undefined;
  const s = await responseOf(app, incidentId);
  if (s === undefined) return { incidentId, incidentStatus: incident.status, response: null };
  const active = isOpen(incident) && s.status !== 'stood_down';
  const nearM = 2 * searchRadiusM(app.responders.policy);
  const scene = incident.details.location;
  const timeline = await app.store.readIncidentTimeline(incidentId);
  const receipts = new Map((await app.responders.outbox.receiptsOfIncident(incidentId)).filter((r) => r.message === 'alert').map((r) => [r.alertId, r]));
  const alerts = Object.values(s.alerts)
    .sort((a, b) => a.wave - b.wave || a.etaS - b.etaS)
    .map((a) => {
      const assignment = s.assignments.find((x) => x.alertId === a.alertId);
      const live = active && (a.status === 'open' || a.status === 'accepted') ? livePosition(app, a.volunteerId) : undefined;
      const position = live !== undefined && haversine(scene, live) <= nearM ? live : undefined;
      const route = position === undefined || a.status !== 'accepted' ? undefined : roleRoute(app, s, a, scene, position);
      return {
        ...a,
        ...(assignment === undefined ? {} : { roleReason: assignment.reason, ...(assignment.aed ? { aed: assignment.aed } : {}) }),
        ...(route === undefined ? {} : { route }),
        delivery: receiptView(receipts.get(a.alertId)),
        position: position ?? null,
      };
    });
  return {
    incidentId,
    incidentStatus: incident.status,
    response: {
      status: s.status,
      ...(s.statusReason === undefined ? {} : { statusReason: s.statusReason }),
      startedAt: s.startedAt,
      nature: s.nature,
      place: s.place,
      policyVersion: s.policyVersion,
      roles: s.roles,
      ...(s.firstUnitDueAt === undefined ? {} : { firstUnitDueAt: s.firstUnitDueAt }),
      candidates: s.candidates.length,
      waves: timeline.flatMap((e) => waveOf(e) ?? []),
      ...(s.nextWave === undefined ? {} : { nextWave: s.nextWave }),
      assignments: s.assignments,
      alerts,
      positions: active
        ? `shown for volunteers with an open or accepted alert within ${Math.round(nearM)} m of the incident`
        : 'hidden: the incident or its volunteer response has ended',
    },
  };
}
