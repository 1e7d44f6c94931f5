import { describe, expect, it } from 'vitest';
import { eligibility, type Eligibility } from './eligibility.ts';
import { epochMs } from './ids.ts';
import { given, T0 } from './test-kit.ts';
import type { VolunteerState } from './volunteer.ts';
import type { IncidentPlace, QualificationKind } from './volunteer-policy.ts';
import {
  POLICY,
  alertedElsewhere,
  volunteer,
  volunteerDeleted,
  volunteerOf,
  type QualSpec,
  type VolunteerSpec,
} from './volunteer-test-kit.ts';

/*
 * The policy table. Columns are natures, one letter each; `Y` is "may be alerted", `.` is "never".
 *
 *   A cardiac_arrest   C choking   F fall_from_height   S structure_fire
 *   V violence         H hazmat    M medical            G gas_leak (a nature no rule lists)
 *
 * Every row is a volunteer who is on duty, consents to location use and is outside quiet hours;
 * the state dimension below shows that any of those failing turns every Y into `.`.
 */
const NATURES = ['cardiac_arrest', 'choking', 'fall_from_height', 'structure_fire', 'violence', 'hazmat', 'medical', 'gas_leak'];
const EXPIRED = epochMs(T0 - 1);
const unverified = (kind: QualificationKind): QualSpec => ({ kind, verified: false });

// Choking wants the cpr role only, which needs a verified CPR qualification: a self-declared
// volunteer could take no role there, so they are not alerted (rule volunteer.role).
const TABLE: readonly [name: string, quals: readonly QualSpec[], publicPlace: string, home: string][] = [
  //                                                                 public      home/unknown
  //                                                                 ACFSVHMG    ACFSVHMG
  ['no qualification', [], '........', '........'],
  ['first aid, self-declared', [unverified('first_aid')], 'Y.Y.....', '........'],
  ['AED course only', ['aed'], 'Y.......', '........'],
  ['CPR, self-declared', [unverified('cpr')], 'Y.Y.....', '........'],
  ['CPR, verified', ['cpr'], 'YYY.....', '........'],
  ['nurse, not yet verified', [unverified('nurse')], 'Y.Y.....', '........'],
  ['nurse, verified', ['nurse'], 'YYY.....', 'YYY.....'],
  ['doctor, verified', ['doctor'], 'YYY.....', 'YYY.....'],
  ['doctor, verified but expired', [{ kind: 'doctor', expiresAt: EXPIRED }], '........', '........'],
  ['off-duty firefighter, not yet verified', [unverified('firefighter_off_duty')], 'Y.Y.....', '........'],
  ['off-duty firefighter, verified', ['firefighter_off_duty'], 'YYYY....', '........'],
  // The layers are independent: the firefighter qualification answers the nature, the nurse one the home.
  ['firefighter and nurse, verified', ['firefighter_off_duty', 'nurse'], 'YYYY....', 'YYYY....'],
];

type State = { name: string; spec: Partial<VolunteerSpec>; offsetMin: number; eligibleIfAllowed: boolean; rule?: string };
/** T0 is 09:00 UTC: 01:00 in San Francisco (UTC-8), 10:00 in Paris (UTC+1). */
const STATES: readonly State[] = [
  { name: 'on duty', spec: {}, offsetMin: 0, eligibleIfAllowed: true },
  {
    name: 'quiet hours 22:00-07:00, 10:00 local',
    spec: { quietHours: { from: '22:00', to: '07:00' } },
    offsetMin: 60,
    eligibleIfAllowed: true,
  },
  {
    name: 'quiet hours 22:00-07:00, 01:00 local',
    spec: { quietHours: { from: '22:00', to: '07:00' } },
    offsetMin: -480,
    eligibleIfAllowed: false,
    rule: 'volunteer.quiet_hours',
  },
  { name: 'off duty', spec: { available: false }, offsetMin: 0, eligibleIfAllowed: false, rule: 'volunteer.availability' },
  { name: 'no location consent', spec: { consent: false }, offsetMin: 0, eligibleIfAllowed: false, rule: 'volunteer.consent' },
];

const stateOf = (spec: VolunteerSpec): VolunteerState => volunteerOf(given(volunteer('V1', spec)).world, 'V1');
const check = (v: VolunteerState, nature: string, place: IncidentPlace, offsetMin = 0): Eligibility =>
  eligibility(POLICY, v, { nature, place, incidentId: 'I1' }, T0, offsetMin);

describe('the eligibility policy table', () => {
  for (const [name, quals, publicRow, homeRow] of TABLE) {
    for (const st of STATES) {
      it(`${name}, ${st.name}: public ${publicRow}, home and unknown ${homeRow}`, () => {
        const v = stateOf({ ...st.spec, quals });
        for (const [place, row] of [
          ['public', publicRow],
          ['home', homeRow],
          ['unknown', homeRow],
        ] as const) {
          NATURES.forEach((nature, i) => {
            const allowed = row[i] === 'Y';
            const e = check(v, nature, place, st.offsetMin);
            expect(e.eligible, `${nature} at a ${place} place: ${JSON.stringify(e)}`).toBe(allowed && st.eligibleIfAllowed);
            expect(e.policyVersion).toBe(POLICY.version);
            if (allowed && !st.eligibleIfAllowed) expect(e.rule).toBe(st.rule);
          });
        }
      });
    }
  }
});

describe('eligibility rules and their reasons', () => {
  const nurse = stateOf({ quals: ['nurse'] });

  it('an eligible volunteer carries the nature and place rules that allowed them, and the qualification used', () => {
    expect(check(nurse, 'cardiac_arrest', 'public')).toEqual({
      eligible: true,
      rule: 'nature.cardiac_arrest+place.public',
      policyVersion: POLICY.version,
      qualification: 'nurse',
      canFill: ['cpr', 'fetch_aed', 'meet_crew'],
    });
    expect(check(stateOf({ quals: ['cpr', 'nurse'] }), 'cardiac_arrest', 'home')).toMatchObject({
      rule: 'nature.cardiac_arrest+place.home',
      qualification: 'nurse',
    });
  });

  it('a nature the policy never alerts for is refused by its own rule, before anything about the volunteer', () => {
    const deleted = volunteerOf(given(volunteer('V1'), volunteerDeleted('V1')).world, 'V1');
    expect(check(deleted, 'violence', 'public')).toMatchObject({ eligible: false, rule: 'nature.violence' });
    expect(check(nurse, 'hazmat', 'public')).toMatchObject({
      eligible: false,
      rule: 'nature.hazmat',
      reason: 'volunteers are never alerted for hazmat',
    });
    expect(check(nurse, 'gas_leak', 'public')).toMatchObject({ eligible: false, rule: 'nature.not_listed' });
  });

  it('a deleted account is never eligible', () => {
    const deleted = volunteerOf(given(volunteer('V1'), volunteerDeleted('V1')).world, 'V1');
    expect(check(deleted, 'cardiac_arrest', 'public')).toMatchObject({ eligible: false, rule: 'volunteer.deleted' });
  });

  it('quiet hours are read in local time, and a window that does not span midnight works the same way', () => {
    const lunch = stateOf({ quietHours: { from: '12:00', to: '14:00' } });
    expect(check(lunch, 'cardiac_arrest', 'public', 0).eligible).toBe(true); // 09:00
    expect(check(lunch, 'cardiac_arrest', 'public', 4 * 60)).toMatchObject({
      eligible: false,
      rule: 'volunteer.quiet_hours',
      reason: 'in quiet hours 12:00-14:00 (local time 13:00)',
    });
    expect(check(lunch, 'cardiac_arrest', 'public', 5 * 60).eligible).toBe(true); // 14:00: the window has ended
  });

  it('a qualification expiring exactly now no longer counts', () => {
    const v = stateOf({ quals: [{ kind: 'cpr', expiresAt: T0 }] });
    expect(check(v, 'cardiac_arrest', 'public')).toMatchObject({
      eligible: false,
      rule: 'volunteer.expiry',
      reason: 'cpr expired',
    });
  });

  it('a qualification the nature needs verified and is not says so', () => {
    const v = stateOf({ quals: [unverified('firefighter_off_duty')] });
    expect(check(v, 'structure_fire', 'public')).toMatchObject({
      eligible: false,
      rule: 'volunteer.verification',
      reason: 'firefighter off duty not verified yet',
    });
  });

  it('a volunteer without a useful qualification is told which ones would be', () => {
    expect(check(stateOf({ quals: ['aed'] }), 'choking', 'public')).toMatchObject({
      eligible: false,
      rule: 'volunteer.qualification',
      reason: 'no qualification useful for choking (needs one of cpr, first aid, nurse, doctor, firefighter off duty)',
    });
  });

  it('only a verified nurse or doctor is sent into a home, and an unknown place counts as one', () => {
    const cpr = stateOf({ quals: ['cpr'] });
    expect(check(cpr, 'cardiac_arrest', 'home')).toMatchObject({
      eligible: false,
      rule: 'place.home',
      reason: 'only a verified nurse or doctor is sent to a place that is a private home',
    });
    expect(check(cpr, 'cardiac_arrest', 'unknown')).toMatchObject({ eligible: false, rule: 'place.unknown' });
  });

  it('a volunteer who could take none of the roles wanted is not alerted (volunteer.role), and the reason names the roles', () => {
    const selfDeclared = stateOf({ quals: [unverified('cpr')] });
    expect(check(selfDeclared, 'choking', 'public')).toEqual({
      eligible: false,
      rule: 'volunteer.role',
      policyVersion: POLICY.version,
      reason: 'can take none of the roles still wanted (cpr): the cpr role needs a verified, unexpired cpr, nurse, doctor or firefighter off duty',
    });
    // A public cardiac arrest also wants an AED fetched and the crew met: they can do either.
    expect(check(selfDeclared, 'cardiac_arrest', 'public')).toMatchObject({ eligible: true, canFill: ['fetch_aed', 'meet_crew'] });
    expect(check(stateOf({ quals: ['cpr'] }), 'choking', 'public')).toMatchObject({ eligible: true, canFill: ['cpr'] });
  });

  it('the roles still wanted decide, not every role of the nature: once only cpr is left, only the CPR-qualified are eligible', () => {
    const onlyCpr = { nature: 'cardiac_arrest', place: 'public' as const, incidentId: 'I1', rolesLeft: ['cpr' as const] };
    expect(eligibility(POLICY, stateOf({ quals: [unverified('cpr')] }), onlyCpr, T0, 0)).toMatchObject({ eligible: false, rule: 'volunteer.role' });
    expect(eligibility(POLICY, stateOf({ quals: ['nurse'] }), onlyCpr, T0, 0)).toMatchObject({ eligible: true, canFill: ['cpr'] });
    const filled = { ...onlyCpr, rolesLeft: [] };
    expect(eligibility(POLICY, stateOf({ quals: ['nurse'] }), filled, T0, 0)).toMatchObject({
      eligible: false,
      rule: 'volunteer.role',
      reason: 'every wanted role is already filled',
    });
  });

  it('a volunteer already alerted for another incident is busy; their alert on this one does not count', () => {
    const v = volunteerOf(given(volunteer('V1'), alertedElsewhere('V1', 'I9')).world, 'V1');
    expect(check(v, 'cardiac_arrest', 'public')).toMatchObject({
      eligible: false,
      rule: 'volunteer.busy',
      reason: 'already open on incident I9',
    });
    expect(eligibility(POLICY, v, { nature: 'cardiac_arrest', place: 'public', incidentId: 'I9' }, T0, 0).eligible).toBe(true);
  });
});
