import type { Command } from './commands.ts';
import { accept, type Decision } from './decision.ts';
import type { PendingEvent } from './events.ts';
import type { EpochMs } from './ids.ts';
import { isOpen } from './incident.ts';
import { incidentIn, responseIn, volunteerIn, type Loaded } from './loaded.ts';
import { reject, type Rejection } from './rejection.ts';
import {
  closeResponse,
  floorAndAccess,
  foldResponse,
  incidentClosed,
  incidentOfAlert,
  onResponse,
  policyMissing,
  rolesLeftOf,
  scheduleEvents,
  stoodDown,
} from './response-steps.ts';
import { seesAccess } from './scene.ts';
import { isDeleted, openAlertsOf, type VolunteerState } from './volunteer.ts';
import type { VolunteerPolicy } from './volunteer-policy.ts';
import { alertsOf, type ResponseState, type VolunteerAlert } from './volunteer-response.ts';
import { assignRole } from './volunteer-roles.ts';

/** A volunteer answers an alert (accept, decline), or stops being available and their open alerts go. */

type Cmd<T extends Command['type']> = Extract<Command, { type: T }>;

/** Finds a volunteer's own open alert, or says why not. */
function ownOpenAlert(
  l: Loaded,
  volunteerId: string,
  alertId: string,
): { v: VolunteerState; s: ResponseState; alert: VolunteerAlert } | Rejection {
  const v = volunteerIn(l, volunteerId);
  if (v === undefined) return reject('UnknownVolunteer', `No volunteer has id ${volunteerId}`, { volunteerId });
  if (isDeleted(v)) return reject('VolunteerGone', `Volunteer ${volunteerId} deleted their account`, { volunteerId });
  const incidentId = incidentOfAlert(alertId, volunteerId);
  const s = incidentId === undefined ? undefined : responseIn(l, incidentId);
  const alert = s?.alerts[alertId];
  if (s === undefined || alert === undefined || alert.volunteerId !== volunteerId) {
    return reject('UnknownAlert', `Volunteer ${volunteerId} has no alert ${alertId}`, { alertId });
  }
  if (alert.status !== 'open')
    return reject('AlertNotOpen', `Alert ${alertId} is ${alert.status.replace('_', ' ')}`, { alertId, status: alert.status });
  return { v, s, alert };
}

/**
 * A volunteer accepts: they get the next role they can take, with its reason. Once every wanted
 * role is filled, every other open alert is stood down in the same decision, so no one else can
 * accept after the roles run out.
 */
export function acceptAlert(c: Cmd<'AcceptAlert'>, l: Loaded, policy: VolunteerPolicy | undefined): Decision {
  if (policy === undefined) return policyMissing();
  const found = ownOpenAlert(l, c.volunteerId, c.alertId);
  if ('ok' in found) return found;
  const { v, s, alert } = found;
  const incident = incidentIn(l, s.incidentId);
  if (incident !== undefined && !isOpen(incident)) return incidentClosed(incident);
  const ids = { incidentId: s.incidentId, volunteerId: v.id, alertId: alert.alertId };
  const accepted = onResponse(s, c.now, { type: 'VolunteerAccepted', data: ids });
  const accessShown = incident?.details.access !== undefined && seesAccess(policy, v, s.nature, c.now);
  const role = assignRole({
    policy,
    volunteer: v,
    wanted: s.roles,
    filled: s.assignments.map((a) => a.fills),
    aeds: c.aeds,
    now: c.now,
    accessShown,
  });
  const outcome = role.assigned
    ? onResponse(s, c.now, {
        type: 'VolunteerRoleAssigned',
        data: {
          ...ids,
          role: role.role,
          fills: role.fills,
          reason: role.reason,
          ...floorAndAccess(incident, accessShown),
          ...(role.aed === undefined ? {} : { aed: role.aed }),
          ...(role.aedsPassedOver === undefined ? {} : { aedsPassedOver: [...role.aedsPassedOver] }),
        },
      })
    : stoodDown(foldResponse(s, [accepted]), { ...alert, status: 'accepted' }, 'no_role_left', role.reason, c.now);
  const after = foldResponse(s, [accepted, outcome]);
  if (after.assignments.length >= s.roles.length) {
    const detail = `every wanted role is filled (${s.roles.join(', ')})`;
    return accept([accepted, outcome, ...closeResponse(after, 'complete', 'enough_accepted', detail, c.now)]);
  }
  const withdrawn = noRoleLeft(after, c.now);
  return accept([accepted, outcome, ...withdrawn, ...scheduleEvents(foldResponse(after, withdrawn), c.now)]);
}

/**
 * Withdraws the open alerts of volunteers who could take none of the roles still wanted (a
 * self-declared first-aider once only `cpr` is left), so that no one accepts only to be told there
 * is nothing for them. An alert that does not say what its volunteer could take is left open.
 */
function noRoleLeft(s: ResponseState, now: EpochMs): PendingEvent[] {
  const left = rolesLeftOf(s);
  const detail = `no role this volunteer could take is still wanted (still wanted: ${[...new Set(left)].join(', ')})`;
  return alertsOf(s)
    .filter((a) => a.status === 'open' && a.canFill !== undefined && !a.canFill.some((r) => left.includes(r)))
    .map((a) => stoodDown(s, a, 'no_role_left', detail, now));
}

/** A volunteer declines: the alert closes, and a wave is scheduled if the expected arrivals fall short. */
export function declineAlert(c: Cmd<'DeclineAlert'>, l: Loaded): Decision {
  const found = ownOpenAlert(l, c.volunteerId, c.alertId);
  if ('ok' in found) return found;
  const { s, alert } = found;
  const declined = onResponse(s, c.now, {
    type: 'VolunteerDeclined',
    data: {
      incidentId: s.incidentId,
      volunteerId: alert.volunteerId,
      alertId: alert.alertId,
      ...(c.reason === undefined ? {} : { reason: c.reason }),
    },
  });
  return accept([declined, ...scheduleEvents(foldResponse(s, [declined]), c.now)]);
}

/** A volunteer who accepted says they have arrived; once per alert, and only while the response runs. */
export function reportArrival(c: Cmd<'ReportArrival'>, l: Loaded): Decision {
  const v = volunteerIn(l, c.volunteerId);
  if (v === undefined) return reject('UnknownVolunteer', `No volunteer has id ${c.volunteerId}`, { volunteerId: c.volunteerId });
  const incidentId = incidentOfAlert(c.alertId, c.volunteerId);
  const s = incidentId === undefined ? undefined : responseIn(l, incidentId);
  const alert = s?.alerts[c.alertId];
  if (s === undefined || alert === undefined || alert.volunteerId !== c.volunteerId) {
    return reject('UnknownAlert', `Volunteer ${c.volunteerId} has no alert ${c.alertId}`, { alertId: c.alertId });
  }
  if (alert.status !== 'accepted') {
    return reject('AlertNotAccepted', `Alert ${c.alertId} is ${alert.status.replace('_', ' ')}: only an accepted alert can arrive`, { alertId: c.alertId, status: alert.status });
  }
  if (alert.arrivedAt !== undefined) return reject('NothingToChange', `Arrival for alert ${c.alertId} was already reported at ${alert.arrivedAt}`, { alertId: c.alertId });
  return accept([onResponse(s, c.now, { type: 'VolunteerArrived', data: { incidentId: s.incidentId, volunteerId: c.volunteerId, alertId: c.alertId } })]);
}

/**
 * Withdraws the open alerts of a volunteer who went off duty, withdrew consent or deleted their
 * account, so that nothing counts on them and delivery can stop; each response may then schedule
 * another wave to replace them.
 */
export function withdrawOpenAlerts(v: VolunteerState, l: Loaded, now: EpochMs, detail: string): PendingEvent[] {
  return openAlertsOf(v).flatMap((active) => {
    const s = responseIn(l, active.incidentId);
    const alert = s?.alerts[active.alertId];
    if (s === undefined || alert?.status !== 'open') return [];
    const down = stoodDown(s, alert, 'volunteer_withdrew', detail, now);
    return [down, ...scheduleEvents(foldResponse(s, [down]), now)];
  });
}
