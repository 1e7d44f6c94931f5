import { describe, expect, it } from 'vitest';
import type { Command } from './commands.ts';
import { epochMs, isoAt } from './ids.ts';
import { at, given } from './test-kit.ts';
import { NEXT_YEAR, VRULES, volunteer, volunteerDeleted, volunteerOf } from './volunteer-test-kit.ts';

const register = (volunteerId = 'V1', now = at(0)): Command => ({
  type: 'RegisterVolunteer',
  now,
  volunteerId,
  languages: ['en', 'es', 'en', ' '],
  locationConsent: true,
});
const declare = (kind: 'cpr' | 'nurse' | 'doctor', expiresAt = NEXT_YEAR, now = at(1)): Command => ({
  type: 'DeclareQualification',
  now,
  volunteerId: 'V1',
  kind,
  expiresAt,
});
const verify = (kind: 'cpr' | 'nurse' | 'doctor', now = at(2)): Command => ({
  type: 'VerifyQualification',
  now,
  volunteerId: 'V1',
  kind,
  by: 'supervisor-7',
});
const registered = given(volunteer('V1', { quals: [], available: false }));

describe('the volunteer registry', () => {
  it('signing up registers a pseudonymous volunteer, off duty, with no qualification yet', () => {
    const outcome = given().when(register(), VRULES);
    const [e] = outcome.thenEvents('VolunteerRegistered');
    expect(e).toMatchObject({
      stream: 'volunteer-V1',
      data: { volunteerId: 'V1', languages: ['en', 'es'], locationConsent: true },
    });
    expect(volunteerOf(outcome.after, 'V1')).toMatchObject({
      status: 'active',
      available: false,
      qualifications: {},
      alerted: 0,
      accepted: 0,
      activeAlerts: {},
    });
  });

  it('no volunteer event carries a name, a phone number or a position', () => {
    const story = given().when(register(), VRULES).story.when(declare('cpr'), VRULES).story;
    const events = [
      ...story
        .when({ type: 'SetAvailability', now: at(3), volunteerId: 'V1', available: true }, VRULES)
        .thenEvents('AvailabilitySet'),
      ...given().when(register(), VRULES).thenEvents('VolunteerRegistered'),
    ];
    for (const e of events) {
      expect(Object.keys(e.data).sort().join(' ')).not.toMatch(/name|phone|location\b|position|lat|lon/i);
    }
  });

  it('an id is registered once, and never again even after deletion', () => {
    registered.when(register(), VRULES).thenRejected('VolunteerAlreadyExists');
    registered.and(volunteerDeleted('V1')).when(register(), VRULES).thenRejected('VolunteerAlreadyExists');
  });

  it('a declared qualification stays unverified until a supervisor verifies it', () => {
    const declared = registered.when(declare('nurse'), VRULES);
    const [d] = declared.thenEvents('QualificationDeclared');
    expect(d?.data).toEqual({ volunteerId: 'V1', kind: 'nurse', expiresAt: isoAt(NEXT_YEAR) });
    expect(volunteerOf(declared.after, 'V1').qualifications.nurse).toMatchObject({ verified: false });

    const verified = declared.story.when(verify('nurse'), VRULES);
    const [v] = verified.thenEvents('QualificationVerified');
    expect(v?.data).toEqual({ volunteerId: 'V1', kind: 'nurse', by: 'supervisor-7' });
    expect(volunteerOf(verified.after, 'V1').qualifications.nurse).toMatchObject({
      verified: true,
      verifiedBy: 'supervisor-7',
      verifiedAt: isoAt(at(2)),
    });
  });

  it('declaring a qualification again renews it and it needs verifying again', () => {
    const story = registered.when(declare('cpr'), VRULES).story.when(verify('cpr'), VRULES).story;
    const renewed = story.when(declare('cpr', epochMs(NEXT_YEAR + 86_400_000)), VRULES);
    renewed.thenEvents('QualificationDeclared');
    expect(volunteerOf(renewed.after, 'V1').qualifications.cpr).toMatchObject({ verified: false });
  });

  it('a qualification must be known and expire after now', () => {
    registered.when(declare('cpr', at(0)), VRULES).thenRejected('InvalidQualification');
    registered
      .when(
        { type: 'DeclareQualification', now: at(1), volunteerId: 'V1', kind: 'wizard' as 'cpr', expiresAt: NEXT_YEAR },
        VRULES,
      )
      .thenRejected('InvalidQualification');
  });

  it('only a declared, unexpired, unverified qualification can be verified', () => {
    registered.when(verify('doctor'), VRULES).thenRejected('UnknownQualification');
    const declared = registered.when(declare('doctor', at(10)), VRULES).story;
    declared.when(verify('doctor', at(10)), VRULES).thenRejected('QualificationExpired');
    declared
      .when(verify('doctor'), VRULES)
      .story.when(verify('doctor', at(3)), VRULES)
      .thenRejected('NothingToChange');
  });

  it('availability and quiet hours are set together; absent quiet hours are kept, null clears them', () => {
    const night = { from: '22:00', to: '07:00' };
    const on = registered.when(
      { type: 'SetAvailability', now: at(1), volunteerId: 'V1', available: true, quietHours: night },
      VRULES,
    );
    expect(on.thenEvents('AvailabilitySet')[0]?.data).toEqual({ volunteerId: 'V1', available: true, quietHours: night });
    const off = on.story.when({ type: 'SetAvailability', now: at(2), volunteerId: 'V1', available: false }, VRULES);
    expect(off.thenEvents('AvailabilitySet')[0]?.data).toEqual({ volunteerId: 'V1', available: false, quietHours: night });
    const cleared = off.story.when(
      { type: 'SetAvailability', now: at(3), volunteerId: 'V1', available: false, quietHours: null },
      VRULES,
    );
    cleared.thenEvents('AvailabilitySet');
    expect(volunteerOf(cleared.after, 'V1')).not.toHaveProperty('quietHours');
    cleared.story
      .when({ type: 'SetAvailability', now: at(4), volunteerId: 'V1', available: false }, VRULES)
      .thenRejected('NothingToChange');
  });

  it('quiet hours must be two different times of day', () => {
    for (const quietHours of [
      { from: '22:00', to: '22:00' },
      { from: '25:00', to: '07:00' },
      { from: '7:00', to: '08:00' },
    ]) {
      registered
        .when({ type: 'SetAvailability', now: at(1), volunteerId: 'V1', available: true, quietHours }, VRULES)
        .thenRejected('InvalidQuietHours');
    }
  });

  it('consent to location use can be withdrawn and given again', () => {
    const withdrawn = registered.when({ type: 'SetLocationConsent', now: at(1), volunteerId: 'V1', consent: false }, VRULES);
    withdrawn.thenEvents('LocationConsentSet');
    expect(volunteerOf(withdrawn.after, 'V1').locationConsent).toBe(false);
    withdrawn.story
      .when({ type: 'SetLocationConsent', now: at(2), volunteerId: 'V1', consent: false }, VRULES)
      .thenRejected('NothingToChange');
  });

  it('deleting an account leaves only the pseudonymous id and the fact of deletion', () => {
    const story = given(
      volunteer('V1', { quals: ['nurse', 'cpr'], quietHours: { from: '22:00', to: '07:00' }, languages: ['fr'] }),
    );
    const outcome = story.when({ type: 'DeleteVolunteer', now: at(5), volunteerId: 'V1' }, VRULES);
    outcome.thenEvents('VolunteerDeleted');
    expect(volunteerOf(outcome.after, 'V1')).toEqual({
      id: 'V1',
      status: 'deleted',
      registeredAt: volunteerOf(story.world, 'V1').registeredAt,
      qualifications: {},
      languages: [],
      locationConsent: false,
      available: false,
      alerted: 0,
      accepted: 0,
      activeAlerts: {},
      deletedAt: isoAt(at(5)),
    });
  });

  it('a deleted volunteer can change nothing any more', () => {
    const gone = registered.and(volunteerDeleted('V1'));
    gone.when(declare('cpr'), VRULES).thenRejected('VolunteerGone');
    gone.when({ type: 'SetAvailability', now: at(1), volunteerId: 'V1', available: true }, VRULES).thenRejected('VolunteerGone');
    gone.when({ type: 'DeleteVolunteer', now: at(1), volunteerId: 'V1' }, VRULES).thenRejected('VolunteerGone');
  });

  it('commands about an unknown volunteer are rejected', () => {
    given().when(declare('cpr'), VRULES).thenRejected('UnknownVolunteer');
    given()
      .when({ type: 'SetLocationConsent', now: at(1), volunteerId: 'V1', consent: true }, VRULES)
      .thenRejected('UnknownVolunteer');
  });
});
