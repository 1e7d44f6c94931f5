import type { PendingEvent } from './events.ts';
import { evolveIncident } from './incident.ts';
import type { StreamState } from './loaded.ts';
import { evolveStation } from './station.ts';
import { incidentStream, parseStream } from './streams.ts';
import type { IncidentId } from './ids.ts';
import { evolveUnit, type UnitState } from './unit.ts';
import type { IncidentState } from './incident.ts';
import type { StationState } from './station.ts';
import { evolveVolunteer, type VolunteerState } from './volunteer.ts';
import { evolveResponse, type ResponseState } from './volunteer-response.ts';
import { volunteerStream } from './streams.ts';
import { foldHandOver, handOverIdOf } from './handover-fold.ts';
import { handoverStream, type HandOverState } from './handover-terms.ts';

/**
 * Folds an event into the state of `stream`: the stream it was written to by default, or another
 * stream it also affects (see `alsoAffects`), which is folded by that stream's own kind.
 */
export function evolve(
  state: StreamState | undefined,
  event: PendingEvent,
  stream: string = event.stream,
): StreamState | undefined {
  switch (parseStream(stream)?.kind) {
    case 'incident':
      return evolveIncident(state as IncidentState | undefined, event);
    case 'unit':
      return evolveUnit(state as UnitState | undefined, event);
    case 'station':
      return evolveStation(state as StationState | undefined, event);
    case 'volunteer':
      return evolveVolunteer(state as VolunteerState | undefined, event);
    case 'response':
      return evolveResponse(state as ResponseState | undefined, event);
    case 'handover':
      return foldHandOver(state as HandOverState | undefined, event);
    case undefined:
      return state;
  }
}

/**
 * Other streams whose state an event also changes. A unit's status change while committed
 * updates that incident's assignments, so the incident's read model stays whole. An alert's
 * events update the volunteer it names: their acceptance history and their active alerts.
 */
export function alsoAffects(event: PendingEvent): string[] {
  if (event.type === 'UnitStatusChanged' && event.data.incidentId !== undefined) {
    return [incidentStream(event.data.incidentId as IncidentId)];
  }
  switch (event.type) {
    case 'VolunteerAlerted':
    case 'VolunteerAccepted':
    case 'VolunteerDeclined':
    case 'VolunteerAlertExpired':
    case 'VolunteerRoleAssigned':
    case 'VolunteerStoodDown':
      return [volunteerStream(event.data.volunteerId)];
    case 'IncidentHandOverRequested':
    case 'IncidentHandOverSent':
    case 'IncidentHandOverAcknowledged':
    case 'IncidentHandOverRefused':
      // Each hand-over has a stream of its own, so the ones still to send are found by status.
      return [handoverStream(handOverIdOf(event) ?? '')];
    default:
      return [];
  }
}
