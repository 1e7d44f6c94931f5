import { gunzipSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haversine } from '../src/core/lat-lon.ts';
import { expectError } from './support/api.ts';
import { bearer } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** A GET with our own headers and the raw bytes back (fetch would gunzip the body itself). */
function rawGet(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('geocoding and the basemap over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  const geocode = async (q: string, limit?: number) => {
    const res = await t.request('GET', `/api/geocode?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`);
    expect(res.status, res.text).toBe(200);
    return res.body.suggestions as { label: string; kind: string; location: { lat: number; lon: number }; precision: string; detail?: string }[];
  };

  it('places "Market St & 5th St" where the two streets cross, in any spelling', async () => {
    for (const q of ['Market St & 5th St', 'market and 5th', 'Market Street / Fifth Street']) {
      const [first] = await geocode(q);
      expect(first, q).toMatchObject({ label: 'Market St & 5th St', kind: 'intersection', precision: 'intersection' });
      // The published crossing of the two centrelines (PROVENANCE: 37.783965, -122.408051).
      expect(haversine(first!.location, { lat: 37.783965, lon: -122.408051 }), q).toBeLessThan(15);
    }
  });

  it('puts a house number on its block from the calls, or between known blocks', async () => {
    const [onBlock] = await geocode('35 Balceta Ave');
    // The calls file has "0 Block of BALCETA AVE" at this point.
    expect(onBlock).toMatchObject({ label: '35 Balceta Ave', kind: 'address', precision: 'block', location: { lat: 37.745859, lon: -122.456664 } });
    const [between] = await geocode('1400 Market St');
    expect(between).toMatchObject({ label: '1400 Market St', kind: 'address', precision: 'interpolated' });
    // Between the 1300 and 1500 blocks, on Market Street near Van Ness.
    expect(haversine(between!.location, { lat: 37.7765, lon: -122.4177 })).toBeLessThan(150);
  });

  it('finds "1 Dr Carlton B Goodlett Pl" (TIGER writes P) as an address at City Hall, and "Goodlett" as the street', async () => {
    const [first] = await geocode('1 Dr Carlton B Goodlett Pl');
    expect(first).toMatchObject({ label: '1 Dr Carlton P Goodlett Pl', kind: 'address' });
    expect(['block', 'interpolated']).toContain(first!.precision);
    expect(haversine(first!.location, { lat: 37.7793, lon: -122.4193 })).toBeLessThan(150);
    expect((await geocode('Goodlett'))[0]).toMatchObject({ label: 'Dr Carlton P Goodlett Pl', kind: 'street' });
  });

  it('finds streets by the start of the name and with a typo, major streets first', async () => {
    expect((await geocode('mark'))[0]).toMatchObject({ label: 'Market St', kind: 'street', precision: 'street' });
    expect((await geocode('Mision Street'))[0]!.label).toBe('Mission St');
  });

  it('finds stations, hospitals and AED sites by name', async () => {
    expect((await geocode('station 36'))[0]).toMatchObject({ label: 'Station 36', kind: 'place', precision: 'exact' });
    expect((await geocode('general hospital'))[0]).toMatchObject({ label: 'San Francisco General Hospital', kind: 'place' });
    const aeds = (await geocode('station 1', 20)).filter((s) => s.detail?.startsWith('AED'));
    expect(aeds.length).toBeGreaterThan(0);
  });

  it('answers at most limit suggestions, and refuses a blank query, a big limit and a volunteer', async () => {
    expect((await geocode('st', 3)).length).toBeLessThanOrEqual(3);
    expect((await geocode('zzzzqqq')).length).toBe(0);
    expectError(await t.request('GET', '/api/geocode?q='), 400, 'ValidationFailed');
    expectError(await t.request('GET', '/api/geocode?q=market&limit=21'), 400, 'ValidationFailed');
    const signed = await t.request('POST', '/api/volunteers', { name: 'V', phone: '+14155550100', locationConsent: true }, { authorization: '' });
    expectError(await t.request('GET', '/api/geocode?q=market', undefined, bearer(signed.body.token)), 403, 'WrongCredentialKind');
  });

  it('serves the street network as gzipped GeoJSON with an ETag and a private day-long cache', async () => {
    const headers = { authorization: `Bearer ${t.dispatcherToken}`, 'accept-encoding': 'gzip' };
    const res = await rawGet(t.base, '/api/map/streets', headers);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('private, max-age=86400');
    expect(res.body.length).toBeLessThan(1_500_000);
    const fc = JSON.parse(gunzipSync(res.body).toString('utf8'));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBeGreaterThan(3_000);
    for (const f of fc.features.slice(0, 200)) {
      expect(f.geometry.type).toBe('LineString');
      expect(['major', 'minor']).toContain(f.properties.kind);
      for (const [lon, lat] of f.geometry.coordinates) {
        expect(Math.round(lon * 1e5) / 1e5).toBe(lon);
        expect(Math.round(lat * 1e5) / 1e5).toBe(lat);
      }
    }
    expect(fc.features.some((f: { properties: { kind: string } }) => f.properties.kind === 'major')).toBe(true);
    const etag = String(res.headers['etag']);
    expect((await rawGet(t.base, '/api/map/streets', { ...headers, 'if-none-match': etag })).status).toBe(304);
    const plain = await rawGet(t.base, '/api/map/streets', { authorization: headers.authorization });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString('utf8')).features.length).toBe(fc.features.length);
    expectError(await t.request('GET', '/api/map/streets', undefined, { authorization: '' }), 401, 'Unauthenticated');
  });

  it('gives the tile URL only when one is configured, and an attribution always', async () => {
    const none = await t.request('GET', '/api/map/config');
    expect(none.body).toEqual({ attribution: 'Streets: Source: U.S. Census Bureau, TIGER/Line Shapefiles 2017' });
    process.env['SAMARITAN_TILE_URL'] = 'https://tiles.example.org/{z}/{x}/{y}.png';
    try {
      const set = await t.request('GET', '/api/map/config');
      expect(set.body).toMatchObject({ tileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png', attribution: expect.any(String) });
    } finally {
      delete process.env['SAMARITAN_TILE_URL'];
    }
  });
});
