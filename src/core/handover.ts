import type { Command } from './commands.ts';
import { accept, on, type Decision } from './decision.ts';
import type { IncidentId } from './ids.ts';
import { incidentIn, type Loaded } from './loaded.ts';
import { reject } from './rejection.ts';
import { incidentStream } from './streams.ts';
import { HANDOVER_REASON_MAX, type HandOverState } from './handover-terms.ts';

type Cmd<T extends Command['type']> = Extract<Command, { type: T }>;

/** A hand-over still on its way: the partner has neither acknowledged nor refused it. */
export const isPending = (h: HandOverState): boolean => h.status === 'requested' || h.status === 'sent';

/**
 * A dispatcher hands an incident to a partner centre. The partner itself (its address, format and
 * key) is configuration the edge checks; the core decides whether this incident may go: it must
 * exist, not be closed, cancelled or merged away, and not already be on its way to that partner.
 */
export function handOverIncident(c: Cmd<'HandOverIncident'>, l: Loaded): Decision {
  const s = incidentIn(l, c.incidentId);
  if (s === undefined) return reject('UnknownIncident', `No incident has id ${c.incidentId}`, { incidentId: c.incidentId });
  if (s.status === 'cancelled' || s.status === 'closed' || s.mergedInto !== undefined) {
    return reject('IncidentClosed', `Incident ${s.id} is ${s.mergedInto === undefined ? s.status : `merged into ${s.mergedInto}`}`, { incidentId: s.id, status: s.status });
  }
  const reason = c.reason.trim();
  if (reason === '' || reason.length > HANDOVER_REASON_MAX) {
    return reject('InvalidHandOver', `The reason must be 1 to ${HANDOVER_REASON_MAX} characters`);
  }
  const pending = (s.handovers ?? []).find((h) => h.partnerId === c.partnerId && isPending(h));
  if (pending !== undefined) {
    return reject('HandOverPending', `Incident ${s.id} is already on its way to ${c.partnerId}`, { handoverId: pending.handoverId });
  }
  if ((s.handovers ?? []).some((h) => h.handoverId === c.handoverId)) {
    return reject('InvalidHandOver', `Hand-over ${c.handoverId} exists already`);
  }
  return accept([
    on(incidentStream(s.id as IncidentId), c.now, {
      type: 'IncidentHandOverRequested',
      data: { incidentId: s.id, handoverId: c.handoverId, partnerId: c.partnerId, format: c.format, reason },
    }),
  ]);
}
