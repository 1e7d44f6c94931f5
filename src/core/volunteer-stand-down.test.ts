import { describe, expect, it } from 'vitest';
import { isoAt } from './ids.ts';
import { given, incidentReceived, incidentStatusChanged, T0, unitCommissioned, unitMoves, unitsDispatched } from './test-kit.ts';
import {
  VRULES,
  acceptBy,
  nextWave,
  ofType,
  responseOf,
  sec,
  standDown,
  start,
  volunteerOf,
  volunteers,
} from './volunteer-test-kit.ts';

/*
 * A cardiac arrest with seven CPR volunteers in reach: V1..V5 alerted in wave 1, wave 2 scheduled
 * at 35 s; engine E1 dispatched. V1 accepts at 20 s and gets cpr.
 */
const ids = ['V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'V7'];
const base = given(
  incidentReceived('I1', 'cardiac_arrest', T0),
  volunteers(ids),
  unitCommissioned('E1', 'engine'),
  unitsDispatched('I1', ['E1'], T0),
);
const alerting = base.when(
  start(
    'I1',
    ids.map((id, i) => [id, 60 + 10 * i] as const),
  ),
  VRULES,
).story;
const oneAccepted = alerting.when(acceptBy('V1', 'I1', sec(20)), VRULES).story;
const onScene = (story = oneAccepted) =>
  story.and(
    unitMoves('E1', 'I1', 'dispatched', ['on_scene'], sec(30)),
    incidentStatusChanged('I1', 'dispatched', 'on_scene', sec(30)),
  );

describe('standing volunteers down', () => {
  it('when the first unit is on scene, every open alert is withdrawn once and the scheduled wave is cancelled', () => {
    const outcome = onScene().when(standDown('I1', 'first_unit_on_scene', sec(31)), VRULES);
    const events = outcome.thenEvents(
      'VolunteerStoodDown',
      'VolunteerStoodDown',
      'VolunteerStoodDown',
      'VolunteerStoodDown',
      'VolunteerWaveCancelled',
      'VolunteerResponseStatusChanged',
    );
    expect(ofType(events, 'VolunteerStoodDown').map((e) => e.data)).toEqual(
      ['V2', 'V3', 'V4', 'V5'].map((v) => ({
        incidentId: 'I1',
        volunteerId: v,
        alertId: `I1.${v}`,
        reason: 'first_unit_on_scene',
        detail: 'the first unit is on scene',
        wasAccepted: false,
      })),
    );
    expect(events[4]?.data).toEqual({ incidentId: 'I1', wave: 2, reason: 'the first unit is on scene' });
    // V1 is doing CPR: the crew releases them on scene, not the system.
    expect(responseOf(outcome.after, 'I1')).toMatchObject({
      status: 'complete',
      statusReason: 'first_unit_on_scene',
      statusChangedAt: isoAt(sec(31)),
    });
    expect(responseOf(outcome.after, 'I1').alerts['I1.V1']?.status).toBe('accepted');
    expect(volunteerOf(outcome.after, 'V2').activeAlerts).toEqual({});
  });

  it('when the incident is cancelled, accepted volunteers are stood down too', () => {
    const story = oneAccepted.and(incidentStatusChanged('I1', 'dispatched', 'cancelled', sec(40)));
    const events = story
      .when(standDown('I1', 'incident_cancelled', sec(41)), VRULES)
      .thenEvents(
        'VolunteerStoodDown',
        'VolunteerStoodDown',
        'VolunteerStoodDown',
        'VolunteerStoodDown',
        'VolunteerStoodDown',
        'VolunteerWaveCancelled',
        'VolunteerResponseStatusChanged',
      );
    expect(ofType(events, 'VolunteerStoodDown').map((e) => [e.data.volunteerId, e.data.wasAccepted])).toEqual([
      ['V1', true],
      ['V2', false],
      ['V3', false],
      ['V4', false],
      ['V5', false],
    ]);
    expect(events[6]?.data).toEqual({
      incidentId: 'I1',
      from: 'alerting',
      to: 'stood_down',
      reason: 'incident_cancelled',
      detail: 'incident I1 was cancelled',
    });
  });

  it('a response already complete is stood down fully when the incident is resolved', () => {
    const complete = onScene().when(standDown('I1', 'first_unit_on_scene', sec(31)), VRULES).story;
    const resolved = complete.and(incidentStatusChanged('I1', 'on_scene', 'resolved', sec(600)));
    const events = resolved
      .when(standDown('I1', 'incident_resolved', sec(601)), VRULES)
      .thenEvents('VolunteerStoodDown', 'VolunteerResponseStatusChanged');
    expect(events[0]?.data).toMatchObject({ volunteerId: 'V1', wasAccepted: true, reason: 'incident_resolved' });
    expect(volunteerOf(resolved.when(standDown('I1', 'incident_resolved', sec(601)), VRULES).after, 'V1').activeAlerts).toEqual(
      {},
    );
  });

  it('a dispatcher may decide there are enough volunteers once one has accepted', () => {
    alerting.when(standDown('I1', 'enough_accepted', sec(25)), VRULES).thenRejected('IllegalTransition');
    const events = oneAccepted
      .when(standDown('I1', 'enough_accepted', sec(25)), VRULES)
      .thenEvents(
        'VolunteerStoodDown',
        'VolunteerStoodDown',
        'VolunteerStoodDown',
        'VolunteerStoodDown',
        'VolunteerWaveCancelled',
        'VolunteerResponseStatusChanged',
      );
    expect(events[0]?.data).toMatchObject({
      reason: 'enough_accepted',
      detail: 'the dispatcher has enough volunteers (1 accepted)',
    });
  });

  it('the reason given must be true of the incident', () => {
    alerting.when(standDown('I1', 'first_unit_on_scene', sec(25)), VRULES).thenRejected('IllegalTransition');
    alerting.when(standDown('I1', 'incident_cancelled', sec(25)), VRULES).thenRejected('IllegalTransition');
    alerting.when(standDown('I1', 'incident_resolved', sec(25)), VRULES).thenRejected('IllegalTransition');
    base.when(standDown('I1', 'incident_cancelled', sec(25)), VRULES).thenRejected('UnknownVolunteerResponse');
  });

  it('after a stand-down nothing more goes out: no wave, no acceptance, no second stand-down', () => {
    const down = oneAccepted
      .and(incidentStatusChanged('I1', 'dispatched', 'cancelled', sec(40)))
      .when(standDown('I1', 'incident_cancelled', sec(41)), VRULES).story;
    down.when(nextWave('I1', 2, sec(60)), VRULES).thenRejected('VolunteerResponseEnded');
    down.when(acceptBy('V2', 'I1', sec(60)), VRULES).thenRejected('AlertNotOpen');
    down.when(standDown('I1', 'incident_cancelled', sec(60)), VRULES).thenRejected('VolunteerResponseEnded');
    onScene()
      .when(standDown('I1', 'first_unit_on_scene', sec(31)), VRULES)
      .story.when(standDown('I1', 'first_unit_on_scene', sec(32)), VRULES)
      .thenRejected('NothingToChange');
  });

  it('a volunteer cannot accept once the incident is no longer open', () => {
    oneAccepted
      .and(incidentStatusChanged('I1', 'dispatched', 'cancelled', sec(40)))
      .when(acceptBy('V2', 'I1', sec(41)), VRULES)
      .thenRejected('IncidentClosed');
  });
});
