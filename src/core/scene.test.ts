import { describe, expect, it } from 'vitest';
import { haversine } from './lat-lon.ts';
import { AREA_GRID_M, areaOf, sceneDetail, sceneFor } from './scene.ts';
import { given, T0 } from './test-kit.ts';
import type { IncidentDetails } from './events.ts';
import { epochMs } from './ids.ts';
import { POLICY, volunteer, volunteerOf, type VolunteerSpec } from './volunteer-test-kit.ts';
import type { AlertStatus } from './volunteer-response.ts';

/*
 * What a volunteer is shown of the scene: the area before accepting, the place once accepted, the
 * door code once accepted with a verified qualification the nature lists. Never the caller.
 */
const SCENE: IncidentDetails = {
  location: { lat: 37.78452, lon: -122.41348 },
  address: '1 Market St',
  floor: '3',
  access: 'DOORCODE-4821',
  nature: 'cardiac_arrest',
  priority: 1,
  place: 'public',
  callerName: 'Ann Caller',
  callbackNumber: '+1 415 555 0199',
  notes: 'caller on the landing',
};
const stateOf = (spec: VolunteerSpec) => volunteerOf(given(volunteer('V1', spec)).world, 'V1');
const selfDeclared = stateOf({ quals: [{ kind: 'cpr', verified: false }] });
const verified = stateOf({ quals: ['cpr'] });

describe('the area shown before accepting', () => {
  it('is the centre of a 100 m grid cell: within 71 m of the place, never the place itself', () => {
    const a = areaOf(SCENE.location);
    expect(a.withinM).toBe(AREA_GRID_M);
    const off = haversine(SCENE.location, a);
    expect(off).toBeLessThanOrEqual(AREA_GRID_M / Math.SQRT2 + 1);
    expect(a).not.toMatchObject(SCENE.location);
  });

  it('is the same for every point of a cell, so repeated alerts do not narrow it down', () => {
    const a = areaOf({ lat: 37.78452, lon: -122.41348 });
    expect(areaOf({ lat: 37.78449, lon: -122.41351 })).toEqual(a);
    expect(areaOf({ lat: 37.78456, lon: -122.41344 })).toEqual(a);
  });
});

describe('how much of the scene a volunteer is shown', () => {
  const detail = (v = verified, status: AlertStatus = 'accepted', nature = 'cardiac_arrest') =>
    sceneDetail(POLICY, v, nature, status, T0);

  it('before accepting, or once the alert is closed, only the area', () => {
    for (const status of ['open', 'declined', 'expired', 'stood_down'] as const) {
      expect(detail(verified, status), status).toBe('area');
      expect(sceneFor(SCENE, detail(verified, status))).toEqual({ area: areaOf(SCENE.location) });
    }
  });

  it('once accepted, the exact place and floor; a self-declared volunteer never the door code', () => {
    expect(detail(selfDeclared)).toBe('place');
    expect(sceneFor(SCENE, 'place')).toEqual({ area: areaOf(SCENE.location), location: SCENE.location, address: '1 Market St', floor: '3' });
  });

  it('once accepted with a verified, unexpired qualification the nature lists, the door code too', () => {
    expect(detail(verified)).toBe('access');
    expect(sceneFor(SCENE, 'access')).toMatchObject({ floor: '3', access: 'DOORCODE-4821' });
    const expired = stateOf({ quals: [{ kind: 'cpr', expiresAt: epochMs(T0 - 1) }] });
    expect(detail(expired)).toBe('place');
    // A verified AED course counts at a cardiac arrest, which lists it, not at a choking, which does not.
    const aedCourse = stateOf({ quals: ['aed'] });
    expect(detail(aedCourse, 'accepted', 'cardiac_arrest')).toBe('access');
    expect(detail(aedCourse, 'accepted', 'choking')).toBe('place');
    expect(sceneDetail(POLICY, undefined, 'cardiac_arrest', 'accepted', T0)).toBe('place');
  });

  it('never the caller’s name or number, nor the dispatcher’s notes, at any step', () => {
    for (const d of ['area', 'place', 'access'] as const) {
      const shown = JSON.stringify(sceneFor(SCENE, d));
      expect(shown).not.toMatch(/Ann Caller|555 0199|landing/);
    }
  });
});
