import { describe, expect, it } from 'vitest';
import { NFPA_1710 } from '../reports/intervals.ts';
import { DEFAULT_SCENARIO, parseScenario, ScenarioError } from './scenario.ts';

const known = {
  unitTypes: new Set(['engine', 'truck', 'medic']),
  stations: new Set(['1', '9', '36']),
  units: new Set(['E01', 'E36', 'E51', 'T09']),
};

/** The message of the error parsing `json` throws (fails the test when it parses). */
function problem(json: unknown): string {
  try {
    parseScenario(json, known);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error(`parsed: ${JSON.stringify(json)}`);
}

describe('parseScenario', () => {
  it('fills every field of an empty scenario with the defaults', () => {
    const s = parseScenario({}, known);
    expect(s).toEqual(DEFAULT_SCENARIO);
    expect(s.policies).toEqual(['straight_line', 'routed', 'routed_volunteers']);
    expect(s.volunteers.shareOfResidents).toBe(0.005);
    expect(s.volunteers.acceptanceRate).toBe(0.3);
    expect(s.volunteers.availabilityByHour).toHaveLength(24);
    // Fewer people free at night than by day.
    expect(s.volunteers.availabilityByHour[3]!).toBeLessThan(s.volunteers.availabilityByHour[12]!);
    expect(s.volunteerCalls).toEqual({ callTypes: ['Medical Incident'], priorities: ['3'] });
    expect(s.thresholds).toEqual(NFPA_1710);
    expect(s.grid).toEqual({ cellM: 1000 });
    expect(s.recruitment).toEqual({ cells: 5, volunteersPerCell: 20 });
    expect(s.model).toEqual({ turnout: true, dispatchOrder: true, lastScene: true, priorityTravelFactor: true });
  });

  it('switches parts of the model off one by one, the others staying on', () => {
    const s = parseScenario({ model: { lastScene: false } }, known);
    expect(s.model).toEqual({ turnout: true, dispatchOrder: true, lastScene: false, priorityTravelFactor: true });
    expect(problem({ model: { turnout: 'no' } })).toMatch(/^scenario\.model\.turnout: expected true or false, got "no"/);
    expect(problem({ model: { roadSpeeds: false } })).toMatch(/^scenario\.model\.roadSpeeds: unknown field \(known: turnout, dispatchOrder, lastScene, priorityTravelFactor\)/);
  });

  it('reads the plan’s example, with partial sections filled from the defaults', () => {
    const s = parseScenario(
      {
        name: 'one more truck at station 9',
        policies: ['routed', 'routed_volunteers'],
        units: { add: [{ id: 'T99', unitType: 'truck', stationId: '9' }], move: [{ id: 'E36', stationId: '9' }], remove: ['E51'] },
        stations: { add: [{ id: '60', name: 'Station 60', location: { lat: 37.75, lon: -122.45 } }], move: [{ id: '9', location: { lat: 37.73, lon: -122.39 } }] },
        volunteers: { shareOfResidents: 0.01 },
        volunteerCalls: { priorities: ['3', '2'] },
        thresholds: { travelS: 300 },
        grid: { cellM: 500 },
        recruitment: { cells: 3 },
      },
      known,
    );
    expect(s.name).toBe('one more truck at station 9');
    expect(s.policies).toEqual(['routed', 'routed_volunteers']);
    expect(s.units).toEqual({ add: [{ id: 'T99', unitType: 'truck', stationId: '9' }], move: [{ id: 'E36', stationId: '9' }], remove: ['E51'] });
    expect(s.stations.add).toEqual([{ id: '60', name: 'Station 60', location: { lat: 37.75, lon: -122.45 } }]);
    expect(s.volunteers).toEqual({ ...DEFAULT_SCENARIO.volunteers, shareOfResidents: 0.01 });
    expect(s.volunteerCalls).toEqual({ callTypes: ['Medical Incident'], priorities: ['3', '2'] });
    expect(s.thresholds).toEqual({ ...NFPA_1710, travelS: 300 });
    expect(s.grid.cellM).toBe(500);
    expect(s.recruitment).toEqual({ cells: 3, volunteersPerCell: 20 });
  });

  it('lets a unit be added to a station the same scenario adds', () => {
    const s = parseScenario({ stations: { add: [{ id: '60', location: { lat: 37.75, lon: -122.45 } }] }, units: { add: [{ id: 'E60', unitType: 'engine', stationId: '60' }] } }, known);
    expect(s.units.add[0]!.stationId).toBe('60');
    expect(s.stations.add[0]!.name).toBe('Station 60');
  });

  it('names the field of a bad unit type, with the value', () => {
    expect(problem({ units: { add: [{ id: 'T99', unitType: 'trukc', stationId: '9' }] } })).toMatch(/^scenario\.units\.add\[0\]\.unitType: unknown unit type "trukc"/);
  });

  it('rejects unknown keys at every level, so a typo is not silently ignored', () => {
    expect(problem({ polices: ['routed'] })).toMatch(/^scenario\.polices: unknown field/);
    expect(problem({ volunteers: { shareOfResident: 0.01 } })).toMatch(/^scenario\.volunteers\.shareOfResident: unknown field/);
    expect(problem({ units: { add: [{ id: 'X', unitType: 'engine', station: '9' }] } })).toMatch(/^scenario\.units\.add\[0\]\.station: unknown field/);
    expect(problem({ thresholds: { travel: 240 } })).toMatch(/^scenario\.thresholds\.travel: unknown field/);
    expect(problem({ stations: { move: [{ id: '9', location: { lat: 37.7, lng: -122.4 } }] } })).toMatch(/^scenario\.stations\.move\[0\]\.location\.lng: unknown field/);
  });

  it('wants availabilityByHour as 24 shares between 0 and 1', () => {
    expect(problem({ volunteers: { availabilityByHour: [0.1, 0.2] } })).toMatch(/^scenario\.volunteers\.availabilityByHour: expected 24 numbers/);
    const hours = Array.from({ length: 24 }, () => 0.2);
    hours[5] = 1.5;
    expect(problem({ volunteers: { availabilityByHour: hours } })).toMatch(/^scenario\.volunteers\.availabilityByHour\[5\]: 1\.5 is out of range 0\.\.1/);
    hours[5] = Number.NaN;
    expect(problem({ volunteers: { availabilityByHour: hours.map((h) => (Number.isNaN(h) ? 'x' : h)) } })).toMatch(/availabilityByHour\[5\]: expected a number, got "x"/);
    const ok = Array.from({ length: 24 }, (_, h) => h / 23);
    expect(parseScenario({ volunteers: { availabilityByHour: ok } }, known).volunteers.availabilityByHour).toEqual(ok);
  });

  it('wants shares between 0 and 1', () => {
    expect(problem({ volunteers: { shareOfResidents: 2 } })).toMatch(/^scenario\.volunteers\.shareOfResidents: 2 is out of range 0\.\.1/);
    expect(problem({ volunteers: { acceptanceRate: -0.1 } })).toMatch(/^scenario\.volunteers\.acceptanceRate: -0\.1 is out of range/);
  });

  it('takes only the known policies, at least one, each once', () => {
    expect(problem({ policies: ['routed', 'fastest'] })).toMatch(/^scenario\.policies\[1\]: unknown policy "fastest" \(known: straight_line, routed, routed_volunteers\)/);
    expect(problem({ policies: [] })).toMatch(/^scenario\.policies: name at least one policy/);
    expect(problem({ policies: ['routed', 'routed'] })).toMatch(/^scenario\.policies\[1\]: "routed" is given twice/);
    expect(problem({ policies: 'routed' })).toMatch(/^scenario\.policies: expected an array, got "routed"/);
  });

  it('wants existing ids to move or remove, new ids to add', () => {
    expect(problem({ units: { move: [{ id: 'E99', stationId: '9' }] } })).toMatch(/^scenario\.units\.move\[0\]\.id: unknown unit "E99"/);
    expect(problem({ units: { move: [{ id: 'E36', stationId: '77' }] } })).toMatch(/^scenario\.units\.move\[0\]\.stationId: unknown station "77"/);
    expect(problem({ units: { remove: ['E36', 'X1'] } })).toMatch(/^scenario\.units\.remove\[1\]: unknown unit "X1"/);
    expect(problem({ units: { add: [{ id: 'E36', unitType: 'engine', stationId: '9' }] } })).toMatch(/^scenario\.units\.add\[0\]\.id: unit "E36" already exists/);
    expect(problem({ units: { add: [{ id: 'E70', unitType: 'engine', stationId: '70' }] } })).toMatch(/^scenario\.units\.add\[0\]\.stationId: unknown station "70"/);
    expect(problem({ stations: { add: [{ id: '9', location: { lat: 37.7, lon: -122.4 } }] } })).toMatch(/^scenario\.stations\.add\[0\]\.id: station "9" already exists/);
    expect(problem({ stations: { move: [{ id: '99', location: { lat: 37.7, lon: -122.4 } }] } })).toMatch(/^scenario\.stations\.move\[0\]\.id: unknown station "99"/);
    expect(problem({ units: { move: [{ id: 'E36', stationId: '9' }], remove: ['E36'] } })).toMatch(/^scenario\.units\.move\[0\]\.id: unit "E36" is also removed/);
    expect(problem({ units: { add: [{ id: 'E70', unitType: 'engine', stationId: '9' }, { id: 'E70', unitType: 'engine', stationId: '1' }] } })).toMatch(/^scenario\.units\.add\[1\]: "E70" is given twice/);
  });

  it('names a missing required field and a bad location', () => {
    expect(problem({ units: { add: [{ id: 'E70', stationId: '9' }] } })).toMatch(/^scenario\.units\.add\[0\]\.unitType: required/);
    expect(problem({ stations: { add: [{ id: '60' }] } })).toMatch(/^scenario\.stations\.add\[0\]\.location: required/);
    expect(problem({ stations: { add: [{ id: '60', location: { lat: 137, lon: -122.4 } }] } })).toMatch(/^scenario\.stations\.add\[0\]\.location\.lat: 137 is out of range -90\.\.90/);
  });

  it('checks thresholds, grid and recruitment numbers', () => {
    expect(problem({ thresholds: { travelS: 0 } })).toMatch(/^scenario\.thresholds\.travelS: 0 is out of range/);
    expect(problem({ grid: { cellM: '1000' } })).toMatch(/^scenario\.grid\.cellM: expected a number, got "1000"/);
    expect(problem({ recruitment: { cells: 2.5 } })).toMatch(/^scenario\.recruitment\.cells: expected a whole number, got 2\.5/);
    expect(problem({ volunteerCalls: { callTypes: ['Medical Incident', 3] } })).toMatch(/^scenario\.volunteerCalls\.callTypes\[1\]: expected a non-empty string/);
  });

  it('rejects a file that is not an object, naming the whole scenario', () => {
    expect(problem([])).toMatch(/^scenario: expected an object, got an array/);
    expect(problem(null)).toMatch(/^scenario: expected an object, got null/);
    const e = (() => {
      try {
        parseScenario({ grid: { cellM: 5 } }, known);
      } catch (x) {
        return x as ScenarioError;
      }
    })();
    expect(e?.field).toBe('scenario.grid.cellM');
  });
});
