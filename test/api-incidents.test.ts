import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, createIncident } from './support/api.ts';
import { CITY_HALL_CARDIAC_ARREST, startTestServer, type TestServer } from './support/server.ts';

/** Every route the API serves, as Fastify registered it. */
const API_ROUTES: readonly [string, string][] = [
  ['GET', '/healthz'],
  ['GET', '/api/stations'],
  ['GET', '/api/natures'],
  ['POST', '/api/incidents'],
  ['GET', '/api/incidents'],
  ['GET', '/api/incidents/:id'],
  ['PATCH', '/api/incidents/:id'],
  ['GET', '/api/incidents/:id/recommendation'],
  ['POST', '/api/incidents/:id/dispatch'],
  ['POST', '/api/incidents/:id/cancel'],
  ['POST', '/api/incidents/:id/resolve'],
  ['POST', '/api/incidents/:id/close'],
  ['POST', '/api/incidents/:id/merge'],
  ['GET', '/api/units'],
  ['GET', '/api/units/:id'],
  ['POST', '/api/units/:id/status'],
  ['POST', '/api/units/:id/position'],
  ['POST', '/api/positions'],
  ['GET', '/api/events'],
  ['GET', '/api/stream'],
  ['POST', '/api/stream/ticket'],
  ['POST', '/api/session'],
  ['GET', '/api/session'],
  ['DELETE', '/api/session'],
  ['POST', '/api/tokens'],
  ['GET', '/api/tokens'],
  ['DELETE', '/api/tokens/:id'],
  ['POST', '/api/users'],
  ['GET', '/api/users'],
  ['PATCH', '/api/users/:id'],
  ['POST', '/api/volunteers'],
  ['GET', '/api/volunteers'],
  ['GET', '/api/volunteers/me'],
  ['PATCH', '/api/volunteers/me'],
  ['DELETE', '/api/volunteers/me'],
  ['POST', '/api/volunteers/me/qualifications'],
  ['POST', '/api/volunteers/me/position'],
  ['GET', '/api/volunteers/:id'],
  ['POST', '/api/volunteers/:id/qualifications/:kind/verify'],
  ['GET', '/api/aeds'],
  ['POST', '/api/aeds/import'],
  ['GET', '/api/volunteers/me/alerts'],
  ['POST', '/api/volunteers/me/alerts/:alertId/accept'],
  ['POST', '/api/volunteers/me/alerts/:alertId/decline'],
  ['POST', '/api/volunteers/me/alerts/:alertId/arrived'],
  ['POST', '/api/volunteers/me/alerts/:alertId/seen'],
  ['GET', '/api/volunteers/me/push-subscription'],
  ['POST', '/api/volunteers/me/push-subscription'],
  ['GET', '/api/volunteers/me/stream'],
  ['GET', '/api/incidents/:id/volunteers'],
  ['GET', '/api/incidents/nearby'],
  ['GET', '/api/geocode'],
  ['GET', '/api/map/streets'],
  ['GET', '/api/map/config'],
  ['POST', '/api/volunteers/me/stream/ticket'],
  ['POST', '/api/volunteers/me/enrolment-code'],
  ['POST', '/api/volunteers/enrol'],
  ['GET', '/api/volunteers/push-key'],
  ['GET', '/api/incidents/:id/emsi'],
  ['POST', '/api/emsi'],
  ['GET', '/api/geojson/incidents'],
  ['GET', '/api/geojson/units'],
  ['GET', '/api/geojson/stations'],
  ['GET', '/api/geojson/aeds'],
  ['POST', '/api/aml'],
  ['GET', '/api/aml'],
  ['GET', '/api/reports/intervals'],
  ['GET', '/api/reports/intervals.csv'],
  ['GET', '/api/reports/charts/:chart'],
  ['GET', '/api/incidents/:id/cap'],
  ['GET', '/api/cap/warnings/:id'],
  ['GET', '/api/cap/feed'],
  ['POST', '/api/incidents/:id/public-warning'],
  ['POST', '/api/incidents/:id/public-warning/withdraw'],
  ['GET', '/api/incidents/:id/eido'],
  ['POST', '/api/eido'],
  ['GET', '/api/partners'],
  ['POST', '/api/incidents/:id/handover'],
  ['POST', '/api/partners/:partnerId/incidents'],
];

/** Full paths and methods from Fastify's printRoutes tree ("├── /api/units (GET, HEAD)", nested by 4 columns). */
function registeredRoutes(tree: string): [string, string][] {
  const stack: string[] = [];
  const out: [string, string][] = [];
  for (const line of tree.split('\n')) {
    const m = /^(.*?)[├└]── (\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    for (const method of m[3]!.split(', ')) if (method !== 'HEAD') out.push([method, stack.join('')]);
  }
  return out;
}

const KEYS_OF_AN_INCIDENT = [
  'id',
  'status',
  'nature',
  'priority',
  'location',
  'address',
  'floor',
  'access',
  'callerName',
  'callbackNumber',
  'notes',
  'receivedAt',
  'statusChangedAt',
  'source',
  'externalId',
  'mergedInto',
  'duplicates',
  'callerLocation',
  'assignments',
  'timeline',
];

describe('incidents API over HTTP on a real SQLite file', () => {
  const clock = new ManualClock();
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /healthz answers 200 {status: ok} with the head of the log', async () => {
    const res = await t.request('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.head).toBeGreaterThan(0);
  });

  it('GET /openapi.json is an OpenAPI 3 document listing every /api route the server really serves', async () => {
    const registered = registeredRoutes(t.server.printRoutes({ commonPrefix: false }));
    const served = registered.filter(([, path]) => path.startsWith('/api') || path === '/healthz');
    expect(served.map((r) => r.join(' ')).sort()).toEqual(API_ROUTES.map((r) => r.join(' ')).sort());

    const res = await t.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info.title).toEqual(expect.any(String));
    expect(doc.info.version).toEqual(expect.any(String));
    for (const [method, path] of API_ROUTES) {
      const openapiPath = path.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[openapiPath]?.[method.toLowerCase()];
      expect(op, `${method} ${openapiPath} in the OpenAPI document`).toBeDefined();
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      for (const param of openapiPath.match(/\{\w+\}/g) ?? []) {
        const name = param.slice(1, -1);
        expect(op.parameters).toContainEqual(expect.objectContaining({ in: 'path', name, required: true }));
      }
    }
    const documented = Object.keys(doc.paths).filter((p) => p.startsWith('/api'));
    expect(documented.sort()).toEqual(
      [...new Set(API_ROUTES.map(([, p]) => p.replace(/:(\w+)/g, '{$1}')))].filter((p) => p.startsWith('/api')).sort(),
    );
    const create = doc.paths['/api/incidents'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(expect.arrayContaining(['location', 'nature']));
  });

  it('GET /docs serves the Swagger UI page', async () => {
    const res = await t.request('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain('swagger-ui');
  });

  it('POST /api/incidents answers 201 with a Location header, status received and a timeline', async () => {
    const res = await t.request('POST', '/api/incidents', CITY_HALL_CARDIAC_ARREST);
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/incidents/${res.body.id}`);
    expect(res.body).toMatchObject({
      status: 'received',
      nature: 'cardiac_arrest',
      priority: 1,
      location: CITY_HALL_CARDIAC_ARREST.location,
    });
    expect(res.body.receivedAt).toBe(new Date(clock.now()).toISOString());
    expect(res.body.timeline).toHaveLength(1);
    expect(res.body.timeline[0]).toMatchObject({
      type: 'IncidentReceived',
      at: res.body.receivedAt,
      summary: expect.stringContaining('cardiac arrest'),
    });
    const fetched = await t.request('GET', res.headers.get('location')!);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(res.body);
  });

  it('an incident id reads I<yymmdd>-<6 Crockford base-32 characters> of the day it was received', async () => {
    const ids = await Promise.all([1, 2, 3].map(() => createIncident(t, { location: CIVIC_CENTER, nature: 'odor' })));
    for (const id of ids) expect(id).toMatch(/^I250601-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{6}$/);
    expect(new Set(ids).size).toBe(3);
  });

  it('without a priority an incident takes its nature’s default priority from the response plan; a given one wins', async () => {
    const natures = (await t.request('GET', '/api/natures')).body.natures as { nature: string; defaultPriority: number }[];
    const planned = (n: string) => natures.find((x) => x.nature === n)!.defaultPriority;
    for (const [nature, expected] of [
      ['smoke_investigation', 3],
      ['medical', 2],
      ['fall_from_height', 1],
    ] as const) {
      expect(planned(nature)).toBe(expected);
      const id = await createIncident(t, { location: CIVIC_CENTER, nature });
      expect((await t.request('GET', `/api/incidents/${id}`)).body.priority).toBe(expected);
    }
    const given = await createIncident(t, { location: CIVIC_CENTER, nature: 'smoke_investigation', priority: 1 });
    expect((await t.request('GET', `/api/incidents/${given}`)).body.priority).toBe(1);
  });

  it('the optional details of a call are kept and returned as given', async () => {
    const details = {
      location: CIVIC_CENTER,
      nature: 'medical',
      address: '1 Dr Carlton B Goodlett Pl',
      floor: '2',
      access: 'north door',
      callerName: 'Ada',
      callbackNumber: '+1 (415) 555-0100',
      notes: 'conscious, breathing',
    };
    const id = await createIncident(t, details);
    expect((await t.request('GET', `/api/incidents/${id}`)).body).toMatchObject(details);
  });

  it('GET /api/incidents/:id returns id, status, nature, location and timeline, and only incident fields', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'alarm' });
    await t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E03'] });
    const res = await t.request('GET', `/api/incidents/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'dispatched', nature: 'alarm', location: CIVIC_CENTER });
    expect(res.body.timeline.map((e: { type: string }) => e.type)).toEqual([
      'IncidentReceived',
      'UnitsDispatched',
      'IncidentStatusChanged',
      'UnitStatusChanged',
    ]);
    for (const key of Object.keys(res.body)) expect(KEYS_OF_AN_INCIDENT).toContain(key);
    for (const e of res.body.timeline)
      expect(e).toEqual(
        expect.objectContaining({
          seq: expect.any(Number),
          at: expect.any(String),
          type: expect.any(String),
          summary: expect.any(String),
        }),
      );
  });

  it('GET /api/incidents lists open incidents only by default, newest first, and ?limit caps the list', async () => {
    clock.advance(60_000);
    const older = await createIncident(t, { location: CIVIC_CENTER, nature: 'odor' });
    clock.advance(1_000);
    const newer = await createIncident(t, { location: CIVIC_CENTER, nature: 'odor' });
    const cancelled = await createIncident(t, { location: CIVIC_CENTER, nature: 'odor' });
    expect((await t.request('POST', `/api/incidents/${cancelled}/cancel`, {})).status).toBe(200);

    const open = (await t.request('GET', '/api/incidents')).body.incidents as {
      id: string;
      status: string;
      receivedAt: string;
    }[];
    const ids = open.map((i) => i.id);
    expect(ids).toContain(older);
    expect(ids).not.toContain(cancelled);
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
    for (const i of open) expect(['received', 'dispatched', 'en_route', 'on_scene']).toContain(i.status);
    const received = open.map((i) => i.receivedAt);
    expect(received).toEqual([...received].sort().reverse());

    const limited = await t.request('GET', '/api/incidents?limit=2');
    expect(limited.status).toBe(200);
    expect(limited.body.incidents.map((i: { id: string }) => i.id)).toEqual(ids.slice(0, 2));
  });

  it('?status=all lists every incident and ?status=closed,cancelled only closed and cancelled ones', async () => {
    const open = await createIncident(t, { location: CIVIC_CENTER, nature: 'odor' });
    const cancelled = await createIncident(t, { location: CIVIC_CENTER, nature: 'odor' });
    await t.request('POST', `/api/incidents/${cancelled}/cancel`, { reason: 'caller hung up' });
    const closed = await createIncident(t, { location: CIVIC_CENTER, nature: 'odor' });
    await t.request('POST', `/api/incidents/${closed}/resolve`, {});
    expect((await t.request('POST', `/api/incidents/${closed}/close`, {})).status).toBe(200);

    const all = (await t.request('GET', '/api/incidents?status=all')).body.incidents.map((i: { id: string }) => i.id);
    expect(all).toEqual(expect.arrayContaining([open, cancelled, closed]));
    const finished = (await t.request('GET', '/api/incidents?status=closed,cancelled')).body.incidents as {
      id: string;
      status: string;
    }[];
    expect(finished.map((i) => i.id)).toEqual(expect.arrayContaining([cancelled, closed]));
    expect(finished.map((i) => i.id)).not.toContain(open);
    for (const i of finished) expect(['closed', 'cancelled']).toContain(i.status);
  });

  it('PATCH /api/incidents/:id changes only the given fields and the timeline records the update', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'medical', address: 'Civic Center Plaza' });
    clock.advance(1_000);
    const res = await t.request('PATCH', `/api/incidents/${id}`, { nature: 'cardiac_arrest', priority: 1, floor: '3' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      nature: 'cardiac_arrest',
      priority: 1,
      floor: '3',
      address: 'Civic Center Plaza',
      location: CIVIC_CENTER,
    });
    const last = res.body.timeline.at(-1);
    expect(last).toMatchObject({
      type: 'IncidentDetailsUpdated',
      data: { changes: { nature: 'cardiac_arrest', priority: 1, floor: '3' } },
    });
    expect(last.summary).toBe('Details updated: nature, priority, floor');
    expect((await t.request('GET', `/api/incidents/${id}`)).body).toEqual(res.body);
  });

  it('the recommendation for a cardiac arrest at City Hall names Station 36’s E36 and medic 53 with ETA, distance and reason', async () => {
    const id = await createIncident(t, CITY_HALL_CARDIAC_ARREST);
    const res = await t.request('GET', `/api/incidents/${id}/recommendation`);
    expect(res.status).toBe(200);
    const rec = res.body;
    expect(rec).toMatchObject({ incidentId: id, nature: 'cardiac_arrest', shortfalls: [] });
    expect(rec.plan).toEqual([
      { capability: 'engine', count: 1 },
      { capability: 'als', count: 1 },
    ]);
    expect(rec.candidates.map((c: { unitId: string; fills: string }) => [c.unitId, c.fills]).sort()).toEqual([
      ['53', 'als'],
      ['E36', 'engine'],
    ]);
    for (const c of rec.candidates) {
      expect(c).toMatchObject({ stationId: '36', status: 'available', from: 'Station 36' });
      expect(c.etaS).toBeGreaterThan(0);
      expect(c.etaS).toBe(c.turnoutS + c.travelS);
      expect(c.distanceM).toBeGreaterThan(0);
      expect(c.reason).toMatch(new RegExp(`^fastest available ${c.fills}: .* from Station 36$`));
    }
    const etas = rec.candidates.map((c: { etaS: number }) => c.etaS);
    expect(etas).toEqual([...etas].sort((a, b) => a - b));
  });

  it('the recommendation for a fall from height reports a rescue shortfall while both rescue squads are busy', async () => {
    const fall = await createIncident(t, { location: CIVIC_CENTER, nature: 'fall_from_height' });
    const before = (await t.request('GET', `/api/incidents/${fall}/recommendation`)).body;
    expect(before.shortfalls).toEqual([]);
    expect(before.candidates.find((c: { fills: string }) => c.fills === 'rescue').unitId).toMatch(/^RS[12]$/);

    const collapse = await createIncident(t, { location: { lat: 37.7749, lon: -122.4094 }, nature: 'confined_space_collapse' });
    expect((await t.request('POST', `/api/incidents/${collapse}/dispatch`, { unitIds: ['RS1', 'RS2'] })).status).toBe(200);
    const during = (await t.request('GET', `/api/incidents/${fall}/recommendation`)).body;
    expect(during.candidates.map((c: { fills: string }) => c.fills).sort()).toEqual(['als', 'ladder']);
    expect(during.shortfalls).toEqual([
      {
        capability: 'rescue',
        needed: 1,
        assigned: 0,
        recommended: 0,
        missing: 1,
        noneInFleet: false,
        others: { busy: 2, outOfService: 0, forOtherNeeds: 0, noRoute: 0 },
        reason: 'every other unit with rescue is busy (2)',
      },
    ]);

    await t.request('POST', `/api/incidents/${collapse}/cancel`, {});
    expect((await t.request('GET', `/api/incidents/${fall}/recommendation`)).body.shortfalls).toEqual([]);
  });

  it('cancel stands down every unit still committed to the incident and records the reason', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'traffic_collision' });
    await t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E02', '54'] });
    const res = await t.request('POST', `/api/incidents/${id}/cancel`, { reason: 'no patient found' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect(res.body.assignments.map((a: { active: boolean }) => a.active)).toEqual([false, false]);
    expect(res.body.timeline.map((e: { summary: string }) => e.summary)).toContain('Incident cancelled (no patient found)');
    for (const unit of ['E02', '54']) expect((await t.request('GET', `/api/units/${unit}`)).body.status).toBe('available');
  });

  it('resolve then close: a resolved incident whose units have cleared closes', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'alarm' });
    const resolved = await t.request('POST', `/api/incidents/${id}/resolve`, { reason: 'false alarm' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    const closed = await t.request('POST', `/api/incidents/${id}/close`, {});
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.timeline.map((e: { summary: string }) => e.summary).slice(-2)).toEqual([
      'Incident resolved (false alarm)',
      'Incident closed (closed by dispatcher)',
    ]);
  });

  it('merge cancels the duplicate as a duplicate of the target, and the target lists it', async () => {
    const target = await createIncident(t, { location: CIVIC_CENTER, nature: 'structure_fire' });
    const duplicate = await createIncident(t, { location: CIVIC_CENTER, nature: 'outside_fire' });
    const res = await t.request('POST', `/api/incidents/${duplicate}/merge`, { into: target });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: duplicate, status: 'cancelled', mergedInto: target });
    expect(res.body.timeline.map((e: { summary: string }) => e.summary)).toEqual(
      expect.arrayContaining([`Merged into ${target} as a duplicate`, `Incident cancelled (duplicate of ${target})`]),
    );
    const t2 = (await t.request('GET', `/api/incidents/${target}`)).body;
    expect(t2).toMatchObject({ status: 'received', duplicates: [duplicate] });
    // The response engine writes to the target's timeline too, at its own pace: look for the entry, not its place.
    expect(t2.timeline.map((e: { summary: string }) => e.summary)).toContain(`Duplicate ${duplicate} merged in`);
  });
});
