import { describe, expect, it } from 'vitest';
import { acceptanceProbability } from './alert-waves.ts';
import { isoAt } from './ids.ts';
import type { PendingEvent } from './events.ts';
import { given, incidentReceived, incidentStatusChanged, RULES, T0 } from './test-kit.ts';
import { dueTimers } from './response-timers.ts';
import {
  POLICY,
  VRULES,
  acceptBy,
  alerted,
  declineBy,
  expire,
  history,
  nextWave,
  ofType,
  responseOf,
  sec,
  start,
  volunteer,
  volunteerOf,
  volunteers,
} from './volunteer-test-kit.ts';

/*
 * A cardiac arrest on the 3rd floor at City Hall, received at T0; the response starts at T0+5 s.
 * Volunteers V01..V12 are CPR-trained, on duty, new (a 20 % prior each), and walk 30 s × their
 * number to the scene:
 *
 *   V01 30 s · V02 60 s · V03 90 s · … · V12 360 s       first unit: 600 s unless told
 */
const ids = Array.from({ length: 12 }, (_, i) => `V${String(i + 1).padStart(2, '0')}`);
const ranked = ids.map((id, i) => [id, 30 * (i + 1)] as const);
const arrest = incidentReceived('I1', 'cardiac_arrest', T0, { floor: '3', access: 'door code 4711, lift on the left' });
const city = given(arrest, volunteers(ids));

describe('wave 1', () => {
  it('alerts the best few by walking time, in the same decision that starts the response', () => {
    const outcome = city.when(start('I1', [...ranked].reverse()), VRULES);
    const events = outcome.thenEvents(
      'VolunteerResponseStarted',
      'VolunteerWaveSent',
      'VolunteerAlerted',
      'VolunteerAlerted',
      'VolunteerAlerted',
      'VolunteerAlerted',
      'VolunteerAlerted',
      'VolunteerWaveScheduled',
    );
    expect(alerted(events)).toEqual(['V01', 'V02', 'V03', 'V04', 'V05']);
    expect(events.every((e) => e.stream === 'response-I1' && e.at === isoAt(sec(5)))).toBe(true);
    expect(ofType(events, 'VolunteerWaveSent')[0]?.data).toMatchObject({
      wave: 1,
      expectedArrivals: 1,
      targetArrivals: 2,
      stop: 'wave_full',
      suppressed: [],
    });
  });

  it('every alert carries the incident, volunteer, alert id, wave, walking time, policy rule and version, and the roles the volunteer could take; never the floor or access', () => {
    const [first] = ofType(city.when(start('I1', ranked), VRULES).thenEvents(...START_5), 'VolunteerAlerted');
    expect(first?.data).toEqual({
      incidentId: 'I1',
      volunteerId: 'V01',
      alertId: 'I1.V01',
      wave: 1,
      etaS: 30,
      policyRule: 'nature.cardiac_arrest+place.public',
      policyVersion: POLICY.version,
      qualification: 'cpr',
      acceptanceProbability: 0.2,
      expiresAt: isoAt(sec(5 + 120)),
      nature: 'cardiac_arrest',
      place: 'public',
      canFill: ['cpr', 'fetch_aed', 'meet_crew'],
    });
  });

  it('ranks by walking time on the road network and cuts at the maximum walking time', () => {
    const outcome = city.when(
      start('I1', [
        ['V01', 481],
        ['V02', 480],
        ['V03', 600],
      ]),
      VRULES,
    );
    const [started] = outcome.thenEvents('VolunteerResponseStarted', 'VolunteerWaveSent', 'VolunteerAlerted');
    expect(started?.data).toMatchObject({
      candidates: [{ volunteerId: 'V02', etaS: 480 }],
      beyondReach: 2,
      roles: ['cpr', 'fetch_aed', 'meet_crew'],
    });
  });

  it('reliable volunteers end the wave early: it stops once the expected arrivals reach the target', () => {
    const story = city.and(history('V01', 10, 10), history('V02', 10, 10), history('V03', 10, 10));
    expect(acceptanceProbability(volunteerOf(story.world, 'V01'), POLICY.waves)).toBeCloseTo(11 / 15, 9);
    const outcome = story.when(start('I1', ranked), VRULES);
    const events = outcome.thenEvents(
      'VolunteerResponseStarted',
      'VolunteerWaveSent',
      'VolunteerAlerted',
      'VolunteerAlerted',
      'VolunteerAlerted',
    );
    // 3 × 0.733 = 2.2: the target of 2 is expected after three alerts, and no wave 2 is scheduled.
    expect(alerted(events)).toEqual(['V01', 'V02', 'V03']);
    expect(ofType(events, 'VolunteerWaveSent')[0]?.data).toMatchObject({ expectedArrivals: 2.2, stop: 'target_reached' });
    expect(responseOf(outcome.after, 'I1').nextWave).toBeUndefined();
  });

  it('a new volunteer counts the 20 % prior; their own record moves it', () => {
    expect(acceptanceProbability({ alerted: 0, accepted: 0 }, POLICY.waves)).toBeCloseTo(0.2, 9);
    expect(acceptanceProbability({ alerted: 5, accepted: 0 }, POLICY.waves)).toBeCloseTo(0.1, 9);
    expect(acceptanceProbability({ alerted: 5, accepted: 5 }, POLICY.waves)).toBeCloseTo(0.6, 9);
    expect(acceptanceProbability({ alerted: 1000, accepted: 470 }, POLICY.waves)).toBeCloseTo(0.469, 3);
  });

  it('volunteers who cannot beat the first unit are alerted in wave 1 but do not count, and no later wave is sent for them', () => {
    const outcome = city.when(start('I1', ranked.slice(0, 6), { firstUnitEtaS: 100 }), VRULES);
    const events = outcome.thenEvents(...START_5.slice(0, -1));
    expect(ofType(events, 'VolunteerWaveSent')[0]?.data).toMatchObject({ expectedArrivals: 0.6, stop: 'wave_full' });
    expect(responseOf(outcome.after, 'I1').nextWave).toBeUndefined();
  });

  it('with no unit recommended, every volunteer within walking reach counts', () => {
    const outcome = city.when(start('I1', ranked, { firstUnitEtaS: null }), VRULES);
    expect(ofType(outcome.thenEvents(...START_5), 'VolunteerWaveSent')[0]?.data.expectedArrivals).toBe(1);
    expect(responseOf(outcome.after, 'I1')).not.toHaveProperty('firstUnitDueAt');
  });

  it('with nobody eligible, wave 1 goes out empty and says who was suppressed and why', () => {
    const story = given(arrest, volunteer('V01', { available: false }), volunteer('V02', { consent: false }));
    const [, sent] = story
      .when(
        start('I1', [
          ['V01', 60],
          ['V02', 90],
          ['V99', 100],
        ]),
        VRULES,
      )
      .thenEvents('VolunteerResponseStarted', 'VolunteerWaveSent');
    expect(sent?.data).toMatchObject({
      volunteerIds: [],
      stop: 'no_candidate_left',
      suppressed: [
        { volunteerId: 'V01', rule: 'volunteer.availability', reason: 'off duty' },
        { volunteerId: 'V02', rule: 'volunteer.consent' },
        { volunteerId: 'V99', rule: 'volunteer.deleted', reason: 'no volunteer is registered under this id' },
      ],
    });
  });
});

const START_5 = [
  'VolunteerResponseStarted',
  'VolunteerWaveSent',
  'VolunteerAlerted',
  'VolunteerAlerted',
  'VolunteerAlerted',
  'VolunteerAlerted',
  'VolunteerAlerted',
  'VolunteerWaveScheduled',
] as const;
const FIVE = [
  'VolunteerWaveSent',
  'VolunteerAlerted',
  'VolunteerAlerted',
  'VolunteerAlerted',
  'VolunteerAlerted',
  'VolunteerAlerted',
] as const;

describe('later waves', () => {
  const started = () => city.when(start('I1', ranked), VRULES).story;

  it('the next wave is a persisted deadline one interval after the last', () => {
    const [scheduled] = ofType(city.when(start('I1', ranked), VRULES).thenEvents(...START_5), 'VolunteerWaveScheduled');
    expect(scheduled?.data).toMatchObject({
      incidentId: 'I1',
      wave: 2,
      dueAt: isoAt(sec(35)),
      expectedArrivals: 1,
      targetArrivals: 2,
    });
    expect(responseOf(started().world, 'I1').nextWave).toEqual({ wave: 2, dueAt: isoAt(sec(35)) });
  });

  it('reaches further down the ranking, and stops scheduling once the target is expected', () => {
    const outcome = started().when(nextWave('I1', 2, sec(35)), VRULES);
    const events = outcome.thenEvents(...FIVE);
    expect(alerted(events)).toEqual(['V06', 'V07', 'V08', 'V09', 'V10']);
    expect(ofType(events, 'VolunteerAlerted').every((e) => e.data.wave === 2)).toBe(true);
    expect(ofType(events, 'VolunteerWaveSent')[0]?.data).toMatchObject({ expectedArrivals: 2, stop: 'target_reached' });
    expect(responseOf(outcome.after, 'I1')).toMatchObject({ wave: 2, lastWaveAt: isoAt(sec(35)) });
    expect(responseOf(outcome.after, 'I1').nextWave).toBeUndefined();
  });

  it('a wave fires once: early, unscheduled or a second time it is rejected', () => {
    const story = started();
    expect(story.when(nextWave('I1', 2, sec(34)), VRULES).thenRejected('WaveNotDue').details).toEqual({
      wave: 2,
      dueAt: isoAt(sec(35)),
    });
    story.when(nextWave('I1', 3, sec(40)), VRULES).thenRejected('WaveNotScheduled');
    const after = story.when(nextWave('I1', 2, sec(40)), VRULES).story;
    after.when(nextWave('I1', 2, sec(41)), VRULES).thenRejected('WaveNotScheduled');
  });

  it('only candidates who can still beat the first unit are reached after wave 1', () => {
    // The first unit is due at 5 s + 220 s = 225 s. From wave 2 at 35 s, V06 (180 s) arrives at
    // 215 s and counts; V07 (210 s) would arrive at 245 s, after the crew.
    const story = city.when(start('I1', ranked, { firstUnitEtaS: 220 }), VRULES).story;
    const outcome = story.when(nextWave('I1', 2, sec(35)), VRULES);
    const events = outcome.thenEvents('VolunteerWaveSent', 'VolunteerAlerted');
    expect(alerted(events)).toEqual(['V06']);
    expect(events[0]?.data).toMatchObject({ stop: 'beyond_first_unit', expectedArrivals: 1.2 });
    expect(responseOf(outcome.after, 'I1').nextWave).toBeUndefined();
  });

  it('no wave is scheduled when nobody left could beat the first unit', () => {
    const outcome = city.when(start('I1', ranked, { firstUnitEtaS: 200 }), VRULES);
    outcome.thenEvents(...START_5.slice(0, -1));
    expect(responseOf(outcome.after, 'I1').nextWave).toBeUndefined();
  });

  it('a refreshed first-unit ETA is recorded with the wave and used from then on', () => {
    const outcome = started().when({ type: 'SendNextWave', now: sec(35), incidentId: 'I1', wave: 2, firstUnitEtaS: 100 }, VRULES);
    const [sent] = outcome.thenEvents('VolunteerWaveSent');
    expect(sent?.data).toMatchObject({ firstUnitDueAt: isoAt(sec(135)), stop: 'beyond_first_unit' });
    expect(responseOf(outcome.after, 'I1').firstUnitDueAt).toBe(isoAt(sec(135)));
  });

  it('a volunteer is never alerted twice for one incident, even if named twice or ranked again', () => {
    const events = city
      .when(
        start('I1', [
          ['V01', 90],
          ['V01', 30],
          ['V02', 60],
        ]),
        VRULES,
      )
      .thenEvents('VolunteerResponseStarted', 'VolunteerWaveSent', 'VolunteerAlerted', 'VolunteerAlerted');
    expect(alerted(events)).toEqual(['V01', 'V02']);
    expect(ofType(events, 'VolunteerAlerted')[0]?.data.etaS).toBe(30);
    city
      .when(start('I1', ranked), VRULES)
      .story.when(start('I1', ranked), VRULES)
      .thenRejected('VolunteerResponseAlreadyStarted');
  });

  it('an accept that brings the expected arrivals to the target cancels the scheduled wave', () => {
    const story = started().when(acceptBy('V01', 'I1', sec(20)), VRULES).story;
    expect(responseOf(story.world, 'I1').nextWave).toBeDefined(); // 1 + 4 × 0.2 = 1.8
    const events = story
      .when(acceptBy('V02', 'I1', sec(25)), VRULES)
      .thenEvents('VolunteerAccepted', 'VolunteerRoleAssigned', 'VolunteerWaveCancelled');
    expect(events[2]?.data).toEqual({
      incidentId: 'I1',
      wave: 2,
      reason: 'target reached: 2.6 volunteers expected before the first unit (target 2)',
    });
  });

  it('a decline that leaves the expected arrivals short schedules another wave, one interval after the last', () => {
    const full = started().when(nextWave('I1', 2, sec(35)), VRULES).story; // expected 2.0, nothing scheduled
    const outcome = full.when(declineBy('V03', 'I1', sec(40)), VRULES);
    const [declined, scheduled] = outcome.thenEvents('VolunteerDeclined', 'VolunteerWaveScheduled');
    expect(declined?.data).toEqual({ incidentId: 'I1', volunteerId: 'V03', alertId: 'I1.V03' });
    expect(scheduled?.data).toMatchObject({ wave: 3, dueAt: isoAt(sec(65)), expectedArrivals: 1.8 });
    // 1.8 + 0.2 for V11 reaches the target again: V12 is not needed.
    expect(
      alerted(outcome.story.when(nextWave('I1', 3, sec(65)), VRULES).thenEvents('VolunteerWaveSent', 'VolunteerAlerted')),
    ).toEqual(['V11']);
  });

  it('an alert expires at its persisted deadline, once', () => {
    const story = started().when(nextWave('I1', 2, sec(35)), VRULES).story;
    story.when(expire('I1', 'V01', sec(124)), VRULES).thenRejected('AlertNotExpired');
    const outcome = story.when(expire('I1', 'V01', sec(125)), VRULES);
    outcome.thenEvents('VolunteerAlertExpired', 'VolunteerWaveScheduled');
    expect(volunteerOf(outcome.after, 'V01').activeAlerts).toEqual({});
    outcome.story.when(expire('I1', 'V01', sec(126)), VRULES).thenRejected('AlertNotOpen');
  });

  it('after a restart, the state rebuilt from the log fires each due timer exactly once', () => {
    const log: PendingEvent[] = [arrest, ...volunteers(ids)];
    log.push(
      ...given(log)
        .when(start('I1', ranked), VRULES)
        .thenEvents(...START_5),
    );
    // The process dies here; on restart every stream is rebuilt from the log alone.
    let story = given(log);
    const due = dueTimers(responseOf(story.world, 'I1'), sec(40));
    expect(due).toEqual([nextWave('I1', 2, sec(40))]);
    for (const c of due) story = story.when(c, VRULES).story;
    for (const c of due) story.when(c, VRULES).thenRejected('WaveNotScheduled');
    expect(dueTimers(responseOf(story.world, 'I1'), sec(40))).toEqual([]);

    const expiries = dueTimers(responseOf(story.world, 'I1'), sec(125));
    expect(expiries).toEqual(['V01', 'V02', 'V03', 'V04', 'V05'].map((v) => expire('I1', v, sec(125))));
    for (const c of expiries) story = story.when(c, VRULES).story;
    for (const c of expiries) story.when(c, VRULES).thenRejected('AlertNotOpen');
    // Five alerts gone leave the expected arrivals short: wave 3 is due at once.
    expect(dueTimers(responseOf(story.world, 'I1'), sec(125))).toEqual([nextWave('I1', 3, sec(125))]);
  });
});

describe('starting a response', () => {
  it('needs a nature the policy alerts volunteers for', () => {
    const rejection = given(incidentReceived('I1', 'medical'), volunteers(ids))
      .when(start('I1', ranked), VRULES)
      .thenRejected('VolunteersNotWanted');
    expect(rejection.details).toEqual({ nature: 'medical', rule: 'nature.not_listed', policyVersion: POLICY.version });
    given(incidentReceived('I1', 'violence')).when(start('I1', ranked), VRULES).thenRejected('VolunteersNotWanted');
  });

  it('needs a policy, an open incident without a unit on scene, and sane inputs', () => {
    city.when(start('I1', ranked), RULES).thenRejected('VolunteerPolicyMissing');
    city.when(start('I2', ranked), VRULES).thenRejected('UnknownIncident');
    city
      .and(incidentStatusChanged('I1', 'received', 'cancelled'))
      .when(start('I1', ranked), VRULES)
      .thenRejected('IncidentClosed');
    city
      .and(incidentStatusChanged('I1', 'received', 'on_scene'))
      .when(start('I1', ranked), VRULES)
      .thenRejected('VolunteersNotWanted');
    city.when(start('I1', [['V01', -1]]), VRULES).thenRejected('InvalidVolunteerResponse');
    city.when(start('I1', ranked, { firstUnitEtaS: Number.NaN }), VRULES).thenRejected('InvalidVolunteerResponse');
    city.when(start('I1', ranked, { utcOffsetMin: 15 * 60 }), VRULES).thenRejected('InvalidVolunteerResponse');
  });
});
