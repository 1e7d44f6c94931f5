import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/configuration.ts';
import { openSamaritan } from '../src/composition/samaritan.ts';
import { utcOffsetMinAt } from '../src/time/time-zone.ts';
import { aedUnusable, isOpenAt } from '../src/core/aed.ts';
import { epochMs } from '../src/core/ids.ts';
import { importAedCsv, importAedGeoJson } from '../src/interop/aed-import.ts';
import { formatOpeningHours, parseOpeningHours } from '../src/interop/opening-hours.ts';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, expectError } from './support/api.ts';
import { bearer } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** The AED registry (issue 5): the synthetic SF demo set, CSV and GeoJSON import, opening hours. */

const OPTIONS = { source: 'test', defaultTimeZone: 'America/Los_Angeles' };
const CSV = [
  'id,placeName,lat,lon,floor,access,hours,status',
  'lib-1,Main Library,37.7790,-122.4157,1,"Lobby, left of the security desk",Mo-Sa 09:00-20:00; Su 12:00-17:00,in_service',
  'gym-2,City Gym,37.7800,-122.4200,,,24/7,',
  'mall-3,Mall,37.7840,-122.4070,B1,Info desk,Mo-Fr 10:00-21:00,out_of_service',
].join('\n');
const GEOJSON = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      id: 'node/123',
      geometry: { type: 'Point', coordinates: [-122.4194, 37.7749] },
      // An OpenStreetMap export of emergency=defibrillator reads as it is.
      properties: { emergency: 'defibrillator', name: 'Civic Center BART', level: '-1', 'defibrillator:location': 'By the station agent booth', opening_hours: 'Mo-Fr 05:00-24:00; Sa 06:00-24:00; Su 08:00-24:00' },
    },
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [-122.41, 37.78] },
      properties: { id: 'hotel-9', placeName: 'Hotel', openingHours: { weekly: { mon: [{ from: '22:00', to: '06:00' }] } } },
    },
  ],
};

describe('opening hours (OSM opening_hours subset)', () => {
  it('reads 24/7, day ranges, lists, several windows, off days and windows past midnight', () => {
    expect(parseOpeningHours('24/7')).toEqual({ always: true, weekly: {} });
    expect(parseOpeningHours('Mo-Fr 08:00-12:00,13:00-17:00; Sa 09:00-13:00; Su off')).toEqual({
      weekly: {
        mon: [{ from: '08:00', to: '12:00' }, { from: '13:00', to: '17:00' }],
        tue: [{ from: '08:00', to: '12:00' }, { from: '13:00', to: '17:00' }],
        wed: [{ from: '08:00', to: '12:00' }, { from: '13:00', to: '17:00' }],
        thu: [{ from: '08:00', to: '12:00' }, { from: '13:00', to: '17:00' }],
        fri: [{ from: '08:00', to: '12:00' }, { from: '13:00', to: '17:00' }],
        sat: [{ from: '09:00', to: '13:00' }],
      },
    });
    expect(parseOpeningHours('Sa-Mo 22:00-02:00')).toEqual({
      weekly: { sat: [{ from: '22:00', to: '02:00' }], sun: [{ from: '22:00', to: '02:00' }], mon: [{ from: '22:00', to: '02:00' }] },
    });
    expect(parseOpeningHours('mon,wed 07:30-24:00')).toEqual({ weekly: { mon: [{ from: '07:30', to: '24:00' }], wed: [{ from: '07:30', to: '24:00' }] } });
    for (const bad of ['', 'always', 'Mo-Fr', 'Xx 08:00-17:00', 'Mo 8-17', 'Mo 08:00-08:00', 'Mo 25:00-26:00']) {
      expect(typeof parseOpeningHours(bad), bad).toBe('string');
    }
    expect(formatOpeningHours({ weekly: { mon: [{ from: '08:00', to: '17:00' }], sat: [{ from: '09:00', to: '13:00' }] } })).toBe('Mo 08:00-17:00; Sa 09:00-13:00');
    for (const text of ['Mo-Fr 08:00-12:00,13:00-17:00; Sa 09:00-13:00', '24/7', 'Tu-Th 22:00-02:00', 'Mo-Su 06:00-22:00']) {
      expect(formatOpeningHours(parseOpeningHours(text) as Exclude<ReturnType<typeof parseOpeningHours>, string>)).toBe(text);
    }
  });

  it('UTC offsets follow daylight saving, so 09:00 in San Francisco is 09:00 in winter and in summer', () => {
    expect(utcOffsetMinAt('America/Los_Angeles', Date.parse('2025-01-15T12:00:00Z'))).toBe(-480);
    expect(utcOffsetMinAt('America/Los_Angeles', Date.parse('2025-07-15T12:00:00Z'))).toBe(-420);
    const hours = { utcOffsetMin: -420, weekly: { tue: [{ from: '09:00', to: '17:00' }] } };
    expect(isOpenAt(hours, epochMs(Date.parse('2025-07-15T16:30:00Z'))).open).toBe(true); // Tue 09:30 PDT
    expect(isOpenAt(hours, epochMs(Date.parse('2025-07-15T15:30:00Z'))).open).toBe(false); // Tue 08:30 PDT
  });
});

describe('AED files', () => {
  it('CSV: every column read, defaults applied (in service, the default zone)', () => {
    const r = importAedCsv(CSV, OPTIONS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.records).toHaveLength(3);
    expect(r.records[0]).toEqual({
      id: 'lib-1',
      location: { lat: 37.779, lon: -122.4157 },
      placeName: 'Main Library',
      floor: '1',
      access: 'Lobby, left of the security desk',
      hours: expect.objectContaining({ weekly: expect.objectContaining({ sun: [{ from: '12:00', to: '17:00' }] }) }),
      timeZone: 'America/Los_Angeles',
      status: 'in_service',
      source: 'test',
      synthetic: false,
    });
    expect(r.records[1]).toMatchObject({ id: 'gym-2', hours: { always: true }, status: 'in_service' });
    expect(r.records[1]).not.toHaveProperty('floor');
    expect(r.records[2]).toMatchObject({ status: 'out_of_service', floor: 'B1' });
  });

  it('CSV: all problems at once, with line numbers and fields, and nothing taken', () => {
    const bad = [
      'id,name,latitude,longitude,hours,status',
      'a,Place A,37.7,-122.4,24/7,in_service',
      ',No id,37.7,-122.4,24/7,',
      'c,Place C,91,-122.4,Mo-Fr 08:00-17:00,',
      'd,Place D,37.7,-122.4,whenever,',
      'a,Place A again,37.7,-122.4,24/7,broken',
    ].join('\r\n');
    const r = importAedCsv(bad, OPTIONS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.row, p.field])).toEqual([
      [3, 'id'],
      [4, 'lat'],
      [5, 'hours'],
      [6, 'status'],
    ]);
    expect(importAedCsv('id,placeName\nx,y', OPTIONS)).toMatchObject({ ok: false, problems: [{ row: 1, message: expect.stringContaining('lat') }] });
    expect(importAedCsv('', OPTIONS).ok).toBe(false);
    const dup = importAedCsv('id,placeName,lat,lon,hours\nx,A,37.7,-122.4,24/7\nx,B,37.7,-122.4,24/7', OPTIONS);
    expect(dup).toMatchObject({ ok: false, problems: [{ row: 3, field: 'id', message: expect.stringContaining('twice') }] });
  });

  it('GeoJSON: OSM property names and the structured hours of GET /api/aeds; bad features named by index', () => {
    const r = importAedGeoJson(GEOJSON, OPTIONS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.records[0]).toMatchObject({ id: 'node/123', placeName: 'Civic Center BART', floor: '-1', access: 'By the station agent booth' });
    expect(r.records[1]).toMatchObject({ id: 'hotel-9', hours: { weekly: { mon: [{ from: '22:00', to: '06:00' }] } } });
    const broken = {
      type: 'FeatureCollection',
      features: [GEOJSON.features[0], { type: 'Feature', geometry: { type: 'LineString', coordinates: [] }, properties: {} }, 'nope'],
    };
    expect(importAedGeoJson(broken, OPTIONS)).toMatchObject({ ok: false, problems: [{ row: 1, field: 'geometry' }, { row: 2 }] });
    expect(importAedGeoJson({ type: 'Feature' }, OPTIONS).ok).toBe(false);
    expect(importAedGeoJson(null, OPTIONS).ok).toBe(false);
  });
});

describe('the AED registry over HTTP', () => {
  // Sunday 2025-06-01, 12:00 UTC = 05:00 in San Francisco.
  const clock = new ManualClock(Date.parse('2025-06-01T12:00:00Z'));
  let t: TestServer;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer({ clock });
    admin = bearer(await t.token('admin'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a new data dir has the synthetic SF demo set: 122 AEDs at fire stations (24/7) and health-care facilities', async () => {
    const res = await t.request('GET', '/api/aeds');
    expect(res.status, res.text).toBe(200);
    expect(res.body.count).toBe(122);
    expect(res.body.synthetic).toBe(122);
    const stations = res.body.aeds.filter((a: { id: string }) => a.id.startsWith('aed-fs-'));
    expect(stations).toHaveLength(44);
    expect(stations.every((a: { openNow: boolean; hoursText: string }) => a.openNow && a.hoursText === '24/7')).toBe(true);
    // At 05:00 on a Sunday the clinics are shut; hospitals are open.
    const clinics = res.body.aeds.filter((a: { id: string; hoursText: string }) => a.id.startsWith('aed-hc-') && a.hoursText !== '24/7');
    expect(clinics.length).toBeGreaterThan(50);
    expect(clinics.some((a: { openNow: boolean }) => a.openNow)).toBe(false);
    expect(res.body.aeds[0]).toMatchObject({ localTime: 'sun 05:00', synthetic: true, timeZone: 'America/Los_Angeles' });
    const file = JSON.parse(readFileSync(join(PROJECT_ROOT, 'data/sf/aeds-synthetic.geojson'), 'utf8'));
    expect(file.synthetic).toBe(true);
    expect(file.description).toMatch(/^SYNTHETIC DATA/);
  });

  it('?lat&lon&radiusM gives the nearest first with distances; the response engine gets core AEDs open or not', async () => {
    const res = await t.request('GET', `/api/aeds?lat=${CIVIC_CENTER.lat}&lon=${CIVIC_CENTER.lon}&radiusM=1500`);
    expect(res.body.count).toBeGreaterThan(0);
    const d = res.body.aeds.map((a: { distanceM: number }) => a.distanceM);
    expect(d).toEqual([...d].sort((a, b) => a - b));
    expect(d.at(-1)).toBeLessThanOrEqual(1500);
    expectError(await t.request('GET', `/api/aeds?lat=${CIVIC_CENTER.lat}`), 400, 'ValidationFailed');
    const core = t.app.aeds.aedsNear(CIVIC_CENTER, 1500);
    expect(core[0]!.openingHours.utcOffsetMin).toBe(-420);
    const options = core.map((aed) => ({ aed, toAedS: 60, toSceneS: 60 }));
    expect(options.some((o) => aedUnusable(o, epochMs(clock.now())) === undefined)).toBe(true);
  });

  it('POST /api/aeds/import takes text/csv (admins), adds and replaces by id, and audits the import', async () => {
    const res = await t.request('POST', '/api/aeds/import?source=city%20survey', CSV, { ...admin, 'content-type': 'text/csv' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ format: 'csv', created: 3, updated: 0, total: 125 });
    const again = await t.request('POST', '/api/aeds/import', CSV.replace('Main Library', 'Main Library (SFPL)'), { ...admin, 'content-type': 'text/csv; charset=utf-8' });
    expect(again.body).toEqual({ format: 'csv', created: 0, updated: 3, total: 125 });
    const lib = (await t.request('GET', '/api/aeds')).body.aeds.find((a: { id: string }) => a.id === 'lib-1');
    expect(lib).toMatchObject({ placeName: 'Main Library (SFPL)', synthetic: false, hoursText: 'Mo-Sa 09:00-20:00; Su 12:00-17:00' });
    const events = (await t.request('GET', '/api/events?after=0&limit=1000', undefined, admin)).body.events.filter((e: { type: string }) => e.type === 'AedsImported');
    expect(events.map((e: { data: unknown }) => e.data)).toEqual([
      { source: 'city survey', format: 'csv', created: 3, updated: 0, by: 'test-admin' },
      { source: 'upload by test-admin', format: 'csv', created: 0, updated: 3, by: 'test-admin' },
    ]);
  });

  it('POST /api/aeds/import takes GeoJSON as application/geo+json or application/json', async () => {
    const geo = await t.request('POST', '/api/aeds/import', JSON.stringify(GEOJSON), { ...admin, 'content-type': 'application/geo+json' });
    expect(geo.status, geo.text).toBe(200);
    expect(geo.body).toMatchObject({ format: 'geojson', created: 2 });
    const json = await t.request('POST', '/api/aeds/import', GEOJSON, admin);
    expect(json.body).toMatchObject({ format: 'geojson', created: 0, updated: 2 });
  });

  it('a file with problems is a 400 listing them, and imports nothing', async () => {
    const before = (await t.request('GET', '/api/aeds')).body.count as number;
    const head = (await t.request('GET', '/healthz')).body.head as number;
    const res = await t.request('POST', '/api/aeds/import', 'id,placeName,lat,lon,hours\nok,Fine,37.7,-122.4,24/7\nbad,Bad,abc,-122.4,24/7\n', { ...admin, 'content-type': 'text/csv' });
    expectError(res, 400, 'ValidationFailed');
    expect(res.body.error.details.problems).toEqual([{ row: 3, field: 'lat', message: expect.stringContaining('abc') }]);
    expectError(await t.request('POST', '/api/aeds/import', {}, admin), 400, 'ValidationFailed');
    expectError(await t.request('POST', '/api/aeds/import', '{"type":', { ...admin, 'content-type': 'application/geo+json' }), 400, 'MalformedJson');
    expectError(await t.request('POST', '/api/aeds/import', 'id,lat', { ...admin, 'content-type': 'text/plain' }), 415, 'UnsupportedMediaType');
    expect((await t.request('GET', '/api/aeds')).body.count).toBe(before);
    expect((await t.request('GET', '/healthz')).body.head).toBe(head);
  });

  it('staff read the registry; only admins import; volunteers and the public do neither', async () => {
    for (const role of ['call_taker', 'dispatcher', 'supervisor', 'admin'] as const) {
      expect((await t.request('GET', '/api/aeds', undefined, bearer(await t.token(role)))).status).toBe(200);
    }
    expectError(await t.request('GET', '/api/aeds', undefined, bearer(await t.token('volunteer'))), 403, 'Forbidden');
    expectError(await t.request('GET', '/api/aeds', undefined, { authorization: '' }), 401, 'Unauthenticated');
    expectError(await t.request('POST', '/api/aeds/import', CSV, { ...bearer(await t.token('supervisor')), 'content-type': 'text/csv' }), 403, 'Forbidden');
    expectError(await t.request('POST', '/api/aeds/import', CSV, { 'content-type': 'text/csv' }), 403, 'Forbidden');
  });
});

describe('samaritan import-aeds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samaritan-aeds-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/samaritan.js', 'import-aeds', ...args], { cwd: PROJECT_ROOT });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('imports a CSV file into a data dir; a bad file exits 1 listing its problems; a missing one exits 2', async () => {
    const csv = join(dir, 'aeds.csv');
    writeFileSync(csv, CSV);
    const data = join(dir, 'data');
    const ok = await run(csv, '--data-dir', data);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Imported 3 AEDs from .*aeds\.csv: 3 new, 0 replaced; the registry holds 3\./);
    const geo = join(dir, 'aeds.geojson');
    writeFileSync(geo, JSON.stringify(GEOJSON));
    expect((await run(geo, '--data-dir', data)).stdout).toMatch(/2 new, 0 replaced; the registry holds 5/);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'id,placeName,lat,lon,hours\nx,Somewhere,37.7,-122.4,sometimes\n');
    const refused = await run(bad, '--data-dir', data);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 2 hours');
    expect((await run(join(dir, 'missing.csv'), '--data-dir', data)).code).toBe(2);
    expect((await run(join(dir, 'aeds.txt'), '--data-dir', data)).code).toBe(2);

    // A data dir with its own registry does not get the demo set on the first serve.
    const app = await openSamaritan({ dataDir: data });
    try {
      expect(app.aeds.size).toBe(5);
      expect(app.aeds.all().some((a) => a.synthetic)).toBe(false);
    } finally {
      await app.close();
    }
  });
});
