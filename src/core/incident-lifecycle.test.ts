import { describe, expect, it } from 'vitest';
import { isoAt } from './ids.ts';
import {
  at,
  cancel,
  changeStatus,
  close,
  details,
  given,
  incidentOf,
  incidentReceived,
  incidentStatusChanged,
  receive,
  resolve,
  unitCommissioned,
  unitMoves,
  unitOf,
  unitsDispatched,
  update,
} from './test-kit.ts';

const fleet = [unitCommissioned('E1', 'engine'), unitCommissioned('E2', 'engine'), unitCommissioned('M1', 'medic')];

describe('receiving an incident', () => {
  it('a call is received as a new incident with its details', () => {
    const outcome = given().when(receive('I1', details('cardiac_arrest', { floor: '4' }), at(1)));
    const [e] = outcome.thenEvents('IncidentReceived');
    expect(e).toMatchObject({
      stream: 'incident-I1',
      at: isoAt(at(1)),
      data: { incidentId: 'I1', nature: 'cardiac_arrest', floor: '4' },
    });
    expect(incidentOf(outcome.after, 'I1')).toMatchObject({
      status: 'received',
      receivedAt: isoAt(at(1)),
      assignments: {},
      duplicates: [],
    });
  });

  it('an incident of an unknown nature is refused', () => {
    given()
      .when(receive('I1', details('structure_fire', { nature: 'alien_landing' })))
      .thenRejected('UnknownNature');
  });

  it.each([
    ['a latitude past the pole', { lat: 91, lon: 0 }],
    ['a longitude past the antimeridian', { lat: 0, lon: -180.5 }],
    ['a coordinate that is not a number', { lat: Number.NaN, lon: 2 }],
  ])('an incident at %s is refused', (_what, location) => {
    given()
      .when(receive('I1', details('structure_fire', { location })))
      .thenRejected('InvalidLocation');
  });

  it('an incident id cannot be received twice', () => {
    given(incidentReceived('I1')).when(receive('I1')).thenRejected('IncidentAlreadyExists');
  });
});

describe('updating an incident', () => {
  it('details are corrected while the incident is open, keeping the fields not named', () => {
    const outcome = given(incidentReceived('I1', 'structure_fire', at(0), { floor: '2' })).when(
      update('I1', { floor: '3', access: 'rear door' }),
    );
    outcome.thenEvents('IncidentDetailsUpdated');
    expect(incidentOf(outcome.after, 'I1').details).toMatchObject({ nature: 'structure_fire', floor: '3', access: 'rear door' });
  });

  it('an update that names no field is refused', () => {
    given(incidentReceived('I1')).when(update('I1', {})).thenRejected('NothingToChange');
  });

  it('an update to an unknown nature is refused', () => {
    given(incidentReceived('I1'))
      .when(update('I1', { nature: 'alien_landing' }))
      .thenRejected('UnknownNature');
  });

  it('an update to an invalid location is refused', () => {
    given(incidentReceived('I1'))
      .when(update('I1', { location: { lat: 0, lon: 200 } }))
      .thenRejected('InvalidLocation');
  });

  it('an unknown incident cannot be updated', () => {
    given()
      .when(update('I9', { floor: '1' }))
      .thenRejected('UnknownIncident');
  });

  it('a resolved incident can still be corrected, for the report', () => {
    given(incidentReceived('I1'), incidentStatusChanged('I1', 'received', 'resolved'))
      .when(update('I1', { notes: 'false alarm, burnt toast' }))
      .thenEvents('IncidentDetailsUpdated');
  });

  it.each(['closed', 'cancelled'] as const)('a %s incident cannot be updated', (status) => {
    given(incidentReceived('I1'), incidentStatusChanged('I1', 'received', status))
      .when(update('I1', { floor: '1' }))
      .thenRejected('IncidentClosed');
  });
});

describe('units moving the incident forward', () => {
  const dispatchedE1E2 = given(fleet, incidentReceived('I1'), unitsDispatched('I1', ['E1', 'E2']));

  it('the first unit en route moves the incident to en_route', () => {
    const outcome = dispatchedE1E2.when(changeStatus('E1', 'en_route', at(3)));
    const [, moved] = outcome.thenEvents('UnitStatusChanged', 'IncidentStatusChanged');
    expect(moved?.data).toMatchObject({ incidentId: 'I1', from: 'dispatched', to: 'en_route', reason: 'E1 en route' });
    const incident = incidentOf(outcome.after, 'I1');
    expect(incident.status).toBe('en_route');
    expect(incident.assignments['E1']).toMatchObject({ status: 'en_route', active: true, enRouteAt: isoAt(at(3)) });
  });

  it('a unit on scene moves the incident to on_scene, even straight from dispatched', () => {
    const outcome = dispatchedE1E2.when(changeStatus('E2', 'on_scene', at(4)));
    const [, moved] = outcome.thenEvents('UnitStatusChanged', 'IncidentStatusChanged');
    expect(moved?.data).toMatchObject({ from: 'dispatched', to: 'on_scene', reason: 'E2 on scene' });
    expect(incidentOf(outcome.after, 'I1').assignments['E2']).toMatchObject({ onSceneAt: isoAt(at(4)) });
  });

  it('a unit on scene moves an en-route incident to on_scene', () => {
    dispatchedE1E2
      .and(unitMoves('E1', 'I1', 'dispatched', ['en_route']), incidentStatusChanged('I1', 'dispatched', 'en_route'))
      .when(changeStatus('E1', 'on_scene'))
      .thenEvents('UnitStatusChanged', 'IncidentStatusChanged');
  });

  it('a second unit en route does not move an on-scene incident backward', () => {
    const story = dispatchedE1E2.and(
      unitMoves('E1', 'I1', 'dispatched', ['on_scene']),
      incidentStatusChanged('I1', 'dispatched', 'on_scene'),
    );
    const outcome = story.when(changeStatus('E2', 'en_route'));
    outcome.thenEvents('UnitStatusChanged');
    expect(incidentOf(outcome.after, 'I1').status).toBe('on_scene');
  });

  it('a unit en route does not move an incident that is already en route', () => {
    dispatchedE1E2
      .and(unitMoves('E1', 'I1', 'dispatched', ['en_route']), incidentStatusChanged('I1', 'dispatched', 'en_route'))
      .when(changeStatus('E2', 'en_route'))
      .thenEvents('UnitStatusChanged');
  });

  it('units arriving at a resolved incident do not reopen it', () => {
    const outcome = dispatchedE1E2
      .and(incidentStatusChanged('I1', 'dispatched', 'resolved'))
      .when(changeStatus('E1', 'on_scene'));
    outcome.thenEvents('UnitStatusChanged');
    expect(incidentOf(outcome.after, 'I1').status).toBe('resolved');
  });

  it('a unit leaving the scene clears its assignment but leaves the incident status alone', () => {
    const story = dispatchedE1E2.and(
      unitMoves('E1', 'I1', 'dispatched', ['on_scene']),
      incidentStatusChanged('I1', 'dispatched', 'on_scene'),
    );
    const outcome = story.when(changeStatus('E1', 'returning', at(20)));
    outcome.thenEvents('UnitStatusChanged');
    const incident = incidentOf(outcome.after, 'I1');
    expect(incident.status).toBe('on_scene');
    expect(incident.assignments['E1']).toMatchObject({ status: 'returning', active: false, clearedAt: isoAt(at(20)) });
  });
});

describe('cancelling an incident', () => {
  it('cancelling stands down every unit still committed to it', () => {
    const story = given(
      fleet,
      incidentReceived('I1'),
      unitsDispatched('I1', ['E1', 'E2', 'M1']),
      unitMoves('E2', 'I1', 'dispatched', ['en_route']),
      unitMoves('M1', 'I1', 'dispatched', ['on_scene']),
    );
    const outcome = story.when(cancel('I1', 'caller called back: no fire'));
    const [status, ...standDowns] = outcome.thenEvents(
      'IncidentStatusChanged',
      'UnitStatusChanged',
      'UnitStatusChanged',
      'UnitStatusChanged',
    );
    expect(status?.data).toMatchObject({ from: 'dispatched', to: 'cancelled', reason: 'caller called back: no fire' });
    expect(standDowns.map((e) => e.data)).toEqual([
      { unitId: 'E1', from: 'dispatched', to: 'available', incidentId: 'I1', reason: 'incident cancelled' },
      { unitId: 'E2', from: 'en_route', to: 'available', incidentId: 'I1', reason: 'incident cancelled' },
      { unitId: 'M1', from: 'on_scene', to: 'available', incidentId: 'I1', reason: 'incident cancelled' },
    ]);
    for (const id of ['E1', 'E2', 'M1']) {
      expect(unitOf(outcome.after, id).status).toBe('available');
      expect(unitOf(outcome.after, id)).not.toHaveProperty('incidentId');
      expect(incidentOf(outcome.after, 'I1').assignments[id]?.active).toBe(false);
    }
  });

  it('cancelling leaves a unit that is transporting or at hospital with its patient', () => {
    const story = given(
      fleet,
      incidentReceived('I1', 'medical'),
      unitsDispatched('I1', ['M1', 'E1']),
      unitMoves('M1', 'I1', 'dispatched', ['on_scene', 'transporting']),
    );
    const outcome = story.when(cancel('I1'));
    const [, standDown] = outcome.thenEvents('IncidentStatusChanged', 'UnitStatusChanged');
    expect(standDown?.data).toMatchObject({ unitId: 'E1', to: 'available' });
    expect(unitOf(outcome.after, 'M1')).toMatchObject({ status: 'transporting', incidentId: 'I1' });
    expect(incidentOf(outcome.after, 'I1').assignments['M1']?.active).toBe(true);
  });

  it('an incident with no unit is cancelled alone', () => {
    given(incidentReceived('I1')).when(cancel('I1')).thenEvents('IncidentStatusChanged');
  });

  it.each(['resolved', 'closed', 'cancelled'] as const)('a %s incident cannot be cancelled', (status) => {
    given(incidentReceived('I1'), incidentStatusChanged('I1', 'received', status))
      .when(cancel('I1'))
      .thenRejected('IncidentClosed');
  });

  it('an unknown incident cannot be cancelled', () => {
    given().when(cancel('I9')).thenRejected('UnknownIncident');
  });
});

describe('resolving and closing an incident', () => {
  it.each(['received', 'dispatched', 'en_route', 'on_scene'] as const)('a %s incident can be resolved', (status) => {
    const story =
      status === 'received'
        ? given(incidentReceived('I1'))
        : given(incidentReceived('I1'), incidentStatusChanged('I1', 'received', status));
    const [e] = story.when(resolve('I1', 'fire out')).thenEvents('IncidentStatusChanged');
    expect(e?.data).toEqual({ incidentId: 'I1', from: status, to: 'resolved', reason: 'fire out' });
  });

  it('resolving leaves units committed until they clear', () => {
    const outcome = given(fleet, incidentReceived('I1'), unitsDispatched('I1', ['E1'])).when(resolve('I1'));
    expect(unitOf(outcome.after, 'E1')).toMatchObject({ status: 'dispatched', incidentId: 'I1' });
    expect(incidentOf(outcome.after, 'I1')).toMatchObject({ status: 'resolved', assignments: { E1: { active: true } } });
  });

  it.each(['resolved', 'closed', 'cancelled'] as const)('a %s incident cannot be resolved', (status) => {
    given(incidentReceived('I1'), incidentStatusChanged('I1', 'received', status))
      .when(resolve('I1'))
      .thenRejected('IncidentClosed');
  });

  it('a resolved incident with no unit committed closes', () => {
    const story = given(
      fleet,
      incidentReceived('I1'),
      unitsDispatched('I1', ['E1']),
      unitMoves('E1', 'I1', 'dispatched', ['on_scene', 'returning']),
      incidentStatusChanged('I1', 'dispatched', 'resolved'),
    );
    const outcome = story.when(close('I1', 'report filed', at(90)));
    const [e] = outcome.thenEvents('IncidentStatusChanged');
    expect(e?.data).toEqual({ incidentId: 'I1', from: 'resolved', to: 'closed', reason: 'report filed' });
    expect(incidentOf(outcome.after, 'I1')).toMatchObject({ status: 'closed', statusChangedAt: isoAt(at(90)) });
  });

  it('a resolved incident does not close while a unit is still committed to it', () => {
    const story = given(
      fleet,
      incidentReceived('I1'),
      unitsDispatched('I1', ['E1', 'E2']),
      unitMoves('E2', 'I1', 'dispatched', ['available']),
    );
    const rejection = story
      .and(incidentStatusChanged('I1', 'dispatched', 'resolved'))
      .when(close('I1'))
      .thenRejected('IncidentHasActiveUnits');
    expect(rejection.details).toEqual({ unitIds: ['E1'] });
  });

  it.each(['received', 'dispatched', 'en_route', 'on_scene', 'closed', 'cancelled'] as const)(
    'a %s incident cannot be closed: only a resolved one can',
    (status) => {
      const story =
        status === 'received'
          ? given(incidentReceived('I1'))
          : given(incidentReceived('I1'), incidentStatusChanged('I1', 'received', status));
      expect(story.when(close('I1')).thenRejected('IllegalTransition').details).toEqual({ from: status, to: 'closed' });
    },
  );

  it('an unknown incident cannot be resolved or closed', () => {
    given().when(resolve('I9')).thenRejected('UnknownIncident');
    given().when(close('I9')).thenRejected('UnknownIncident');
  });
});
