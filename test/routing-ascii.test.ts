/*
 * Routing rules drawn as small maps, OSRM style: every character cell is 10 m, letters are nodes,
 * digits are points to route from or to. Speeds (TEST_PROFILE): street 10 m/s, arterial 20 m/s,
 * freeway 30 m/s, walking 1.4 m/s; so 10 m of street is 1 s. Every rule runs against both
 * planners: the contraction hierarchy the product uses and plain Dijkstra.
 */
import { describe, expect, it } from 'vitest';
import { asciiMap, type AsciiWay } from '../src/routing/ascii-map.ts';
import { buildBundle } from '../src/routing/build-bundle.ts';
import { referenceRouter, routerFromBundle } from '../src/routing/bundle-router.ts';
import type { DriveProfile } from '../src/routing/drive-profile.ts';
import type { RouteResult, Router } from '../src/routing/router.ts';
import type { ProfileName } from '../src/routing/travel-mode.ts';

const TEST_PROFILE: DriveProfile = {
  speedsMps: { freeway: 30, arterial: 20, street: 10, service: 5 },
  fixedS: 0,
  unitTypeFactors: { engine: 1, truck: 1.5 },
  defaultUnitTypeFactor: 1,
};

const PLANNERS = [
  { name: 'contraction hierarchy', make: (b: ReturnType<typeof buildBundle>) => routerFromBundle(b, TEST_PROFILE) },
  { name: 'plain Dijkstra', make: (b: ReturnType<typeof buildBundle>) => referenceRouter(b, TEST_PROFILE) },
];

/** Metres are haversine along a flat drawing: allow 0.5 %. */
function expectRoute(r: RouteResult, metres: number, seconds: number) {
  if (!r.ok) throw new Error(`expected a route, got NoRoute: ${r.message}`);
  expect(r.distanceM).toBeGreaterThan(metres * 0.995);
  expect(r.distanceM).toBeLessThan(metres * 1.005);
  expect(r.timeS).toBeGreaterThan(seconds * 0.995);
  expect(r.timeS).toBeLessThan(seconds * 1.005);
}

for (const planner of PLANNERS) {
  describe(`routing rules (${planner.name})`, () => {
    const world = (drawing: string, ways: AsciiWay[]) => {
      const map = asciiMap(drawing, ways);
      const router: Router = planner.make(buildBundle(map.network, TEST_PROFILE));
      const route = (from: string, to: string, profile: ProfileName = 'drive', unitType?: string) => router.route(map.at(from), map.at(to), profile, unitType);
      return { map, router, route };
    };

    it('a_route_follows_the_streets_and_its_line_starts_and_ends_at_the_points', () => {
      const { route, map } = world(
        `
        a-------b-------c
        |               |
        d-------e-------f
        `,
        [{ nodes: 'abc' }, { nodes: 'def' }, { nodes: 'ad' }, { nodes: 'cf' }],
      );
      const r = route('a', 'c');
      expectRoute(r, 160, 16);
      expectRoute(route('b', 'e'), 80 + 20 + 80, 18);
      if (!r.ok) return;
      expect(r.geometry.type).toBe('LineString');
      const first = r.geometry.coordinates[0]!;
      const last = r.geometry.coordinates.at(-1)!;
      expect(first[0]).toBeCloseTo(map.at('a').lon, 5);
      expect(last[0]).toBeCloseTo(map.at('c').lon, 5);
    });

    it('a_faster_arterial_beats_a_shorter_street_when_driving_but_not_when_walking', () => {
      const { route } = world(
        `
        a---b---c
        |       |
        |       |
        d-------e
        `,
        [{ nodes: 'abc' }, { nodes: 'adec', roadClass: 'arterial' }],
      );
      expectRoute(route('a', 'c'), 30 + 80 + 30, 7);
      expectRoute(route('a', 'c', 'walk'), 80, 80 / 1.4);
    });

    it('a_one_way_street_is_driven_only_its_way_and_walked_both_ways', () => {
      const { route } = world(
        `
        a---b---c
        |       |
        |       |
        d---e---f
        `,
        [{ nodes: 'abc', oneway: 'yes' }, { nodes: 'def' }, { nodes: 'ad' }, { nodes: 'cf' }],
      );
      expectRoute(route('a', 'c'), 80, 8);
      expectRoute(route('c', 'a'), 30 + 80 + 30, 14);
      expectRoute(route('c', 'a', 'walk'), 80, 80 / 1.4);
    });

    it('oneway_minus_one_runs_against_the_drawing', () => {
      const { route } = world(
        `
        a---b---c
        |       |
        d-------e
        `,
        [{ nodes: 'abc', oneway: '-1' }, { nodes: 'adec' }],
      );
      expectRoute(route('c', 'a'), 80, 8);
      expectRoute(route('a', 'c'), 20 + 80 + 20, 12);
    });

    it('a_point_beside_a_long_segment_snaps_onto_its_middle_not_to_the_nearest_node', () => {
      const { route } = world(
        `
        a-------------------b
                  1

                  2
        `,
        [{ nodes: 'ab' }],
      );
      expectRoute(route('1', 'b'), 100, 10);
      expectRoute(route('1', 'a'), 100, 10);
      const same = route('1', '2');
      expect(same.ok && same.distanceM).toBeCloseTo(0, 6);
    });

    it('two_points_on_one_edge_route_along_it_even_against_the_edge_order', () => {
      const { route } = world(
        `
        a-------------------b
           1          2
        `,
        [{ nodes: 'ab' }],
      );
      expectRoute(route('1', '2'), 110, 11);
      expectRoute(route('2', '1'), 110, 11);
    });

    it('a_one_way_dead_end_can_be_entered_but_not_left_so_leaving_it_is_NoRoute', () => {
      const { route } = world(
        `
        a---b---c
                |
                |
                d
        `,
        [{ nodes: 'abc' }, { nodes: 'cd', oneway: 'yes' }],
      );
      expectRoute(route('a', 'd'), 110, 11);
      expect(route('d', 'a')).toMatchObject({ ok: false, code: 'NoRoute' });
      expectRoute(route('d', 'a', 'walk'), 110, 110 / 1.4);
    });

    it('a_point_far_from_every_road_is_NoRoute_not_an_exception', () => {
      const { router, map } = world(`a---b`, [{ nodes: 'ab' }]);
      const far = { lat: map.at('a').lat + 0.05, lon: map.at('a').lon };
      expect(router.route(far, map.at('b'))).toMatchObject({ ok: false, code: 'NoRoute' });
      expect(router.estimator('drive').travelTimes(far, [{ id: 'E1', location: map.at('a'), unitType: 'engine' }])).toEqual([{ ok: false, code: 'NoRoute' }]);
    });

    it('freeways_are_driven_fast_and_never_walked', () => {
      const { route } = world(
        `
        a-------b
        |       |
        c---d---e
        `,
        [{ nodes: 'ab', roadClass: 'freeway' }, { nodes: 'acdeb' }],
      );
      expectRoute(route('a', 'b'), 80, 80 / 30);
      expectRoute(route('a', 'b', 'walk'), 20 + 80 + 20, 120 / 1.4);
    });

    it('travel_times_come_back_in_origin_order_with_NoRoute_as_a_value_and_the_unit_type_factor_applied', () => {
      const { router, map } = world(
        `
        a---b---c
                |
                d
        `,
        [{ nodes: 'abc' }, { nodes: 'cd', oneway: 'yes' }],
      );
      const origins = [
        { id: 'trapped', location: map.at('d'), unitType: 'engine' },
        { id: 'B', location: map.at('b'), unitType: 'engine' },
        { id: 'truck at B', location: map.at('b'), unitType: 'truck' },
        { id: 'C', location: map.at('c'), unitType: 'engine' },
      ];
      const r = router.estimator('drive').travelTimes(map.at('a'), origins);
      expect(r.map((x) => (x.ok ? Math.round(x.travelS) : x.code))).toEqual(['NoRoute', 4, 6, 8]);
      expect(r[1]).toMatchObject({ ok: true, distanceM: 40 });
    });

    it('the_bounded_search_returns_the_quickest_origins_first_and_stops_with_a_horizon', () => {
      const { router, map } = world(`a---b---c---d---e`, [{ nodes: 'abcde' }]);
      const origins = ['e', 'b', 'd', 'c'].map((n) => ({ location: map.at(n) }));
      const found = router.nearest(map.at('a'), origins, 2);
      expect(found.settled.map((s) => s.index)).toEqual([1, 3]);
      expect(found.settled.map((s) => Math.round(s.seconds))).toEqual([4, 8]);
      expect(found.horizonS).toBeCloseTo(8, 6);
      const all = router.nearest(map.at('a'), origins, 10);
      expect(all.settled.map((s) => s.index)).toEqual([1, 3, 2, 0]);
      expect(all.horizonS).toBe(Infinity);
    });
  });
}
