// The live index against its brute-force reference: every answer must be identical (the same
// ids, in the same order: by distance, ties by id), whatever the sequence of updates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attrFilter, MATCH_ALL, type AttrFilter } from '../src/geo/attr-bits.ts';
import { BruteForceIndex } from '../src/geo/brute-force-index.ts';
import { LiveIndex } from '../src/geo/live-index.ts';
import type { MovingPointIndex } from '../src/geo/moving-point-index.ts';

const STALE_MS = 500;

type Op =
  | { readonly op: 'upsert'; readonly id: string; readonly lat: number; readonly lon: number; readonly at: number; readonly attrs: number }
  | { readonly op: 'upsertMany'; readonly fixes: readonly { id: string; lat: number; lon: number; atMs: number; attrs: number }[] }
  | { readonly op: 'remove'; readonly id: string }
  | { readonly op: 'setAttrs'; readonly id: string; readonly attrs: number }
  | { readonly op: 'nearest'; readonly lat: number; readonly lon: number; readonly k: number; readonly q: Query }
  | { readonly op: 'within'; readonly lat: number; readonly lon: number; readonly radiusM: number; readonly limit: number | undefined; readonly q: Query };

interface Query {
  readonly now: number;
  readonly maxAgeMs: number | undefined;
  readonly filter: AttrFilter | undefined;
  readonly maxDistanceM: number | undefined;
}

/** Places where grids go wrong: a dense patch (moves cross cells), the antimeridian, the poles. */
const place = (): fc.Arbitrary<{ lat: number; lon: number }> => {
  const d = (min: number, max: number) => fc.double({ min, max, noNaN: true });
  return fc.oneof(
    fc.record({ lat: d(37.7, 37.703), lon: d(-122.45, -122.446) }),
    fc.record({ lat: d(-0.01, 0.01), lon: fc.oneof(d(179.99, 180), d(-180, -179.99)) }),
    fc.record({ lat: fc.oneof(d(89.99, 90), d(-90, -89.99)), lon: d(-180, 180) }),
    fc.record({ lat: d(-90, 90), lon: d(-180, 180) }),
    // A few fixed spots, so that equal distances (ties broken by id) occur.
    fc.constantFrom({ lat: 37.7, lon: -122.45 }, { lat: 37.701, lon: -122.449 }, { lat: 0, lon: 180 }, { lat: 0, lon: -180 }, { lat: 90, lon: 0 }),
    // Tiny and subnormal coordinates, where distances round or underflow to 0.
    fc.constantFrom({ lat: 0, lon: 0 }, { lat: 5e-324, lon: 0 }, { lat: 0, lon: -5e-324 }, { lat: 1e-300, lon: 1e-300 }, { lat: -1e-12, lon: 1e-12 }),
  );
};

const ids = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'unit-1', 'unit-2', 'vol-10', 'vol-9');
const attrWord = fc.oneof(fc.integer({ min: 0, max: 15 }), fc.constant(0x8000_0001), fc.constant(0xffff_ffff));
const filter: fc.Arbitrary<AttrFilter | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.record({ all: fc.integer({ min: 0, max: 7 }), any: fc.constantFrom(0, 8, 0x8000_0000), none: fc.constantFrom(0, 4) }).map((m) => attrFilter(m)),
);
const query: fc.Arbitrary<Query> = fc.record({
  now: fc.integer({ min: 0, max: 1_500 }),
  maxAgeMs: fc.constantFrom(undefined, 0, 100, 1_000, Infinity),
  filter,
  maxDistanceM: fc.constantFrom(undefined, 0, 30, 400, 5_000, 3e6),
});

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('upsert' as const), id: ids, at: fc.integer({ min: 0, max: 1_000 }), attrs: attrWord, p: place() }).map(({ p, ...o }) => ({ ...o, ...p })) },
  {
    weight: 1,
    // Batches repeat ids (new ones too), so a later fix of a batch meets one its batch added.
    arbitrary: fc.record({
      op: fc.constant('upsertMany' as const),
      fixes: fc.array(fc.record({ id: ids, atMs: fc.integer({ min: 0, max: 1_000 }), attrs: attrWord, p: place() }).map(({ p, ...o }) => ({ ...o, ...p })), { maxLength: 8 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), id: ids }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('setAttrs' as const), id: ids, attrs: attrWord }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('nearest' as const), k: fc.integer({ min: 0, max: 6 }), q: query, p: place() }).map(({ p, ...o }) => ({ ...o, ...p })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ op: fc.constant('within' as const), radiusM: fc.constantFrom(0, 10, 150, 2_000, 1e6, 2.1e7), limit: fc.constantFrom(undefined, 1, 3), q: query, p: place() })
      .map(({ p, ...o }) => ({ ...o, ...p })),
  },
);

function apply(index: MovingPointIndex, o: Op): unknown {
  switch (o.op) {
    case 'upsert':
      return index.upsert(o.id, o.lat, o.lon, o.at, o.attrs);
    case 'upsertMany':
      return [...index.upsertMany(o.fixes)];
    case 'remove':
      return index.remove(o.id);
    case 'setAttrs':
      return index.setAttrs(o.id, o.attrs);
    case 'nearest': {
      const { now, maxAgeMs, filter: f, maxDistanceM } = o.q;
      return index.nearest(o.lat, o.lon, o.k, { now, ...(maxAgeMs === undefined ? {} : { maxAgeMs }), ...(f ? { filter: f } : {}), ...(maxDistanceM === undefined ? {} : { maxDistanceM }) });
    }
    case 'within': {
      const { now, maxAgeMs, filter: f } = o.q;
      return index.within(o.lat, o.lon, o.radiusM, { now, ...(maxAgeMs === undefined ? {} : { maxAgeMs }), ...(f ? { filter: f } : {}), ...(o.limit === undefined ? {} : { limit: o.limit }) });
    }
  }
}

describe('the live index answers exactly as the brute-force reference', () => {
  it('any_sequence_of_upserts_moves_removes_and_queries_gives_identical_answers', () => {
    fc.assert(
      fc.property(fc.constantFrom(15, 100, 2_000, 300_000), fc.array(op, { maxLength: 80 }), (cellSizeM, ops) => {
        const live = new LiveIndex({ cellSizeM, staleAfterMs: STALE_MS, initialCapacity: 4 });
        const reference = new BruteForceIndex(STALE_MS);
        for (const o of ops) {
          expect(apply(live, o), JSON.stringify(o)).toEqual(apply(reference, o));
          expect(live.size).toBe(reference.size);
        }
      }),
      { numRuns: Number(process.env['GEO_PROPERTY_RUNS'] ?? 400) },
    );
  });

  it('a_crowd_of_points_moving_across_small_cells_gives_identical_answers', () => {
    // Many points in a few hundred metres, cells of 25 m: almost every move changes cell.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const rnd = seeded(seed);
        const live = new LiveIndex({ cellSizeM: 25, staleAfterMs: STALE_MS });
        const reference = new BruteForceIndex(STALE_MS);
        for (let step = 0; step < 600; step++) {
          const id = `p${Math.floor(rnd() * 120)}`;
          const lat = 37.7 + rnd() * 0.004;
          const lon = -122.45 + rnd() * 0.005;
          if (rnd() < 0.85) {
            const at = Math.floor(rnd() * 1_000);
            const attrs = Math.floor(rnd() * 8);
            expect(live.upsert(id, lat, lon, at, attrs)).toBe(reference.upsert(id, lat, lon, at, attrs));
          } else if (rnd() < 0.3) {
            expect(live.remove(id)).toBe(reference.remove(id));
          } else {
            const q = { now: 1_000, filter: attrFilter({ all: 1 }) };
            expect(live.nearest(lat, lon, 5, q)).toEqual(reference.nearest(lat, lon, 5, q));
            expect(live.within(lat, lon, 60, q)).toEqual(reference.within(lat, lon, 60, q));
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('the rules of the live index', () => {
  const now = 1_000_000;

  it('a_query_at_a_cell_border_finds_the_nearer_point_in_the_neighbouring_cell', () => {
    const index = new LiveIndex({ cellSizeM: 250 });
    const g = index.grid;
    const row = g.rowOf(37.75);
    const border = -90 + row * g.rowDeg; // the southern edge of the query's row
    const lon = -122.44;
    index.upsert('same-cell', border + 0.0015, lon, now, 0); // ~167 m north, same cell as the query
    index.upsert('next-cell', border - 0.0001, lon, now, 0); // ~11 m south, the row below
    const found = index.nearest(border + 0.00001, lon, 1, { now });
    expect(found.map((n) => n.id)).toEqual(['next-cell']);
    expect(g.rowOf(border - 0.0001)).toBe(row - 1);

    // The same across a column edge.
    const cols = g.rowCols[row]!;
    const col = g.colOf(row, lon);
    const edgeLon = ((col + 1) * 360) / cols - 180;
    const lat = border + g.rowDeg / 2;
    index.upsert('west', lat, edgeLon - 0.002, now, 1);
    index.upsert('east', lat, edgeLon + 0.00005, now, 1);
    expect(index.nearest(lat, edgeLon - 0.00005, 1, { now, filter: attrFilter({ all: 1 }) }).map((n) => n.id)).toEqual(['east']);
  });

  it('points_across_the_antimeridian_are_neighbours', () => {
    const index = new LiveIndex({ cellSizeM: 100 });
    index.upsert('east-side', 0, 179.99999, now, 0);
    index.upsert('west-side', 0, -179.99998, now, 0);
    index.upsert('far', 0, 179.99, now, 0);
    const found = index.nearest(0, -179.99999, 3, { now });
    expect(found.map((n) => n.id)).toEqual(['west-side', 'east-side', 'far']);
    expect(found[1]!.distanceM).toBeCloseTo(2.22, 1);
    expect(index.within(0, 180, 5, { now }).map((n) => n.id)).toEqual(['east-side', 'west-side']);
  });

  it('points_at_and_near_the_poles_are_indexed_and_found', () => {
    const index = new LiveIndex({ cellSizeM: 100 });
    const reference = new BruteForceIndex(300_000);
    const points: [string, number, number][] = [
      ['north-pole', 90, 0],
      ['north-pole-other-lon', 90, 135],
      ['near-north', 89.9999, -180],
      ['near-north-2', 89.9995, 90],
      ['south-pole', -90, 180],
      ['near-south', -89.99, 10],
    ];
    for (const [id, lat, lon] of points) {
      index.upsert(id, lat, lon, now, 0);
      reference.upsert(id, lat, lon, now, 0);
    }
    for (const [lat, lon] of [[90, 0], [89.99995, 45], [-90, -180], [-89.995, 170], [0, 0]] as const) {
      expect(index.nearest(lat, lon, 4, { now })).toEqual(reference.nearest(lat, lon, 4, { now }));
      expect(index.within(lat, lon, 50_000, { now })).toEqual(reference.within(lat, lon, 50_000, { now }));
    }
    // Both points at the north pole are at distance ~0, whatever their longitude (cos 90° is not
    // exactly 0 in floating point, hence not toBe(0)).
    for (const n of index.nearest(90, 0, 2, { now })) expect(n.distanceM).toBeLessThan(1e-6);
  });

  it('stale_points_are_excluded_and_a_fix_exactly_at_the_age_limit_is_fresh', () => {
    const index = new LiveIndex({ cellSizeM: 250, staleAfterMs: 300_000 });
    index.upsert('fresh', 37.75, -122.44, now, 0);
    index.upsert('at-limit', 37.7501, -122.44, now - 300_000, 0);
    index.upsert('stale', 37.75, -122.4401, now - 300_001, 0);
    expect(index.nearest(37.75, -122.44, 5, { now }).map((n) => n.id)).toEqual(['fresh', 'at-limit']);
    expect(index.within(37.75, -122.44, 1_000, { now, maxAgeMs: 1 }).map((n) => n.id)).toEqual(['fresh']);
    expect(index.nearest(37.75, -122.44, 5, { now, maxAgeMs: Infinity }).map((n) => n.id)).toEqual(['fresh', 'stale', 'at-limit']);
  });

  it('filters_are_respected_all_any_and_none', () => {
    const AVAILABLE = 1;
    const CPR = 2;
    const AED = 4;
    const UNIT = 8;
    const index = new LiveIndex();
    index.upsert('available-cpr', 37.751, -122.44, now, AVAILABLE | CPR);
    index.upsert('busy-cpr', 37.7501, -122.44, now, CPR);
    index.upsert('available-aed', 37.7502, -122.44, now, AVAILABLE | AED);
    index.upsert('available-cpr-unit', 37.7503, -122.44, now, AVAILABLE | CPR | UNIT);
    const ids = (filter: AttrFilter) => index.nearest(37.75, -122.44, 10, { now, filter }).map((n) => n.id);
    expect(ids(attrFilter({ all: AVAILABLE | CPR }))).toEqual(['available-cpr-unit', 'available-cpr']);
    expect(ids(attrFilter({ all: AVAILABLE | CPR, none: UNIT }))).toEqual(['available-cpr']);
    expect(ids(attrFilter({ all: AVAILABLE, any: CPR | AED }))).toEqual(['available-aed', 'available-cpr-unit', 'available-cpr']);
    expect(ids(MATCH_ALL)).toHaveLength(4);
    index.setAttrs('busy-cpr', AVAILABLE | CPR);
    expect(ids(attrFilter({ all: AVAILABLE | CPR }))).toEqual(['busy-cpr', 'available-cpr-unit', 'available-cpr']);
  });

  it('equal_distances_are_ordered_by_id', () => {
    const index = new LiveIndex();
    for (const id of ['b', 'a', 'c', 'aa']) index.upsert(id, 37.75, -122.44, now, 0);
    expect(index.nearest(37.751, -122.44, 3, { now }).map((n) => n.id)).toEqual(['a', 'aa', 'b']);
  });

  it('a_tie_is_decided_by_id_even_when_the_distance_underflows', () => {
    // Found by the property above: a query at lat 5e-324 is at distance 0 from (0, 0) once
    // rounded, though |Δlat| is not 0; the pruning must not drop the point that wins the tie.
    const index = new LiveIndex({ cellSizeM: 15 });
    index.upsert('a', 0, 0, now, 0);
    index.upsert('unit-2', 0, 0, now, 0);
    expect(index.nearest(5e-324, 0, 1, { now }).map((n) => n.id)).toEqual(['a']);
  });

  it('an_out_of_order_fix_is_ignored', () => {
    const index = new LiveIndex();
    expect(index.upsert('u', 37.75, -122.44, now, 0)).toBe(true);
    expect(index.upsert('u', 37.8, -122.4, now - 1, 0)).toBe(false);
    expect(index.get('u')).toEqual({ id: 'u', lat: 37.75, lon: -122.44, atMs: now, attrs: 0 });
  });

  it('a_moved_point_is_found_at_its_new_place_only', () => {
    const index = new LiveIndex({ cellSizeM: 100 });
    index.upsert('u', 37.75, -122.44, now, 0);
    index.upsert('u', 37.78, -122.41, now + 1, 0);
    expect(index.within(37.75, -122.44, 500, { now })).toEqual([]);
    expect(index.within(37.78, -122.41, 1, { now }).map((n) => n.id)).toEqual(['u']);
    expect(index.remove('u')).toBe(true);
    expect(index.nearest(37.78, -122.41, 1, { now })).toEqual([]);
    expect(index.size).toBe(0);
  });

  it('sweeping_removes_only_the_stale_points', () => {
    const index = new LiveIndex({ staleAfterMs: 1_000 });
    index.upsert('old', 1, 1, now - 1_001, 0);
    index.upsert('new', 1, 1, now - 1_000, 0);
    expect(index.sweepStale(now)).toBe(1);
    expect(index.get('old')).toBeUndefined();
    expect(index.get('new')).toBeDefined();
  });

  it('bad_input_is_rejected_naming_the_value', () => {
    const index = new LiveIndex();
    expect(() => index.upsert('u', 91, 0, now, 0)).toThrow(/91/);
    expect(() => index.upsert('u', 0, Number.NaN, now, 0)).toThrow(/NaN/);
    expect(() => index.upsert('', 0, 0, now, 0)).toThrow(/non-empty/);
    expect(() => index.upsert('u', 0, 0, now, -1)).toThrow(/attrs/);
    expect(() => index.upsert('u', 0, 0, now, 2 ** 32)).toThrow(/attrs/);
    const batch = [
      { id: 'ok', lat: 1, lon: 1, atMs: now, attrs: 0 },
      { id: 'bad', lat: 1, lon: 181, atMs: now, attrs: 0 },
    ];
    expect(() => index.upsertMany(batch)).toThrow(/fix 1: bad has lat\/lon 1,181/);
    expect(index.get('ok')).toBeUndefined(); // nothing of a rejected batch is applied
    expect(() => index.nearest(0, 200, 1, { now })).toThrow(/200/);
    expect(() => index.within(0, 0, 10, { now: Number.NaN })).toThrow(/now is NaN/);
    expect(() => new LiveIndex({ cellSizeM: 0 })).toThrow(/cellM/);
  });

  it('many_points_grow_the_arrays_and_keep_every_id', () => {
    const index = new LiveIndex({ initialCapacity: 1 });
    for (let i = 0; i < 5_000; i++) index.upsert(`p${i}`, (i % 170) - 85, (i % 359) - 179, now, i);
    for (let i = 0; i < 5_000; i += 2) index.remove(`p${i}`);
    expect(index.size).toBe(2_500);
    expect(index.get('p4999')).toEqual({ id: 'p4999', lat: (4999 % 170) - 85, lon: (4999 % 359) - 179, atMs: now, attrs: 4999 });
    expect(index.get('p4998')).toBeUndefined();
  });
});

/** A small deterministic random source (LCG) for the crowd test. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
}

describe('compaction', () => {
  it('compacting_renumbers_points_without_changing_any_answer', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.array(op, { maxLength: 30 }), (before, after) => {
        const live = new LiveIndex({ cellSizeM: 100, staleAfterMs: STALE_MS, initialCapacity: 4 });
        const reference = new BruteForceIndex(STALE_MS);
        for (const o of before) {
          apply(live, o);
          apply(reference, o);
        }
        live.compact();
        for (const o of after) expect(apply(live, o), JSON.stringify(o)).toEqual(apply(reference, o));
        for (const id of ['a', 'unit-1', 'vol-9']) expect(live.get(id)).toEqual(reference.get(id));
      }),
      { numRuns: 300 },
    );
  });
});
