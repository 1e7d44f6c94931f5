import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/configuration.ts';
import { haversine } from '../core/lat-lon.ts';
import { seededRandom } from '../core/seeded-random.ts';
import { apportion, inPolygon, readBlockGroups, totalResidents } from '../volunteers/population-density.ts';
import { POPULATION_FILE } from '../volunteers/demo-volunteers.ts';
import { placeVolunteers } from './synthetic-volunteers.ts';

const groups = readBlockGroups(`${PROJECT_ROOT}${POPULATION_FILE}`);

describe('placeVolunteers', () => {
  const base = placeVolunteers(0.005, seededRandom(42));

  it('places the share of residents the census file counts (half a percent of 780,376)', () => {
    expect(base).toHaveLength(Math.round(totalResidents(groups) * 0.005));
    expect(base).toHaveLength(3902);
    expect(new Set(base.map((v) => v.id)).size).toBe(base.length);
    expect(base[0]!.id).toBe('SV-1');
  });

  it('puts each block group’s share of them inside it, by where people live', () => {
    const counts = apportion(groups, base.length);
    // The most and a least populous group that gets anyone: people go where residents are.
    const order = groups.map((g, i) => ({ g, i })).sort((a, b) => b.g.residents - a.g.residents);
    for (const { g, i } of [order[0]!, order.find(({ i: k }) => counts[k] === 1)!]) {
      const inside = base.filter((v) => g.polygons.some((p) => inPolygon(p, v.home.lon, v.home.lat))).length;
      expect(inside).toBe(counts[i]);
    }
    expect(counts[order[0]!.i]!).toBeGreaterThan(10);
  });

  it('is the same for the same seed and differs for another', () => {
    expect(placeVolunteers(0.005, seededRandom(42))).toEqual(base);
    expect(placeVolunteers(0.005, seededRandom(43)).map((v) => v.home)).not.toEqual(base.map((v) => v.home));
  });

  it('adds recruits in their squares after the base population, which keeps its ids and places', () => {
    const centre = { lat: 37.7599, lon: -122.4148 };
    const more = placeVolunteers(0.005, seededRandom(42), [{ centre, sizeM: 1000, count: 20 }, { centre: { lat: 37.78, lon: -122.47 }, sizeM: 500, count: 5 }]);
    expect(more).toHaveLength(base.length + 25);
    expect(more.slice(0, base.length)).toEqual(base);
    const recruits = more.slice(base.length, base.length + 20);
    expect(recruits[0]!.id).toBe(`SV-${base.length + 1}`);
    // Inside a 1 km square: never farther from its centre than half its diagonal.
    for (const v of recruits) expect(haversine(v.home, centre)).toBeLessThanOrEqual(Math.SQRT2 * 500 + 1);
    expect(Math.max(...recruits.map((v) => haversine(v.home, centre)))).toBeGreaterThan(200);
  });

  it('places nobody for a share of zero, only the recruits', () => {
    expect(placeVolunteers(0, seededRandom(1))).toEqual([]);
    expect(placeVolunteers(0, seededRandom(1), [{ centre: { lat: 37.77, lon: -122.42 }, sizeM: 100, count: 3 }]).map((v) => v.id)).toEqual(['SV-1', 'SV-2', 'SV-3']);
  });
});
