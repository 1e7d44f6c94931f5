import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import type { IncidentState } from '../../core/incident.ts';
import type { UnitState } from '../../core/unit.ts';
import { NATURE_TO_ETYPE } from './emsi-codes.ts';
import { validateEmsi } from './emsi-schema.ts';
import { emsiFromXml, emsiToXml } from './emsi-xml.ts';
import { fromEmsi } from './from-emsi.ts';
import { toEmsi } from './to-emsi.ts';

const root = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
const XSD = read('schemas/emsi/EMSI.xsd');
const EXAMPLES = ['EMSI-Complet-DC-RDC-OPG-message', 'EMSI-OPG-message', 'EMSI-RDC-message', 'emsi-DC-message'];

async function xsdErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'message.xml', contents: xml }], schema: [{ fileName: 'EMSI.xsd', contents: XSD }] });
  return result.errors.map((e) => e.rawMessage);
}

const unit = (id: string, unitType: string, name: string): UnitState => ({
  id, name, unitType, capabilities: unitType === 'medic' ? ['als', 'transport'] : ['engine', 'pump'], stationId: 'S1', status: 'en_route', statusChangedAt: '2026-03-01T10:02:00.000Z',
});

const incident: IncidentState = {
  id: 'I260301-ABC123',
  status: 'on_scene',
  details: { location: { lat: 37.7793, lon: -122.4193 }, address: '1 Dr Carlton B Goodlett Pl', nature: 'structure_fire', priority: 1, notes: 'Smoke from the 2nd floor & <roof>' },
  receivedAt: '2026-03-01T10:00:00.000Z',
  statusChangedAt: '2026-03-01T10:06:00.000Z',
  duplicates: [],
  assignments: {
    E1: { unitId: 'E1', status: 'on_scene', active: true, dispatchedAt: '2026-03-01T10:01:00.000Z', onSceneAt: '2026-03-01T10:06:00.000Z' },
    M7: { unitId: 'M7', status: 'en_route', active: true, dispatchedAt: '2026-03-01T10:01:30.000Z' },
  },
};
const units = new Map([['E1', unit('E1', 'engine', 'Engine 1')], ['M7', unit('M7', 'medic', 'Medic 7')]]);
const options = { orgId: 'us.ca.sf.samaritan', orgName: 'Samaritan SF', messageId: 'I260301-ABC123-v9', now: '2026-03-01T10:07:00.000Z', units };

describe('the official EMSI examples', () => {
  for (const name of EXAMPLES) {
    it(`${name}: the JSON is valid against the schema and imports`, () => {
      const message = (JSON.parse(read(`test/fixtures/standards/emsi/examples/${name}.json`)) as { emsi: Record<string, unknown> }).emsi;
      expect(validateEmsi(message)).toEqual([]);
      const imported = fromEmsi(message);
      expect(imported.ok).toBe(true);
    });

    it(`${name}: the XML is valid against the XSD and reads as the same message as the JSON`, async () => {
      const xml = read(`test/fixtures/standards/emsi/examples/${name}.xml`);
      expect(await xsdErrors(xml)).toEqual([]);
      const fromXml = emsiFromXml(xml);
      if (!fromXml.ok) throw new Error(fromXml.code);
      expect(validateEmsi(fromXml.message)).toEqual([]);
      const json = (JSON.parse(read(`test/fixtures/standards/emsi/examples/${name}.json`)) as { emsi: Record<string, unknown> }).emsi;
      expect(fromEmsi(fromXml.message)).toEqual(fromEmsi(json));
    });
  }

  it('the complete example places the incident on the Quai des Célestins, a traffic collision, priority 3', () => {
    const message = (JSON.parse(read('test/fixtures/standards/emsi/examples/EMSI-Complet-DC-RDC-OPG-message.json')) as { emsi: Record<string, unknown> }).emsi;
    const imported = fromEmsi(message);
    expect(imported).toMatchObject({
      ok: true,
      value: {
        origin: { source: 'emsi:fr.health.samu690', externalId: 'DRFR15690240430050' },
        details: { location: { lat: 45.760169, lon: 4.830608 }, address: '8 Quai des Célestins, Lyon', nature: 'traffic_collision', priority: 3 },
        resources: [{ id: '77_22247# VSAV1', status: 'available' }, { id: '77_22245# VSAV2', status: 'en_route' }],
      },
    });
  });
});

describe('the official failing EMSI example', () => {
  it('EMSI-DC-missing-required-fields (JSON): every error is reported with its path', () => {
    const envelope = JSON.parse(read('test/fixtures/standards/emsi/failing/EMSI-DC-missing-required-fields.json')) as {
      content: Array<{ jsonContent: { embeddedJsonContent: { message: unknown } } }>;
    };
    const errors = validateEmsi(envelope.content[0]!.jsonContent.embeddedJsonContent.message);
    expect(errors).toEqual(expect.arrayContaining([
      { path: '/CONTEXT/EXTERNAL_INFO/0/URI', message: 'is required' },
      expect.objectContaining({ path: '/EVENT/CERTAINTY' }),
    ]));
  });

  it('EMSI-DC-missing-required-fields (XML, an older namespace, no CONTEXT/ID, no EVENT): refused with paths', () => {
    const xml = read('test/fixtures/standards/emsi/failing/EMSI-DC-missing-required-fields.xml');
    const inner = /<emsi[\s\S]*<\/emsi>/.exec(xml)![0];
    expect(emsiFromXml(inner)).toMatchObject({ ok: false, code: 'InvalidDocument', errors: [{ path: '/' }] });
    const renamed = inner.replace('urn:emergency:cisu:2.0:emsi', 'urn:emergency:eda:1.9:emsi');
    const fromXml = emsiFromXml(renamed);
    if (!fromXml.ok) throw new Error(fromXml.code);
    expect(validateEmsi(fromXml.message)).toEqual(expect.arrayContaining([
      { path: '/CONTEXT/ID', message: 'is required' },
      { path: '/EVENT', message: 'is required' },
    ]));
  });
});

describe('an incident as EMSI', () => {
  it('is valid against the schema (JSON) and the XSD (XML)', async () => {
    const message = toEmsi(incident, options);
    expect(validateEmsi(message)).toEqual([]);
    expect(await xsdErrors(emsiToXml(message))).toEqual([]);
    const broken = emsiToXml({ ...message, CONTEXT: { ...message.CONTEXT, MODE: 'LIVE' } });
    expect((await xsdErrors(broken)).length).toBeGreaterThan(0);
    expect(validateEmsi({ ...message, CONTEXT: { ...message.CONTEXT, MODE: 'LIVE' } })).toEqual([expect.objectContaining({ path: '/CONTEXT/MODE' })]);
  });

  it('text with markup or characters XML forbids stays valid XML, and reads back as its text', async () => {
    const notes = 'Bell\u0007 rang; <b>gas</b> & "smoke" \u001B[0m';
    const message = toEmsi({ ...incident, details: { ...incident.details, notes, address: '1 <A> & B St' } }, options);
    const xml = emsiToXml(message);
    expect(await xsdErrors(xml)).toEqual([]);
    const read = emsiFromXml(xml);
    if (!read.ok) throw new Error(read.code);
    expect(fromEmsi(read.message)).toMatchObject({ ok: true, value: { details: { notes: 'Bell rang; <b>gas</b> & "smoke" [0m', address: '1 <A> & B St' } } });
  });

  it('a fresh incident with no unit is an ALERT with its operation only, and still valid', async () => {
    const fresh: IncidentState = { ...incident, status: 'received', assignments: {}, details: { location: incident.details.location, nature: 'medical', priority: 2 } };
    const message = toEmsi(fresh, options);
    expect(message.CONTEXT.MSGTYPE).toBe('ALERT');
    expect(message.MISSION).toHaveLength(1);
    expect(message.RESOURCE).toBeUndefined();
    expect(validateEmsi(message)).toEqual([]);
    expect(await xsdErrors(emsiToXml(message))).toEqual([]);
  });

  it('carries the units as resources with their statuses, and a mission per unit under the operation', () => {
    const message = toEmsi(incident, options);
    expect(message.RESOURCE).toEqual([
      expect.objectContaining({ ID: 'E1', NAME: 'Engine 1', STATUS: 'IN_USE/ON_SCENE', RTYPE: expect.objectContaining({ RCLASS: ['MAT/VEH/ROADVE/FRFGTN/PUMP'] }) }),
      expect.objectContaining({ ID: 'M7', NAME: 'Medic 7', STATUS: 'IN_USE/MOBILE', RTYPE: expect.objectContaining({ RCLASS: ['MAT/VEH/ROADVE/AMBUL'] }) }),
    ]);
    expect(message.MISSION?.map((m) => [m['ID'], m['STATUS'], m['RESOURCE_ID']])).toEqual([
      ['I260301-ABC123-OP', 'IPR', undefined],
      ['I260301-ABC123-E1', 'IPR', ['E1']],
      ['I260301-ABC123-M7', 'IPR', ['M7']],
    ]);
    expect(message.EVENT['ETYPE']).toEqual({ CATEGORY: ['FIR'], ACTOR: ['BEV'], LOCTYPE: ['OTH'] });
  });

  it('round-trips through JSON and through XML: place, address, nature, priority, notes, units and statuses', () => {
    const expected = {
      details: incident.details,
      resources: [{ id: 'E1', name: 'Engine 1', status: 'on_scene' }, { id: 'M7', name: 'Medic 7', status: 'en_route' }],
      origin: { source: 'emsi:us.ca.sf.samaritan', externalId: incident.id },
    };
    const message = toEmsi(incident, options);
    expect(fromEmsi(JSON.parse(JSON.stringify(message)) as Record<string, unknown>)).toMatchObject({ ok: true, value: expected });
    const fromXml = emsiFromXml(emsiToXml(message));
    if (!fromXml.ok) throw new Error(fromXml.code);
    expect(fromEmsi(fromXml.message)).toMatchObject({ ok: true, value: expected });
  });

  it('every nature reads back as itself, at every priority', () => {
    for (const nature of Object.keys(NATURE_TO_ETYPE)) {
      for (const priority of [1, 2, 3] as const) {
        const message = toEmsi({ ...incident, details: { ...incident.details, nature, priority } }, options);
        expect(validateEmsi(message)).toEqual([]);
        expect(fromEmsi(message as unknown as Record<string, unknown>)).toMatchObject({ ok: true, value: { details: { nature, priority } } });
      }
    }
  });

  it('a message without any coordinates is refused with where the position was looked for', () => {
    const message = toEmsi(incident, options);
    const bare = { ...message, EVENT: { ID: 'E', ETYPE: message.EVENT['ETYPE'] }, MISSION: [] };
    expect(fromEmsi(bare)).toEqual({ ok: false, errors: [expect.objectContaining({ path: '/EVENT/EGEO' })] });
  });
});
