import { describe, expect, it } from 'vitest';
import type { Command } from './commands.ts';
import { isoAt } from './ids.ts';
import type { LatLon } from './lat-lon.ts';
import { stationIn } from './loaded.ts';
import { CITY_HALL, at, given, stationOpened, unitCommissioned, unitOf } from './test-kit.ts';

const openStation = (stationId: string, location: LatLon = CITY_HALL): Command => ({
  type: 'OpenStation',
  now: at(0),
  stationId,
  name: `Station ${stationId}`,
  address: '935 Folsom St',
  location,
  source: 'datasf',
});
const commission = (unitId: string, unitType = 'engine', capabilities = ['engine', 'pump', 'bls']): Command => ({
  type: 'CommissionUnit',
  now: at(0),
  unitId,
  name: `Engine ${unitId}`,
  unitType,
  capabilities,
  stationId: '01',
});
const recordPosition = (unitId: string, location: LatLon, now = at(9)): Command => ({
  type: 'RecordUnitPosition',
  now,
  unitId,
  location,
});

describe('stations', () => {
  it('a station opens where its source says it is', () => {
    const outcome = given().when(openStation('01'));
    const [e] = outcome.thenEvents('StationOpened');
    expect(e).toMatchObject({
      stream: 'station-01',
      data: { stationId: '01', name: 'Station 01', location: CITY_HALL, source: 'datasf' },
    });
    expect(stationIn(outcome.after, '01')).toEqual({
      id: '01',
      name: 'Station 01',
      address: '935 Folsom St',
      location: CITY_HALL,
      source: 'datasf',
    });
  });

  it('a station id cannot be opened twice', () => {
    given(stationOpened('01', CITY_HALL)).when(openStation('01')).thenRejected('StationAlreadyExists');
  });

  it('a station off the globe is refused', () => {
    given()
      .when(openStation('01', { lat: -90.1, lon: 0 }))
      .thenRejected('InvalidLocation');
  });
});

describe('units', () => {
  it('a commissioned unit is available at its home station, with its capabilities', () => {
    const outcome = given().when(commission('E01'));
    outcome.thenEvents('UnitCommissioned');
    expect(unitOf(outcome.after, 'E01')).toEqual({
      id: 'E01',
      name: 'Engine E01',
      unitType: 'engine',
      capabilities: ['engine', 'pump', 'bls'],
      stationId: '01',
      status: 'available',
      statusChangedAt: isoAt(at(0)),
    });
  });

  it('a unit id cannot be commissioned twice', () => {
    given(unitCommissioned('E01', 'engine')).when(commission('E01')).thenRejected('UnitAlreadyExists');
  });

  it('a recorded position is the unit’s last known one, with its time', () => {
    const fix = { lat: 37.78, lon: -122.41 };
    const outcome = given(unitCommissioned('E01', 'engine')).when(recordPosition('E01', fix, at(9)));
    const [e] = outcome.thenEvents('UnitPositionRecorded');
    expect(e?.data).toEqual({ unitId: 'E01', location: fix });
    expect(unitOf(outcome.after, 'E01')).toMatchObject({ status: 'available', position: { location: fix, at: isoAt(at(9)) } });
  });

  it('a position does not change a unit’s status', () => {
    const after = given(unitCommissioned('E01', 'engine')).when(recordPosition('E01', CITY_HALL)).after;
    expect(unitOf(after, 'E01').statusChangedAt).toBe(isoAt(at(0)));
  });

  it('a position of an unknown unit, or off the globe, is refused', () => {
    given().when(recordPosition('E99', CITY_HALL)).thenRejected('UnknownUnit');
    given(unitCommissioned('E01', 'engine'))
      .when(recordPosition('E01', { lat: 10, lon: 181 }))
      .thenRejected('InvalidLocation');
  });
});
