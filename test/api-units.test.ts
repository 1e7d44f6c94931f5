import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, createIncident } from './support/api.ts';
import { startTestServer, type TestServer } from './support/server.ts';

interface Unit {
  id: string;
  name: string;
  unitType: string;
  capabilities: string[];
  stationId: string;
  status: string;
  incidentId?: string;
  position?: { location: { lat: number; lon: number }; at: string };
  livePosition?: { lat: number; lon: number; at: string; stale: boolean };
}

/** About 1.1 m of latitude per 0.00001 degree: a GPS jitter. */
const A_FEW_METRES = 0.00003;
/** 0.0027 degrees of latitude is about 300 m. */
const ABOUT_300_M = 0.0027;

describe('units, stations and natures over HTTP on a real SQLite file', () => {
  const clock = new ManualClock();
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const unit = async (id: string): Promise<Unit> => (await t.request('GET', `/api/units/${id}`)).body as Unit;
  const positionEvents = async (unitId: string) => {
    const res = await t.request('GET', '/api/events?after=0&limit=1000');
    return (res.body.events as { type: string; stream: string; at: string; data: { location: unknown } }[]).filter(
      (e) => e.type === 'UnitPositionRecorded' && e.stream === `unit-${unitId}`,
    );
  };

  it('GET /api/units lists the whole San Francisco fleet, every unit available at its station', async () => {
    const res = await t.request('GET', '/api/units');
    expect(res.status).toBe(200);
    const units = res.body.units as Unit[];
    expect(units).toHaveLength(167);
    expect(new Set(units.map((u) => u.id)).size).toBe(167);
    expect(units.map((u) => u.id)).toEqual(expect.arrayContaining(['E36', 'T03', 'RS1', 'RS2', '53', 'FB3']));
    for (const u of units)
      expect(u).toMatchObject({ status: 'available', name: expect.any(String), stationId: expect.any(String) });
  });

  it('GET /api/units/:id returns one unit with its type, capabilities and station', async () => {
    const res = await t.request('GET', '/api/units/E36');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'E36', name: 'Engine 36', unitType: 'engine', stationId: '36', status: 'available' });
    expect(res.body.capabilities).toEqual(expect.arrayContaining(['engine']));
    expect((await unit('RS1')).capabilities).toContain('rescue');
  });

  it('GET /api/stations lists the 44 stations, including 35 and 51 placed by hand', async () => {
    const res = await t.request('GET', '/api/stations');
    expect(res.status).toBe(200);
    const stations = res.body.stations as { id: string; name: string; address: string; location: { lat: number; lon: number } }[];
    expect(stations).toHaveLength(44);
    const ids = stations.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['1', '35', '36', '51']));
    expect(ids).not.toContain('47');
    for (const s of stations) {
      expect(s.location.lat).toBeGreaterThan(37.6);
      expect(s.location.lat).toBeLessThan(37.85);
      expect(s.location.lon).toBeGreaterThan(-122.55);
      expect(s.location.lon).toBeLessThan(-122.35);
    }
    expect(stations.find((s) => s.id === '51')!.address).toContain('Lincoln');
  });

  it('GET /api/natures lists every nature with its default priority and the units its plan needs', async () => {
    const res = await t.request('GET', '/api/natures');
    expect(res.status).toBe(200);
    expect(res.body.version).toEqual(expect.any(Number));
    const natures = res.body.natures as {
      nature: string;
      label: string;
      defaultPriority: number;
      units: { capability: string; count: number }[];
    }[];
    expect(natures.map((n) => n.nature)).toEqual(
      expect.arrayContaining(['cardiac_arrest', 'medical', 'structure_fire', 'fall_from_height', 'other']),
    );
    for (const n of natures) {
      expect([1, 2, 3]).toContain(n.defaultPriority);
      expect(n.label).toEqual(expect.any(String));
      expect(n.units.length).toBeGreaterThan(0);
    }
    expect(natures.find((n) => n.nature === 'fall_from_height')!.units).toContainEqual({ capability: 'rescue', count: 1 });
  });

  it('POST /api/incidents/:id/dispatch makes the incident dispatched and commits each unit to it', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'cardiac_arrest' });
    clock.advance(5_000);
    const res = await t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E36', '53'] });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('dispatched');
    const at = new Date(clock.now()).toISOString();
    const byUnit = (a: { unitId: string }, b: { unitId: string }) => a.unitId.localeCompare(b.unitId);
    expect([...res.body.assignments].sort(byUnit)).toEqual([
      { unitId: '53', status: 'dispatched', active: true, dispatchedAt: at },
      { unitId: 'E36', status: 'dispatched', active: true, dispatchedAt: at },
    ]);
    for (const u of ['E36', '53'])
      expect(await unit(u)).toMatchObject({ status: 'dispatched', incidentId: id, statusChangedAt: at });
    const rec = (await t.request('GET', `/api/incidents/${id}/recommendation`)).body;
    expect([...rec.assigned].sort(byUnit)).toEqual([
      { unitId: '53', fills: 'als' },
      { unitId: 'E36', fills: 'engine' },
    ]);
    expect(rec.candidates).toEqual([]);
  });

  it('a unit en route moves its incident to en_route, on scene to on_scene, and the timeline shows each change', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'alarm' });
    await t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E01'] });

    clock.advance(60_000);
    const enRoute = await t.request('POST', '/api/units/E01/status', { status: 'en_route' });
    expect(enRoute.status).toBe(200);
    expect(enRoute.body).toMatchObject({ id: 'E01', status: 'en_route', incidentId: id });
    const afterEnRoute = (await t.request('GET', `/api/incidents/${id}`)).body;
    expect(afterEnRoute.status).toBe('en_route');
    expect(afterEnRoute.assignments[0]).toMatchObject({
      unitId: 'E01',
      status: 'en_route',
      active: true,
      enRouteAt: new Date(clock.now()).toISOString(),
    });

    clock.advance(240_000);
    expect((await t.request('POST', '/api/units/E01/status', { status: 'on_scene', reason: 'arrived' })).status).toBe(200);
    const afterOnScene = (await t.request('GET', `/api/incidents/${id}`)).body;
    expect(afterOnScene.status).toBe('on_scene');
    expect(afterOnScene.assignments[0]).toMatchObject({ status: 'on_scene', onSceneAt: new Date(clock.now()).toISOString() });
    expect(afterOnScene.timeline.map((e: { summary: string }) => e.summary)).toEqual([
      'Received: alarm, priority 2',
      'Dispatched E01',
      'Incident dispatched (units dispatched)',
      'E01 dispatched',
      'E01 en route',
      'Incident en route (E01 en route)',
      'E01 on scene (arrived)',
      'Incident on scene (E01 on scene)',
    ]);
    const seqs = afterOnScene.timeline.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('a whole call: units clear after resolve, the incident closes and the units are free for the next call', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'medical' });
    await t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['55'] });
    for (const status of ['en_route', 'on_scene', 'transporting', 'at_hospital']) {
      clock.advance(30_000);
      expect((await t.request('POST', '/api/units/55/status', { status })).status).toBe(200);
    }
    expect((await t.request('GET', `/api/incidents/${id}`)).body.status).toBe('on_scene');
    expect((await t.request('POST', `/api/incidents/${id}/resolve`, {})).status).toBe(200);
    expect((await t.request('POST', `/api/incidents/${id}/close`, {})).body.error.code).toBe('IncidentHasActiveUnits');

    clock.advance(30_000);
    const free = await t.request('POST', '/api/units/55/status', { status: 'available' });
    expect(free.status).toBe(200);
    expect(free.body.status).toBe('available');
    expect(free.body.incidentId).toBeUndefined();
    const resolved = (await t.request('GET', `/api/incidents/${id}`)).body;
    expect(resolved.status).toBe('resolved');
    expect(resolved.assignments[0]).toMatchObject({
      status: 'available',
      active: false,
      clearedAt: new Date(clock.now()).toISOString(),
    });

    const closed = await t.request('POST', `/api/incidents/${id}/close`, {});
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    const next = await createIncident(t, { location: CIVIC_CENTER, nature: 'medical' });
    expect((await t.request('POST', `/api/incidents/${next}/dispatch`, { unitIds: ['55'] })).status).toBe(200);
  });

  it('a unit can go out of service and back, with no incident', async () => {
    const out = await t.request('POST', '/api/units/T19/status', { status: 'out_of_service', reason: 'pump fault' });
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ id: 'T19', status: 'out_of_service' });
    expect((await t.request('POST', '/api/units/T19/status', { status: 'available' })).body.status).toBe('available');
  });

  it('POST /api/units/:id/position answers 202 and the live position shows in GET /api/units at once', async () => {
    const res = await t.request('POST', '/api/units/E10/position', { lat: 37.7801, lon: -122.4502 });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ unitId: 'E10', accepted: true, recorded: true });
    const listed = ((await t.request('GET', '/api/units')).body.units as Unit[]).find((u) => u.id === 'E10')!;
    expect(listed.livePosition).toEqual({ lat: 37.7801, lon: -122.4502, at: new Date(clock.now()).toISOString(), stale: false });
    expect(listed.position).toEqual({ location: { lat: 37.7801, lon: -122.4502 }, at: new Date(clock.now()).toISOString() });
  });

  it('positions are sampled: a fix 1 s later a few metres away is not logged, a fix 300 m away is, at most one every 5 s', async () => {
    const start = { lat: 37.764, lon: -122.433 };
    expect((await t.request('POST', '/api/units/E12/position', start)).body.recorded).toBe(true);
    expect(await positionEvents('E12')).toHaveLength(1);

    clock.advance(1_000);
    const jitter = { lat: start.lat + A_FEW_METRES, lon: start.lon };
    const second = await t.request('POST', '/api/units/E12/position', jitter);
    expect(second.status).toBe(202);
    expect(second.body.recorded).toBe(false);
    expect(await positionEvents('E12')).toHaveLength(1);
    expect((await unit('E12')).livePosition).toMatchObject({ ...jitter, at: new Date(clock.now()).toISOString() });

    clock.advance(1_000);
    const moved = { lat: start.lat + ABOUT_300_M, lon: start.lon };
    // 300 m on, but 2 s after the last logged fix: a burst from the feed, not logged yet...
    expect((await t.request('POST', '/api/units/E12/position', moved)).body.recorded).toBe(false);
    expect(await positionEvents('E12')).toHaveLength(1);
    clock.advance(3_000);
    // ...5 s after it (DEFAULT_SAMPLING.minIntervalMs), it is.
    const third = await t.request('POST', '/api/units/E12/position', moved);
    expect(third.body.recorded).toBe(true);
    const logged = await positionEvents('E12');
    expect(logged).toHaveLength(2);
    expect(logged[1]).toMatchObject({ at: new Date(clock.now()).toISOString(), data: { location: moved } });
  });

  it('a position fix stamped with its own time is logged at that time, not the time it arrived', async () => {
    const at = new Date(clock.now() - 20_000).toISOString();
    const res = await t.request('POST', '/api/units/E14/position', { lat: 37.79, lon: -122.44, at });
    expect(res.status).toBe(202);
    expect((await positionEvents('E14'))[0]!.at).toBe(at);
    expect((await unit('E14')).livePosition!.at).toBe(at);
  });

  it('a fresh live position is where the recommendation measures a unit from', async () => {
    const farAway = { lat: 37.7101, lon: -122.4601 };
    await t.request('POST', '/api/units/E28/position', farAway);
    const id = await createIncident(t, { location: { lat: farAway.lat + 0.0001, lon: farAway.lon }, nature: 'odor' });
    const rec = (await t.request('GET', `/api/incidents/${id}/recommendation`)).body;
    expect(rec.candidates[0]).toMatchObject({ unitId: 'E28', from: 'its last position (available)', turnoutS: 0 });
  });
});
