import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEido, eidoValidator } from '../src/interop/eido/eido-schema.ts';
import { createIncident, CIVIC_CENTER, expectError } from './support/api.ts';
import { registryFieldCount, registryViolations } from './support/eido-registries.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents are read as the JSON they are
type Doc = Record<string, any>;
const fixture = (name: string): Doc => JSON.parse(readFileSync(new URL(`fixtures/standards/nena-eido/${name}`, import.meta.url), 'utf8')) as Doc;
const OAKLAND = { lat: 37.8044, lon: -122.2712 };

/** A PIDF-LO point, as a phone or another centre would send it. */
const pidfPoint = ({ lat, lon }: { lat: number; lon: number }) =>
  '<?xml version="1.0" encoding="UTF-8"?><presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"' +
  ' xmlns:gml="http://www.opengis.net/gml" entity="pres:caller@example.org"><tuple id="loc"><status><gp:geopriv><gp:location-info>' +
  `<gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>${lat} ${lon}</gml:pos></gml:Point>` +
  '</gp:location-info><gp:usage-rules/></gp:geopriv></status></tuple></presence>';

/** The official NENA sample with its own $id and a geodetic position added to its caller location (it has a civic address only). */
function placedSample(externalId: string, where: { lat: number; lon: number } = CIVIC_CENTER): Doc {
  const doc = fixture('sample-call-transfer-eido.json');
  doc['$id'] = externalId;
  doc['locationComponent'][1] = { ...doc['locationComponent'][1], locationByValue: pidfPoint(where) };
  return doc;
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  // The test's own check compiles the schema once here; the server compiles its own on first use.
  eidoValidator();
}, 120_000);
afterAll(async () => t.close());

const incidentCount = async (): Promise<number> => (await t.request('GET', '/api/incidents?status=all&limit=1000')).body.incidents.length;

/** An incident of ours with two units on it, one on scene, and everything a call-taker may type. */
async function busyIncident([engine, medic]: [string, string]): Promise<string> {
  const id = await createIncident(t, {
    location: CIVIC_CENTER,
    address: '1 Dr Carlton B Goodlett Pl',
    floor: '2',
    access: 'Side door, code 4711',
    nature: 'structure_fire',
    priority: 1,
    callerName: 'Ana Ruiz',
    callbackNumber: '+1 415 555 0100',
    notes: 'Smoke from a 2nd floor window <seen by caller> & spreading',
  });
  expect((await t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: [engine, medic] })).status).toBe(200);
  expect((await t.request('POST', `/api/units/${engine}/status`, { status: 'en_route' })).status).toBe(200);
  expect((await t.request('POST', `/api/units/${engine}/status`, { status: 'on_scene' })).status).toBe(200);
  return id;
}

describe('GET /api/incidents/:id/eido', () => {
  it('gives the incident as an EIDO 1.0 document, valid against the official schema, every registry value from its registry', async () => {
    const id = await busyIncident(['E03', '53']);
    const res = await t.request('GET', `/api/incidents/${id}/eido`);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = res.body as Doc;
    expect(checkEido(doc)).toBeUndefined();
    expect(doc['eidoVersion']).toBe('1.0');
    expect(registryFieldCount(doc)).toBeGreaterThanOrEqual(12);
    expect(registryViolations(doc)).toEqual([]);
    expect(doc['incidentComponent']).toMatchObject({ incidentTypeCommonRegistryText: 'FSTRU', internalIncidentId: id, incidentCommonPriorityNumber: 1 });
    const units = (doc['emergencyResourceComponent'] as Doc[]).map((u) => [u['emergencyResourceName'], u['emergencyResourceTypeCommonRegistryText'], u['secondaryUnitStatusRegistryText']]);
    expect(units).toEqual(
      expect.arrayContaining([
        [expect.any(String), 'StructureFireEngineType1', ['OnScene']],
        [expect.any(String), 'GroundALSAmbulance', ['Dispatched']],
      ]),
    );
    // Local time with its offset (San Francisco is 7 or 8 hours behind UTC).
    expect(doc['lastUpdateTimeStamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[78]:00$/);
    expect(doc['locationComponent'][0]['locationByValue']).toContain(`<gml:pos>${CIVIC_CENTER.lat} ${CIVIC_CENTER.lon}</gml:pos>`);
  }, 60_000);

  it('gives the same $ids at every export of the incident', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'medical', priority: 2 });
    const first = (await t.request('GET', `/api/incidents/${id}/eido`)).body as Doc;
    expect((await t.request('PATCH', `/api/incidents/${id}`, { notes: 'now conscious' })).status).toBe(200);
    const second = (await t.request('GET', `/api/incidents/${id}/eido`)).body as Doc;
    expect(second['$id']).toBe(first['$id']);
    expect(second['incidentComponent']['$id']).toBe(first['incidentComponent']['$id']);
    expect(second['notesComponent'][0]['notesActionComments']).toBe('now conscious');
  });

  it('says which incident is unknown', async () => {
    expectError(await t.request('GET', '/api/incidents/NOPE/eido'), 404, 'UnknownIncident');
  });
});

describe('POST /api/eido', () => {
  it('round trip: an exported incident taken in as another centre\'s document gives the same incident', async () => {
    const id = await busyIncident(['E05', '55']);
    const doc = (await t.request('GET', `/api/incidents/${id}/eido`)).body as Doc;
    // As it would come from a neighbouring centre: their agency, their $id.
    const theirs = JSON.parse(JSON.stringify(doc).replaceAll('samaritan.invalid', 'psap.oakland.example')) as Doc;
    const res = await t.request('POST', '/api/eido', theirs);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ created: true, changed: true, source: 'psap.oakland.example', externalId: theirs['$id'] });
    expect(res.body.incidentId).not.toBe(id);
    expect(res.body.units).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ resourceType: 'StructureFireEngineType1', unitType: 'engine', status: 'on_scene' }),
        expect.objectContaining({ resourceType: 'GroundALSAmbulance', unitType: 'medic', status: 'dispatched' }),
      ]),
    );
    const original = (await t.request('GET', `/api/incidents/${id}`)).body;
    const copy = (await t.request('GET', `/api/incidents/${res.body.incidentId}`)).body;
    for (const k of ['location', 'address', 'floor', 'access', 'nature', 'priority', 'callerName', 'notes']) expect(copy[k], k).toEqual(original[k]);
    expect(copy.callbackNumber.replace(/\D/g, '')).toBe(original.callbackNumber.replace(/\D/g, ''));
    expect(copy).toMatchObject({ source: 'psap.oakland.example', externalId: theirs['$id'], status: 'received', assignments: [] });
    expect(copy).not.toHaveProperty('outsideServiceArea');
  }, 60_000);

  it('the same document again changes nothing (200, same incident); a later version updates it', async () => {
    const doc = placedSample('urn:emergency:uid:incidentid:repeat-1:bcf.state.pa.us');
    const first = await t.request('POST', '/api/eido', doc);
    expect(first.status, first.text).toBe(201);
    const count = await incidentCount();
    const again = await t.request('POST', '/api/eido', doc);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ incidentId: first.body.incidentId, created: false, changed: false });
    expect(await incidentCount()).toBe(count);
    const timeline = (await t.request('GET', `/api/incidents/${first.body.incidentId}`)).body;

    const moved = { lat: 37.7749, lon: -122.4194 };
    const later = placedSample('urn:emergency:uid:incidentid:repeat-1:bcf.state.pa.us', moved);
    later['lastUpdateTimeStamp'] = '2021-04-30T14:50:00.0-04:00';
    later['notesComponent'] = [{ $id: 'n1', lastUpdateTimeStamp: '2021-04-30T14:50:00-04:00', updatedByAgencyReference: { $ref: 'state.pa.us' }, notesActionComments: '<p>Caller now outside</p>' }];
    const update = await t.request('POST', '/api/eido', later);
    expect(update.status, update.text).toBe(200);
    expect(update.body).toMatchObject({ incidentId: first.body.incidentId, created: false, changed: true });
    const after = (await t.request('GET', `/api/incidents/${first.body.incidentId}`)).body;
    expect(after).toMatchObject({ location: moved, notes: 'Caller now outside', receivedAt: timeline.receivedAt });
    expect(await incidentCount()).toBe(count);
  }, 60_000);

  it('the same document delivered twice at once makes one incident', async () => {
    const doc = placedSample('urn:emergency:uid:incidentid:twice-1:bcf.state.pa.us');
    const [a, b] = await Promise.all([t.request('POST', '/api/eido', doc), t.request('POST', '/api/eido', doc)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.incidentId).toBe(b.body.incidentId);
  }, 60_000);

  it('a place outside the service area is taken in and marked, never refused', async () => {
    const res = await t.request('POST', '/api/eido', placedSample('urn:emergency:uid:incidentid:oakland-1:bcf.state.pa.us', OAKLAND));
    expect(res.status, res.text).toBe(201);
    expect(res.body.outsideServiceArea).toBe(true);
    const incident = (await t.request('GET', `/api/incidents/${res.body.incidentId}`)).body;
    expect(incident).toMatchObject({ location: OAKLAND, outsideServiceArea: true, source: 'state.pa.us', nature: 'other', callbackNumber: '8195551212' });
  }, 60_000);

  it('EidoLib\'s EidoWithJcard is refused, 422 InvalidDocument with the JSON path of every error, and nothing is created', async () => {
    const count = await incidentCount();
    const res = await t.request('POST', '/api/eido', fixture('eidolib-EidoWithJcard.json'));
    expectError(res, 422, 'InvalidDocument');
    const paths = (res.body.error.details.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/lastUpdateTimeStamp', '/callComponent/0/lastUpdateTimeStamp', '/agencyComponent/0/lastUpdateTimeStamp', '/personComponent/0/lastUpdateTimeStamp']),
    );
    expect(paths.length).toBeGreaterThanOrEqual(10);
    expect(await incidentCount()).toBe(count);
  }, 60_000);

  it('lists every error of a document with several, each with its path and message', async () => {
    const doc = placedSample('urn:emergency:uid:incidentid:bad-1:bcf.state.pa.us');
    doc['eidoVersion'] = '1.1';
    doc['callComponent'][0]['callStartTimestamp'] = 'half past two';
    delete doc['agencyComponent'];
    const res = await t.request('POST', '/api/eido', doc);
    expectError(res, 422, 'InvalidDocument');
    expect(res.body.error.details.errors).toEqual(
      expect.arrayContaining([
        { path: '/eidoVersion', message: 'must be one of "1.0"' },
        { path: '/callComponent/0/callStartTimestamp', message: 'must match format "date-time"' },
        { path: '/agencyComponent', message: 'is required' },
      ]),
    );
  });

  it('the official samples validate but cannot be placed (a civic address in Delaware only): 422 that says where', async () => {
    for (const name of ['sample-call-transfer-eido.json', 'eidolib-SampleCallTransferEido.json']) {
      const doc = fixture(name);
      expect(checkEido(doc), name).toBeUndefined();
      const res = await t.request('POST', '/api/eido', doc);
      expectError(res, 422, 'InvalidDocument');
      expect(res.body.error.details.errors).toEqual([expect.objectContaining({ path: '/locationComponent/0', message: expect.stringContaining('geodetic position') as string })]);
    }
  });

  it('a location that declares a DTD or entity is refused before it is read (XXE), with its path', async () => {
    const doc = placedSample('urn:emergency:uid:incidentid:xxe-1:bcf.state.pa.us');
    doc['locationComponent'][1]['locationByValue'] =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><presence xmlns="urn:ietf:params:xml:ns:pidf">&lol2;</presence>';
    const count = await incidentCount();
    const res = await t.request('POST', '/api/eido', doc);
    expectError(res, 400, 'XmlDoctypeRefused');
    expect(res.body.error.details).toEqual({ path: '/locationComponent/1/locationByValue' });
    expect(await incidentCount()).toBe(count);
  });

  it('what is not a document at all is a 4xx, never a 5xx', async () => {
    expectError(await t.request('POST', '/api/eido', [1, 2, 3]), 422, 'InvalidDocument');
    expectError(await t.request('POST', '/api/eido', { eidoVersion: '1.0' }), 422, 'InvalidDocument');
    const broken = await fetch(`${t.base}/api/eido`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.dispatcherToken}`, 'content-type': 'application/json' },
      body: '{"eidoVersion": "1.0",',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('MalformedJson');
    // EIDO is JSON: XML is refused as such, not validated as a document without fields.
    expectError(await t.request('POST', '/api/eido', '<eido/>', { 'content-type': 'application/xml' }), 415, 'UnsupportedMediaType');
  });

  it('an integration may read with incidents:read, and take in documents only with incidents:write', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'medical', priority: 2 });
    const reader = await t.token('integration', ['incidents:read']);
    const writer = await t.token('integration', ['incidents:write']);
    expect((await t.request('GET', `/api/incidents/${id}/eido`, undefined, { authorization: `Bearer ${reader}` })).status).toBe(200);
    const doc = placedSample('urn:emergency:uid:incidentid:integration-1:bcf.state.pa.us');
    expectError(await t.request('POST', '/api/eido', doc, { authorization: `Bearer ${reader}` }), 403, 'Forbidden');
    expect((await t.request('POST', '/api/eido', doc, { authorization: `Bearer ${writer}` })).status).toBe(201);
  }, 60_000);

  it('both routes are in /openapi.json', async () => {
    const paths = (await t.request('GET', '/openapi.json')).body.paths as Record<string, object>;
    expect(Object.keys(paths['/api/incidents/{id}/eido'] ?? {})).toContain('get');
    expect(Object.keys(paths['/api/eido'] ?? {})).toContain('post');
  });
});
