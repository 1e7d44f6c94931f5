import { describe, expect, it } from 'vitest';
import { isoAt } from './ids.ts';
import {
  at,
  dispatch,
  given,
  incidentOf,
  incidentReceived,
  incidentStatusChanged,
  unitCommissioned,
  unitMoves,
  unitOf,
  unitsDispatched,
} from './test-kit.ts';

const fleet = [unitCommissioned('E1', 'engine'), unitCommissioned('E2', 'engine'), unitCommissioned('T1', 'truck')];

describe('dispatching units', () => {
  it('dispatching to a received incident commits the units and moves the incident to dispatched', () => {
    const outcome = given(fleet, incidentReceived('I1')).when(dispatch('I1', ['E1', 'T1'], at(2)));
    const [head, status, e1, t1] = outcome.thenEvents(
      'UnitsDispatched',
      'IncidentStatusChanged',
      'UnitStatusChanged',
      'UnitStatusChanged',
    );
    expect(head).toMatchObject({ stream: 'incident-I1', at: isoAt(at(2)), data: { incidentId: 'I1', unitIds: ['E1', 'T1'] } });
    expect(status?.data).toEqual({ incidentId: 'I1', from: 'received', to: 'dispatched', reason: 'units dispatched' });
    expect(e1).toMatchObject({
      stream: 'unit-E1',
      data: { unitId: 'E1', from: 'available', to: 'dispatched', incidentId: 'I1' },
    });
    expect(t1).toMatchObject({
      stream: 'unit-T1',
      data: { unitId: 'T1', from: 'available', to: 'dispatched', incidentId: 'I1' },
    });
  });

  it('a dispatched unit is committed to the incident and is one of its active assignments', () => {
    const after = given(fleet, incidentReceived('I1')).when(dispatch('I1', ['E1'], at(2))).after;
    expect(unitOf(after, 'E1')).toMatchObject({ status: 'dispatched', incidentId: 'I1', statusChangedAt: isoAt(at(2)) });
    expect(incidentOf(after, 'I1')).toMatchObject({
      status: 'dispatched',
      assignments: { E1: { unitId: 'E1', status: 'dispatched', active: true, dispatchedAt: isoAt(at(2)) } },
    });
  });

  it('more units sent to an incident already under way leave its status alone', () => {
    const story = given(
      fleet,
      incidentReceived('I1'),
      unitsDispatched('I1', ['E1']),
      unitMoves('E1', 'I1', 'dispatched', ['en_route']),
      incidentStatusChanged('I1', 'dispatched', 'en_route'),
    );
    const outcome = story.when(dispatch('I1', ['E2']));
    outcome.thenEvents('UnitsDispatched', 'UnitStatusChanged');
    expect(incidentOf(outcome.after, 'I1').status).toBe('en_route');
    expect(Object.keys(incidentOf(outcome.after, 'I1').assignments)).toEqual(['E1', 'E2']);
  });

  it('a unit named twice is dispatched once', () => {
    const [head, , ...units] = given(fleet, incidentReceived('I1'))
      .when(dispatch('I1', ['E1', 'E2', 'E1']))
      .thenEvents('UnitsDispatched', 'IncidentStatusChanged', 'UnitStatusChanged', 'UnitStatusChanged');
    expect(head?.data).toEqual({ incidentId: 'I1', unitIds: ['E1', 'E2'] });
    expect(units.map((e) => e.stream)).toEqual(['unit-E1', 'unit-E2']);
  });

  it('a returning unit can be sent straight to a new incident', () => {
    const story = given(
      fleet,
      incidentReceived('I1'),
      unitsDispatched('I1', ['E1']),
      unitMoves('E1', 'I1', 'dispatched', ['on_scene', 'returning']),
      incidentReceived('I2', 'outside_fire'),
    );
    const outcome = story.when(dispatch('I2', ['E1']));
    const [, , moved] = outcome.thenEvents('UnitsDispatched', 'IncidentStatusChanged', 'UnitStatusChanged');
    expect(moved?.data).toEqual({ unitId: 'E1', from: 'returning', to: 'dispatched', incidentId: 'I2' });
    expect(unitOf(outcome.after, 'E1').incidentId).toBe('I2');
    expect(incidentOf(outcome.after, 'I1').assignments['E1']?.active).toBe(false);
    expect(incidentOf(outcome.after, 'I2').assignments['E1']?.active).toBe(true);
  });

  it('an unknown unit cannot be dispatched, and none of the others go', () => {
    const rejection = given(fleet, incidentReceived('I1'))
      .when(dispatch('I1', ['E1', 'E9']))
      .thenRejected('UnknownUnit');
    expect(rejection.details).toEqual({ unitId: 'E9' });
  });

  it('a unit committed elsewhere cannot be dispatched, and none of the others go', () => {
    const story = given(fleet, incidentReceived('I1'), unitsDispatched('I1', ['E2']), incidentReceived('I2'));
    const outcome = story.when(dispatch('I2', ['E1', 'E2', 'T1']));
    const rejection = outcome.thenRejected('UnitNotAvailable');
    expect(rejection.details).toEqual({ unitId: 'E2', status: 'dispatched', incidentId: 'I1' });
    expect(unitOf(outcome.after, 'E1').status).toBe('available');
    expect(incidentOf(outcome.after, 'I2')).toMatchObject({ status: 'received', assignments: {} });
  });

  it('a unit already on this incident cannot be dispatched to it again', () => {
    given(fleet, incidentReceived('I1'), unitsDispatched('I1', ['E1']))
      .when(dispatch('I1', ['E1']))
      .thenRejected('UnitNotAvailable');
  });

  it('an out-of-service unit cannot be dispatched', () => {
    const rejection = given(fleet, unitMoves('T1', undefined, 'available', ['out_of_service']), incidentReceived('I1'))
      .when(dispatch('I1', ['T1']))
      .thenRejected('UnitNotAvailable');
    expect(rejection.details).toEqual({ unitId: 'T1', status: 'out_of_service' });
  });

  it('a dispatch that names no unit is refused and leaves the incident received', () => {
    const outcome = given(fleet, incidentReceived('I1')).when(dispatch('I1', []));
    outcome.thenRejected('NothingToChange');
    expect(incidentOf(outcome.after, 'I1').status).toBe('received');
  });

  it('units cannot be dispatched to an unknown incident', () => {
    given(fleet)
      .when(dispatch('I9', ['E1']))
      .thenRejected('UnknownIncident');
  });

  it.each(['resolved', 'closed', 'cancelled'] as const)('units cannot be dispatched to a %s incident', (status) => {
    given(fleet, incidentReceived('I1'), incidentStatusChanged('I1', 'received', status))
      .when(dispatch('I1', ['E1']))
      .thenRejected('IncidentClosed');
  });
});
