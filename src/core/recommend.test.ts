import { describe, expect, it } from 'vitest';
import { formatDuration } from './recommend.ts';
import type { ResponsePlan } from './response-plan.ts';
import { given, incidentReceived, unitCommissioned, unitMoves, unitsDispatched } from './test-kit.ts';
import { engines, ids, recommendation } from './test-map.ts';

/*
 * The map (see test-map.ts): the incident is at City Hall (*), units sit due north of it, and the
 * fake estimator drives the straight line at 10 m/s, so 1 km is 100 s of travel:
 *
 *        3 km  ·
 *        2 km  ·
 *        1 km  ·
 *        0     *  City Hall
 */

describe('recommending units for an incident', () => {
  it('the unit with the shortest ETA is recommended first', () => {
    const world = given(engines('E1', 'E2', 'E3'), incidentReceived('I1', 'alarm')).world;
    const r = recommendation(world, [
      { id: 'E1', km: 3 },
      { id: 'E2', km: 1 },
      { id: 'E3', km: 2 },
    ]);
    expect(r).toMatchObject({
      incidentId: 'I1',
      nature: 'alarm',
      estimator: 'test-crow-flies',
      plan: [{ capability: 'engine', count: 1 }],
    });
    expect(r.candidates).toHaveLength(1);
    expect(r.candidates[0]).toMatchObject({ unitId: 'E2', fills: 'engine', status: 'available', stationId: 'S1' });
    expect(r.candidates[0]?.reason).toBe('fastest available engine: 3 min 00 s incl. 1 min 20 s turnout from Station E2');
  });

  it('a plan needing several of a kind takes them nearest first', () => {
    const world = given(engines('E1', 'E2', 'E3', 'E4'), incidentReceived('I1', 'structure_fire')).world;
    const r = recommendation(world, [
      { id: 'E1', km: 4 },
      { id: 'E2', km: 1 },
      { id: 'E3', km: 3 },
      { id: 'E4', km: 2 },
    ]);
    expect(ids(r)).toEqual(['E2', 'E4', 'E3']);
    expect(r.candidates.map((c) => c.reason.slice(0, 33))).toEqual([
      'fastest available engine (1 of 3)',
      'fastest available engine (2 of 3)',
      'fastest available engine (3 of 3)',
    ]);
  });

  it('units at the same ETA are taken in unit id order', () => {
    const world = given(engines('E2', 'E1'), incidentReceived('I1', 'alarm')).world;
    expect(
      ids(
        recommendation(world, [
          { id: 'E2', km: 1 },
          { id: 'E1', km: 1 },
        ]),
      ),
    ).toEqual(['E1']);
  });

  it('turnout is added for an available unit at its station', () => {
    const world = given(unitCommissioned('M1', 'medic'), incidentReceived('I1', 'medical')).world;
    const [m1] = recommendation(world, [{ id: 'M1', km: 1 }]).candidates;
    expect(m1?.turnoutS).toBe(60);
    expect(m1?.travelS).toBeCloseTo(100, 6);
    expect(m1?.etaS).toBeCloseTo(160, 6);
    expect(m1?.distanceM).toBeCloseTo(1000, 3);
    expect(m1?.from).toBe('Station M1');
  });

  it('no turnout is added for a unit already on the road: returning, or available with a live fix', () => {
    // E1 (available at station, 1 km) needs 80 s turnout + 100 s; E2 and E4 are rolling already.
    const world = given(
      engines('E1', 'E2', 'E3', 'E4'),
      incidentReceived('I9', 'alarm'),
      unitsDispatched('I9', ['E2', 'E4']),
      unitMoves('E2', 'I9', 'dispatched', ['on_scene', 'returning']),
      unitMoves('E4', 'I9', 'dispatched', ['on_scene', 'returning']),
      incidentReceived('I1', 'structure_fire'),
    ).world;
    const r = recommendation(world, [
      { id: 'E1', km: 1 },
      { id: 'E2', km: 1.5, source: 'live' },
      { id: 'E3', km: 2, source: 'live' },
      { id: 'E4', km: 0.5 },
    ]);
    expect(ids(r)).toEqual(['E4', 'E2', 'E1']);
    expect(r.candidates.map((c) => c.turnoutS)).toEqual([0, 0, 80]);
    expect(r.candidates[1]?.from).toBe('its last position (returning)');
    expect(r.candidates[1]?.fromLastPosition).toBe('returning');
    const e3 = recommendation(world, [{ id: 'E3', km: 2, source: 'live' }]).candidates[0];
    expect(e3).toMatchObject({ unitId: 'E3', turnoutS: 0 });
  });

  it('units already on the incident count toward its plan and are not recommended again', () => {
    const world = given(engines('E1', 'E2', 'E3'), incidentReceived('I1', 'hazmat'), unitsDispatched('I1', ['E1'])).world;
    const r = recommendation(world, [
      { id: 'E1', km: 0.5 },
      { id: 'E2', km: 3 },
      { id: 'E3', km: 2 },
    ]);
    expect(r.assigned).toEqual([{ unitId: 'E1', fills: 'engine' }]);
    expect(ids(r)).toEqual(['E3']);
    expect(r.shortfalls).toEqual([
      {
        capability: 'command',
        needed: 1,
        assigned: 0,
        recommended: 0,
        missing: 1,
        noneInFleet: true,
        others: { busy: 0, outOfService: 0, forOtherNeeds: 0, noRoute: 0 },
        reason: 'no unit in the fleet has capability command',
      },
    ]);
  });

  it('the scarcest capability is filled first, so a unit able to fill two needs is not wasted', () => {
    /*
     *   2 km  A1 ambulance (bls, transport)
     *   1 km  M1 medic     (als, transport)
     *   0     *  cardiac arrest, plan lists transport before als
     *
     * Taking the nearest transport first would spend M1 on transport and leave als unfilled.
     */
    const plan: ResponsePlan = {
      nature: 'cardiac_arrest',
      label: 'Cardiac arrest, transport first (test plan)',
      defaultPriority: 1,
      units: [
        { capability: 'transport', count: 1 },
        { capability: 'als', count: 1 },
      ],
      volunteerRoles: [],
    };
    const world = given(
      unitCommissioned('M1', 'medic'),
      unitCommissioned('A1', 'ambulance'),
      incidentReceived('I1', 'cardiac_arrest'),
    ).world;
    const r = recommendation(
      world,
      [
        { id: 'M1', km: 1 },
        { id: 'A1', km: 2 },
      ],
      { plan },
    );
    expect(r.candidates.map((c) => [c.unitId, c.fills])).toEqual([
      ['M1', 'als'],
      ['A1', 'transport'],
    ]);
    expect(r.shortfalls).toEqual([]);
  });
});

describe('formatting a duration', () => {
  it.each([
    [45, '45 s'],
    [59.6, '1 min 00 s'],
    [245, '4 min 05 s'],
    [3600, '60 min 00 s'],
  ])('%s seconds read as "%s"', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
});
