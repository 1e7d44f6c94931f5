import { rankCandidates } from './alert-waves.ts';
import type { Command } from './commands.ts';
import { accept, on, type Decision } from './decision.ts';
import { isOpen } from './incident.ts';
import { incidentIn, responseIn, type Loaded } from './loaded.ts';
import { reject, type Rejection } from './rejection.ts';
import {
  closeResponse,
  incidentClosed,
  isSeconds,
  onResponse,
  policyMissing,
  scheduleEvents,
  secondsAfter,
  foldResponse,
  sendWave,
} from './response-steps.ts';
import { responseStream } from './streams.ts';
import { isIncidentPlace, natureRuleOf, volunteersWanted, type VolunteerPolicy } from './volunteer-policy.ts';
import { alertsOf, evolveResponse, type ResponseState } from './volunteer-response.ts';

/** Decisions about one incident's volunteer response: start it, send waves, expire alerts, stand down. */

type Cmd<T extends Command['type']> = Extract<Command, { type: T }>;

const unknownIncident = (id: string) => reject('UnknownIncident', `No incident has id ${id}`, { incidentId: id });
const unknownResponse = (id: string) =>
  reject('UnknownVolunteerResponse', `No volunteer response was started for incident ${id}`, { incidentId: id });
const invalid = (message: string, details: Record<string, unknown>) => reject('InvalidVolunteerResponse', message, details);

/** Starts the volunteer response to an incident: ranks the candidates and sends wave 1 at once. */
export function startVolunteerResponse(
  c: Cmd<'StartVolunteerResponse'>,
  l: Loaded,
  policy: VolunteerPolicy | undefined,
): Decision {
  if (policy === undefined) return policyMissing();
  const incident = incidentIn(l, c.incidentId);
  if (incident === undefined) return unknownIncident(c.incidentId);
  if (responseIn(l, c.incidentId) !== undefined) {
    return reject('VolunteerResponseAlreadyStarted', `Volunteers were already alerted for incident ${c.incidentId}`, {
      incidentId: c.incidentId,
    });
  }
  if (!isOpen(incident)) return incidentClosed(incident);
  const nature = incident.details.nature;
  if (incident.status === 'on_scene') {
    return reject('VolunteersNotWanted', `A unit is already on scene at incident ${incident.id}`, {
      incidentId: incident.id,
      status: incident.status,
    });
  }
  if (!volunteersWanted(policy, nature)) {
    const rule = natureRuleOf(policy, nature)?.id ?? policy.otherNatures.id;
    return reject('VolunteersNotWanted', `Policy ${policy.version} alerts no volunteer for ${nature} (${rule})`, {
      nature,
      rule,
      policyVersion: policy.version,
    });
  }
  if (!isIncidentPlace(c.place))
    return invalid(`place must be public, home or unknown, not ${String(c.place)}`, { place: c.place });
  if (!Number.isFinite(c.utcOffsetMin) || Math.abs(c.utcOffsetMin) > 14 * 60) {
    return invalid('utcOffsetMin must be minutes within ±14 h', { utcOffsetMin: c.utcOffsetMin });
  }
  if (!isSeconds(c.firstUnitEtaS)) return invalid('firstUnitEtaS must be seconds ≥ 0', { firstUnitEtaS: c.firstUnitEtaS });
  const bad = c.candidates.find((x) => x.volunteerId === '' || !isSeconds(x.etaS));
  if (bad !== undefined) return invalid('every candidate needs a volunteerId and etaS in seconds ≥ 0', { candidate: bad });

  const { rationale: _why, ...waves } = policy.waves;
  const { ranked, beyondReach } = rankCandidates(c.candidates, waves);
  const started = on(responseStream(c.incidentId), c.now, {
    type: 'VolunteerResponseStarted',
    data: {
      incidentId: c.incidentId,
      nature,
      place: c.place,
      policyVersion: policy.version,
      natureRule: natureRuleOf(policy, nature)?.id ?? policy.otherNatures.id,
      roles: [...(natureRuleOf(policy, nature)?.roles ?? [])],
      waves,
      utcOffsetMin: c.utcOffsetMin,
      ...(c.firstUnitEtaS === undefined
        ? {}
        : { firstUnitEtaS: c.firstUnitEtaS, firstUnitDueAt: secondsAfter(c.now, c.firstUnitEtaS) }),
      candidates: ranked,
      beyondReach,
    },
  });
  const s = evolveResponse(undefined, started);
  if (s === undefined) throw new Error('VolunteerResponseStarted must start a response');
  return accept([started, ...sendWave(s, 1, c.now, l, policy)]);
}

/** Fires the scheduled wave once it is due; a wave fired twice, early or unscheduled is rejected. */
export function sendNextWave(c: Cmd<'SendNextWave'>, l: Loaded, policy: VolunteerPolicy | undefined): Decision {
  if (policy === undefined) return policyMissing();
  const s = responseIn(l, c.incidentId);
  if (s === undefined) return unknownResponse(c.incidentId);
  if (s.status !== 'alerting') return ended(s);
  if (s.nextWave?.wave !== c.wave) {
    return reject('WaveNotScheduled', `Wave ${c.wave} of incident ${s.incidentId} is not scheduled`, {
      wave: c.wave,
      lastWave: s.wave,
      ...(s.nextWave === undefined ? {} : { scheduled: s.nextWave }),
    });
  }
  if (c.now < Date.parse(s.nextWave.dueAt)) {
    return reject('WaveNotDue', `Wave ${c.wave} is due at ${s.nextWave.dueAt}`, { wave: c.wave, dueAt: s.nextWave.dueAt });
  }
  const incident = incidentIn(l, s.incidentId);
  if (incident === undefined) return unknownIncident(s.incidentId);
  if (!isOpen(incident)) return incidentClosed(incident);
  if (!isSeconds(c.firstUnitEtaS)) return invalid('firstUnitEtaS must be seconds ≥ 0', { firstUnitEtaS: c.firstUnitEtaS });
  const due = c.firstUnitEtaS === undefined ? undefined : secondsAfter(c.now, c.firstUnitEtaS);
  return accept(sendWave(s, c.wave, c.now, l, policy, due));
}

const ended = (s: ResponseState): Rejection =>
  reject('VolunteerResponseEnded', `The volunteer response to incident ${s.incidentId} is ${s.status.replace('_', ' ')}`, {
    incidentId: s.incidentId,
    status: s.status,
  });

/** The alert's persisted deadline has passed unanswered: it closes, once. */
export function expireAlert(c: Cmd<'ExpireAlert'>, l: Loaded): Decision {
  const s = responseIn(l, c.incidentId);
  if (s === undefined) return unknownResponse(c.incidentId);
  const alert = s.alerts[c.alertId];
  if (alert === undefined)
    return reject('UnknownAlert', `Incident ${c.incidentId} has no alert ${c.alertId}`, { alertId: c.alertId });
  if (alert.status !== 'open')
    return reject('AlertNotOpen', `Alert ${c.alertId} is ${alert.status.replace('_', ' ')}`, {
      alertId: c.alertId,
      status: alert.status,
    });
  if (c.now < Date.parse(alert.expiresAt)) {
    return reject('AlertNotExpired', `Alert ${c.alertId} expires at ${alert.expiresAt}`, {
      alertId: c.alertId,
      expiresAt: alert.expiresAt,
    });
  }
  const expired = onResponse(s, c.now, {
    type: 'VolunteerAlertExpired',
    data: { incidentId: s.incidentId, volunteerId: alert.volunteerId, alertId: alert.alertId },
  });
  return accept([expired, ...scheduleEvents(foldResponse(s, [expired]), c.now)]);
}

/**
 * Stands volunteers down for a reason that must be true of the incident. Enough accepted, or the
 * first unit on scene: open alerts are withdrawn and accepted volunteers carry on until the crew
 * releases them. Incident cancelled or resolved: accepted volunteers are stood down too.
 */
export function standDownVolunteers(c: Cmd<'StandDownVolunteers'>, l: Loaded): Decision {
  const s = responseIn(l, c.incidentId);
  if (s === undefined) return unknownResponse(c.incidentId);
  if (s.status === 'stood_down') return ended(s);
  const incident = incidentIn(l, c.incidentId);
  if (incident === undefined) return unknownIncident(c.incidentId);
  const untrue = (why: string) =>
    reject('IllegalTransition', `Cannot stand volunteers down for ${c.reason}: ${why}`, {
      reason: c.reason,
      status: incident.status,
    });
  const already = () =>
    reject('NothingToChange', `The volunteer response to incident ${s.incidentId} is already complete`, { status: s.status });
  switch (c.reason) {
    case 'enough_accepted': {
      const accepted = alertsOf(s).filter((a) => a.status === 'accepted').length;
      if (s.status === 'complete') return already();
      if (accepted === 0) return untrue('no volunteer has accepted');
      return accept(closeResponse(s, 'complete', c.reason, `the dispatcher has enough volunteers (${accepted} accepted)`, c.now));
    }
    case 'first_unit_on_scene': {
      const onScene =
        incident.status === 'on_scene' || Object.values(incident.assignments).some((a) => a.onSceneAt !== undefined);
      if (!onScene) return untrue(`no unit is on scene (incident ${incident.status})`);
      if (s.status === 'complete') return already();
      return accept(closeResponse(s, 'complete', c.reason, 'the first unit is on scene', c.now));
    }
    case 'incident_cancelled':
      if (incident.status !== 'cancelled') return untrue(`incident ${incident.id} is ${incident.status}`);
      return accept(closeResponse(s, 'stood_down', c.reason, `incident ${incident.id} was cancelled`, c.now));
    case 'incident_resolved':
      if (incident.status !== 'resolved' && incident.status !== 'closed')
        return untrue(`incident ${incident.id} is ${incident.status}`);
      return accept(closeResponse(s, 'stood_down', c.reason, `incident ${incident.id} is ${incident.status}`, c.now));
  }
}
