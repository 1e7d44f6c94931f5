import { describe, expect, it } from 'vitest';
import type { Command, HistoricalIncident } from './commands.ts';
import type { IncidentRules } from './decide-incident.ts';
import { epochMs, meters } from './ids.ts';
import type { LatLon } from './lat-lon.ts';
import { CITY_HALL, RULES, details, given, incidentOf, incidentReceived, receive, update } from './test-kit.ts';

/*
 * The service area here: a square of 0.04° around City Hall (about 4.4 × 3.5 km) with a 1 km
 * buffer. (0, 0) and Oakland are far outside it; a point 1.5 km past its east edge is 500 m outside.
 */
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
const NULL_ISLAND: LatLon = { lat: 0, lon: 0 };
const OAKLAND: LatLon = { lat: 37.8044, lon: -122.2712 };
const EAST_EDGE_LON = CITY_HALL.lon + 0.02;
const PAST_BUFFER: LatLon = { lat: CITY_HALL.lat, lon: EAST_EDGE_LON + 1500 / (111_195 * Math.cos((CITY_HALL.lat * Math.PI) / 180)) };

const receiveAt = (location: LatLon, accept = false): Command => ({
  ...(receive('I1', details('medical', { location })) as Extract<Command, { type: 'ReceiveIncident' }>),
  ...(accept ? { outsideServiceArea: 'accept' as const } : {}),
});

describe('incidents and the service area', () => {
  it.each([
    ['(0, 0)', NULL_ISLAND],
    ['Oakland', OAKLAND],
  ])('an incident at %s is refused as OutsideServiceArea, with its distance to the area', (_name, location) => {
    const r = given().when(receiveAt(location), AREA).thenRejected('OutsideServiceArea');
    expect(r.details?.['distanceM']).toBeGreaterThan(1000);
    expect(r.details?.['bufferM']).toBe(1000);
  });

  it('the distance given is to the area with its buffer, in whole metres', () => {
    const r = given().when(receiveAt(PAST_BUFFER), AREA).thenRejected('OutsideServiceArea');
    expect(r.details?.['distanceM']).toBeGreaterThan(490);
    expect(r.details?.['distanceM']).toBeLessThan(510);
    expect(Number.isInteger(r.details?.['distanceM'])).toBe(true);
  });

  it('an incident inside the area is received, and not marked', () => {
    const [e] = given().when(receiveAt(CITY_HALL), AREA).thenEvents('IncidentReceived');
    expect(e?.data).not.toHaveProperty('outsideServiceArea');
  });

  it('an incident outside the area that a supervisor accepts is received, marked as outside', () => {
    const outcome = given().when(receiveAt(OAKLAND, true), AREA);
    const [e] = outcome.thenEvents('IncidentReceived');
    expect(e?.data).toMatchObject({ outsideServiceArea: true, location: OAKLAND });
    expect(incidentOf(outcome.after, 'I1').outsideServiceArea).toBe(true);
  });

  it('without a service area in the rules, any place on Earth is received', () => {
    given().when(receiveAt(NULL_ISLAND), RULES).thenEvents('IncidentReceived');
  });

  it('what is not a place at all is InvalidLocation, not OutsideServiceArea', () => {
    given().when(receiveAt({ lat: Number.NaN, lon: 0 }), AREA).thenRejected('InvalidLocation');
    given().when(receiveAt({ lat: 91, lon: 0 }), AREA).thenRejected('InvalidLocation');
  });

  it('moving an incident outside the area is refused; a supervisor may move it, and it is then marked', () => {
    const story = given(incidentReceived('I1', 'medical'));
    story.when(update('I1', { location: OAKLAND }), AREA).thenRejected('OutsideServiceArea');
    const accepted = story.when({ ...(update('I1', { location: OAKLAND }) as Extract<Command, { type: 'UpdateIncident' }>), outsideServiceArea: 'accept' }, AREA);
    accepted.thenEvents('IncidentDetailsUpdated');
    expect(incidentOf(accepted.after, 'I1').outsideServiceArea).toBe(true);
    const back = accepted.story.when(update('I1', { location: CITY_HALL }), AREA);
    back.thenEvents('IncidentDetailsUpdated');
    expect(incidentOf(back.after, 'I1')).not.toHaveProperty('outsideServiceArea');
  });

  it('a correction that does not move the incident keeps its mark', () => {
    const outcome = given().when(receiveAt(OAKLAND, true), AREA).story.when(update('I1', { notes: 'gate code 1234' }), AREA);
    outcome.thenEvents('IncidentDetailsUpdated');
    expect(incidentOf(outcome.after, 'I1').outsideServiceArea).toBe(true);
  });

  it('an imported real call outside the area is kept, marked as outside', () => {
    const sfo: HistoricalIncident = {
      incidentId: 'SF-1',
      source: 'datasf-calls',
      externalId: '1',
      receivedAt: epochMs(Date.UTC(2017, 0, 1, 3)),
      closedAt: epochMs(Date.UTC(2017, 0, 1, 4)),
      details: details('medical', { location: { lat: 37.6213, lon: -122.379 } }),
      units: [],
    };
    const outcome = given().when({ type: 'ImportIncident', now: sfo.receivedAt, incident: sfo }, AREA);
    const [received] = outcome.thenEvents('IncidentReceived', 'IncidentStatusChanged');
    expect(received?.data).toMatchObject({ outsideServiceArea: true });
    expect(incidentOf(outcome.after, 'SF-1').outsideServiceArea).toBe(true);
  });
});
