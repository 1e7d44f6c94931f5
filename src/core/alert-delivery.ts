import { eligibility } from './eligibility.ts';
import type { EpochMs } from './ids.ts';
import type { VolunteerState } from './volunteer.ts';
import type { VolunteerPolicy } from './volunteer-policy.ts';
import type { ResponseState } from './volunteer-response.ts';
import { rolesLeft } from './volunteer-roles.ts';

/**
 * The last check before an alert leaves the delivery queue. Alerts are decided in one place and
 * delivered later from a queue, so a volunteer may have gone off duty, withdrawn consent, entered
 * quiet hours or deleted their account in between. The queue asks this, with the current states,
 * right before each send and each retry; a refusal is never sent.
 */
export type Deliverability =
  { readonly deliver: true } | { readonly deliver: false; readonly reason: string; readonly rule?: string };

/** Whether alert `alertId` of response `s` may be delivered to its volunteer at `now`. */
export function deliverable(
  policy: VolunteerPolicy,
  s: ResponseState,
  alertId: string,
  volunteer: VolunteerState | undefined,
  now: EpochMs,
): Deliverability {
  const alert = s.alerts[alertId];
  if (alert === undefined) return { deliver: false, reason: `no alert ${alertId} on incident ${s.incidentId}` };
  if (alert.status !== 'open') return { deliver: false, reason: `the alert is ${alert.status.replace('_', ' ')}` };
  if (now >= Date.parse(alert.expiresAt)) return { deliver: false, reason: 'the alert has expired' };
  if (volunteer === undefined || volunteer.id !== alert.volunteerId)
    return { deliver: false, reason: 'the volunteer is unknown' };
  const where = { nature: s.nature, place: s.place, incidentId: s.incidentId, rolesLeft: rolesLeft(s.roles, s.assignments.map((a) => a.fills)) };
  const e = eligibility(policy, volunteer, where, now, s.utcOffsetMin);
  return e.eligible ? { deliver: true } : { deliver: false, reason: e.reason, rule: e.rule };
}
