import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/time/clock.ts';
import { createIncident, expectError } from './support/api.ts';
import { geojsonProblems, geojsonSchema, semanticProblems } from './support/geojson-check.ts';
import { CITY_HALL_CARDIAC_ARREST, startTestServer, type TestServer } from './support/server.ts';

const VALID = join(import.meta.dirname, 'fixtures', 'standards', 'geojson', 'valid');
const LAYERS = ['incidents', 'units', 'stations', 'aeds'] as const;

/** San Francisco and its airport: longitude about -122.5 to -122.3, latitude about 37.6 to 37.85. */
const inSanFrancisco = ([lon, lat]: number[]) => lon! > -122.6 && lon! < -122.3 && lat! > 37.55 && lat! < 37.9;

describe('the GeoJSON checks themselves', () => {
  it('accept every valid sample of geojson/schema that was copied', () => {
    const dirs = readdirSync(VALID);
    expect(dirs.length).toBeGreaterThan(0);
    for (const dir of dirs) {
      for (const f of readdirSync(join(VALID, dir))) {
        expect(geojsonProblems(readFileSync(join(VALID, dir, f), 'utf8')), `${dir}/${f}`).toEqual([]);
      }
    }
  });

  it('refuse what RFC 7946 forbids: a crs member, latitude first, an open ring, a clockwise exterior ring', () => {
    const point = (coordinates: number[]) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates } });
    expect(semanticProblems({ type: 'FeatureCollection', features: [], crs: { type: 'name' } })).toEqual(['a crs member (RFC 7946 §4 removed it)']);
    // Latitude first puts San Francisco's -122.4 in the latitude: out of range.
    expect(semanticProblems({ type: 'FeatureCollection', features: [point([37.78, -122.42])] })).toEqual([
      '/features/0: latitude -122.42 out of range',
    ]);
    const ring = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
    expect(semanticProblems({ type: 'Polygon', coordinates: [ring] })).toEqual([]);
    expect(semanticProblems({ type: 'Polygon', coordinates: [[...ring].reverse()] })).toEqual([': ring 0 breaks the right-hand rule']);
    expect(semanticProblems({ type: 'Polygon', coordinates: [ring.slice(0, 4)] })).toContain(': ring 0 is not closed');
    // The schema and check-geojson see structure: a Feature without geometry fails both.
    expect(geojsonSchema()({ type: 'Feature', properties: {} })).toBe(false);
    expect(geojsonProblems('{"type":"Feature","properties":{}}').some((p) => p.startsWith('check-geojson'))).toBe(true);
  });
});

describe('GET /api/geojson/{incidents,units,stations,aeds}', () => {
  const clock = new ManualClock();
  let t: TestServer;
  let open: string;
  let cancelled: string;

  beforeAll(async () => {
    t = await startTestServer({ clock });
    open = await createIncident(t, { ...CITY_HALL_CARDIAC_ARREST, callerName: 'Ada Caller', callbackNumber: '+1 415 555 0199', notes: 'second floor' });
    cancelled = await createIncident(t, { location: { lat: 37.7599, lon: -122.4148 }, nature: 'structure_fire', priority: 2, address: '2000 Mission St' });
    expect((await t.request('POST', `/api/incidents/${cancelled}/cancel`, { reason: 'caller hung up, nothing found' })).status).toBe(200);
  }, 60_000);
  afterAll(async () => t.close());

  for (const layer of LAYERS) {
    it(`${layer}: a valid RFC 7946 FeatureCollection of Points in San Francisco, [lon, lat], with ids`, async () => {
      const res = await t.request('GET', `/api/geojson/${layer}`);
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
      expect(geojsonProblems(res.text)).toEqual([]);
      expect(res.body.type).toBe('FeatureCollection');
      expect(res.body.features.length).toBeGreaterThan(0);
      const ids = new Set<string>();
      for (const f of res.body.features) {
        expect(f.geometry.type).toBe('Point');
        expect(inSanFrancisco(f.geometry.coordinates), JSON.stringify(f.geometry)).toBe(true);
        expect(typeof f.id).toBe('string');
        ids.add(f.id);
        expect(f.properties.kind).toBe(layer.slice(0, -1));
      }
      expect(ids.size).toBe(res.body.features.length);
    });
  }

  it('incidents: the open ones by default, ?status= for others, and never the caller or the door code', async () => {
    const res = await t.request('GET', '/api/geojson/incidents');
    expect(res.body.features.map((f: { id: string }) => f.id)).toEqual([open]);
    const [f] = res.body.features;
    expect(f.geometry.coordinates).toEqual([CITY_HALL_CARDIAC_ARREST.location.lon, CITY_HALL_CARDIAC_ARREST.location.lat]);
    expect(f.properties).toMatchObject({ status: 'received', nature: 'cardiac_arrest', priority: 1, address: CITY_HALL_CARDIAC_ARREST.address, floor: '4' });
    for (const secret of ['Ada Caller', '555 0199', 'door code', 'second floor']) expect(res.text).not.toContain(secret);

    const cancelledOnly = await t.request('GET', '/api/geojson/incidents?status=cancelled');
    expect(cancelledOnly.body.features.map((x: { id: string }) => x.id)).toEqual([cancelled]);
    const all = await t.request('GET', '/api/geojson/incidents?status=all');
    expect(all.body.features.map((x: { id: string }) => x.id).sort()).toEqual([open, cancelled].sort());
    expect(geojsonProblems(all.text)).toEqual([]);
    expectError(await t.request('GET', '/api/geojson/incidents?status=received,burning'), 400, 'ValidationFailed');
  });

  it('units are drawn at their station until a fix arrives, then at the fix', async () => {
    const before = await t.request('GET', '/api/geojson/units');
    const [first] = before.body.features;
    expect(first.properties.positionSource).toBe('station');
    const fix = { lat: 37.7801, lon: -122.4102 };
    expect((await t.request('POST', `/api/units/${first.id}/position`, fix)).status).toBeLessThan(300);
    const after = await t.request('GET', '/api/geojson/units');
    const moved = after.body.features.find((f: { id: string }) => f.id === first.id);
    expect(moved.geometry.coordinates).toEqual([fix.lon, fix.lat]);
    expect(moved.properties.positionSource).toBe('live');
  });

  it('stations list their units; AEDs leave out their access notes', async () => {
    const stations = await t.request('GET', '/api/geojson/stations');
    expect(stations.body.features.some((f: { properties: { units: string[] } }) => f.properties.units.length > 0)).toBe(true);
    const aeds = await t.request('GET', '/api/geojson/aeds');
    for (const f of aeds.body.features) expect(Object.keys(f.properties)).not.toContain('access');
  });

  it('is read by whoever may read the same data: an integration needs the scope', async () => {
    const none = await t.token('integration', []);
    const reader = await t.token('integration', ['incidents:read']);
    expectError(await t.request('GET', '/api/geojson/incidents', undefined, { authorization: `Bearer ${none}` }), 403, 'Forbidden');
    expect((await t.request('GET', '/api/geojson/incidents', undefined, { authorization: `Bearer ${reader}` })).status).toBe(200);
    expectError(await t.request('GET', '/api/geojson/units', undefined, { authorization: `Bearer ${reader}` }), 403, 'Forbidden');
  });
});
