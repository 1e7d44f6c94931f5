import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/configuration.ts';
import { parseCsvRecords } from '../interop/csv.ts';
import { readSimCalls, type SimCall } from './sim-calls.ts';

const records = parseCsvRecords(readFileSync(`${PROJECT_ROOT}data/sf/sf_fire_calls_2016-12-31_to_2017-01-03.csv`, 'utf8'));
const callTypes = JSON.parse(readFileSync(`${PROJECT_ROOT}config/sf-call-types.json`, 'utf8')) as Record<string, string>;
const { calls, rejected } = readSimCalls(records, callTypes);
const byId = (id: string): SimCall => {
  const c = calls.find((x) => x.incidentId === id);
  if (!c) throw new Error(`no ${id}`);
  return c;
};

describe('readSimCalls on the four SF days', () => {
  it('makes one call per distinct Incident Number, in received order, rejecting nothing', () => {
    const distinct = new Set(records.map((r) => r['Incident Number'])).size;
    expect(distinct).toBe(1800);
    expect(calls).toHaveLength(distinct);
    expect(rejected).toEqual([]);
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.receivedAt).toBeGreaterThanOrEqual(calls[i - 1]!.receivedAt);
    // Every row of the file is one unit of a call: none is lost in the grouping.
    expect(calls.reduce((a, c) => a + c.rows.length, 0)).toBe(records.length);
  });

  it('lists each call’s units in dispatch order, offsets from the first dispatch', () => {
    for (const c of calls) {
      expect(c.rows[0]!.dispatchOffsetS).toBe(0);
      for (let i = 1; i < c.rows.length; i++) expect(c.rows[i]!.dispatchOffsetS).toBeGreaterThanOrEqual(c.rows[i - 1]!.dispatchOffsetS);
    }
  });

  it('has a real first-unit travel median in the range the department reports (about 3 minutes)', () => {
    const travel = calls.flatMap((c) => (c.real.travelS === undefined ? [] : [c.real.travelS])).sort((a, b) => a - b);
    expect(travel.length).toBeGreaterThan(1500);
    const median = travel[Math.floor(travel.length / 2)]!;
    expect(median).toBeGreaterThan(120);
    expect(median).toBeLessThan(300);
  });

  it('reads incident 16146984 as its rows say (two units sent at once, ordered by DataSF sequence; a unit cancelled)', () => {
    // E06 and AM224 dispatched 11:42:30 PM (sequence 3 and 2), AM305 11:43:42 PM; received 11:39:55 PM.
    const c = byId('SF-16146984');
    expect(c.rows.map((r) => [r.unitId, r.unitType, r.dispatchOffsetS])).toEqual([
      ['AM224', 'ambulance', 0],
      ['E06', 'engine', 0],
      ['AM305', 'ambulance', 72],
    ]);
    expect(c.hour).toBe(23);
    expect(c.priority).toBe(2);
    expect(c.service).toBe('ems');
    expect(c.volunteerCall).toBe(false);
    // E06: en route 11:44:02, available 11:44:29, never on scene.
    expect(c.rows[1]).toMatchObject({ arrived: false, cancelledAfterS: 119, transported: false, real: { turnoutS: 92 } });
    // AM224 on scene 11:51:54, available 11:52:33.
    expect(c.rows[0]).toMatchObject({ arrived: true, busyAfterArrivalS: 39, real: { turnoutS: 45, travelS: 519 } });
    // First on scene is AM305 (11:51:52, two seconds before AM224): en route 11:43:53.
    expect(c.real).toMatchObject({ callToDispatchS: 155, turnoutS: 11, travelS: 479, firstUnitS: 717, firstHelpS: 717, firstUnitId: 'AM305' });
  });

  it('reads incident 16146899: the first on scene is the engine, the ambulance transports', () => {
    const c = byId('SF-16146899');
    expect(c.rows.map((r) => r.unitId)).toEqual(['E14', 'KM07', 'E34']);
    expect(c.rows[1]).toMatchObject({ arrived: true, transported: true, busyAfterArrivalS: 3615 });
    expect(c.real).toMatchObject({ callToDispatchS: 53, turnoutS: 104, travelS: 221, firstUnitS: 378, firstUnitId: 'E14', firstUnitType: 'engine' });
  });

  it('marks emergency (DataSF priority 3) medical incidents as volunteer calls: 16146895', () => {
    const c = byId('SF-16146895');
    expect(c).toMatchObject({ priority: 1, volunteerCall: true, callType: 'Medical Incident', nature: 'medical', service: 'ems' });
    expect(c.rows.map((r) => [r.unitId, r.dispatchOffsetS])).toEqual([
      ['KM12', 0],
      ['E03', 0],
      ['KM204', 132],
    ]);
    expect(c.real).toMatchObject({ callToDispatchS: 146, turnoutS: 91, travelS: 94, firstUnitS: 331, firstUnitId: 'KM12' });
    expect(c.real.volunteerCall).toBe(true);
  });

  it('takes the volunteer calls a scenario names instead', () => {
    const fires = readSimCalls(records, callTypes, { callTypes: ['Structure Fire'], priorities: ['3', '2'] }).calls;
    const flagged = fires.filter((c) => c.volunteerCall);
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.every((c) => c.callType === 'Structure Fire')).toBe(true);
    expect(byId('SF-16146895').volunteerCall).toBe(true);
    expect(fires.find((c) => c.incidentId === 'SF-16146895')!.volunteerCall).toBe(false);
  });
});

const row = (over: Record<string, string>): Record<string, string> => ({
  'Incident Number': '1',
  'Unit ID': 'E01',
  'Unit Type': 'ENGINE',
  'Call Type': 'Structure Fire',
  Priority: '3',
  'Received DtTm': '01/01/2017 10:00:00 AM',
  'Dispatch DtTm': '01/01/2017 10:01:00 AM',
  'Response DtTm': '01/01/2017 10:02:00 AM',
  'On Scene DtTm': '01/01/2017 10:06:00 AM',
  'Available DtTm': '01/01/2017 11:00:00 AM',
  'Unit sequence in call dispatch': '1',
  'Station Area': '01',
  Location: '(37.78, -122.41)',
  ...over,
});

describe('readSimCalls on odd rows', () => {
  it('drops a unit without a Dispatch stamp but keeps its incident', () => {
    const { calls: only } = readSimCalls([row({ 'Dispatch DtTm': '', 'Response DtTm': '', 'On Scene DtTm': '' })], callTypes);
    expect(only).toHaveLength(1);
    expect(only[0]!.rows).toEqual([]);
    expect(only[0]!.real.callToDispatchS).toBeUndefined();
    expect(only[0]!.real.firstUnitS).toBeUndefined();
    const { calls: two } = readSimCalls([row({ 'Unit ID': 'T01', 'Unit Type': 'TRUCK', 'Dispatch DtTm': '' }), row({})], callTypes);
    expect(two[0]!.rows.map((r) => r.unitId)).toEqual(['E01']);
  });

  it('drops negative and over-two-hour differences instead of clamping them', () => {
    const { calls: c } = readSimCalls([row({ 'Response DtTm': '01/01/2017 09:59:00 AM', 'On Scene DtTm': '01/01/2017 01:00:00 PM' })], callTypes);
    expect(c[0]!.real.turnoutS).toBeUndefined();
    expect(c[0]!.real.travelS).toBeUndefined();
    expect(c[0]!.real.firstUnitS).toBeUndefined();
    expect(c[0]!.rows[0]!.real).toEqual({});
  });

  it('rejects rows it cannot place, with their row numbers, and an incident without a location', () => {
    const { calls: c, rejected: r } = readSimCalls(
      [row({}), row({ 'Incident Number': '' }), row({ 'Received DtTm': '13/45/2017 10:00:00 AM' }), row({ 'Incident Number': '2', Location: 'nowhere' })],
      callTypes,
    );
    expect(c.map((x) => x.incidentId)).toEqual(['SF-1']);
    expect(r.map((x) => x.row)).toEqual([2, 3, 4]);
    expect(r[2]!.reason).toMatch(/incident 2: unreadable Location/);
  });

  it('maps an unknown call type to other and fire service, an empty station area to none', () => {
    const { calls: c } = readSimCalls([row({ 'Call Type': 'Something New', 'Station Area': '' })], callTypes);
    expect(c[0]).toMatchObject({ nature: 'other', service: 'fire', volunteerCall: false });
    expect(c[0]!.stationArea).toBeUndefined();
    expect(c[0]!.real.stationArea).toBeUndefined();
  });
});
