/*
 * The OpenStreetMap importer on a real extract: downtown Baltimore (test/fixtures, ODbL,
 * © OpenStreetMap contributors). Tags decide class, direction and who may pass; the ways named
 * here by id are real streets of the extract.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/configuration.ts';
import { haversine, type LatLon } from '../src/core/lat-lon.ts';
import { buildBundle } from '../src/routing/build-bundle.ts';
import { referenceRouter, routerFromBundle } from '../src/routing/bundle-router.ts';
import type { DriveProfile } from '../src/routing/drive-profile.ts';
import { networkFromOsmPbf } from '../src/routing/osm-import.ts';
import { readOsmPbf } from '../src/routing/osm-pbf.ts';
import { wayUse } from '../src/routing/osm-tags.ts';
import { DRIVE_BACKWARD, DRIVE_BOTH, DRIVE_FORWARD, WALK } from '../src/routing/road-class.ts';

const FIXTURE = join(PROJECT_ROOT, 'test/fixtures/baltimore_downtown.osm.pbf');
const PROFILE: DriveProfile = { speedsMps: { freeway: 25, arterial: 14, street: 10, service: 6 }, fixedS: 0, unitTypeFactors: {}, defaultUnitTypeFactor: 1 };

describe('OSM tags to road use', () => {
  it('highway_classes_map_to_road_classes', () => {
    expect(wayUse({ highway: 'motorway' })?.roadClass).toBe('freeway');
    expect(wayUse({ highway: 'primary' })?.roadClass).toBe('arterial');
    expect(wayUse({ highway: 'residential' })?.roadClass).toBe('street');
    expect(wayUse({ highway: 'service' })?.roadClass).toBe('service');
    expect(wayUse({ highway: 'footway' })?.roadClass).toBe('path');
    expect(wayUse({ building: 'yes' })).toBeUndefined();
    expect(wayUse({ highway: 'proposed' })).toBeUndefined();
  });

  it('oneway_yes_true_1_are_forward_minus_one_and_reverse_are_backward_no_is_both', () => {
    for (const v of ['yes', 'true', '1']) expect(wayUse({ highway: 'residential', oneway: v })?.flags).toBe(DRIVE_FORWARD | WALK);
    for (const v of ['-1', 'reverse']) expect(wayUse({ highway: 'residential', oneway: v })?.flags).toBe(DRIVE_BACKWARD | WALK);
    expect(wayUse({ highway: 'residential', oneway: 'no' })?.flags).toBe(DRIVE_BOTH | WALK);
  });

  it('roundabouts_and_motorways_are_one_way_unless_tagged_otherwise', () => {
    expect(wayUse({ highway: 'residential', junction: 'roundabout' })?.flags).toBe(DRIVE_FORWARD | WALK);
    expect(wayUse({ highway: 'motorway' })?.flags).toBe(DRIVE_FORWARD);
    expect(wayUse({ highway: 'motorway', oneway: 'no' })?.flags).toBe(DRIVE_BOTH);
  });

  it('access_no_or_private_closes_a_road_and_emergency_yes_reopens_it_to_us', () => {
    expect(wayUse({ highway: 'service', access: 'private' })).toBeUndefined();
    expect(wayUse({ highway: 'service', access: 'no', foot: 'yes' })?.flags).toBe(WALK);
    expect(wayUse({ highway: 'residential', motor_vehicle: 'no' })?.flags).toBe(WALK);
    expect(wayUse({ highway: 'service', access: 'no', emergency: 'yes' })?.flags).toBe(DRIVE_BOTH);
  });

  it('footways_paths_pedestrian_streets_and_steps_are_walked_never_driven_motorways_never_walked', () => {
    for (const h of ['footway', 'path', 'pedestrian', 'steps']) expect(wayUse({ highway: h })?.flags).toBe(WALK);
    expect((wayUse({ highway: 'motorway_link' })?.flags ?? 0) & WALK).toBe(0);
  });
});

describe('importing downtown Baltimore', () => {
  const bytes = readFileSync(FIXTURE);
  const nodes = new Map<number, LatLon>();
  const ways = new Map<number, { refs: readonly number[]; tags: Readonly<Record<string, string>> }>();
  readOsmPbf(bytes, { node: (id, lat, lon) => nodes.set(id, { lat, lon }), way: (id, refs, tags) => ways.set(id, { refs, tags }) });
  const { network, report } = networkFromOsmPbf(bytes, FIXTURE);
  const bundle = buildBundle(network, PROFILE);
  const router = routerFromBundle(bundle, PROFILE);
  const reference = referenceRouter(bundle, PROFILE);

  const way = (id: number) => {
    const w = ways.get(id);
    if (w === undefined) throw new Error(`way ${id} is not in the fixture`);
    const pts = w.refs.map((r) => nodes.get(r)!);
    return { tags: w.tags, first: pts[0]!, last: pts.at(-1)!, middle: pts[Math.floor(pts.length / 2)]!, length: pts.slice(1).reduce((s, p, i) => s + haversine(pts[i]!, p), 0) };
  };
  const metres = (from: LatLon, to: LatLon, p: 'drive' | 'walk') => {
    const r = router.route(from, to, p);
    const ref = reference.route(from, to, p);
    expect(r.ok).toBe(ref.ok);
    if (r.ok && ref.ok) expect(r.distanceM).toBeCloseTo(ref.distanceM, 6);
    return r.ok ? r.distanceM : Infinity;
  };

  it('reads_every_dense_node_and_way_of_the_extract', () => {
    expect(nodes.size).toBe(51_385);
    expect(ways.size).toBe(7_230);
    expect(report).toMatchObject({ ways: 7_230, missingNodeRefs: 0 });
    expect(report.roadWays).toBeGreaterThan(3_000);
  });

  it('a_one_way_street_is_driven_along_its_length_and_around_the_block_against_it', () => {
    const w = way(6002921); // South Ellwood Avenue, oneway=yes
    expect(w.tags.oneway).toBe('yes');
    expect(metres(w.first, w.last, 'drive')).toBeCloseTo(w.length, 0);
    expect(metres(w.last, w.first, 'drive')).toBeGreaterThan(w.length + 50);
    expect(metres(w.last, w.first, 'walk')).toBeCloseTo(w.length, 0);
  });

  it('oneway_minus_one_is_driven_from_its_last_node_to_its_first', () => {
    const w = way(6017285); // North Robinson Street, oneway=-1
    expect(metres(w.last, w.first, 'drive')).toBeCloseTo(w.length, 0);
    expect(metres(w.first, w.last, 'drive')).toBeGreaterThan(w.length + 50);
  });

  it('a_private_service_road_is_not_snapped_to', () => {
    const w = way(5993393); // highway=service, access=private
    expect(w.tags.access).toBe('private');
    expect(router.snap(w.middle, 'drive')!.distanceM).toBeGreaterThan(50);
  });

  it('a_footway_is_walked_but_a_car_is_snapped_to_a_road_elsewhere', () => {
    const w = way(5995740); // highway=footway
    expect(router.snap(w.middle, 'walk')!.distanceM).toBeLessThan(0.5);
    expect(router.snap(w.middle, 'drive')!.distanceM).toBeGreaterThan(100);
    expect(metres(w.first, w.last, 'walk')).toBeCloseTo(w.length, 0);
  });

  it('a_motorway_is_driven_one_way_and_never_walked', () => {
    const w = way(6009938); // Harbor Tunnel Thruway, motorway, foot=no
    expect(router.snap(w.middle, 'drive')!.distanceM).toBeLessThan(0.5);
    expect(router.snap(w.middle, 'walk')!.distanceM).toBeGreaterThan(10);
    expect(metres(w.first, w.last, 'drive')).toBeCloseTo(w.length, 0);
    expect(router.route(w.last, w.first, 'drive')).toMatchObject({ ok: false, code: 'NoRoute' });
  });
});
