/*
 * From lines to a routable graph: splitting at shared vertices, tagging streets that lie on the
 * DataSF overlays, dropping islands, folding vertices that only continue a road, and the binary
 * file that holds the result.
 */
import { describe, expect, it } from 'vitest';
import { asciiMap } from '../src/routing/ascii-map.ts';
import { buildBundle } from '../src/routing/build-bundle.ts';
import type { DriveProfile } from '../src/routing/drive-profile.ts';
import { foldDegreeTwo } from '../src/routing/fold.ts';
import { geoJsonLines, networkFromLines } from '../src/routing/geojson-lines.ts';
import { decodeGraphBundle, encodeGraphBundle } from '../src/routing/graph-file.ts';
import { DRIVE_BOTH, WALK, roadClassOf } from '../src/routing/road-class.ts';
import { largestComponent } from '../src/routing/components.ts';

const PROFILE: DriveProfile = { speedsMps: { freeway: 25, arterial: 14, street: 10, service: 6 }, fixedS: 0, unitTypeFactors: {}, defaultUnitTypeFactor: 1 };
const E = 0.001; // ~88 m of longitude, ~111 m of latitude

describe('GeoJSON street lines', () => {
  it('accepts_bare_coordinate_objects_features_and_multilinestrings', () => {
    const doc = {
      features: [
        { coordinates: [[0, 0], [E, 0]] },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[0, 0, 0], [0, E, 0]] } },
        { type: 'Feature', geometry: { type: 'MultiLineString', coordinates: [[[0, 0], [E, E]], [[E, E], [2 * E, E]]] } },
      ],
    };
    expect(geoJsonLines(doc, 'doc')).toHaveLength(4);
    expect(() => geoJsonLines({ features: [{ coordinates: [['x', 1]] }] }, 'bad.geojson')).toThrow(/bad.geojson: feature 0 has a point that is not \[lon, lat\]/);
    expect(() => geoJsonLines({ type: 'Feature' }, 'bad.geojson')).toThrow(/FeatureCollection/);
  });

  it('lines_are_split_at_every_vertex_they_share_and_are_two_way_and_walkable', () => {
    // A cross: two lines meeting at their shared middle vertex.
    const n = networkFromLines([[[-E, 0], [0, 0], [E, 0]], [[0, -E], [0, 0], [0, E]]], []);
    expect(n.lat.length).toBe(5);
    expect(n.segA.length).toBe(4);
    expect([...n.segFlags]).toEqual([DRIVE_BOTH | WALK, DRIVE_BOTH | WALK, DRIVE_BOTH | WALK, DRIVE_BOTH | WALK]);
    const g = foldDegreeTwo(n);
    expect(g.nodeLat.length).toBe(5);
  });

  it('a_street_lying_on_an_overlay_takes_its_class_and_a_crossing_street_does_not', () => {
    const street = [[-122.42, 37.77], [-122.419, 37.77], [-122.418, 37.77]];
    const crossing = [[-122.419, 37.769], [-122.419, 37.77]];
    // The artery runs along the street, 5 m north of it.
    const artery = [[-122.4205, 37.770045], [-122.4175, 37.770045]];
    const freeway = [[-122.5, 37.8], [-122.49, 37.8]];
    const n = networkFromLines([street, crossing], [
      { roadClass: 'freeway', lines: [freeway], toleranceM: 15 },
      { roadClass: 'arterial', lines: [artery], toleranceM: 10 },
    ]);
    expect([...n.segClass].map(roadClassOf)).toEqual(['arterial', 'arterial', 'street']);
  });

  it('freeway_segments_are_not_walkable', () => {
    const n = networkFromLines([[[-122.42, 37.77], [-122.419, 37.77]]], [{ roadClass: 'freeway', lines: [[[-122.421, 37.77], [-122.418, 37.77]]], toleranceM: 15 }]);
    expect(n.segFlags[0]).toBe(DRIVE_BOTH);
  });
});

describe('building the graph', () => {
  const map = asciiMap(
    `
    a--b--c--d--e        x--y
          |
          f
    `,
    [{ nodes: 'abcde' }, { nodes: 'cf' }, { nodes: 'xy' }],
  );

  it('islands_are_dropped_and_only_the_largest_component_is_kept', () => {
    const { network, report } = largestComponent(map.network);
    expect(report).toEqual({ components: 2, keptVertices: 6, droppedVertices: 2 });
    expect(network.segA.length).toBe(5);
  });

  it('vertices_that_only_continue_a_road_are_folded_and_their_geometry_kept', () => {
    const g = foldDegreeTwo(largestComponent(map.network).network);
    // Nodes: a and e (ends), c (junction), f (end); b and d are folded.
    expect(g.nodeLat.length).toBe(4);
    expect(g.edgeFrom.length).toBe(3);
    const points = [...g.geomStart].slice(1).map((end, e) => end - g.geomStart[e]!);
    expect(points.sort()).toEqual([2, 3, 3]);
  });

  it('a_road_changing_class_keeps_a_node_where_it_changes', () => {
    const m = asciiMap(`a--b--c--d`, [{ nodes: 'ab' }, { nodes: 'bcd', roadClass: 'arterial' }]);
    expect(foldDegreeTwo(m.network).nodeLat.length).toBe(3);
  });

  it('a_bundle_reads_back_from_its_bytes_unchanged', () => {
    const bundle = buildBundle(map.network, PROFILE, { source: 'test' });
    const bytes = encodeGraphBundle(bundle);
    const back = decodeGraphBundle(bytes, 'test.graph');
    expect(back.meta).toEqual(JSON.parse(JSON.stringify(bundle.meta)));
    expect(back.graph).toEqual(bundle.graph);
    expect(Object.keys(back.hierarchies).sort()).toEqual(['drive', 'walk']);
    expect(back.hierarchies.drive!.order).toEqual(bundle.hierarchies.drive!.order);
    expect(encodeGraphBundle(back)).toEqual(bytes);
  });

  it('a_file_that_is_not_a_graph_is_refused_by_name', () => {
    expect(() => decodeGraphBundle(new TextEncoder().encode('{"json": true}'), 'oops.graph')).toThrow(/oops.graph: not a Samaritan road graph/);
  });
});
