import type { EpochMs } from './ids.ts';
import { coversDaily, localClock } from './local-time.ts';
import type { VolunteerRole } from './response-plan.ts';
import type { Qualification, VolunteerState } from './volunteer.ts';
import {
  natureRuleOf,
  type IncidentPlace,
  type QualificationKind,
  type VolunteerCheck,
  type VolunteerPolicy,
} from './volunteer-policy.ts';

/** What eligibility needs to know of an incident. `incidentId` lets an alert on it not count as "busy". */
export interface EligibilityIncident {
  readonly nature: string;
  readonly place: IncidentPlace;
  readonly incidentId?: string;
  /** The roles still wanted (a role wanted twice listed twice); absent: every role of the nature rule. */
  readonly rolesLeft?: readonly VolunteerRole[];
}

/**
 * The policy's answer for one volunteer and one incident at one instant. `rule` is a rule id of
 * the policy: when eligible, the nature rule and place rule that allowed it (`nature.x+place.y`);
 * when not, the first rule that refused, with the reason in words.
 */
export type Eligibility =
  | {
      readonly eligible: true;
      readonly rule: string;
      readonly policyVersion: string;
      /** The qualification that made the volunteer eligible (the one the place asks for, if any). */
      readonly qualification: QualificationKind;
      /** The roles still wanted that this volunteer could take, in the policy's order (never empty). */
      readonly canFill: readonly VolunteerRole[];
    }
  | { readonly eligible: false; readonly rule: string; readonly policyVersion: string; readonly reason: string };

const expiresAtMs = (q: Qualification): number => Date.parse(q.expiresAt);

/** Whether a qualification counts at `now`: unexpired, and verified when that is required. */
export const counts = (q: Qualification, now: EpochMs, verifiedRequired: boolean): boolean =>
  now < expiresAtMs(q) && (q.verified || !verifiedRequired);

const held = (v: VolunteerState, kinds: readonly QualificationKind[]): Qualification[] =>
  kinds.flatMap((k) => {
    const q = v.qualifications[k];
    return q === undefined ? [] : [q];
  });

const list = (kinds: readonly string[]): string => kinds.join(', ').replace(/_/g, ' ');

/**
 * Decides, from the written policy, whether `volunteer` may be alerted for `incident` at `now`.
 * `utcOffsetMin` is the UTC offset of the volunteer's local time at `now` (minutes), for quiet hours.
 * Checks run in a fixed order: the nature, the volunteer's own state, their qualifications, the place.
 */
export function eligibility(
  policy: VolunteerPolicy,
  volunteer: VolunteerState,
  incident: EligibilityIncident,
  now: EpochMs,
  utcOffsetMin: number,
): Eligibility {
  const policyVersion = policy.version;
  const no = (rule: string, reason: string): Eligibility => ({ eligible: false, rule, policyVersion, reason });
  const refuse = (check: VolunteerCheck, reason: string) => no(policy.volunteerRules[check].id, reason);

  const nature = natureRuleOf(policy, incident.nature);
  if (nature === undefined)
    return no(policy.otherNatures.id, `volunteers are never alerted for ${incident.nature}: no rule lists it`);
  if (!nature.alert) return no(nature.id, `volunteers are never alerted for ${incident.nature}`);

  const v = volunteer;
  if (v.status === 'deleted') return refuse('deleted', 'the account is deleted');
  if (!v.locationConsent) return refuse('consent', 'no consent to the use of their location');
  if (!v.available) return refuse('availability', 'off duty');
  if (v.quietHours !== undefined) {
    const clock = localClock(now, utcOffsetMin);
    if (coversDaily(v.quietHours, clock.minute)) {
      return refuse('quietHours', `in quiet hours ${v.quietHours.from}-${v.quietHours.to} (local time ${clock.text})`);
    }
  }
  const elsewhere = Object.values(v.activeAlerts).find((a) => a.incidentId !== incident.incidentId);
  if (elsewhere !== undefined) return refuse('busy', `already ${elsewhere.status} on incident ${elsewhere.incidentId}`);

  const relevant = held(v, nature.qualifications);
  if (relevant.length === 0) {
    return refuse(
      'qualification',
      `no qualification useful for ${incident.nature} (needs one of ${list(nature.qualifications)})`,
    );
  }
  const unexpired = relevant.filter((q) => now < expiresAtMs(q));
  if (unexpired.length === 0) return refuse('expiry', `${list(relevant.map((q) => q.kind))} expired`);
  const usable = unexpired.filter((q) => q.verified || !nature.verifiedRequired);
  const chosen = usable.find((q) => q.verified) ?? usable[0];
  if (chosen === undefined) return refuse('verification', `${list(unexpired.map((q) => q.kind))} not verified yet`);

  const place = policy.places[incident.place];
  let qualification = chosen.kind;
  if (place.qualifications.length > 0) {
    const forPlace = held(v, place.qualifications).find((q) => counts(q, now, place.verifiedRequired));
    if (forPlace === undefined) {
      const who = `${place.verifiedRequired ? 'verified ' : ''}${place.qualifications.join(' or ')}`;
      return no(place.id, `only a ${who} is sent to a place that is ${incident.place === 'home' ? 'a private home' : 'unknown'}`);
    }
    qualification = forPlace.kind;
  }
  const wanted = incident.rolesLeft ?? nature.roles;
  const canFill = rolesFillable(policy, v, wanted, now);
  if (canFill.length === 0) {
    if (wanted.length === 0) return refuse('role', 'every wanted role is already filled');
    return refuse('role', `can take none of the roles still wanted (${list([...new Set(wanted)])}): ${cprShort(policy)}`);
  }
  return { eligible: true, rule: `${nature.id}+${place.id}`, policyVersion, qualification, canFill };
}

const cprShort = (policy: VolunteerPolicy): string =>
  `the cpr role needs a verified, unexpired ${list(policy.cprQualified.kinds).replace(/, ([^,]+)$/, ' or $1')}`;

/**
 * The roles of `wanted` that `v` could take at `now`, once each, in order: `cpr` needs a CPR
 * qualification (see {@link cprQualification}); anyone the nature rule allows can fetch an AED or
 * meet the crew.
 */
export function rolesFillable(
  policy: VolunteerPolicy,
  v: VolunteerState,
  wanted: readonly VolunteerRole[],
  now: EpochMs,
): VolunteerRole[] {
  const cpr = cprQualification(policy, v, now) !== undefined;
  return [...new Set(wanted)].filter((r) => r !== 'cpr' || cpr);
}

/** Whether a volunteer is CPR-qualified for the `cpr` role at `now` (verified, unexpired), and by what. */
export function cprQualification(policy: VolunteerPolicy, v: VolunteerState, now: EpochMs): QualificationKind | undefined {
  return held(v, policy.cprQualified.kinds).find((q) => counts(q, now, true))?.kind;
}
