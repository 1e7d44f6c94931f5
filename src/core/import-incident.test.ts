import { describe, expect, it } from 'vitest';
import type { Command, HistoricalIncident } from './commands.ts';
import { epochMs, isoAt } from './ids.ts';
import { details, given, incidentOf, incidentReceived, unitCommissioned, unitOf } from './test-kit.ts';

/** A structure fire from the DataSF calls, with the real times of its two units (epoch ms). */
const t = (hhmmss: string) => epochMs(Date.parse(`2017-01-01T${hhmmss}Z`));
const fire: HistoricalIncident = {
  incidentId: 'SF-170010123',
  source: 'datasf-calls',
  externalId: '170010123',
  receivedAt: t('03:12:40'),
  closedAt: t('04:05:00'),
  details: details('structure_fire', { address: '800 Block of MISSION ST' }),
  units: [
    {
      unitId: 'E01',
      unitType: 'engine',
      dispatchedAt: t('03:13:30'),
      enRouteAt: t('03:14:10'),
      onSceneAt: t('03:17:55'),
      availableAt: t('03:58:00'),
    },
    { unitId: 'M14', unitType: 'medic', enRouteAt: t('03:15:00'), transportingAt: t('03:40:00'), atHospitalAt: t('03:52:00') },
  ],
};
const importing = (incident: HistoricalIncident): Command => ({ type: 'ImportIncident', now: incident.receivedAt, incident });

describe('importing a past incident', () => {
  it('a past incident is replayed as received, each unit response, then closed, at their real times', () => {
    const events = given()
      .when(importing(fire))
      .thenEvents('IncidentReceived', 'UnitResponseRecorded', 'UnitResponseRecorded', 'IncidentStatusChanged');
    expect(events.every((e) => e.stream === 'incident-SF-170010123')).toBe(true);
    expect(events.map((e) => e.at)).toEqual([
      isoAt(fire.receivedAt),
      isoAt(t('03:13:30')),
      isoAt(fire.receivedAt),
      isoAt(fire.closedAt),
    ]);
    expect(events[0]?.data).toMatchObject({
      incidentId: fire.incidentId,
      nature: 'structure_fire',
      source: 'datasf-calls',
      externalId: '170010123',
    });
    expect(events[1]?.data).toEqual({
      incidentId: fire.incidentId,
      unitId: 'E01',
      unitType: 'engine',
      dispatchedAt: isoAt(t('03:13:30')),
      enRouteAt: isoAt(t('03:14:10')),
      onSceneAt: isoAt(t('03:17:55')),
      availableAt: isoAt(t('03:58:00')),
    });
    expect(events[2]?.data).toEqual({
      incidentId: fire.incidentId,
      unitId: 'M14',
      unitType: 'medic',
      enRouteAt: isoAt(t('03:15:00')),
      transportingAt: isoAt(t('03:40:00')),
      atHospitalAt: isoAt(t('03:52:00')),
    });
    expect(events[3]?.data).toEqual({
      incidentId: fire.incidentId,
      from: 'received',
      to: 'closed',
      reason: 'imported from datasf-calls',
    });
  });

  it('an imported incident is closed, with its source and every unit response as a cleared assignment', () => {
    const incident = incidentOf(given().when(importing(fire)).after, fire.incidentId);
    expect(incident).toMatchObject({
      status: 'closed',
      receivedAt: isoAt(fire.receivedAt),
      statusChangedAt: isoAt(fire.closedAt),
      source: 'datasf-calls',
      externalId: '170010123',
    });
    expect(incident.assignments).toEqual({
      E01: {
        unitId: 'E01',
        status: 'available',
        active: false,
        dispatchedAt: isoAt(t('03:13:30')),
        enRouteAt: isoAt(t('03:14:10')),
        onSceneAt: isoAt(t('03:17:55')),
        clearedAt: isoAt(t('03:58:00')),
      },
      M14: { unitId: 'M14', status: 'available', active: false, enRouteAt: isoAt(t('03:15:00')) },
    });
  });

  it('an import touches no unit of the live fleet, even one with the same id', () => {
    const outcome = given(unitCommissioned('E01', 'engine')).when(importing(fire));
    expect(outcome.decision.ok && outcome.decision.events.some((e) => e.stream.startsWith('unit-'))).toBe(false);
    expect(unitOf(outcome.after, 'E01')).toMatchObject({ status: 'available' });
    expect(unitOf(outcome.after, 'E01')).not.toHaveProperty('incidentId');
  });

  it('an incident with no unit response is imported as received then closed', () => {
    given()
      .when(importing({ ...fire, units: [] }))
      .thenEvents('IncidentReceived', 'IncidentStatusChanged');
  });

  it('an incident id already in the log is not imported twice', () => {
    given(incidentReceived(fire.incidentId)).when(importing(fire)).thenRejected('IncidentAlreadyExists');
  });

  it('a past incident with an invalid location is refused', () => {
    given()
      .when(importing({ ...fire, details: details('structure_fire', { location: { lat: 0, lon: Number.POSITIVE_INFINITY } }) }))
      .thenRejected('InvalidLocation');
  });
});
