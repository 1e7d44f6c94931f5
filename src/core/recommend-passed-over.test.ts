import { describe, expect, it } from 'vitest';
import { given, incidentReceived, unitCommissioned } from './test-kit.ts';
import { busyOnI9, crowFlies, engines, ids, recommendation } from './test-map.ts';

/*
 * "Passed over although closer" is a claim a dispatcher acts on, so it holds only when the unit
 * is closer by the same measure as the pick (road ETA against road ETA) and for a capability it
 * has. The map (see test-map.ts): the incident at City Hall (*), units due north of it.
 *
 *        6 km  B1 ·        (chief, available)
 *        5 km  B2 ·        (chief, busy)
 *        4 km  E9 ·        (engine, busy)
 *        2 km  E2 ·  E3 ·  (engines, available; E3 at 2.5 km)
 *        1 km  E1 ·        (across a river from the scene: 5 × the straight line by road)
 *        0        *  City Hall
 */

describe('units passed over although closer', () => {
  it('a busy unit nearer in a straight line but slower by road is not passed over as closer', () => {
    const world = given(engines('E1', 'E2'), busyOnI9('E1'), incidentReceived('I1', 'alarm')).world;
    const r = recommendation(
      world,
      [
        { id: 'E1', km: 1, source: 'live' },
        { id: 'E2', km: 2, source: 'live' },
      ],
      { estimator: crowFlies([], { E1: 5 }) },
    );
    // E1: 1 km away but 500 s by road; E2: 2 km and 200 s.
    expect(ids(r)).toEqual(['E2']);
    expect(r.passedOver).toEqual([]);
  });

  it('the same busy unit without the river is passed over as closer, with both road ETAs', () => {
    const world = given(engines('E1', 'E2'), busyOnI9('E1'), incidentReceived('I1', 'alarm')).world;
    const r = recommendation(world, [
      { id: 'E1', km: 1, source: 'live' },
      { id: 'E2', km: 2, source: 'live' },
    ]);
    expect(r.passedOver).toMatchObject([
      { unitId: 'E1', code: 'busy', reason: 'closer by road than E2 (1 min 40 s against 3 min 20 s) but dispatched on incident I9' },
    ]);
  });

  it('a busy unit is compared only with the picks of a capability it has, not with the farthest pick of all', () => {
    const world = given(
      engines('E1', 'E2', 'E3', 'E9'),
      unitCommissioned('T1', 'truck'),
      unitCommissioned('B1', 'chief'),
      unitCommissioned('B2', 'chief'),
      busyOnI9('E9', 'B2'),
      incidentReceived('I1', 'structure_fire'),
    ).world;
    const r = recommendation(world, [
      { id: 'E1', km: 1, source: 'live' },
      { id: 'E2', km: 2, source: 'live' },
      { id: 'E3', km: 2.5, source: 'live' },
      { id: 'T1', km: 1, source: 'live' },
      { id: 'B1', km: 6, source: 'live' },
      { id: 'E9', km: 4, source: 'live' },
      { id: 'B2', km: 5, source: 'live' },
    ]);
    expect(ids(r).sort()).toEqual(['B1', 'E1', 'E2', 'E3', 'T1']);
    // E9 is nearer than the chief B1, but slower than every engine picked: not "closer".
    expect(r.passedOver.map((p) => p.unitId)).toEqual(['B2']);
    expect(r.passedOver[0]?.reason).toBe('closer by road than B1 (8 min 20 s against 10 min 00 s) but dispatched on incident I9');
  });

  it('a unit whose capabilities the plan does not need is never passed over, however close', () => {
    const world = given(engines('E1'), unitCommissioned('M1', 'medic'), busyOnI9('M1'), incidentReceived('I1', 'alarm')).world;
    const r = recommendation(world, [
      { id: 'E1', km: 3, source: 'live' },
      { id: 'M1', km: 0.1, source: 'live' },
    ]);
    expect(r.passedOver).toEqual([]);
  });

  it('when a need is short, the units with it that cannot go are listed without calling them closer', () => {
    const world = given(engines('E1', 'E2'), busyOnI9('E2'), incidentReceived('I1', 'structure_fire')).world;
    const r = recommendation(world, [
      { id: 'E1', km: 1, source: 'live' },
      { id: 'E2', km: 3, source: 'live' },
    ]);
    expect(ids(r)).toEqual(['E1']);
    expect(r.passedOver).toMatchObject([{ unitId: 'E2', code: 'busy', shortOf: 'engine', reason: 'dispatched on incident I9, and the plan is short of engine' }]);
  });
});
