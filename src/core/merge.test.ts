import { describe, expect, it } from 'vitest';
import {
  given,
  incidentOf,
  incidentReceived,
  incidentStatusChanged,
  merge,
  unitCommissioned,
  unitMoves,
  unitsDispatched,
} from './test-kit.ts';

/** I1 is the first call about a fire; I2 a second caller about the same fire. */
const twoCalls = given(unitCommissioned('E1', 'engine'), incidentReceived('I1'), incidentReceived('I2'));

describe('merging a duplicate report', () => {
  it('a duplicate is cancelled and recorded on the incident it repeats', () => {
    const outcome = twoCalls.when(merge('I2', 'I1'));
    const [merged, cancelled, duplicate] = outcome.thenEvents('IncidentMerged', 'IncidentStatusChanged', 'DuplicateMerged');
    expect(merged).toMatchObject({ stream: 'incident-I2', data: { incidentId: 'I2', into: 'I1' } });
    expect(cancelled).toMatchObject({
      stream: 'incident-I2',
      data: { incidentId: 'I2', from: 'received', to: 'cancelled', reason: 'duplicate of I1' },
    });
    expect(duplicate).toMatchObject({ stream: 'incident-I1', data: { incidentId: 'I1', duplicateId: 'I2' } });
    expect(incidentOf(outcome.after, 'I2')).toMatchObject({ status: 'cancelled', mergedInto: 'I1' });
    expect(incidentOf(outcome.after, 'I1')).toMatchObject({ status: 'received', duplicates: ['I2'] });
  });

  it('a second duplicate is added to the first', () => {
    const firstMerged = twoCalls.and(incidentReceived('I3')).when(merge('I2', 'I1')).story;
    expect(incidentOf(firstMerged.when(merge('I3', 'I1')).after, 'I1').duplicates).toEqual(['I2', 'I3']);
  });

  it('an incident cannot be merged into itself', () => {
    twoCalls.when(merge('I1', 'I1')).thenRejected('CannotMergeIntoItself');
  });

  it('an unknown duplicate or an unknown target is refused', () => {
    expect(twoCalls.when(merge('I9', 'I1')).thenRejected('UnknownIncident').details).toEqual({ incidentId: 'I9' });
    expect(twoCalls.when(merge('I2', 'I9')).thenRejected('UnknownIncident').details).toEqual({ incidentId: 'I9' });
  });

  it.each(['resolved', 'closed', 'cancelled'] as const)('a duplicate cannot be merged into a %s incident', (status) => {
    const rejection = twoCalls
      .and(incidentStatusChanged('I1', 'received', status))
      .when(merge('I2', 'I1'))
      .thenRejected('IncidentClosed');
    expect(rejection.details).toEqual({ incidentId: 'I1', status });
  });

  it.each(['resolved', 'closed', 'cancelled'] as const)('a %s incident cannot be merged as a duplicate', (status) => {
    const rejection = twoCalls
      .and(incidentStatusChanged('I2', 'received', status))
      .when(merge('I2', 'I1'))
      .thenRejected('IncidentClosed');
    expect(rejection.details).toEqual({ incidentId: 'I2', status });
  });

  it('a duplicate with a unit committed to it must stand the unit down first', () => {
    const rejection = twoCalls
      .and(unitsDispatched('I2', ['E1']))
      .when(merge('I2', 'I1'))
      .thenRejected('IncidentHasActiveUnits');
    expect(rejection.details).toEqual({ unitIds: ['E1'] });
  });

  it('a duplicate whose units have cleared can be merged', () => {
    twoCalls
      .and(unitsDispatched('I2', ['E1']), unitMoves('E1', 'I2', 'dispatched', ['available']))
      .when(merge('I2', 'I1'))
      .thenEvents('IncidentMerged', 'IncidentStatusChanged', 'DuplicateMerged');
  });

  it('the incident a duplicate repeats may have units on the way', () => {
    const outcome = twoCalls.and(unitsDispatched('I1', ['E1'])).when(merge('I2', 'I1'));
    outcome.thenEvents('IncidentMerged', 'IncidentStatusChanged', 'DuplicateMerged');
    expect(incidentOf(outcome.after, 'I1')).toMatchObject({ status: 'dispatched', assignments: { E1: { active: true } } });
  });
});
