import { describe, expect, it } from 'vitest';
import { COMMITTED_UNIT_STATUSES, type UnitStatus } from './statuses.ts';
import { given, incidentReceived, unitCommissioned, unitMoves, unitOf, unitsDispatched } from './test-kit.ts';
import { busyOnI9, crowFlies, engines, ids, outOfService, recommendation } from './test-map.ts';

/*
 * What a recommendation cannot fill, and the units it passes over. The map (see test-map.ts):
 * the incident is at City Hall (*), units sit due north of it at the distances each test gives.
 *
 *        5 km  E4 ·
 *        3 km  E3 ·
 *      1.5 km  E2 ·
 *        1 km  E1 ·
 *        0        *  City Hall
 */

describe('shortfalls and units passed over', () => {
  it('a need no unit in the fleet can meet is a shortfall that says so', () => {
    const world = given(engines('E1'), unitCommissioned('M1', 'medic'), incidentReceived('I1', 'water_rescue')).world;
    const r = recommendation(world, [
      { id: 'E1', km: 1 },
      { id: 'M1', km: 1 },
    ]);
    expect(r.candidates.map((c) => c.fills).sort()).toEqual(['als', 'engine']);
    expect(r.shortfalls).toEqual([
      {
        capability: 'water_rescue',
        needed: 1,
        assigned: 0,
        recommended: 0,
        missing: 1,
        noneInFleet: true,
        others: { busy: 0, outOfService: 0, forOtherNeeds: 0, noRoute: 0 },
        reason: 'no unit in the fleet has capability water_rescue',
      },
    ]);
  });

  it('a need unmet because the units that have it are busy or out of service is a shortfall that counts them', () => {
    const world = given(
      engines('E1', 'E2', 'E3', 'E4'),
      busyOnI9('E2', 'E4'),
      outOfService('E3'),
      incidentReceived('I1', 'structure_fire'),
    ).world;
    const r = recommendation(world, [
      { id: 'E1', km: 4 },
      { id: 'E2', km: 1 },
      { id: 'E3', km: 2 },
      { id: 'E4', km: 3 },
    ]);
    expect(ids(r)).toEqual(['E1']);
    expect(r.shortfalls).toContainEqual({
      capability: 'engine',
      needed: 3,
      assigned: 0,
      recommended: 1,
      missing: 2,
      noneInFleet: false,
      others: { busy: 2, outOfService: 1, forOtherNeeds: 0, noRoute: 0 },
      reason: 'every other unit with engine is busy (2), out of service (1)',
    });
  });

  it('a shortfall counts the units already assigned', () => {
    const world = given(engines('E1', 'E2'), incidentReceived('I1', 'structure_fire'), unitsDispatched('I1', ['E1'])).world;
    const r = recommendation(world, [
      { id: 'E1', km: 1 },
      { id: 'E2', km: 2 },
    ]);
    expect(r.shortfalls.find((s) => s.capability === 'engine')).toMatchObject({
      needed: 3,
      assigned: 1,
      recommended: 1,
      missing: 1,
    });
  });

  it('busy and out-of-service units are never candidates, and are passed over when their ETA beats the slowest pick', () => {
    // E1 busy at 1 km, E2 out of service at 1.5 km, E3 available at 3 km, E4 busy at 5 km.
    const world = given(
      engines('E1', 'E2', 'E3', 'E4'),
      busyOnI9('E1', 'E4'),
      outOfService('E2'),
      incidentReceived('I1', 'alarm'),
    ).world;
    const r = recommendation(world, [
      { id: 'E1', km: 1 },
      { id: 'E2', km: 1.5 },
      { id: 'E3', km: 3 },
      { id: 'E4', km: 5 },
    ]);
    expect(ids(r)).toEqual(['E3']);
    expect(r.passedOver.map(({ unitId, code, reason }) => ({ unitId, code, reason }))).toEqual([
      { unitId: 'E1', code: 'busy', reason: 'closer by road than E3 (3 min 00 s against 6 min 20 s) but dispatched on incident I9' },
      { unitId: 'E2', code: 'out_of_service', reason: 'closer by road than E3 (3 min 50 s against 6 min 20 s) but out_of_service' },
    ]);
    expect(r.passedOver[0]?.straightLineM).toBeCloseTo(1000, 3);
    expect(r.passedOver[0]?.etaS).toBeCloseTo(180, 6);
    expect(r.passedOver[0]?.closerThan).toEqual({ unitId: 'E3', etaS: expect.closeTo(380, 6), by: 'road' });
  });

  it.each(COMMITTED_UNIT_STATUSES.map((s) => [s]))(
    'committed units are not candidates: a unit %s elsewhere is passed over',
    (status) => {
      const path: Record<string, UnitStatus[]> = {
        dispatched: [],
        en_route: ['en_route'],
        on_scene: ['on_scene'],
        transporting: ['on_scene', 'transporting'],
        at_hospital: ['on_scene', 'transporting', 'at_hospital'],
      };
      const world = given(
        unitCommissioned('M1', 'medic'),
        unitCommissioned('M2', 'medic'),
        busyOnI9('M1'),
        unitMoves('M1', 'I9', 'dispatched', path[status] ?? []),
        incidentReceived('I1', 'medical'),
      ).world;
      expect(unitOf(world, 'M1').status).toBe(status);
      const r = recommendation(world, [
        { id: 'M1', km: 0.5, source: 'live' },
        { id: 'M2', km: 3 },
      ]);
      expect(ids(r)).toEqual(['M2']);
      expect(r.passedOver).toMatchObject([
        { unitId: 'M1', code: 'busy', reason: `closer by road than M2 (50 s against 6 min 00 s) but ${status} on incident I9` },
      ]);
    },
  );

  it('when no unit can go, every unit that has a needed capability but cannot go is passed over, nearest first', () => {
    const world = given(engines('E1', 'E2'), busyOnI9('E1'), outOfService('E2'), incidentReceived('I1', 'alarm')).world;
    const r = recommendation(world, [
      { id: 'E1', km: 5 },
      { id: 'E2', km: 2 },
    ]);
    expect(r.candidates).toEqual([]);
    expect(r.passedOver.map((p) => [p.unitId, p.code])).toEqual([
      ['E2', 'out_of_service'],
      ['E1', 'busy'],
    ]);
  });

  it('a unit the estimator finds no road route for is passed over as no_route, and the next unit goes', () => {
    const world = given(engines('E1', 'E2'), incidentReceived('I1', 'alarm')).world;
    const r = recommendation(
      world,
      [
        { id: 'E1', km: 0.5 },
        { id: 'E2', km: 2 },
      ],
      { estimator: crowFlies(['E1']) },
    );
    expect(ids(r)).toEqual(['E2']);
    expect(r.passedOver).toMatchObject([{ unitId: 'E1', code: 'no_route', reason: 'no road route from Station E1' }]);
    expect(r.passedOver[0]?.straightLineM).toBeCloseTo(500, 3);
  });

  it('only units with a needed capability are timed: the dispatchable to pick from, the others to compare', () => {
    const estimator = crowFlies();
    const world = given(
      engines('E1', 'E2'),
      unitCommissioned('B1', 'chief'),
      busyOnI9('E2'),
      incidentReceived('I1', 'alarm'),
    ).world;
    const r = recommendation(
      world,
      [
        { id: 'E1', km: 2 },
        { id: 'E2', km: 3 },
        { id: 'B1', km: 0.1 },
      ],
      { estimator },
    );
    expect(estimator.asked.map((o) => [o.id, o.unitType])).toEqual([
      ['E1', 'engine'],
      ['E2', 'engine'],
    ]);
    expect(ids(r)).toEqual(['E1']);
    expect(r.passedOver).toEqual([]);
  });

  it('a nature with no response plan gives no candidate, no shortfall and nothing passed over', () => {
    const world = given(engines('E1'), busyOnI9('E1'), unitCommissioned('E2', 'engine'), incidentReceived('I1', 'alarm')).world;
    const r = recommendation(
      world,
      [
        { id: 'E1', km: 1 },
        { id: 'E2', km: 1 },
      ],
      { plan: undefined },
    );
    expect(r).toMatchObject({ plan: [], assigned: [], candidates: [], shortfalls: [], passedOver: [] });
  });
});
