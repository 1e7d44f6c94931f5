import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceOutside } from '../src/core/service-area.ts';
import { graphHull } from '../src/routing/graph-hull.ts';
import { CIVIC_CENTER, createIncident, expectError } from './support/api.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const NULL_ISLAND = { lat: 0, lon: 0 };
const OAKLAND = { lat: 37.8044, lon: -122.2712 };
/** In the bay off Pier 22½, 300 m east of Station 35, Fireboat 3's home. */
const OFF_PIER_22 = { lat: 37.78942, lon: -122.38404 };

describe('the service area, water units and unit types over HTTP', () => {
  let t: TestServer;
  let supervisor: Record<string, string>;
  let callTaker: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer();
    supervisor = { authorization: `Bearer ${await t.token('supervisor')}` };
    callTaker = { authorization: `Bearer ${await t.token('call_taker')}` };
  });
  afterAll(async () => {
    await t.close();
  });

  it('the service area is the hull of the road graph the product loads, with a 1 km buffer', () => {
    expect(t.app.serviceArea.bufferM).toBe(1000);
    expect(t.app.serviceArea.polygon).toEqual(graphHull(t.app.router.graph));
    const g = t.app.router.graph;
    for (let v = 0; v < g.nodeLat.length; v += 97) expect(distanceOutside(t.app.serviceArea, { lat: g.nodeLat[v]!, lon: g.nodeLon[v]! })).toBe(0);
  });

  it('an incident at (0, 0) or in Oakland is refused with 422 OutsideServiceArea and its distance to the area', async () => {
    const far = await t.request('POST', '/api/incidents', { location: NULL_ISLAND, nature: 'medical' });
    expectError(far, 422, 'OutsideServiceArea');
    expect(far.body.error.details.distanceM).toBeGreaterThan(12_000_000);
    const oakland = await t.request('POST', '/api/incidents', { location: OAKLAND, nature: 'medical' });
    expectError(oakland, 422, 'OutsideServiceArea');
    expect(oakland.body.error.details).toMatchObject({ distanceM: expect.any(Number), bufferM: 1000 });
    expect(oakland.body.error.details.distanceM).toBeGreaterThan(1000);
    expect(oakland.body.error.details.distanceM).toBeLessThan(10_000);
    expect(oakland.body.error.message).toContain('"outsideServiceArea": "accept"');
  });

  it('an incident in central San Francisco is received and not marked outside', async () => {
    const res = await t.request('POST', '/api/incidents', { location: CIVIC_CENTER, nature: 'medical' });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('outsideServiceArea');
  });

  it('a supervisor logs an incident in Oakland with "outsideServiceArea": "accept"; it reads as outside', async () => {
    const res = await t.request('POST', '/api/incidents', { location: OAKLAND, nature: 'medical', outsideServiceArea: 'accept' }, supervisor);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ outsideServiceArea: true, location: OAKLAND });
    const read = await t.request('GET', `/api/incidents/${res.body.id as string}`);
    expect(read.body.outsideServiceArea).toBe(true);
    expect(read.body.timeline[0].summary).toContain('outside the service area');
    const listed = (await t.request('GET', '/api/incidents')).body.incidents.find((i: { id: string }) => i.id === res.body.id);
    expect(listed.outsideServiceArea).toBe(true);
  });

  it('a dispatcher or call-taker who sends "outsideServiceArea": "accept" is refused 403, even for a place inside', async () => {
    expectError(await t.request('POST', '/api/incidents', { location: OAKLAND, nature: 'medical', outsideServiceArea: 'accept' }), 403, 'Forbidden');
    expectError(
      await t.request('POST', '/api/incidents', { location: CIVIC_CENTER, nature: 'medical', outsideServiceArea: 'accept' }, callTaker),
      403,
      'Forbidden',
    );
    expectError(await t.request('POST', '/api/incidents', { location: CIVIC_CENTER, nature: 'medical', outsideServiceArea: 'yes' }, supervisor), 400, 'ValidationFailed');
  });

  it('moving an incident to Oakland is refused; a supervisor may move it there, and back, and the mark follows', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'medical' });
    expectError(await t.request('PATCH', `/api/incidents/${id}`, { location: OAKLAND }), 422, 'OutsideServiceArea');
    const moved = await t.request('PATCH', `/api/incidents/${id}`, { location: OAKLAND, outsideServiceArea: 'accept' }, supervisor);
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.outsideServiceArea).toBe(true);
    const back = await t.request('PATCH', `/api/incidents/${id}`, { location: CIVIC_CENTER });
    expect(back.status).toBe(200);
    expect(back.body).not.toHaveProperty('outsideServiceArea');
  });

  it('a water rescue off Pier 22½: Fireboat 3 goes by water, a straight line at its own speed, with the reason', async () => {
    const id = await createIncident(t, { location: OFF_PIER_22, nature: 'water_rescue' });
    const r = (await t.request('GET', `/api/incidents/${id}/recommendation`)).body;
    const boat = r.candidates.find((c: { unitId: string }) => c.unitId === 'FB3');
    // 300 m at 5 m/s after a 120 s turnout (config/unit-types.json).
    expect(boat).toMatchObject({ fills: 'water_rescue', by: 'water', turnoutS: 120, from: 'Station 35' });
    expect(boat.distanceM).toBeGreaterThan(280);
    expect(boat.distanceM).toBeLessThan(320);
    expect(boat.travelS).toBe(Math.round(boat.distanceM / 5));
    expect(boat.reason).toMatch(/from Station 35 by water \(straight line\)$/);
    for (const c of r.candidates.filter((x: { unitId: string }) => x.unitId !== 'FB3')) expect(c.by).toBe('road');
  });

  it('an engine on scene cannot go transporting or at_hospital (422 StatusNotAllowedForUnitType); a medic can', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'cardiac_arrest' });
    expect((await t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E03', '52'] })).status).toBe(200);
    for (const unit of ['E03', '52']) {
      for (const status of ['en_route', 'on_scene']) expect((await t.request('POST', `/api/units/${unit}/status`, { status })).status).toBe(200);
    }
    for (const status of ['transporting', 'at_hospital']) {
      const res = await t.request('POST', '/api/units/E03/status', { status });
      expectError(res, 422, 'StatusNotAllowedForUnitType');
      expect(res.body.error.details).toMatchObject({ unitId: 'E03', unitType: 'engine', status });
    }
    expect((await t.request('GET', '/api/units/E03')).body.status).toBe('on_scene');
    const transporting = await t.request('POST', '/api/units/52/status', { status: 'transporting' });
    expect(transporting.status).toBe(200);
    expect(transporting.body.status).toBe('transporting');
  });
});
