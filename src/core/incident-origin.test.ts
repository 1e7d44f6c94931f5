import { describe, expect, it } from 'vitest';
import type { Command } from './commands.ts';
import type { IncidentRules } from './decide-incident.ts';
import { meters } from './ids.ts';
import type { LatLon } from './lat-lon.ts';
import { originIncidentIds } from './origin-id.ts';
import { CITY_HALL, RULES, details, given, incidentOf, receive } from './test-kit.ts';

const AREA: IncidentRules = {
  ...RULES,
  serviceArea: {
    polygon: [
      { lat: CITY_HALL.lat - 0.02, lon: CITY_HALL.lon - 0.02 },
      { lat: CITY_HALL.lat - 0.02, lon: CITY_HALL.lon + 0.02 },
      { lat: CITY_HALL.lat + 0.02, lon: CITY_HALL.lon + 0.02 },
      { lat: CITY_HALL.lat + 0.02, lon: CITY_HALL.lon - 0.02 },
    ],
    bufferM: meters(1000),
  },
};
const OAKLAND: LatLon = { lat: 37.8044, lon: -122.2712 };
const origin = { source: 'psap.example.org', externalId: 'urn:emergency:uid:incidentid:42:psap.example.org' };

const receiveFrom = (location: LatLon): Command => ({
  ...(receive('I1', details('medical', { location })) as Extract<Command, { type: 'ReceiveIncident' }>),
  origin,
});

describe('an incident received from another system', () => {
  it('keeps the document it came from as source and external id, on the event and the incident', () => {
    const outcome = given().when(receiveFrom(CITY_HALL), AREA);
    const [e] = outcome.thenEvents('IncidentReceived');
    expect(e?.data).toMatchObject({ source: origin.source, externalId: origin.externalId });
    expect(e?.data).not.toHaveProperty('outsideServiceArea');
    expect(incidentOf(outcome.after, 'I1')).toMatchObject({ source: origin.source, externalId: origin.externalId });
  });

  it('is never refused for lying outside the service area: it is received, marked as outside', () => {
    const outcome = given().when(receiveFrom(OAKLAND), AREA);
    const [e] = outcome.thenEvents('IncidentReceived');
    expect(e?.data).toMatchObject({ outsideServiceArea: true, location: OAKLAND, source: origin.source });
    expect(incidentOf(outcome.after, 'I1').outsideServiceArea).toBe(true);
  });

  it('one typed in has no source and is still refused outside the area', () => {
    const typed = receive('I1', details('medical', { location: OAKLAND }));
    given().when(typed, AREA).thenRejected('OutsideServiceArea');
    const [e] = given().when(receive('I1', details('medical')), AREA).thenEvents('IncidentReceived');
    expect(e?.data).not.toHaveProperty('source');
    expect(e?.data).not.toHaveProperty('externalId');
  });
});

describe('the incident ids an origin may take', () => {
  it('are the same for the same document, every time, and differ for another document or another source', () => {
    const ids = originIncidentIds(origin);
    expect(originIncidentIds({ ...origin })).toEqual(ids);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]).toMatch(/^X[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(originIncidentIds({ ...origin, externalId: `${origin.externalId}x` })[0]).not.toBe(ids[0]);
    expect(originIncidentIds({ ...origin, source: 'other.example.org' })[0]).not.toBe(ids[0]);
  });

  it('keep source and id apart: ("ab", "c") is not ("a", "bc")', () => {
    expect(originIncidentIds({ source: 'ab', externalId: 'c' })[0]).not.toBe(originIncidentIds({ source: 'a', externalId: 'bc' })[0]);
  });

  it('do not change between versions (they are stored as incident ids)', () => {
    expect(originIncidentIds({ source: 'a', externalId: 'b' })[0]).toMatchInlineSnapshot(`"XJNSC2243SM"`);
  });
});
