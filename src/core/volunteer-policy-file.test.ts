import { describe, expect, it } from 'vitest';
import { QUALIFICATION_KINDS, INCIDENT_PLACES, VOLUNTEER_CHECKS, rolesWanted, volunteersWanted } from './volunteer-policy.ts';
import { PLANS } from './test-kit.ts';
import { POLICY } from './volunteer-test-kit.ts';

/*
 * The shipped policy, config/volunteer-policy.json, read as the written document it is: every rule
 * has an id and a rationale, it says what the product promises, and it agrees with the response plans.
 */
const ROLES = ['cpr', 'fetch_aed', 'meet_crew'];

describe('the volunteer policy file', () => {
  it('is versioned, with an effective date', () => {
    expect(POLICY.version).toMatch(/^\S+$/);
    expect(Number.isFinite(Date.parse(POLICY.effectiveFrom))).toBe(true);
  });

  it('gives every rule a unique id and a rationale in words', () => {
    const rules = [
      ...POLICY.natureRules,
      POLICY.otherNatures,
      ...INCIDENT_PLACES.map((p) => POLICY.places[p]),
      ...VOLUNTEER_CHECKS.map((c) => POLICY.volunteerRules[c]),
      POLICY.cprQualified,
      POLICY.accessDetails,
    ];
    for (const r of rules) {
      expect(r.id, JSON.stringify(r)).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(r.rationale.length, r.id).toBeGreaterThan(30);
    }
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('names only known natures, qualifications and roles, each nature once', () => {
    const natures = POLICY.natureRules.flatMap((r) => r.natures);
    expect(new Set(natures).size).toBe(natures.length);
    for (const r of POLICY.natureRules) {
      for (const n of r.natures) expect(PLANS.has(n), n).toBe(true);
      for (const q of r.qualifications) expect(QUALIFICATION_KINDS).toContain(q);
      for (const role of r.roles) expect(ROLES).toContain(role);
      expect(r.alert, `${r.id}: alerting rules name qualifications and roles`).toBe(
        r.qualifications.length > 0 && r.roles.length > 0,
      );
    }
  });

  it('agrees with config/response-plans.json wherever a plan lists volunteer roles', () => {
    for (const [nature, plan] of PLANS) {
      if (plan.volunteerRoles.length > 0) expect(rolesWanted(POLICY, nature), nature).toEqual(plan.volunteerRoles);
    }
  });

  it('alerts for cardiac arrest, choking and falls; off-duty firefighters only for structure fires; never violence or hazmat', () => {
    expect(['cardiac_arrest', 'choking', 'fall_from_height'].map((n) => volunteersWanted(POLICY, n))).toEqual([true, true, true]);
    const fire = POLICY.natureRules.find((r) => r.natures.includes('structure_fire'));
    expect(fire).toMatchObject({ alert: true, qualifications: ['firefighter_off_duty'], verifiedRequired: true });
    for (const n of ['violence', 'hazmat']) {
      expect(POLICY.natureRules.find((r) => r.natures.includes(n))).toMatchObject({ alert: false });
    }
  });

  it('alerts for no other nature', () => {
    const listed = new Set(['cardiac_arrest', 'choking', 'fall_from_height', 'structure_fire']);
    for (const nature of PLANS.keys()) expect(volunteersWanted(POLICY, nature), nature).toBe(listed.has(nature));
  });

  it('sends only verified nurses and doctors into homes, and treats an unknown place as a home', () => {
    expect(POLICY.places.home).toMatchObject({ qualifications: ['nurse', 'doctor'], verifiedRequired: true });
    expect(POLICY.places.unknown).toMatchObject({ qualifications: POLICY.places.home.qualifications, verifiedRequired: true });
    expect(POLICY.places.unknown.rationale).toMatch(/home/);
    expect(POLICY.places.public.qualifications).toEqual([]);
  });

  it('has the wave defaults of the issue: 8 min walk, 30 s waves, 2 arrivals, a 20 % prior', () => {
    expect(POLICY.waves).toMatchObject({ maxWalkingS: 480, waveIntervalS: 30, targetArrivals: 2, acceptancePrior: 0.2 });
    for (const [k, v] of Object.entries(POLICY.waves)) {
      if (k === 'rationale') continue;
      expect(typeof v === 'number' && v > 0, k).toBe(true);
      expect(POLICY.waves.rationale?.[k], `rationale for ${k}`).toBeDefined();
    }
  });
});
