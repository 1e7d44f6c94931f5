/*
 * The unit nearest in a straight line is not always the first to arrive. Here a river runs
 * between two streets joined only by a bridge at the far east end (each cell 20 m):
 *
 *     a-----------------------------b      north street
 *       1                           |      1: engine E1, 60 m from the incident as the crow flies
 *     ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~|~~    river
 *     c-----------------------------d      south street
 *       2         3                        2: the incident; 3: engine E2, 200 m east of it
 *
 * By road E1 must drive 560 m east, cross, and 560 m back; E2 drives 200 m.
 */
import { describe, expect, it } from 'vitest';
import { seconds } from '../src/core/ids.ts';
import type { IncidentState } from '../src/core/incident.ts';
import { recommend, type UnitWhereabouts } from '../src/core/recommend.ts';
import type { ResponsePlan } from '../src/core/response-plan.ts';
import type { UnitState } from '../src/core/unit.ts';
import { asciiMap } from '../src/routing/ascii-map.ts';
import { buildBundle } from '../src/routing/build-bundle.ts';
import { routerFromBundle } from '../src/routing/bundle-router.ts';
import type { DriveProfile } from '../src/routing/drive-profile.ts';
import { straightLineEstimator } from '../src/routing/straight-line.ts';

const PROFILE: DriveProfile = { speedsMps: { freeway: 25, arterial: 15, street: 10, service: 5 }, fixedS: 0, unitTypeFactors: {}, defaultUnitTypeFactor: 1 };

const map = asciiMap(
  `
  a-----------------------------b
    1                           |
  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~|~~
  c-----------------------------d
    2         3
  `,
  [{ nodes: 'ab' }, { nodes: 'bd' }, { nodes: 'cd' }],
  20,
);

const AT = '2024-01-15T09:00:00.000Z';
const engine = (id: string, point: string): UnitWhereabouts => {
  const unit: UnitState = { id, name: `Engine ${id}`, unitType: 'engine', capabilities: ['engine'], stationId: id, status: 'available', statusChangedAt: AT };
  return { unit, location: map.at(point), source: 'live', placeName: `point ${point}` };
};
const incident: IncidentState = {
  id: 'I1',
  status: 'received',
  details: { location: map.at('2'), nature: 'structure_fire', priority: 3 },
  receivedAt: AT,
  statusChangedAt: AT,
  duplicates: [],
  assignments: {},
};
const plan: ResponsePlan = { nature: 'structure_fire', label: 'Structure fire', defaultPriority: 3, units: [{ capability: 'engine', count: 1 }], volunteerRoles: [] };
const units = [engine('E1', '1'), engine('E2', '3')];
const input = { incident, plan, units, turnoutS: () => seconds(0) };

describe('recommending by road, not by crow flight', () => {
  const router = routerFromBundle(buildBundle(map.network, PROFILE), PROFILE);

  it('the_unit_across_the_river_is_nearer_in_a_straight_line_but_slower_by_road', () => {
    const [e1, e2] = router.estimator('drive').travelTimes(map.at('2'), units.map((w) => ({ id: w.unit.id, location: w.location, unitType: 'engine' })));
    expect(e1?.ok && e2?.ok).toBe(true);
    if (!e1?.ok || !e2?.ok) return;
    expect(e1.distanceM).toBeGreaterThan(1100);
    expect(e2.distanceM).toBeCloseTo(200, -1);
    expect(e2.travelS).toBeLessThan(e1.travelS);
  });

  it('the_straight_line_estimate_would_send_the_unit_across_the_river', () => {
    const r = recommend({ ...input, estimator: straightLineEstimator(1.35, () => 10) });
    expect(r.candidates.map((c) => c.unitId)).toEqual(['E1']);
  });

  it('recommend_with_road_routing_sends_the_unit_on_the_same_bank', () => {
    const r = recommend({ ...input, estimator: router.estimator('drive') });
    expect(r.estimator).toBe('road-drive');
    expect(r.candidates.map((c) => c.unitId)).toEqual(['E2']);
    expect(r.candidates[0]).toMatchObject({ travelS: 20, distanceM: 200 });
  });
});
