/*
 * The San Francisco demo graph as shipped (data/sf/sf-roads.graph, built by scripts/build-graph.ts):
 * the hierarchy answers exactly what plain Dijkstra answers, the file reads back bit for bit, and
 * the routes are the plausible ones the product promises.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/configuration.ts';
import type { LatLon } from '../src/core/lat-lon.ts';
import { referenceRouter, routerFromBundle } from '../src/routing/bundle-router.ts';
import { loadDriveProfile, speedsKey } from '../src/routing/drive-profile.ts';
import { decodeGraphBundle, encodeGraphBundle } from '../src/routing/graph-file.ts';
import { SF_FILES } from '../src/routing/sf-demo.ts';

const bytes = readFileSync(join(PROJECT_ROOT, SF_FILES.graph));
const bundle = decodeGraphBundle(bytes, SF_FILES.graph);
const drive = loadDriveProfile(join(PROJECT_ROOT, SF_FILES.driveProfile));
const router = routerFromBundle(bundle, drive);
const reference = referenceRouter(bundle, drive);

/** A point in San Francisco's street grid (some fall in parks or water: those snap, or are NoRoute). */
const sfPoint = fc.record({ lat: fc.double({ min: 37.71, max: 37.805, noNaN: true }), lon: fc.double({ min: -122.51, max: -122.39, noNaN: true }) });
const profile = fc.constantFrom('drive' as const, 'walk' as const);
const RUNS = { numRuns: 150, seed: 20240115 };

describe('the SF graph file', () => {
  it('was_built_with_the_shipped_drive_profile_so_start_up_does_not_rebuild', () => {
    expect(bundle.meta.driveSpeeds).toBe(speedsKey(drive));
  });

  it('reads_back_bit_for_bit', () => {
    const again = encodeGraphBundle(bundle);
    expect(again.length).toBe(bytes.length);
    expect(Buffer.compare(Buffer.from(again), bytes)).toBe(0);
  });

  it('holds_the_folded_largest_component', () => {
    const counts = bundle.meta.counts as Record<string, number>;
    expect(counts.importedVertices).toBe(76_807);
    expect(counts.keptVertices).toBe(75_625);
    expect(counts.nodes).toBeGreaterThan(15_000);
    expect(counts.nodes).toBeLessThan(25_000);
    expect(bundle.graph.nodeLat.length).toBe(counts.nodes);
  });

  it('every_station_is_within_150_m_of_a_drivable_road', () => {
    const stations = JSON.parse(readFileSync(join(PROJECT_ROOT, 'data/sf/stations.json'), 'utf8')) as { id: string; location: LatLon }[];
    for (const s of stations) expect(router.snap(s.location, 'drive')?.distanceM ?? Infinity).toBeLessThan(150);
  });
});

describe('contraction hierarchy against plain Dijkstra on the SF graph', () => {
  it('point_to_point_times_and_distances_are_equal', () => {
    fc.assert(
      fc.property(sfPoint, sfPoint, profile, (a, b, p) => {
        const x = router.route(a, b, p);
        const y = reference.route(a, b, p);
        expect(x.ok).toBe(y.ok);
        if (x.ok && y.ok) {
          expect(x.timeS).toBeCloseTo(y.timeS, 6);
          expect(x.distanceM).toBeCloseTo(y.distanceM, 3);
        }
      }),
      RUNS,
    );
  });

  it('one_to_many_from_every_origin_to_an_incident_is_equal', () => {
    fc.assert(
      fc.property(sfPoint, fc.array(sfPoint, { minLength: 1, maxLength: 30 }), profile, (incident, origins, p) => {
        const o = origins.map((location) => ({ location, unitType: 'truck' }));
        const x = router.travelTo(incident, o, p);
        const y = reference.travelTo(incident, o, p);
        x.forEach((r, i) => {
          expect(r.seconds === Infinity).toBe(y[i]!.seconds === Infinity);
          if (r.seconds !== Infinity) expect(r.seconds).toBeCloseTo(y[i]!.seconds, 6);
        });
      }),
      { ...RUNS, numRuns: 40 },
    );
  });

  it('the_port_answers_the_same_before_and_after_the_units_upward_spaces_are_cached', () => {
    const incident = { lat: 37.7793, lon: -122.4193 };
    const stations = JSON.parse(readFileSync(join(PROJECT_ROOT, 'data/sf/stations.json'), 'utf8')) as { location: LatLon }[];
    const origins = stations.map((s) => ({ location: s.location, unitType: 'engine' }));
    const expected = reference.travelTo(incident, origins, 'drive').map((r) => r.seconds);
    // First calls: too many new positions, so a sweep answers while spaces are computed for next time.
    for (let round = 0; round < 4; round++) {
      router.travelTo(incident, origins, 'drive').forEach((r, i) => expect(r.seconds).toBeCloseTo(expected[i]!, 6));
    }
  });

  it('one_source_to_many_targets_is_equal', () => {
    fc.assert(
      fc.property(sfPoint, fc.array(sfPoint, { minLength: 1, maxLength: 30 }), (source, targets) => {
        const x = router.travelFrom(source, targets, 'drive');
        const y = reference.travelFrom(source, targets, 'drive');
        x.forEach((r, i) => expect(r.seconds === Infinity ? Infinity : Math.round(r.seconds * 1e6)).toBe(y[i]!.seconds === Infinity ? Infinity : Math.round(y[i]!.seconds * 1e6)));
      }),
      { ...RUNS, numRuns: 40 },
    );
  });

  it('the_bounded_search_settles_exactly_the_quickest_origins', () => {
    fc.assert(
      fc.property(sfPoint, fc.array(sfPoint, { minLength: 5, maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (incident, points, enough) => {
        const origins = points.map((location) => ({ location }));
        const found = router.nearest(incident, origins, enough);
        const all = reference.travelTo(incident, origins, 'drive').map((r, i) => ({ i, s: r.seconds }));
        const quickest = all.filter((r) => r.s < Infinity).sort((a, b) => a.s - b.s);
        expect(found.settled.map((s) => s.seconds)).toEqual(quickest.slice(0, enough).map((q) => expect.closeTo(q.s, 6)));
        const settled = new Set(found.settled.map((s) => s.index));
        for (const r of all) if (!settled.has(r.i)) expect(r.s).toBeGreaterThanOrEqual(found.horizonS - 1e-6);
      }),
      { ...RUNS, numRuns: 60 },
    );
  });
});

describe('routes on the SF demo graph', () => {
  const CITY_HALL = { lat: 37.7793, lon: -122.4193 };

  it('city_hall_to_fort_mason_drives_3_to_8_km_in_2_to_20_minutes', () => {
    const r = router.route(CITY_HALL, { lat: 37.808, lon: -122.4177 }, 'drive');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.distanceM).toBeGreaterThan(3_100);
    expect(r.distanceM).toBeLessThan(8_000);
    expect(r.timeS).toBeGreaterThan(120);
    expect(r.timeS).toBeLessThan(1_200);
    expect(r.geometry.coordinates.length).toBeGreaterThan(10);
  });

  it('a_kilometre_walk_takes_a_walkers_time', () => {
    const r = router.route(CITY_HALL, { lat: 37.785, lon: -122.41 }, 'walk');
    expect(r.ok && r.timeS).toBeGreaterThan(500);
    expect(r.ok && r.timeS).toBeLessThan(1_500);
  });

  it('a_truck_takes_longer_than_an_engine_on_the_same_road', () => {
    const to = { lat: 37.808, lon: -122.4177 };
    const [engine, truck] = router.travelTo(to, [{ location: CITY_HALL, unitType: 'engine' }, { location: CITY_HALL, unitType: 'truck' }], 'drive');
    expect(truck!.metres).toBeCloseTo(engine!.metres, 6);
    expect(truck!.seconds).toBeGreaterThan(engine!.seconds);
  });
});
