import { describe, expect, it } from 'vitest';
import type { PendingEvent } from './events.ts';
import { COMMITTED_UNIT_STATUSES, UNIT_STATUSES, UNIT_TRANSITIONS, type UnitStatus } from './statuses.ts';
import {
  at,
  changeStatus,
  given,
  incidentOf,
  incidentReceived,
  unitCommissioned,
  unitMoves,
  unitOf,
  unitsDispatched,
  type Story,
} from './test-kit.ts';

/**
 * How a medic (it can transport) comes to be in each status. Committed statuses are reached on
 * incident I1 by dispatch and then the unit's own moves.
 */
const ROUTE_TO: Record<UnitStatus, readonly UnitStatus[]> = {
  available: [],
  dispatched: [],
  en_route: ['en_route'],
  on_scene: ['en_route', 'on_scene'],
  transporting: ['en_route', 'on_scene', 'transporting'],
  at_hospital: ['en_route', 'on_scene', 'transporting', 'at_hospital'],
  returning: ['en_route', 'on_scene', 'transporting', 'at_hospital', 'returning'],
  out_of_service: [],
};

function medicIn(status: UnitStatus): Story {
  const history: PendingEvent[] = [unitCommissioned('M1', 'medic'), incidentReceived('I1', 'medical')];
  if (status === 'out_of_service') history.push(...unitMoves('M1', undefined, 'available', ['out_of_service']));
  else if (status !== 'available')
    history.push(...unitsDispatched('I1', ['M1']), ...unitMoves('M1', 'I1', 'dispatched', ROUTE_TO[status]));
  const story = given(history);
  expect(unitOf(story.world, 'M1').status).toBe(status);
  return story;
}

const pairs = UNIT_STATUSES.flatMap((from) => UNIT_STATUSES.map((to): [UnitStatus, UnitStatus] => [from, to]));
const legal = pairs.filter(([from, to]) => to !== 'dispatched' && UNIT_TRANSITIONS[from].includes(to));
const illegal = pairs.filter(([from, to]) => !UNIT_TRANSITIONS[from].includes(to));
const dispatchOnly = pairs.filter(([from, to]) => to === 'dispatched' && UNIT_TRANSITIONS[from].includes(to));

describe('the unit status machine, pair by pair (UNIT_TRANSITIONS)', () => {
  it('every pair of statuses is covered exactly once', () => {
    expect(legal.length + illegal.length + dispatchOnly.length).toBe(UNIT_STATUSES.length ** 2);
  });

  it.each(legal)('a unit can go from %s to %s', (from, to) => {
    const outcome = medicIn(from).when(changeStatus('M1', to));
    const decided = outcome.decision.ok ? outcome.decision.events : [];
    expect(decided[0]?.type, 'first event').toBe('UnitStatusChanged');
    const [first] = decided;
    expect(first?.stream).toBe('unit-M1');
    expect(first?.data).toMatchObject({ unitId: 'M1', from, to });
    // The event names the incident while the unit leaves a committed status, so the incident hears of it.
    const named = first?.type === 'UnitStatusChanged' ? first.data.incidentId : 'not a status change';
    expect(named).toBe(COMMITTED_UNIT_STATUSES.includes(from) ? 'I1' : undefined);
    expect(decided.slice(1).every((e) => e.type === 'IncidentStatusChanged')).toBe(true);
    expect(unitOf(outcome.after, 'M1').status).toBe(to);
  });

  it.each(illegal)('a unit cannot go from %s to %s', (from, to) => {
    const rejection = medicIn(from).when(changeStatus('M1', to)).thenRejected('IllegalTransition');
    expect(rejection.details).toMatchObject({ from, to });
  });

  it.each(dispatchOnly)('a unit cannot be moved from %s to %s by a status change, only by DispatchUnits', (from, to) => {
    const rejection = medicIn(from).when(changeStatus('M1', to)).thenRejected('IllegalTransition');
    expect(rejection.details).toMatchObject({ from, to: 'dispatched' });
  });
});

describe('unit status changes', () => {
  it('an unknown unit cannot change status', () => {
    given().when(changeStatus('M9', 'out_of_service')).thenRejected('UnknownUnit');
  });

  it('out of service is reachable from every other status', () => {
    for (const from of UNIT_STATUSES.filter((s) => s !== 'out_of_service'))
      expect(UNIT_TRANSITIONS[from]).toContain('out_of_service');
  });

  it('a unit is committed to its incident from dispatch until it leaves the committed statuses', () => {
    const story = medicIn('on_scene');
    expect(unitOf(story.world, 'M1').incidentId).toBe('I1');
    const after = story.when(changeStatus('M1', 'returning', at(20))).after;
    expect(unitOf(after, 'M1')).not.toHaveProperty('incidentId');
    expect(incidentOf(after, 'I1').assignments['M1']).toMatchObject({ status: 'returning', active: false });
  });

  it('a unit that breaks down mid-call is cleared from its incident', () => {
    const after = medicIn('transporting').when(changeStatus('M1', 'out_of_service', at(20))).after;
    expect(unitOf(after, 'M1')).toMatchObject({ status: 'out_of_service' });
    expect(unitOf(after, 'M1')).not.toHaveProperty('incidentId');
    expect(incidentOf(after, 'I1').assignments['M1']).toMatchObject({ active: false, clearedAt: new Date(at(20)).toISOString() });
  });

  it('a unit at hospital stays committed to its incident', () => {
    const after = medicIn('transporting').when(changeStatus('M1', 'at_hospital', at(20))).after;
    expect(unitOf(after, 'M1')).toMatchObject({ status: 'at_hospital', incidentId: 'I1' });
    expect(incidentOf(after, 'I1').assignments['M1']).toMatchObject({ status: 'at_hospital', active: true });
  });

  it('a status change carries its reason and the time of the command', () => {
    const [e] = medicIn('available')
      .when({ type: 'ChangeUnitStatus', now: at(7), unitId: 'M1', status: 'out_of_service', reason: 'flat tyre' })
      .thenEvents('UnitStatusChanged');
    expect(e).toMatchObject({ at: new Date(at(7)).toISOString(), data: { reason: 'flat tyre' } });
    expect(e?.data).not.toHaveProperty('incidentId');
  });

  it('a unit back in service is available again', () => {
    const after = medicIn('out_of_service').when(changeStatus('M1', 'available')).after;
    expect(unitOf(after, 'M1')).toMatchObject({ status: 'available', statusChangedAt: new Date(at(4)).toISOString() });
  });
});
