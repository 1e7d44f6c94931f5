import { describe, expect, it } from 'vitest';
import { meters } from './ids.ts';
import { haversine, type LatLon } from './lat-lon.ts';
import { convexHull, distanceOutside, distanceToPolygon, type ServiceArea } from './service-area.ts';

/*
 * A square city 0.02° a side around (37.77, -122.42), about 2.2 km north–south and 1.76 km
 * east–west, with a 1 km buffer:
 *
 *     NW ─────── NE
 *      │    ·C    │      C: the centre
 *     SW ─────── SE  ·E: 500 m east of SE's edge (in the buffer)   ·F: 3 km east (outside)
 */
const SW = { lat: 37.76, lon: -122.43 };
const SE = { lat: 37.76, lon: -122.41 };
const NE = { lat: 37.78, lon: -122.41 };
const NW = { lat: 37.78, lon: -122.43 };
const CITY: ServiceArea = { polygon: [SW, SE, NE, NW], bufferM: meters(1000) };
const east = (p: LatLon, m: number): LatLon => ({ lat: p.lat, lon: p.lon + m / (111_195 * Math.cos((p.lat * Math.PI) / 180)) });
const middleOfEastEdge = { lat: 37.77, lon: -122.41 };

describe('the service area', () => {
  it('a point inside the polygon is in the area', () => {
    expect(distanceOutside(CITY, { lat: 37.77, lon: -122.42 })).toBe(0);
  });

  it('a point in the buffer around the polygon is in the area', () => {
    expect(distanceToPolygon(CITY.polygon, east(middleOfEastEdge, 500))).toBeCloseTo(500, -1);
    expect(distanceOutside(CITY, east(middleOfEastEdge, 500))).toBe(0);
  });

  it('a point past the buffer is outside by its distance to the polygon less the buffer', () => {
    expect(distanceOutside(CITY, east(middleOfEastEdge, 3000))).toBeCloseTo(2000, -1);
  });

  it('beyond a corner the distance is to the corner', () => {
    const beyond = { lat: 37.75, lon: -122.4 };
    expect(distanceToPolygon(CITY.polygon, beyond)).toBeCloseTo(haversine(beyond, SE), 0);
  });

  it('a point on another continent is outside by its great-circle distance, not a flat-map one', () => {
    const nullIsland = { lat: 0, lon: 0 };
    const d = distanceOutside(CITY, nullIsland);
    // From (0, 0) the nearest corner is SE; the true distance is within a few km of it.
    expect(Math.abs(d + 1000 - haversine(nullIsland, SE))).toBeLessThan(5_000);
    expect(d).toBeGreaterThan(12_000_000);
  });

  it('an area without a polygon has nothing outside it', () => {
    expect(distanceOutside({ polygon: [], bufferM: meters(0) }, { lat: 0, lon: 0 })).toBe(0);
  });

  it('the hull of points keeps only the outer corners, counter-clockwise', () => {
    const inner = [
      { lat: 37.77, lon: -122.42 },
      { lat: 37.765, lon: -122.415 },
    ];
    const hull = convexHull([NE, ...inner, SW, NW, SE, { lat: 37.77, lon: -122.43 }]);
    expect(hull).toEqual([SW, SE, NE, NW]);
  });

  it('every node of a graph lies in its own hull', () => {
    const nodes = Array.from({ length: 200 }, (_, i) => ({ lat: 37.7 + ((i * 37) % 101) / 1000, lon: -122.5 + ((i * 61) % 89) / 1000 }));
    const area: ServiceArea = { polygon: convexHull(nodes), bufferM: meters(0) };
    for (const n of nodes) expect(distanceOutside(area, n)).toBeLessThan(0.01);
  });
});
