import { describe, expect, it } from 'vitest';
import unitTypesFile from '../../config/unit-types.json' with { type: 'json' };
import type { DecideRules } from './decide.ts';
import { isUnitStatus, type UnitStatus } from './statuses.ts';
import { RULES, changeStatus, given, incidentReceived, unitCommissioned, unitMoves, unitsDispatched } from './test-kit.ts';

/** The statuses each unit type may take, as config/unit-types.json lists them. */
const TYPES: Readonly<Record<string, { readonly capabilities: readonly string[]; readonly statuses?: readonly string[] }>> = unitTypesFile.types;
const STATUSES = new Map(
  Object.entries(TYPES).map(([name, t]) => [name, (t.statuses ?? []).filter(isUnitStatus)] as [string, UnitStatus[]]),
);
const BY_TYPE: DecideRules = { ...RULES, unitStatuses: STATUSES };

/** A unit of `unitType` on scene at incident I1. */
const onScene = (unitType: string) =>
  given(
    unitCommissioned('U1', unitType),
    incidentReceived('I1', 'medical'),
    unitsDispatched('I1', ['U1']),
    unitMoves('U1', 'I1', 'dispatched', ['en_route', 'on_scene']),
  );

describe('the statuses a unit may take depend on its type (config/unit-types.json)', () => {
  it.each([['transporting'], ['at_hospital']] as const)('an engine cannot go %s: it has no patient compartment', (status) => {
    const r = onScene('engine').when(changeStatus('U1', status), BY_TYPE).thenRejected('StatusNotAllowedForUnitType');
    expect(r.details).toMatchObject({ unitId: 'U1', unitType: 'engine', status });
    expect(r.details?.['allowed']).not.toContain(status);
  });

  it('a medic on scene goes transporting', () => {
    onScene('medic').when(changeStatus('U1', 'transporting'), BY_TYPE).thenEvents('UnitStatusChanged');
  });

  it('an engine on scene still goes returning and available', () => {
    onScene('engine').when(changeStatus('U1', 'returning'), BY_TYPE).thenEvents('UnitStatusChanged');
    onScene('engine').when(changeStatus('U1', 'available'), BY_TYPE).thenEvents('UnitStatusChanged');
  });

  it('an illegal move names as allowed only the next statuses the unit’s type may take', () => {
    const r = onScene('engine').when(changeStatus('U1', 'en_route'), BY_TYPE).thenRejected('IllegalTransition');
    expect(r.details?.['allowed']).toEqual(['returning', 'available', 'out_of_service']);
  });

  it('a unit type the rules do not list takes every status', () => {
    const unlisted: DecideRules = { ...RULES, unitStatuses: new Map() };
    onScene('engine').when(changeStatus('U1', 'transporting'), unlisted).thenEvents('UnitStatusChanged');
  });

  it('in the bundled unit types exactly the types that transport take transporting and at_hospital', () => {
    for (const [name, t] of Object.entries(TYPES)) {
      const transports = t.capabilities.includes('transport');
      expect(t.statuses, name).toBeDefined();
      expect(t.statuses?.includes('transporting'), `${name} transporting`).toBe(transports);
      expect(t.statuses?.includes('at_hospital'), `${name} at_hospital`).toBe(transports);
      expect(t.statuses, name).toEqual(expect.arrayContaining(['available', 'dispatched', 'out_of_service']));
    }
  });
});
