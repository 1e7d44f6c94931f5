import { describe, expect, it } from 'vitest';
import { given, incidentReceived, unitCommissioned } from './test-kit.ts';
import { busyOnI9, crowFlies, recommendation } from './test-map.ts';

/*
 * Boats (config/unit-types.json `"travel": "water"`) are not routed by road: a fireboat goes in a
 * straight line at its own speed (5 m/s) after its turnout (120 s). The map (see test-map.ts): a
 * water rescue at City Hall (*), units due north of it; the road estimator drives at 10 m/s.
 *
 *        3 km  R1 ·   rescue squad (road)
 *        1 km  FB1 ·  fireboat (water)
 *      0.5 km  E1 · M1 · FB2
 *        0        *
 */

const fleet = () => [
  unitCommissioned('FB1', 'fireboat'),
  unitCommissioned('R1', 'rescue'),
  unitCommissioned('E1', 'engine'),
  unitCommissioned('M1', 'medic'),
];

describe('boats travel by water', () => {
  it('a fireboat goes in a straight line at its own speed and is never asked of the road estimator', () => {
    const estimator = crowFlies();
    const world = given(fleet(), incidentReceived('I1', 'water_rescue')).world;
    const r = recommendation(
      world,
      [
        { id: 'FB1', km: 1 },
        { id: 'R1', km: 3 },
        { id: 'E1', km: 0.5 },
        { id: 'M1', km: 0.5 },
      ],
      { estimator },
    );
    expect(estimator.asked.map((o) => o.id)).not.toContain('FB1');
    const boat = r.candidates.find((c) => c.unitId === 'FB1');
    expect(boat).toMatchObject({ fills: 'water_rescue', by: 'water', travelS: 200, distanceM: 1000, turnoutS: 120, etaS: 320 });
    expect(boat?.reason).toBe('fastest available water_rescue: 5 min 20 s incl. 2 min 00 s turnout from Station FB1 by water (straight line)');
    expect(r.candidates.filter((c) => c.unitId !== 'FB1').every((c) => c.by === 'road')).toBe(true);
  });

  it('a fireboat that has no road to the scene still goes, by water', () => {
    const world = given(fleet(), incidentReceived('I1', 'water_rescue')).world;
    const r = recommendation(
      world,
      [
        { id: 'FB1', km: 1 },
        { id: 'R1', km: 3 },
        { id: 'E1', km: 0.5 },
        { id: 'M1', km: 0.5 },
      ],
      { estimator: crowFlies(['FB1']) },
    );
    expect(r.candidates.find((c) => c.fills === 'water_rescue')?.unitId).toBe('FB1');
    expect(r.passedOver).toEqual([]);
  });

  it('a busy fireboat is not called closer than a rescue squad that goes by road', () => {
    const world = given(
      unitCommissioned('FB2', 'fireboat'),
      unitCommissioned('R1', 'rescue'),
      unitCommissioned('E1', 'engine'),
      unitCommissioned('M1', 'medic'),
      busyOnI9('FB2'),
      incidentReceived('I1', 'water_rescue'),
    ).world;
    const r = recommendation(world, [
      { id: 'FB2', km: 0.5, source: 'live' },
      { id: 'R1', km: 3 },
      { id: 'E1', km: 0.5 },
      { id: 'M1', km: 0.5 },
    ]);
    expect(r.candidates.find((c) => c.fills === 'water_rescue')?.unitId).toBe('R1');
    expect(r.passedOver).toEqual([]);
  });
});
