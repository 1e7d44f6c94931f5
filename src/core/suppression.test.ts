import { describe, expect, it } from 'vitest';
import { deliverable } from './alert-delivery.ts';
import type { Command } from './commands.ts';
import type { PendingEvent } from './events.ts';
import { isoAt } from './ids.ts';
import { given, incidentReceived, T0 } from './test-kit.ts';
import {
  POLICY,
  VRULES,
  acceptBy,
  alerted,
  alertedElsewhere,
  history,
  nextWave,
  offDuty,
  ofType,
  responseOf,
  sec,
  start,
  volunteer,
  volunteerDeleted,
  volunteerOf,
  volunteers,
  type StartOptions,
} from './volunteer-test-kit.ts';

/*
 * Suppression: volunteers who are off duty, deleted, in quiet hours, without consent to location
 * use, or busy on another incident are never alerted, at the first wave or any later one; and
 * one who becomes so after being alerted has the alert withdrawn at once. Other systems are known
 * to keep alerting people after they log out or go off duty; these tests hold the line.
 *
 * Each story is a cardiac arrest at T0 with the suppressed volunteer X as the closest candidate.
 */
const arrest = incidentReceived('I1', 'cardiac_arrest', T0);
const others = ['V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'V7'];
/** V1 walks 60 s, V2 90 s, … V7 240 s: wave 1 alerts V1..V5, wave 2 (due at 35 s) V6 and V7. */
const ranked = others.map((id, i) => [id, 60 + 30 * i] as const);
const withX = [['X', 10] as const, ...ranked];
const startWith = (x: readonly PendingEvent[], o: StartOptions = {}) =>
  given(arrest, volunteers(others), x).when(start('I1', withX, o), VRULES);

describe('suppression at send time', () => {
  const cases: readonly [string, PendingEvent[], string, StartOptions?][] = [
    ['off duty', volunteer('X', { available: false }), 'volunteer.availability'],
    ['deleted', [...volunteer('X'), volunteerDeleted('X')], 'volunteer.deleted'],
    [
      'in quiet hours (01:00 in San Francisco)',
      volunteer('X', { quietHours: { from: '22:00', to: '07:00' } }),
      'volunteer.quiet_hours',
      { utcOffsetMin: -480 },
    ],
    ['without consent to location use', volunteer('X', { consent: false }), 'volunteer.consent'],
    ['busy on another incident', [...volunteer('X'), alertedElsewhere('X', 'I9')], 'volunteer.busy'],
    ['never registered', [], 'volunteer.deleted'],
  ];
  for (const [what, facts, rule, options] of cases) {
    it(`a volunteer ${what} is never alerted, however close, and the suppression is recorded with its rule`, () => {
      const events = startWith(facts, options).thenEvents(
        'VolunteerResponseStarted',
        'VolunteerWaveSent',
        'VolunteerAlerted',
        'VolunteerAlerted',
        'VolunteerAlerted',
        'VolunteerAlerted',
        'VolunteerAlerted',
        'VolunteerWaveScheduled',
      );
      expect(alerted(events)).not.toContain('X');
      expect(ofType(events, 'VolunteerWaveSent')[0]?.data.suppressed).toEqual([
        expect.objectContaining({ volunteerId: 'X', rule }),
      ]);
    });
  }
});

describe('suppression between waves', () => {
  // V6 and V7 are left for wave 2 (due at 35 s).
  const started = given(arrest, volunteers(others)).when(start('I1', ranked), VRULES).story;

  const goneBeforeWave2: readonly [string, Command][] = [
    ['goes off duty', offDuty('V6', sec(20))],
    ['deletes their account', { type: 'DeleteVolunteer', now: sec(20), volunteerId: 'V6' }],
    ['withdraws consent', { type: 'SetLocationConsent', now: sec(20), volunteerId: 'V6', consent: false }],
  ];
  for (const [what, command] of goneBeforeWave2) {
    it(`a volunteer who ${what} before the next wave is not alerted in it`, () => {
      const story = started.when(command, VRULES).story;
      const events = story.when(nextWave('I1', 2, sec(35)), VRULES).thenEvents('VolunteerWaveSent', 'VolunteerAlerted');
      expect(alerted(events)).toEqual(['V7']);
      expect(events[0]?.data).toMatchObject({ suppressed: [{ volunteerId: 'V6' }] });
    });
  }

  it('a volunteer who enters quiet hours is not alerted in the next wave', () => {
    // 21:59:40 local when the response starts; wave 2 at 22:00:10 is inside quiet hours.
    const offset = 13 * 60;
    const story = given(
      arrest,
      volunteers(others.filter((v) => v !== 'V6')),
      volunteer('V6', { quietHours: { from: '22:00', to: '07:00' } }),
    ).when(start('I1', ranked, { utcOffsetMin: offset, now: sec(-20) }), VRULES).story;
    const events = story.when(nextWave('I1', 2, sec(10)), VRULES).thenEvents('VolunteerWaveSent', 'VolunteerAlerted');
    expect(events[0]?.data).toMatchObject({
      volunteerIds: ['V7'],
      suppressed: [{ volunteerId: 'V6', rule: 'volunteer.quiet_hours', reason: 'in quiet hours 22:00-07:00 (local time 22:00)' }],
    });
  });
});

describe('withdrawal of alerts already sent', () => {
  const alerting = given(arrest, volunteers(others)).when(start('I1', ranked), VRULES).story;

  it('going off duty withdraws the open alert at once', () => {
    const outcome = alerting.when(offDuty('V1', sec(20)), VRULES);
    const [set, down] = outcome.thenEvents('AvailabilitySet', 'VolunteerStoodDown');
    expect(set?.stream).toBe('volunteer-V1');
    expect(down).toMatchObject({
      stream: 'response-I1',
      data: {
        volunteerId: 'V1',
        alertId: 'I1.V1',
        reason: 'volunteer_withdrew',
        detail: 'the volunteer went off duty',
        wasAccepted: false,
      },
    });
    expect(volunteerOf(outcome.after, 'V1').activeAlerts).toEqual({});
    outcome.story.when(acceptBy('V1', 'I1', sec(21)), VRULES).thenRejected('AlertNotOpen');
  });

  it('a withdrawal that leaves the expected arrivals short schedules another wave', () => {
    // Three reliable volunteers (p = 11/15, recorded as 0.733) reach the target in wave 1: no wave 2 …
    const reliable = given(arrest, volunteers(others), history('V1', 10, 10), history('V2', 10, 10), history('V3', 10, 10));
    const story = reliable.when(start('I1', ranked), VRULES).story;
    expect(responseOf(story.world, 'I1').nextWave).toBeUndefined();
    // … until one of them goes off duty.
    const [, , scheduled] = story
      .when(offDuty('V2', sec(20)), VRULES)
      .thenEvents('AvailabilitySet', 'VolunteerStoodDown', 'VolunteerWaveScheduled');
    expect(scheduled?.data).toMatchObject({ wave: 2, dueAt: isoAt(sec(35)), expectedArrivals: 1.466 });
  });

  it('deleting the account withdraws the open alert before the personal data goes', () => {
    const outcome = alerting.when({ type: 'DeleteVolunteer', now: sec(20), volunteerId: 'V1' }, VRULES);
    outcome.thenEvents('VolunteerStoodDown', 'VolunteerDeleted');
    outcome.story.when(acceptBy('V1', 'I1', sec(21)), VRULES).thenRejected('VolunteerGone');
  });

  it('the delivery queue re-checks each alert with the current state right before sending', () => {
    const s = responseOf(alerting.world, 'I1');
    const v1 = volunteerOf(alerting.world, 'V1');
    expect(deliverable(POLICY, s, 'I1.V1', v1, sec(6))).toEqual({ deliver: true });
    const quiet = { ...v1, quietHours: { from: '09:00', to: '10:00' } };
    expect(deliverable(POLICY, s, 'I1.V1', quiet, sec(6))).toEqual({
      deliver: false,
      rule: 'volunteer.quiet_hours',
      reason: 'in quiet hours 09:00-10:00 (local time 09:00)',
    });
    expect(deliverable(POLICY, s, 'I1.V1', { ...v1, available: false }, sec(6))).toMatchObject({
      deliver: false,
      rule: 'volunteer.availability',
    });
    expect(deliverable(POLICY, s, 'I1.V1', undefined, sec(6))).toMatchObject({ deliver: false });
    expect(deliverable(POLICY, s, 'I1.V1', v1, sec(125))).toEqual({ deliver: false, reason: 'the alert has expired' });
    const after = alerting.when(offDuty('V1', sec(20)), VRULES).after;
    expect(deliverable(POLICY, responseOf(after, 'I1'), 'I1.V1', volunteerOf(after, 'V1'), sec(21))).toEqual({
      deliver: false,
      reason: 'the alert is stood down',
    });
  });
});
