import { acceptanceProbability, planWave, reviewSchedule, type CandidateCheck, type WavePlan } from './alert-waves.ts';
import { on } from './decision.ts';
import { eligibility } from './eligibility.ts';
import type { DomainEvent, PendingEvent } from './events.ts';
import { epochMs, isoAt, type EpochMs } from './ids.ts';
import type { IncidentState } from './incident.ts';
import { volunteerIn, type Loaded } from './loaded.ts';
import { reject } from './rejection.ts';
import { responseStream } from './streams.ts';
import type { VolunteerPolicy } from './volunteer-policy.ts';
import { rolesLeft } from './volunteer-roles.ts';
import {
  alertIdOf,
  alertsOf,
  evolveResponse,
  type ResponseState,
  type ResponseStatus,
  type StandDownReason,
  type VolunteerAlert,
} from './volunteer-response.ts';

/**
 * The steps that volunteer-response decisions are made of: sending a wave, scheduling or
 * cancelling the next one, withdrawing alerts, and closing the response. Each returns the events,
 * stamped on the response's stream; the decisions (decide-response.ts, decide-answer.ts) say when.
 */

export const policyMissing = () =>
  reject('VolunteerPolicyMissing', 'No volunteer policy is configured (config/volunteer-policy.json)');
export const incidentClosed = (s: IncidentState) =>
  reject('IncidentClosed', `Incident ${s.id} is ${s.status}`, { incidentId: s.id, status: s.status });

/** Stamps an event of the response's own stream. */
export const onResponse = (s: ResponseState, now: EpochMs, e: DomainEvent): PendingEvent =>
  on(responseStream(s.incidentId), now, e);
export const round3 = (n: number): number => Math.round(n * 1000) / 1000;
export const secondsAfter = (now: EpochMs, s: number): string => isoAt(epochMs(Math.round(now + s * 1000)));
export const isSeconds = (s: number | undefined): boolean => s === undefined || (Number.isFinite(s) && s >= 0);
/** The floor, and the access notes only when the volunteer is shown them, as a role carries them. */
export const floorAndAccess = (i: IncidentState | undefined, accessShown: boolean) => ({
  ...(i?.details.floor === undefined ? {} : { floor: i.details.floor }),
  ...(!accessShown || i?.details.access === undefined ? {} : { access: i.details.access }),
});

/** The wanted roles not filled yet. */
export const rolesLeftOf = (s: ResponseState) => rolesLeft(s.roles, s.assignments.map((a) => a.fills));

/** The response after `events`, folded as the store will fold them, to decide what follows from it. */
export const foldResponse = (s: ResponseState, events: readonly PendingEvent[]): ResponseState =>
  events.reduce((acc, e) => (e.stream === responseStream(s.incidentId) ? (evolveResponse(acc, e) ?? acc) : acc), s);

/** The incident an alert of this volunteer belongs to (alert ids are `<incidentId>.<volunteerId>`). */
export function incidentOfAlert(alertId: string, volunteerId: string): string | undefined {
  const suffix = `.${volunteerId}`;
  return alertId.endsWith(suffix) && alertId.length > suffix.length ? alertId.slice(0, -suffix.length) : undefined;
}

/** Schedules the next wave, or cancels the scheduled one, as the response now stands. */
export function scheduleEvents(s: ResponseState, now: EpochMs, justSuppressed?: ReadonlySet<string>): PendingEvent[] {
  const change = reviewSchedule(s, now, justSuppressed);
  if (change === undefined) return [];
  if (change.kind === 'cancel') {
    return [
      onResponse(s, now, {
        type: 'VolunteerWaveCancelled',
        data: { incidentId: s.incidentId, wave: change.wave, reason: change.reason },
      }),
    ];
  }
  const { wave, dueAt, expected, reason } = change;
  const data = {
    incidentId: s.incidentId,
    wave,
    dueAt,
    expectedArrivals: round3(expected),
    targetArrivals: s.waves.targetArrivals,
    reason,
  };
  return [onResponse(s, now, { type: 'VolunteerWaveScheduled', data })];
}

const STOPS: Readonly<Record<WavePlan['stop'], string>> = {
  target_reached: 'the expected arrivals reach the target',
  wave_full: 'the wave is full',
  no_candidate_left: 'no candidate is left in the ranking',
  beyond_first_unit: 'the candidates left cannot arrive before the first unit',
};

/** Sends wave `wave`: its summary, one alert per volunteer picked, and the next wave's schedule. */
export function sendWave(
  s: ResponseState,
  wave: number,
  now: EpochMs,
  l: Loaded,
  policy: VolunteerPolicy,
  firstUnitDueAt?: string,
): PendingEvent[] {
  const state = firstUnitDueAt === undefined ? s : { ...s, firstUnitDueAt };
  const where = { nature: s.nature, place: s.place, incidentId: s.incidentId, rolesLeft: rolesLeftOf(s) };
  const check: CandidateCheck = (volunteerId) => {
    const v = volunteerIn(l, volunteerId);
    if (v === undefined) {
      const reason = 'no volunteer is registered under this id';
      return {
        eligibility: { eligible: false, rule: policy.volunteerRules.deleted.id, policyVersion: policy.version, reason },
        acceptanceProbability: 0,
      };
    }
    return {
      eligibility: eligibility(policy, v, where, now, s.utcOffsetMin),
      acceptanceProbability: acceptanceProbability(v, s.waves),
    };
  };
  const plan = planWave(state, wave, now, check);
  const expected = round3(plan.expectedArrivals);
  const header = onResponse(s, now, {
    type: 'VolunteerWaveSent',
    data: {
      incidentId: s.incidentId,
      wave,
      volunteerIds: plan.picks.map((p) => p.candidate.volunteerId),
      expectedArrivals: expected,
      targetArrivals: s.waves.targetArrivals,
      stop: plan.stop,
      reason:
        `alerted ${plan.picks.length}, suppressed ${plan.suppressed.length}; ${expected} of ${s.waves.targetArrivals} ` +
        `volunteers expected before the first unit; stopped because ${STOPS[plan.stop]}`,
      suppressed: [...plan.suppressed],
      ...(firstUnitDueAt === undefined ? {} : { firstUnitDueAt }),
    },
  });
  const alerts = plan.picks.map((p) =>
    onResponse(s, now, {
      type: 'VolunteerAlerted',
      data: {
        incidentId: s.incidentId,
        volunteerId: p.candidate.volunteerId,
        alertId: alertIdOf(s.incidentId, p.candidate.volunteerId),
        wave,
        etaS: p.candidate.etaS,
        policyRule: p.eligibility.rule,
        policyVersion: p.eligibility.policyVersion,
        qualification: p.eligibility.qualification,
        acceptanceProbability: round3(p.acceptanceProbability),
        expiresAt: secondsAfter(now, s.waves.alertExpiryS),
        nature: s.nature,
        place: s.place,
        canFill: [...p.eligibility.canFill],
      },
    }),
  );
  const events = [header, ...alerts];
  return [...events, ...scheduleEvents(foldResponse(s, events), now, new Set(plan.suppressed.map((x) => x.volunteerId)))];
}

/**
 * Withdraws alerts and moves the response to `status`: every open alert, and when the response is
 * stood down also every accepted one, gets exactly one VolunteerStoodDown; a scheduled wave is cancelled.
 */
export function closeResponse(
  s: ResponseState,
  status: ResponseStatus,
  reason: StandDownReason,
  detail: string,
  now: EpochMs,
): PendingEvent[] {
  const withdrawn = alertsOf(s).filter((a) => a.status === 'open' || (status === 'stood_down' && a.status === 'accepted'));
  const standDowns = withdrawn.map((a) => stoodDown(s, a, reason, detail, now));
  const cancel =
    s.nextWave === undefined
      ? []
      : [
          onResponse(s, now, {
            type: 'VolunteerWaveCancelled',
            data: { incidentId: s.incidentId, wave: s.nextWave.wave, reason: detail },
          }),
        ];
  const change =
    s.status === status
      ? []
      : [
          onResponse(s, now, {
            type: 'VolunteerResponseStatusChanged',
            data: { incidentId: s.incidentId, from: s.status, to: status, reason, detail },
          }),
        ];
  return [...standDowns, ...cancel, ...change];
}

export const stoodDown = (
  s: ResponseState,
  a: VolunteerAlert,
  reason: StandDownReason,
  detail: string,
  now: EpochMs,
): PendingEvent =>
  onResponse(s, now, {
    type: 'VolunteerStoodDown',
    data: {
      incidentId: s.incidentId,
      volunteerId: a.volunteerId,
      alertId: a.alertId,
      reason,
      detail,
      wasAccepted: a.status === 'accepted',
    },
  });
