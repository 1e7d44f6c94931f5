import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IncidentState } from '../../core/incident.ts';
import { checkEido, eidoValidator } from './eido-schema.ts';
import type { EidoDocument } from './eido-types.ts';
import { eidoChanges, eidoDetails, fromEido, type EidoIncident } from './from-eido.ts';
import { fromPidfLo, toPidfLo } from './pidf-lo.ts';
import { REGISTRY } from './registries.ts';
import { NATURE_TO_INCIDENT_TYPE, UNIT_TYPE_TO_RESOURCE_TYPE, natureOfIncidentType, registryValuesNamed } from './registry-map.ts';
import { rfc3339, toEido, type EidoExportInput } from './to-eido.ts';
import { fieldValues as fields, registryFieldCount, registryValues, registryViolations } from '../../../test/support/eido-registries.ts';

const root = new URL('../../../', import.meta.url);
const json = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const values = registryValues;

const t = (hhmm: string) => `2024-05-01T${hhmm}:00.000Z`;
const FIRE: IncidentState = {
  id: 'I240501-7K3M9Q',
  status: 'on_scene',
  details: {
    location: { lat: 37.7793, lon: -122.4193 },
    address: '1 Dr Carlton B Goodlett Pl',
    floor: '2',
    access: 'Side door <north> & buzz "Ops"',
    nature: 'structure_fire',
    priority: 1,
    callerName: 'Ana Ruiz',
    callbackNumber: '+1 415-555-0100',
    notes: 'Smoke from a 2nd floor window <b>seen</b> & spreading',
  },
  receivedAt: t('16:00'),
  statusChangedAt: t('16:07'),
  duplicates: [],
  assignments: {
    E01: { unitId: 'E01', status: 'on_scene', active: true, dispatchedAt: t('16:01'), enRouteAt: t('16:02'), onSceneAt: t('16:07') },
    T02: { unitId: 'T02', status: 'en_route', active: true, dispatchedAt: t('16:01'), enRouteAt: t('16:03') },
    M14: { unitId: 'M14', status: 'available', active: false, dispatchedAt: t('16:01'), clearedAt: t('16:05') },
  },
};
const INPUT: EidoExportInput = {
  incident: FIRE,
  version: 9,
  lastUpdatedAt: Date.parse(t('16:07')),
  units: new Map([
    ['E01', { name: 'Engine 1', unitType: 'engine', capabilities: ['engine', 'pump', 'bls'] }],
    ['T02', { name: 'Truck 2', unitType: 'truck', capabilities: ['ladder', 'rescue_tools'] }],
    ['M14', { name: 'Medic 14', unitType: 'medic', capabilities: ['als', 'transport'] }],
  ]),
  centre: { agencyId: 'sfd.sf.ca.us', elementId: 'cad.sfd.sf.ca.us', agencyTypes: ['fire', 'ems'] },
  utcOffsetMinAt: () => -7 * 60,
};

describe('an incident as an EIDO 1.0 document', () => {
  beforeAll(() => void eidoValidator(), 120_000);
  const doc = toEido(INPUT);

  it('is valid against the official schema', () => {
    expect(checkEido(doc)).toBeUndefined();
  });

  it('a bare incident (no address, caller, notes or units) is valid too', () => {
    const bare = toEido({
      ...INPUT,
      incident: { ...FIRE, status: 'received', assignments: {}, details: { location: FIRE.details.location, nature: 'other', priority: 3 } },
    });
    expect(checkEido(bare)).toBeUndefined();
    expect(bare.emergencyResourceComponent).toBeUndefined();
  });

  it('takes every registry-valued field from its registry (checked against the registries file)', () => {
    expect(registryFieldCount(doc)).toBeGreaterThanOrEqual(12);
    expect(registryViolations(doc)).toEqual([]);
    // The check itself finds a value that is not in its registry.
    expect(registryViolations({ ...doc, incidentComponent: { ...doc.incidentComponent, incidentTypeCommonRegistryText: 'FIRE' } })).toEqual([
      'incidentTypeCommonRegistryText: FIRE',
    ]);
  });

  it('every value the registry map names is listed by its registry (read from the file here)', () => {
    const named = registryValuesNamed();
    expect(named.length).toBeGreaterThan(60);
    expect(named.filter(([r, v]) => !values(REGISTRY[r]).has(v))).toEqual([]);
  });

  it('every nature and unit type of our configuration has a registry value, and every nature comes back as itself', () => {
    const natures = Object.keys((json('config/response-plans.json') as { natures: object }).natures);
    for (const n of natures) {
      expect(values('Incident Type – Common Registry'), n).toContain(NATURE_TO_INCIDENT_TYPE[n]);
      expect(natureOfIncidentType(NATURE_TO_INCIDENT_TYPE[n]!)).toBe(n);
    }
    const types = Object.keys((json('config/unit-types.json') as { types: object }).types);
    for (const u of types) expect(values('Emergency Resource Type-Common Registry'), u).toContain(UNIT_TYPE_TO_RESOURCE_TYPE[u]);
  });

  it('writes the place as PIDF-LO: a GML point in EPSG::4326 as "lat lon", with the civic address, floor and access', () => {
    const loc = doc.locationComponent![0]!;
    expect(loc.locationTypeDescriptionRegistryText).toBe('CurrentIncident');
    expect(loc.locationByValue).toContain('<gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>37.7793 -122.4193</gml:pos></gml:Point>');
    expect(loc.locationByValue).toContain('xmlns="urn:ietf:params:xml:ns:pidf"');
    const read = fromPidfLo(loc.locationByValue!);
    expect(read).toEqual({
      ok: true,
      location: {
        point: { lat: 37.7793, lon: -122.4193 },
        civic: { HNO: '1', RD: 'Dr Carlton B Goodlett Pl', FLR: '2', LOC: 'Side door <north> & buzz "Ops"' },
      },
    });
  });

  it('drops from the PIDF-LO the characters XML forbids, so that a strict reader takes it', () => {
    const xml = toPidfLo({ entity: 'pres:x@y', deviceId: 'd', location: { lat: 37.7793, lon: -122.4193 }, civic: { LOC: 'code\u0007 12 & <b>' }, timestamp: '2024-05-01T09:07:00-07:00' });
    expect(fromPidfLo(xml)).toMatchObject({ ok: true, location: { civic: { LOC: 'code 12 & <b>' } } });
  });

  it('writes every timestamp as RFC 3339 with the local offset, at the right instant', () => {
    expect(doc.lastUpdateTimeStamp).toBe('2024-05-01T09:07:00.000-07:00');
    const stamps = fields(doc).filter(([k]) => k === 'lastUpdateTimeStamp').map(([, v]) => v as string);
    for (const s of stamps) expect(s).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    expect(rfc3339(Date.parse('2024-01-01T00:30:00Z'), 330)).toBe('2024-01-01T06:00:00.000+05:30');
    expect(Date.parse(rfc3339(Date.parse(t('16:07')), -420))).toBe(Date.parse(t('16:07')));
  });

  it('names each component by a URN of the incident, the same at every export, and every reference points into the document', () => {
    expect(doc.$id).toBe('urn:emergency:uid:incidentid:I240501-7K3M9Q:sfd.sf.ca.us');
    expect(toEido(INPUT)).toEqual(doc);
    const later = toEido({ ...INPUT, version: 10, lastUpdatedAt: Date.parse(t('16:09')) });
    expect(fields(later).filter(([k]) => k === '$id')).toEqual(fields(doc).filter(([k]) => k === '$id'));
    const ids = new Set(fields(doc).filter(([k]) => k === '$id').map(([, v]) => v));
    expect(ids.size).toBe(fields(doc).filter(([k]) => k === '$id').length);
    for (const [, ref] of fields(doc).filter(([k]) => k === '$ref')) expect(ids).toContain(ref);
  });

  it('puts each unit in emergencyResourceComponent with its type and statuses from the registries', () => {
    const units = doc.emergencyResourceComponent!;
    expect(units.map((u) => [u.emergencyResourceName, u.emergencyResourceTypeCommonRegistryText, u.primaryUnitStatusRegistryText, u.secondaryUnitStatusRegistryText])).toEqual([
      ['Engine 1', 'StructureFireEngineType1', 'NotAvailable', ['OnScene']],
      ['Medic 14', 'GroundALSAmbulance', 'Available', ['Cleared']],
      ['Truck 2', 'FireTruckLadder', 'NotAvailable', ['EnRoute']],
    ]);
    expect(units[0]!.resourceAttributeRegistryText).toEqual(['EMT']);
    expect(units[1]!.resourceAttributeRegistryText).toEqual(['Paramedic']);
    expect(doc.dispatchComponent![0]!.emergencyResourceReference).toEqual(units.map((u) => ({ $ref: u.$id })));
  });

  it('gives the incident type, status and priority from the registries, and our own words beside them', () => {
    expect(doc.incidentComponent).toMatchObject({
      incidentTypeCommonRegistryText: 'FSTRU',
      incidentTypeInternalCode: 'structure_fire',
      incidentStatusCommonRegistryText: ['ResourcesOnscene'],
      incidentStatusInternalText: ['on_scene'],
      incidentCommonPriorityNumber: 1,
    });
  });

  it('says which incidents were merged: a duplicate is REPLACED by the one it repeats, which is REPLACING it', () => {
    expect(doc.mergeComponent).toBeUndefined();
    const target = toEido({ ...INPUT, incident: { ...FIRE, duplicates: ['I240501-DUP001'] } });
    const duplicate = toEido({ ...INPUT, incident: { ...FIRE, id: 'I240501-DUP001', status: 'cancelled', assignments: {}, mergedInto: FIRE.id } });
    expect(target.mergeComponent).toMatchObject([{ incidentTrackingIdentifier: 'urn:emergency:uid:incidentid:I240501-DUP001:sfd.sf.ca.us', incidentMergeDirectionCode: 'REPLACING' }]);
    expect(duplicate.mergeComponent).toMatchObject([{ incidentTrackingIdentifier: doc.$id, incidentMergeDirectionCode: 'REPLACED' }]);
    expect(checkEido(target)).toBeUndefined();
    expect(checkEido(duplicate)).toBeUndefined();
  });

  it('writes notes as HTML text (markup in them escaped), and reads them back as the same text', () => {
    expect(doc.notesComponent![0]!.notesActionComments).toBe('Smoke from a 2nd floor window &lt;b&gt;seen&lt;/b&gt; &amp; spreading');
  });

  it('round trip: reading the document back gives the same incident, units and their statuses included', () => {
    const back = fromEido(doc);
    expect(back).toMatchObject({
      ok: true,
      origin: { source: 'sfd.sf.ca.us', externalId: doc.$id },
      location: FIRE.details.location,
      address: FIRE.details.address,
      floor: FIRE.details.floor,
      access: FIRE.details.access,
      nature: 'structure_fire',
      priority: 1,
      callerName: 'Ana Ruiz',
      notes: FIRE.details.notes,
      statuses: ['ResourcesOnscene'],
      units: [
        { name: 'Engine 1', resourceType: 'StructureFireEngineType1', unitType: 'engine', status: 'on_scene' },
        { name: 'Medic 14', resourceType: 'GroundALSAmbulance', unitType: 'medic', status: 'cleared' },
        { name: 'Truck 2', resourceType: 'FireTruckLadder', unitType: 'truck', status: 'en_route' },
      ],
    });
    expect((back as { callbackNumber: string }).callbackNumber.replace(/\D/g, '')).toBe('14155550100');
  });
});

describe('reading EIDO documents from elsewhere', () => {
  const sample = () => json('test/fixtures/standards/nena-eido/sample-call-transfer-eido.json') as EidoDocument & Record<string, unknown>;

  it('the official sample gives a civic address only (Wilmington): it cannot be placed, and the error says where', () => {
    const r = fromEido(sample());
    expect(r).toMatchObject({ ok: false, code: 'InvalidDocument' });
    expect((r as unknown as { errors: { path: string; message: string }[] }).errors).toEqual([
      expect.objectContaining({ path: '/locationComponent/0', message: expect.stringContaining('civic address alone') as string }),
    ]);
  });

  it('a circle (a phone\'s position) is placed at its centre, with its radius; the civic address of another location is not mixed in', () => {
    const doc = sample();
    const circle =
      '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10" xmlns:gml="http://www.opengis.net/gml" xmlns:gs="http://www.opengis.net/pidflo/1.0" entity="pres:x@example.com">' +
      '<tuple id="t"><status><gp:geopriv><gp:location-info><gs:Circle srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>37.7749 -122.4194</gml:pos>' +
      '<gs:radius uom="urn:ogc:def:uom:EPSG::9001">35</gs:radius></gs:Circle></gp:location-info></gp:geopriv></status></tuple></presence>';
    const locs = doc.locationComponent!.map((l, i) => (i === 1 ? { ...l, locationByValue: circle } : l));
    const r = fromEido({ ...doc, locationComponent: locs });
    expect(r).toMatchObject({ ok: true, location: { lat: 37.7749, lon: -122.4194 }, radiusM: 35 });
    expect(r).not.toHaveProperty('address');
    expect(r).toMatchObject({ origin: { source: 'state.pa.us', externalId: 'urn:emergency:uid:incidentid:a56e556d871:bcf.state.pa.us' } });
    expect(r).toMatchObject({ nature: 'other', callbackNumber: '8195551212', units: [] });
  });

  it('a PIDF-LO that declares a DTD or entity is refused before it is parsed, with the path of the location', () => {
    const doc = sample();
    const xxe = '<?xml version="1.0"?><!DOCTYPE presence [<!ENTITY x SYSTEM "file:///etc/passwd">]><presence xmlns="urn:ietf:params:xml:ns:pidf">&x;</presence>';
    const r = fromEido({ ...doc, locationComponent: [{ ...doc.locationComponent![0]!, locationByValue: xxe }] });
    expect(r).toMatchObject({ ok: false, code: 'XmlDoctypeRefused', path: '/locationComponent/0/locationByValue' });
  });

  it('a location in another reference system is not taken for WGS 84', () => {
    const utm = '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gml="http://www.opengis.net/gml"><gml:Point srsName="urn:ogc:def:crs:EPSG::32610"><gml:pos>551000 4181000</gml:pos></gml:Point></presence>';
    expect(fromPidfLo(utm)).toEqual({ ok: true, location: {} });
  });
});

describe('what a later version of a document changes', () => {
  const read: EidoIncident = {
    origin: { source: 'psap.example.org', externalId: 'urn:x' },
    location: { lat: 37.78, lon: -122.41 },
    nature: 'medical',
    notes: 'conscious',
    statuses: [],
    units: [],
  };

  it('a new incident takes the nature\'s usual priority when the document gives none', () => {
    expect(eidoDetails(read, 2)).toEqual({ location: read.location, nature: 'medical', priority: 2, notes: 'conscious' });
    expect(eidoDetails({ ...read, priority: 1 }, 2).priority).toBe(1);
  });

  it('changes only what differs, and never erases what the document no longer gives', () => {
    const current = { location: read.location, nature: 'medical', priority: 1 as const, notes: 'conscious', address: '1 Main St' };
    expect(eidoChanges(current, read)).toEqual({});
    expect(eidoChanges(current, { ...read, notes: 'not breathing', location: { lat: 37.79, lon: -122.41 } })).toEqual({
      notes: 'not breathing',
      location: { lat: 37.79, lon: -122.41 },
    });
  });
});
