import { describe, expect, it } from 'vitest';
import { given, incidentReceived, T0 } from './test-kit.ts';
import {
  OFFICE_HOURS,
  VRULES,
  acceptBy,
  aed,
  ofType,
  responseOf,
  sec,
  start,
  via,
  volunteer,
  volunteerOf,
} from './volunteer-test-kit.ts';

/*
 * A cardiac arrest on the 3rd floor (roles wanted: cpr, fetch_aed, meet_crew). Candidates:
 *   T1, T2  CPR, verified           U1  first aid, self-declared (untrained for the cpr role)
 *   S1      CPR, self-declared      A1  AED course only
 * AEDs near the scene (walking s, volunteer → AED + AED → scene):
 *   LIB  the library, office hours  60 + 200 = 260      MALL  24/7 cabinet    100 + 100 = 200
 *   BANK closed for good             20 +  20 =  40
 */
const arrest = incidentReceived('I1', 'cardiac_arrest', T0, { floor: '3', access: 'door code 4711' });
const people = [
  volunteer('T1', { quals: ['cpr'] }),
  volunteer('T2', { quals: ['cpr'] }),
  volunteer('U1', { quals: [{ kind: 'first_aid', verified: false }] }),
  volunteer('S1', { quals: [{ kind: 'cpr', verified: false }] }),
  volunteer('A1', { quals: ['aed'] }),
].flat();
const candidates = [
  ['T1', 60],
  ['T2', 90],
  ['U1', 120],
  ['S1', 150],
  ['A1', 180],
] as const;
const responding = given(arrest, people).when(start('I1', candidates), VRULES).story;

const LIB = aed('LIB', { placeName: 'Main Library', floor: 'ground', access: 'front desk', openingHours: OFFICE_HOURS });
const MALL = aed('MALL', { placeName: 'Westfield, door B' });
const BANK = aed('BANK', { placeName: 'Old bank', status: 'out_of_service' });
const nearby = [via(LIB, 60, 200), via(MALL, 100, 100), via(BANK, 20, 20)];
/** The same office hours, read in San Francisco (UTC-8): at T0 it is 01:00 there. */
const NIGHT_LIB = aed('LIB', { placeName: 'Main Library', openingHours: { ...OFFICE_HOURS, utcOffsetMin: -480 } });

const roleOf = (story = responding, who: string, aeds = nearby, at = sec(20)) => {
  const events = story.when(acceptBy(who, 'I1', at, aeds), VRULES).thenEvents('VolunteerAccepted', 'VolunteerRoleAssigned');
  return ofType(events, 'VolunteerRoleAssigned')[0]?.data;
};

describe('roles on acceptance', () => {
  it('the first CPR-qualified volunteer to accept gets cpr and goes straight to the patient, with floor and access', () => {
    expect(roleOf(responding, 'T2')).toEqual({
      incidentId: 'I1',
      volunteerId: 'T2',
      alertId: 'I1.T2',
      role: 'cpr',
      fills: 'cpr',
      reason: 'first CPR-qualified volunteer to accept (verified cpr): straight to the patient',
      floor: '3',
      access: 'door code 4711',
    });
  });

  it('an untrained first accepter fetches the AED, and cpr waits for a trained one', () => {
    const u1 = roleOf(responding, 'U1');
    expect(u1).toMatchObject({ role: 'fetch_aed', fills: 'fetch_aed' });
    expect(u1?.reason).toMatch(/^not CPR-qualified \(role\.cpr_qualified: .*\); fetch the AED at Westfield, door B/);
    const after = responding.when(acceptBy('U1', 'I1', sec(20), nearby), VRULES).story;
    expect(roleOf(after, 'T1', nearby, sec(25))).toMatchObject({ role: 'cpr' });
  });

  it('a self-declared CPR qualification is not enough for the cpr role', () => {
    expect(roleOf(responding, 'S1')).toMatchObject({ role: 'fetch_aed' });
  });

  it('the second volunteer fetches the AED with the fastest walk via it, among those in service and open', () => {
    const after = responding.when(acceptBy('T1', 'I1', sec(20), nearby), VRULES).story;
    expect(roleOf(after, 'T2', nearby, sec(25))).toMatchObject({
      role: 'fetch_aed',
      fills: 'fetch_aed',
      reason:
        'fetch the AED at Westfield, door B (open): 1 min 40 s to it, 1 min 40 s on to the scene, 3 min 20 s in all, the fastest of the open AEDs',
      aed: { aedId: 'MALL', placeName: 'Westfield, door B', location: MALL.location, toAedS: 100, toSceneS: 100 },
      aedsPassedOver: [{ aedId: 'BANK', reason: 'Old bank: out of service' }],
      floor: '3',
      access: 'door code 4711',
    });
  });

  it('the AED waypoint carries its own floor and access notes', () => {
    const role = roleOf(responding, 'U1', [via(LIB, 60, 60), via(MALL, 100, 100)]);
    expect(role?.aed).toEqual({
      aedId: 'LIB',
      placeName: 'Main Library',
      location: LIB.location,
      floor: 'ground',
      access: 'front desk',
      toAedS: 60,
      toSceneS: 60,
    });
  });

  it('an AED closed at night is passed over for the next open one', () => {
    const role = roleOf(responding, 'U1', [via(NIGHT_LIB, 10, 10), via(MALL, 100, 100)]);
    expect(role).toMatchObject({
      role: 'fetch_aed',
      aed: { aedId: 'MALL' },
      aedsPassedOver: [{ aedId: 'LIB', reason: 'Main Library: closed at mon 01:00' }],
    });
  });

  it('with no AED open, the volunteer meets the crew instead, and the assignment says why', () => {
    const role = roleOf(responding, 'U1', [via(NIGHT_LIB, 10, 10), via(BANK, 20, 20)]);
    expect(role).toMatchObject({ role: 'meet_crew', fills: 'fetch_aed' });
    expect(role?.reason).toContain(
      'no AED open now (Main Library: closed at mon 01:00; Old bank: out of service): wait at the entrance for the crew',
    );
    expect(role).not.toHaveProperty('aed');
    expect(roleOf(responding, 'U1', [])?.reason).toContain('no AED known within reach');
  });

  it('an AED that closes before the volunteer gets there is not used', () => {
    // 17:58 in a place at UTC+8:58; three minutes' walk reaches the library after it closes at 18:00.
    const closing = aed('LIB', { placeName: 'Main Library', openingHours: { ...OFFICE_HOURS, utcOffsetMin: 8 * 60 + 58 } });
    const role = roleOf(responding, 'U1', [via(closing, 180, 10), via(MALL, 100, 100)]);
    expect(role?.aedsPassedOver).toEqual([
      { aedId: 'LIB', reason: 'Main Library: closes before the volunteer gets there (mon 18:01)' },
    ]);
  });

  it('the third volunteer meets the crew, and the roles filled stand everyone else down', () => {
    const story = responding
      .when(acceptBy('T1', 'I1', sec(20), nearby), VRULES)
      .story.when(acceptBy('T2', 'I1', sec(21), nearby), VRULES).story;
    const events = story
      .when(acceptBy('A1', 'I1', sec(22), nearby), VRULES)
      .thenEvents(
        'VolunteerAccepted',
        'VolunteerRoleAssigned',
        'VolunteerStoodDown',
        'VolunteerStoodDown',
        'VolunteerResponseStatusChanged',
      );
    expect(events[1]?.data).toMatchObject({
      role: 'meet_crew',
      fills: 'meet_crew',
      reason: 'wait at the entrance for the crew: give the door code, hold the lift',
    });
    expect(ofType(events, 'VolunteerStoodDown').map((e) => [e.data.volunteerId, e.data.reason, e.data.wasAccepted])).toEqual([
      ['U1', 'enough_accepted', false],
      ['S1', 'enough_accepted', false],
    ]);
    expect(events[4]?.data).toMatchObject({ from: 'alerting', to: 'complete', reason: 'enough_accepted' });
  });

  it('once only cpr is left, the open alerts of volunteers who cannot take it are withdrawn before they accept; cpr stays open', () => {
    const afterU1 = responding.when(acceptBy('U1', 'I1', sec(20), nearby), VRULES).story;
    const events = afterU1
      .when(acceptBy('A1', 'I1', sec(21), nearby), VRULES)
      .thenEvents('VolunteerAccepted', 'VolunteerRoleAssigned', 'VolunteerStoodDown');
    const [down] = ofType(events, 'VolunteerStoodDown');
    expect(down?.data).toMatchObject({ volunteerId: 'S1', reason: 'no_role_left', wasAccepted: false });
    expect(down?.data.detail).toBe('no role this volunteer could take is still wanted (still wanted: cpr)');
    const story = afterU1.when(acceptBy('A1', 'I1', sec(21), nearby), VRULES).story;
    expect(responseOf(story.world, 'I1').assignments.map((a) => a.role)).toEqual(['fetch_aed', 'meet_crew']);
    expect(responseOf(story.world, 'I1').alerts['I1.T1']).toMatchObject({ status: 'open' });
    story.when(acceptBy('S1', 'I1', sec(22), nearby), VRULES).thenRejected('AlertNotOpen');
    const last = story
      .when(acceptBy('T1', 'I1', sec(23), nearby), VRULES)
      .thenEvents('VolunteerAccepted', 'VolunteerRoleAssigned', 'VolunteerStoodDown', 'VolunteerResponseStatusChanged');
    expect(ofType(last, 'VolunteerRoleAssigned')[0]?.data.role).toBe('cpr');
    expect(ofType(last, 'VolunteerStoodDown')[0]?.data).toMatchObject({ volunteerId: 'T2', reason: 'enough_accepted' });
  });

  it('choking wants one trained volunteer: only those who could take the cpr role are alerted, and the first to accept is enough', () => {
    const started = given(incidentReceived('I2', 'choking'), people).when(start('I2', candidates), VRULES);
    const [wave] = ofType(
      started.thenEvents('VolunteerResponseStarted', 'VolunteerWaveSent', 'VolunteerAlerted', 'VolunteerAlerted'),
      'VolunteerWaveSent',
    );
    expect(wave?.data.volunteerIds).toEqual(['T1', 'T2']);
    expect(wave?.data.suppressed.map((x) => [x.volunteerId, x.rule])).toEqual([
      ['U1', 'volunteer.role'],
      ['S1', 'volunteer.role'],
      ['A1', 'volunteer.qualification'],
    ]);
    const events = started.story
      .when(acceptBy('T1', 'I2', sec(20)), VRULES)
      .thenEvents('VolunteerAccepted', 'VolunteerRoleAssigned', 'VolunteerStoodDown', 'VolunteerResponseStatusChanged');
    expect(events[1]?.data).toMatchObject({ role: 'cpr' });
  });

  it('a fall from height wants one volunteer to meet the crew', () => {
    const story = given(incidentReceived('I3', 'fall_from_height'), people).when(start('I3', candidates), VRULES).story;
    const events = story
      .when(acceptBy('U1', 'I3', sec(20)), VRULES)
      .thenEvents(
        'VolunteerAccepted',
        'VolunteerRoleAssigned',
        'VolunteerStoodDown',
        'VolunteerStoodDown',
        'VolunteerStoodDown',
        'VolunteerResponseStatusChanged',
      );
    expect(events[1]?.data).toMatchObject({ role: 'meet_crew', fills: 'meet_crew' });
  });

  it('the volunteer’s own state shows the alert accepted with its role', () => {
    const after = responding.when(acceptBy('T1', 'I1', sec(20), nearby), VRULES).after;
    expect(volunteerOf(after, 'T1')).toMatchObject({
      accepted: 1,
      alerted: 1,
      activeAlerts: { 'I1.T1': { incidentId: 'I1', status: 'accepted', role: 'cpr' } },
    });
  });
});

describe('access details go only to those who go, and only to the verified', () => {
  it('a self-declared volunteer who accepts is given the floor but not the door code, and is not told to use one', () => {
    const role = roleOf(responding, 'S1', []);
    expect(role).toMatchObject({ role: 'meet_crew', fills: 'fetch_aed', floor: '3' });
    expect(role).not.toHaveProperty('access');
    expect(role?.reason).toContain('wait at the entrance for the crew: show them the way in, hold the lift');
    expect(role?.reason).not.toMatch(/door code/);
  });

  it('a volunteer with a verified qualification the nature lists is given the door code, and told to give it', () => {
    const story = responding
      .when(acceptBy('T1', 'I1', sec(20), nearby), VRULES)
      .story.when(acceptBy('T2', 'I1', sec(21), nearby), VRULES).story;
    const events = story
      .when(acceptBy('A1', 'I1', sec(22), nearby), VRULES)
      .thenEvents('VolunteerAccepted', 'VolunteerRoleAssigned', 'VolunteerStoodDown', 'VolunteerStoodDown', 'VolunteerResponseStatusChanged');
    const role = ofType(events, 'VolunteerRoleAssigned')[0]?.data;
    expect(role).toMatchObject({ role: 'meet_crew', floor: '3', access: 'door code 4711' });
    expect(role?.reason).toBe('wait at the entrance for the crew: give the door code, hold the lift');
  });

  it('with no access notes on the incident, even a verified volunteer is not told to give a door code', () => {
    const plain = given(incidentReceived('I1', 'cardiac_arrest', T0, { floor: '3' }), people).when(start('I1', candidates), VRULES).story;
    const role = roleOf(plain, 'T1', []);
    expect(roleOf(plain.when(acceptBy('T2', 'I1', sec(20)), VRULES).story, 'T1', [], sec(21))?.reason).toBe(
      'no AED known within reach: wait at the entrance for the crew: show them the way in, hold the lift instead',
    );
    expect(role).not.toHaveProperty('access');
  });
});

describe('answering an alert', () => {
  it('only the volunteer alerted can answer, once, while the alert is open', () => {
    responding
      .when({ type: 'AcceptAlert', now: sec(20), volunteerId: 'T1', alertId: 'I1.T2', aeds: [] }, VRULES)
      .thenRejected('UnknownAlert');
    responding.when(acceptBy('X9', 'I1', sec(20)), VRULES).thenRejected('UnknownVolunteer');
    responding.when(acceptBy('T1', 'I9', sec(20)), VRULES).thenRejected('UnknownAlert');
    const after = responding.when(acceptBy('T1', 'I1', sec(20)), VRULES).story;
    after.when(acceptBy('T1', 'I1', sec(21)), VRULES).thenRejected('AlertNotOpen');
  });
});
