import type { PendingEvent } from './events.ts';
import type { HandOverState } from './handover-terms.ts';

/**
 * Folds a hand-over event into the hand-over's state: the same fold for its own stream and for the
 * list the incident keeps, so the two never disagree.
 */
export function foldHandOver(state: HandOverState | undefined, event: PendingEvent): HandOverState | undefined {
  switch (event.type) {
    case 'IncidentHandOverRequested': {
      const d = event.data;
      return {
        handoverId: d.handoverId,
        incidentId: d.incidentId,
        partnerId: d.partnerId,
        format: d.format,
        reason: d.reason,
        status: 'requested',
        requestedAt: event.at,
        updatedAt: event.at,
      };
    }
    case 'IncidentHandOverSent':
      // A late "sent" never takes an acknowledgement or a refusal back.
      if (state === undefined || state.status !== 'requested') return state;
      return { ...state, status: 'sent', attempts: event.data.attempts, updatedAt: event.at };
    case 'IncidentHandOverAcknowledged':
      if (state === undefined) return state;
      return {
        ...state,
        status: 'acknowledged',
        updatedAt: event.at,
        ...(event.data.partnerIncidentId === undefined ? {} : { partnerIncidentId: event.data.partnerIncidentId }),
      };
    case 'IncidentHandOverRefused': {
      if (state === undefined) return state;
      const { incidentId: _i, handoverId: _h, partnerId: _p, attempts, ...refusal } = event.data;
      return { ...state, status: 'refused', updatedAt: event.at, attempts, refusal };
    }
    default:
      return state;
  }
}

/** Whether an event is one of a hand-over's, and which. */
export const handOverIdOf = (event: PendingEvent): string | undefined =>
  event.type === 'IncidentHandOverRequested' ||
  event.type === 'IncidentHandOverSent' ||
  event.type === 'IncidentHandOverAcknowledged' ||
  event.type === 'IncidentHandOverRefused'
    ? event.data.handoverId
    : undefined;
