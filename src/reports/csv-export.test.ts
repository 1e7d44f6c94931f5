import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../interop/csv.ts';
import { intervalsCsv, isoDuration, isoInstant } from './csv-export.ts';
import type { IncidentIntervals } from './intervals.ts';

const received = Date.parse('2024-05-03T18:56:00Z');
const full: IncidentIntervals = {
  incidentId: 'SF-1',
  receivedAt: received,
  location: { lat: 37.77, lon: -122.42 },
  stationArea: '36',
  nature: 'cardiac_arrest',
  priority: 1,
  service: 'ems',
  volunteerCall: true,
  callToDispatchS: 50,
  turnoutS: 70,
  travelS: 250,
  firstUnitS: 380,
  firstVolunteerS: 200,
  firstHelpS: 200,
  firstUnitId: 'M12',
  firstUnitType: 'medic',
};
const bare: IncidentIntervals = {
  incidentId: 'SF-2, "odd"',
  receivedAt: received,
  location: { lat: 37.7, lon: -122.5 },
  stationArea: undefined,
  nature: '=cmd()',
  priority: 3,
  service: 'fire',
  volunteerCall: false,
};

describe('intervals as CSV', () => {
  it('our names give every interval in seconds and leave a missing one empty', () => {
    const csv = intervalsCsv([{ policy: 'routed', intervals: full }, { policy: 'real', intervals: bare }], 'samaritan');
    expect(csv.endsWith('\r\n')).toBe(true);
    const [a, b] = parseCsvRecords(csv);
    expect(a).toMatchObject({ policy: 'routed', incidentId: 'SF-1', receivedAt: '2024-05-03T18:56:00+00:00', callToDispatchS: '50', turnoutS: '70', travelS: '250', firstUnitS: '380', firstHelpS: '200', stationArea: '36', volunteerCall: 'true' });
    expect(b).toMatchObject({ policy: 'real', incidentId: 'SF-2, "odd"', travelS: '', stationArea: '', volunteerCall: 'false' });
  });

  it('a text that a spreadsheet would run as a formula is defused', () => {
    const [b] = parseCsvRecords(intervalsCsv([{ policy: 'live', intervals: bare }], 'samaritan'));
    expect(b!['nature']).toBe("'=cmd()");
  });

  it('NERIS names carry the first unit on scene\'s stamps, worked back from its arrival, and durations in ISO 8601', () => {
    const [a] = parseCsvRecords(intervalsCsv([{ policy: 'live', intervals: full }], 'neris'));
    expect(a).toMatchObject({
      samaritan_policy: 'live',
      incident_internal_id: 'SF-1',
      dispatch_time_call_arrival: '2024-05-03T18:56:00+00:00',
      dispatch_incident_code: 'cardiac_arrest',
      dispatch_point_lat: '37.77',
      dispatch_point_lon: '-122.42',
      dispatch_time_alarm_processing: 'PT50S',
      unit_id_reported: 'M12',
      // on scene = 18:56:00 + 380 s; en route = on scene − 250 s; dispatched = en route − 70 s.
      time_on_scene: '2024-05-03T19:02:20+00:00',
      time_enroute_to_scene: '2024-05-03T18:58:10+00:00',
      time_dispatch: '2024-05-03T18:57:00+00:00',
      time_turnout: 'PT1M10S',
      time_travel: 'PT4M10S',
      samaritan_first_help: 'PT3M20S',
      samaritan_service: 'ems',
    });
  });

  it('NERIS stamps whose interval is missing stay empty rather than guessed', () => {
    const { travelS: _t, turnoutS: _o, ...arrivedOnly } = full;
    const [b] = parseCsvRecords(intervalsCsv([{ policy: 'live', intervals: arrivedOnly }], 'neris'));
    expect(b).toMatchObject({ time_on_scene: '2024-05-03T19:02:20+00:00', time_enroute_to_scene: '', time_dispatch: '', time_travel: '' });
  });

  it('an empty export is its header row', () => {
    expect(intervalsCsv([], 'neris').split('\r\n')[0]).toMatch(/^samaritan_policy,incident_internal_id,dispatch_time_call_arrival,/);
    expect(intervalsCsv([], 'samaritan')).toBe(`${intervalsCsv([], 'samaritan').split('\r\n')[0]}\r\n`);
  });

  it('ISO 8601 durations and instants', () => {
    expect(isoDuration(0)).toBe('PT0S');
    expect(isoDuration(3725)).toBe('PT1H2M5S');
    expect(isoDuration(3600)).toBe('PT1H');
    expect(isoDuration(61.5)).toBe('PT1M1.5S');
    expect(isoDuration(undefined)).toBeUndefined();
    expect(isoInstant(Date.parse('2024-01-01T00:00:00.250Z'))).toBe('2024-01-01T00:00:00.250+00:00');
  });
});
