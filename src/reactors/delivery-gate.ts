import { deliverable } from '../core/alert-delivery.ts';
import type { StreamState } from '../core/loaded.ts';
import { epochMs } from '../core/ids.ts';
import { responseStream, volunteerStream } from '../core/streams.ts';
import type { VolunteerState } from '../core/volunteer.ts';
import type { VolunteerPolicy } from '../core/volunteer-policy.ts';
import type { ResponseState } from '../core/volunteer-response.ts';
import type { OutboxMessage } from '../alerting/messages.ts';
import type { OutboxStore } from '../store/outbox-store.ts';
import type { DeliveryGate, GateAnswer } from '../alerting/worker.ts';
import type { EventStore } from '../store/event-store.ts';

/** Rule id recorded when a message is suppressed because the volunteer has no signed-in device. */
export const LOGGED_OUT_RULE = 'delivery.logged_out';

/**
 * The check right before each send and retry, with the states of that moment:
 * - a deleted (or unknown) volunteer receives nothing;
 * - a volunteer with no valid device token (signed out, token revoked) receives nothing;
 * - an alert goes out only if the core's `deliverable` says so now: still open, unexpired, and the
 *   volunteer still eligible (on duty, consenting, outside quiet hours…);
 * - a role only while the volunteer's acceptance stands; a stand-down or expiry only about an alert
 *   the volunteer was sent (or answered).
 */
export function deliveryGate(
  store: EventStore<StreamState>,
  policy: VolunteerPolicy,
  /** A volunteer's signed-in devices: ids of their device tokens neither revoked nor expired. */
  activeDevices: (volunteerId: string) => Promise<ReadonlySet<string>>,
  outbox: OutboxStore,
  /** Told the volunteer's valid device tokens at each check (the WebSocket hub closes the others). */
  onCredentials: (volunteerId: string, active: ReadonlySet<string>) => void = () => {},
): DeliveryGate {
  return {
    async check(m: OutboxMessage, now: number): Promise<GateAnswer> {
      const snaps = await store.load([volunteerStream(m.volunteerId), responseStream(m.incidentId)]);
      const v = snaps.get(volunteerStream(m.volunteerId))?.state as VolunteerState | undefined;
      const deleted = policy.volunteerRules.deleted.id;
      const credentials = await activeDevices(m.volunteerId);
      onCredentials(m.volunteerId, credentials);
      if (v === undefined) return { deliver: false, reason: 'no volunteer is registered under this id', rule: deleted };
      if (v.status === 'deleted') return { deliver: false, reason: 'the account is deleted', rule: deleted };
      if (credentials.size === 0) return { deliver: false, reason: 'logged out: no valid device token', rule: LOGGED_OUT_RULE };
      const s = snaps.get(responseStream(m.incidentId))?.state as ResponseState | undefined;
      if (s === undefined) return { deliver: false, reason: `no volunteer response for incident ${m.incidentId}` };
      const alert = s.alerts[m.alertId];
      if (m.kind === 'alert') {
        const d = deliverable(policy, s, m.alertId, v, epochMs(now));
        if (!d.deliver) return { deliver: false, reason: d.reason, ...(d.rule === undefined ? {} : { rule: d.rule }) };
      } else if (m.kind === 'role') {
        if (alert?.status !== 'accepted') return { deliver: false, skip: true, reason: `the role no longer stands (the alert is ${alert?.status ?? 'unknown'})` };
      } else if (alert?.answeredAt === undefined && (await outbox.receipt(m.alertId, 'alert'))?.sentAt === undefined) {
        return { deliver: false, skip: true, reason: 'the volunteer was never sent the alert' };
      }
      return { deliver: true, target: { volunteerId: v.id, credentials } };
    },
  };
}
