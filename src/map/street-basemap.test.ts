import { describe, expect, it } from 'vitest';
import { simplify, streetBasemap } from './street-basemap.ts';

describe('street basemap', () => {
  it('drops the points of a straight run and keeps the corners', () => {
    const run: [number, number][] = [[0, 0], [0.00001, 0], [0.00002, 0.000001], [0.001, 0], [0.001, 0.001]];
    expect(simplify(run, 0.00002)).toEqual([[0, 0], [0.001, 0], [0.001, 0.001]]);
  });

  it('answers LineStrings rounded to 5 decimals with their kind and name, leaving out lines that shrink to a point', () => {
    const fc = streetBasemap(
      [
        { name: 'Market St', kind: 'major', line: [-122.4194155, 37.7749295, -122.4084, 37.7840123] },
        { kind: 'minor', line: [-122.4, 37.7, -122.400001, 37.700001] },
      ],
      'Source: test',
    );
    expect(fc).toEqual({
      type: 'FeatureCollection',
      attribution: 'Source: test',
      features: [
        {
          type: 'Feature',
          properties: { kind: 'major', name: 'Market St' },
          geometry: { type: 'LineString', coordinates: [[-122.41942, 37.77493], [-122.4084, 37.78401]] },
        },
      ],
    });
  });
});
