import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { validateEmsi } from '../src/interop/emsi/emsi-schema.ts';
import { createIncident, CIVIC_CENTER } from './support/api.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const XSD = read('../schemas/emsi/EMSI.xsd');
const EXAMPLES = ['EMSI-Complet-DC-RDC-OPG-message', 'EMSI-OPG-message', 'EMSI-RDC-message', 'emsi-DC-message'];

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.close());

/** A raw request, for bodies and Accept headers other than JSON. */
async function send(method: string, path: string, body: string | Buffer | undefined, headers: Record<string, string>) {
  const res = await fetch(`${t.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${t.dispatcherToken}`, ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: json as any };
}
const postXml = (xml: string | Buffer) => send('POST', '/api/emsi', xml, { 'content-type': 'application/xml' });
const incidentCount = async (): Promise<number> => (await t.request('GET', '/api/incidents?status=all&limit=1000')).body.incidents.length;

/** An incident of ours with two units on it, one on scene. */
async function busyIncident([engine, truck]: [string, string]): Promise<string> {
  const id = await createIncident(t, {
    location: CIVIC_CENTER, address: '1 Dr Carlton B Goodlett Pl', nature: 'structure_fire', priority: 1, notes: 'Smoke on the 2nd floor',
  });
  expect((await t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: [engine, truck] })).status).toBe(200);
  expect((await t.request('POST', `/api/units/${engine}/status`, { status: 'en_route' })).status).toBe(200);
  expect((await t.request('POST', `/api/units/${engine}/status`, { status: 'on_scene' })).status).toBe(200);
  return id;
}

describe('GET /api/incidents/:id/emsi', () => {
  it('gives the incident as EMSI JSON valid against the official schema, and XML valid against the XSD', async () => {
    const id = await busyIncident(['E02', 'T02']);
    const json = await t.request('GET', `/api/incidents/${id}/emsi`);
    expect(json.status).toBe(200);
    expect(validateEmsi(json.body.emsi)).toEqual([]);
    expect(json.body.emsi.RESOURCE.map((r: { ID: string; STATUS: string }) => [r.ID, r.STATUS])).toEqual([['E02', 'IN_USE/ON_SCENE'], ['T02', 'RESRVD']]);

    const xml = await send('GET', `/api/incidents/${id}/emsi`, undefined, { accept: 'application/xml' });
    expect(xml.status).toBe(200);
    expect(xml.type).toMatch(/^application\/xml/);
    const checked = await validateXML({ xml: [{ fileName: 'incident.xml', contents: xml.text }], schema: [{ fileName: 'EMSI.xsd', contents: XSD }] });
    expect(checked.errors).toEqual([]);
  });

  it('says which incident is unknown', async () => {
    expect((await t.request('GET', '/api/incidents/NOPE/emsi')).body.error.code).toBe('UnknownIncident');
  });
});

describe('POST /api/emsi', () => {
  for (const name of EXAMPLES) {
    it(`imports the official ${name} from JSON, then the same message from XML changes nothing`, async () => {
      const json = JSON.parse(read(`fixtures/standards/emsi/examples/${name}.json`)) as { emsi: Record<string, unknown> };
      // Each example is its own document: the four share an EVENT/ID, so each is given its own.
      const eventId = `${name}-event`;
      const message = { emsi: { ...json.emsi, EVENT: { ...(json.emsi['EVENT'] as object), ID: eventId } } };
      const first = await t.request('POST', '/api/emsi', message);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ created: true, externalId: eventId });
      const incident = await t.request('GET', `/api/incidents/${first.body.incidentId}`);
      expect(incident.body).toMatchObject({ source: first.body.source, externalId: eventId, outsideServiceArea: true });

      const xml = read(`fixtures/standards/emsi/examples/${name}.xml`).replace(/<EVENT>\s*<ID>[^<]*<\/ID>/, `<EVENT><ID>${eventId}</ID>`);
      const again = await postXml(xml);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ...first.body, created: false, changed: false });
    });
  }

  it('round-trips through JSON: export, import as another centre, the same incident', async () => {
    const id = await busyIncident(['E03', 'T03']);
    const exported = (await t.request('GET', `/api/incidents/${id}/emsi`)).body.emsi;
    const fromElsewhere = { ...exported, CONTEXT: { ...exported.CONTEXT, ORIGIN: { ORG_ID: 'fr.fire.cgo690', NAME: 'CGO 69' } } };
    const imported = await t.request('POST', '/api/emsi', { emsi: fromElsewhere });
    expect(imported.status).toBe(201);
    const [original, copy] = await Promise.all([t.request('GET', `/api/incidents/${id}`), t.request('GET', `/api/incidents/${imported.body.incidentId}`)]);
    for (const key of ['location', 'address', 'nature', 'priority', 'notes']) expect(copy.body[key]).toEqual(original.body[key]);
    expect(copy.body.source).toBe('emsi:fr.fire.cgo690');
  });

  it('round-trips through XML, and a later version of the document updates the incident', async () => {
    const id = await busyIncident(['E05', 'T05']);
    const xml = (await send('GET', `/api/incidents/${id}/emsi`, undefined, { accept: 'application/xml' })).text.replace(
      /<ORG_ID>samaritan<\/ORG_ID>/g,
      '<ORG_ID>fr.health.samu690</ORG_ID>',
    );
    const imported = await postXml(xml);
    expect(imported.status).toBe(201);
    const [original, copy] = await Promise.all([t.request('GET', `/api/incidents/${id}`), t.request('GET', `/api/incidents/${imported.body.incidentId}`)]);
    for (const key of ['location', 'address', 'nature', 'priority', 'notes']) expect(copy.body[key]).toEqual(original.body[key]);

    const later = await postXml(xml.replace('Smoke on the 2nd floor', 'Fire through the roof'));
    expect(later.body).toMatchObject({ incidentId: imported.body.incidentId, created: false, changed: true });
    expect((await t.request('GET', `/api/incidents/${imported.body.incidentId}`)).body.notes).toBe('Fire through the roof');
  });

  it('refuses an invalid message with 422 and every error with its path, writing nothing', async () => {
    const before = await incidentCount();
    const res = await t.request('POST', '/api/emsi', { emsi: { CONTEXT: { MODE: 'LIVE', MSGTYPE: 'ALERT' }, EVENT: { ID: 'x', CERTAINTY: 'high' }, EXTRA: 1 } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('InvalidDocument');
    expect(res.body.error.details.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/CONTEXT/ID', '/CONTEXT/MODE', '/EVENT/CERTAINTY', '/EXTRA']);
    const xml = await postXml('<emsi xmlns="urn:emergency:eda:1.9:emsi"><CONTEXT><ID>a</ID><MODE>ACTUAL</MODE><MSGTYPE>ALERT</MSGTYPE></CONTEXT><EVENT><ID>b</ID></EVENT></emsi>');
    expect(xml.status).toBe(422);
    expect(xml.body.error.details.errors).toEqual([expect.objectContaining({ path: '/EVENT/EGEO' })]);
    expect(await incidentCount()).toBe(before);
  });

  it('refuses XXE, the billion laughs, a DOCTYPE after a comment and one in UTF-16 with 400, writing nothing', async () => {
    const before = await incidentCount();
    const attacks = [
      read('fixtures/standards/xml/external-entity.xml'),
      read('fixtures/standards/xml/xee.cap'),
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><emsi xmlns="urn:emergency:eda:1.9:emsi">&lol2;</emsi>',
      '\uFEFF<!-- x --><!DOCTYPE emsi SYSTEM "http://127.0.0.1:9/x.dtd"><emsi xmlns="urn:emergency:eda:1.9:emsi"/>',
    ];
    for (const xml of attacks) {
      const res = await postXml(xml);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('XmlDoctypeRefused');
    }
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><emsi>&x;</emsi>', 'utf16le')]);
    expect((await postXml(utf16)).body.error.code).toBe('XmlDoctypeRefused');
    expect(await incidentCount()).toBe(before);
  });

  it('refuses XML that is not well formed or not EMSI with a 4xx, and a call without the right to write', async () => {
    expect((await postXml('<emsi><CONTEXT></emsi>')).body.error.code).toBe('MalformedXml');
    expect((await postXml('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>')).body.error).toMatchObject({ code: 'InvalidDocument' });
    const reader = await t.token('admin');
    const denied = await send('POST', '/api/emsi', '<emsi/>', { 'content-type': 'application/xml', authorization: `Bearer ${reader}` });
    expect(denied.status).toBe(403);
  });
});
