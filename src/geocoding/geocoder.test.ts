import { describe, expect, it } from 'vitest';
import { haversine } from '../core/lat-lon.ts';
import { Geocoder } from './geocoder.ts';
import { BlockIndex } from './house-numbers.ts';
import { matchPlaces } from './places.ts';
import { crossings, projectOnLine } from './polylines.ts';
import { editDistance, StreetIndex } from './street-index.ts';
import { canonicalToken, streetKey } from './street-names.ts';

// A small grid: Main St runs east along lat 37.77; 1st, 2nd and 3rd Ave run north, 0.01° of longitude apart.
const main = [-122.45, 37.77, -122.4, 37.77];
const avenue = (lon: number) => [lon, 37.76, lon, 37.78];
const streets = StreetIndex.fromLines([
  { name: 'Main St', line: main, major: true },
  { name: '1st Ave', line: avenue(-122.44), major: false },
  { name: '2nd Ave', line: avenue(-122.43), major: false },
  { name: '3rd Ave', line: avenue(-122.42), major: false },
  { name: 'Mainsail Ln', line: [-122.44, 37.761, -122.439, 37.761], major: false },
  { name: 'S Van Ness Ave', line: [-122.41, 37.76, -122.41, 37.78], major: false },
  // Ends 10 m short of Main St, as TIGER leaves some streets.
  { name: 'Short Pl', line: [-122.415, 37.75, -122.415, 37.76991], major: false },
  // TIGER spells City Hall's street with a P; its address is written with a B. No call on record there.
  { name: 'Dr Carlton P Goodlett Pl', line: [-122.418227, 37.778489, -122.418401, 37.779315, -122.418599, 37.78026], major: false },
]);
// Calls placed the 100 and 500 blocks of Main St (…50 lies mid-block).
const blocks = BlockIndex.fromAddresses([
  { address: '100 Block of MAIN ST', location: { lat: 37.77, lon: -122.44 } },
  { address: '100 Block of MAIN ST', location: { lat: 37.77, lon: -122.44 } },
  { address: '500 Block of MAIN ST', location: { lat: 37.77, lon: -122.4 } },
  { address: 'MAIN ST/1ST AV', location: { lat: 37.77, lon: -122.44 } },
]);
const geocoder = new Geocoder(streets, blocks);
const places = [
  { name: 'Station 36', location: { lat: 37.771, lon: -122.42 }, detail: 'Fire station · 109 Oak St' },
  { name: 'Station 3', location: { lat: 37.772, lon: -122.42 }, detail: 'Fire station' },
  { name: 'General Hospital', location: { lat: 37.755, lon: -122.41 }, detail: 'Hospital' },
];

describe('street names', () => {
  it('reduces abbreviations, long forms, ordinals and leading zeros to one key', () => {
    expect(streetKey('MARKET ST')).toBe(streetKey('Market Street'));
    expect(streetKey('BALCETA AV')).toBe(streetKey('Balceta Avenue'));
    expect(streetKey('05TH ST')).toBe('5th st');
    expect(streetKey('Fifth Street')).toBe('5th st');
    expect(streetKey('Sunset BL')).toBe(streetKey('Sunset Blvd'));
    expect(canonicalToken('South')).toBe('s');
    expect(canonicalToken('22nd')).toBe('22nd');
  });

  it('counts a swap of two letters as one edit and gives up past the budget', () => {
    expect(editDistance('markte', 'market', 1)).toBe(1);
    expect(editDistance('mission', 'misson', 1)).toBe(1);
    expect(editDistance('abc', 'xyz', 1)).toBe(Infinity);
  });
});

describe('street index', () => {
  it('finds a street by the start of its name, case-insensitive, long streets first', () => {
    expect(streets.match('mai', 5).map((m) => m.street.name)).toEqual(['Main St', 'Mainsail Ln']);
    expect(streets.match('MAIN STREET', 5)[0]!.street.name).toBe('Main St');
    expect(streets.match('main stre', 5)[0]!.street.name).toBe('Main St');
  });

  it('tolerates a typo in a word but not in a number', () => {
    expect(streets.match('mian st', 5)[0]?.street.name).toBe('Main St');
    expect(streets.match('4th ave', 5)).toEqual([]);
    expect(streets.match('second avenue', 5)[0]?.street.name).toBe('2nd Ave');
  });

  it('tolerates a differing, missing or extra middle initial, and finds a long name by one distinctive word', () => {
    for (const q of ['Dr Carlton B Goodlett Pl', 'dr carlton goodlett pl', 'Dr Carlton P Goodlett Place', 'goodlett', 'carlton goodlett']) {
      expect(streets.match(q, 5)[0]?.street.name, q).toBe('Dr Carlton P Goodlett Pl');
    }
    expect(streets.match('Main B St', 5)[0]?.street.name).toBe('Main St');
    // The exact spelling still ranks first.
    const exact = streets.match('Dr Carlton P Goodlett Pl', 5)[0]!.score;
    expect(streets.match('Dr Carlton B Goodlett Pl', 5)[0]!.score).toBeGreaterThan(exact);
    // A short word is not looked for inside other names.
    expect(streets.match('pl', 5).map((m) => m.street.name)).toEqual([]);
  });

  it('finds a street without its leading direction', () => {
    expect(streets.match('van ness', 5)[0]?.street.name).toBe('S Van Ness Ave');
  });
});

describe('geometry', () => {
  it('finds where two lines cross and how far along a line a point lies', () => {
    expect(crossings(main, avenue(-122.43))).toEqual([{ lon: -122.43, lat: 37.77 }]);
    const on = projectOnLine(main, { lat: 37.7701, lon: -122.43 });
    expect(on.distanceM).toBeCloseTo(11, 0);
    expect(on.measure).toBeGreaterThan(1_700);
  });
});

describe('geocoder', () => {
  it('places an intersection where the two streets cross, whichever way it is written', () => {
    for (const q of ['Main St & 2nd Ave', 'main and 2nd', '2nd ave / main st', 'Main St at 2nd Ave', 'main @ 2nd']) {
      const [first] = geocoder.suggest(q, places, 5);
      expect(first, q).toMatchObject({ kind: 'intersection', precision: 'intersection' });
      expect(haversine(first!.location, { lat: 37.77, lon: -122.43 }), q).toBeLessThan(1);
    }
    expect(geocoder.suggest('main & 2nd', places, 5)[0]!.label).toBe('Main St & 2nd Ave');
  });

  it('joins two streets that stop a few metres short of each other', () => {
    const [first] = geocoder.suggest('Short Pl & Main St', places, 5);
    expect(first).toMatchObject({ kind: 'intersection' });
    expect(haversine(first!.location, { lat: 37.77, lon: -122.415 })).toBeLessThan(10);
  });

  it('puts a house number on its known block', () => {
    const [first] = geocoder.suggest('150 Main St', places, 5);
    expect(first).toMatchObject({ label: '150 Main St', kind: 'address', precision: 'block', location: { lat: 37.77, lon: -122.44 } });
  });

  it('interpolates a house number along the street between known blocks', () => {
    // 350 is halfway from the 100 block's middle (150) to the 500 block's (550).
    const [first] = geocoder.suggest('350 main street', places, 5);
    expect(first).toMatchObject({ label: '350 Main St', kind: 'address', precision: 'interpolated' });
    expect(haversine(first!.location, { lat: 37.77, lon: -122.42 })).toBeLessThan(5);
  });

  it('keeps the house number of "1 Dr Carlton B Goodlett Pl": mid-street on a short street with no known block', () => {
    const [first] = geocoder.suggest('1 Dr Carlton B Goodlett Pl', places, 5);
    expect(first).toMatchObject({ label: '1 Dr Carlton P Goodlett Pl', kind: 'address', precision: 'interpolated' });
    expect(haversine(first!.location, { lat: 37.7793, lon: -122.4193 })).toBeLessThan(150);
    expect(geocoder.suggest('Goodlett', places, 5)[0]).toMatchObject({ label: 'Dr Carlton P Goodlett Pl', kind: 'street' });
  });

  it('offers the street alone when the number cannot be placed', () => {
    const s = geocoder.suggest('40 2nd Ave', places, 5);
    expect(s.some((x) => x.kind === 'address')).toBe(false);
    expect(s[0]).toMatchObject({ label: '2nd Ave', kind: 'street', precision: 'street' });
  });

  it('finds places by any of their words, with what they are', () => {
    expect(geocoder.suggest('station 36', places, 5)[0]).toMatchObject({ label: 'Station 36', kind: 'place', precision: 'exact', detail: 'Fire station · 109 Oak St' });
    expect(matchPlaces(places, 'hosp gen', 5).map((m) => m.place.name)).toEqual(['General Hospital']);
    expect(matchPlaces(places, 'station 3', 5).map((m) => m.place.name)).toEqual(['Station 3', 'Station 36']);
  });

  it('answers at most the limit, without repeats, and nothing for blank text', () => {
    expect(geocoder.suggest('a', places, 2).length).toBeLessThanOrEqual(2);
    expect(geocoder.suggest('   ', places, 5)).toEqual([]);
    const labels = geocoder.suggest('main', places, 20).map((s) => `${s.kind}:${s.label}`);
    expect(new Set(labels).size).toBe(labels.length);
  });
});
