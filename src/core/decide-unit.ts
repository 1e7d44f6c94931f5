import type { Command } from './commands.ts';
import { accept, on, type Decision } from './decision.ts';
import type { PendingEvent } from './events.ts';
import type { IncidentId, StationId, UnitId } from './ids.ts';
import { isValidLatLon } from './lat-lon.ts';
import { incidentIn, stationIn, unitIn, type Loaded } from './loaded.ts';
import { reject } from './rejection.ts';
import { COMMITTED_UNIT_STATUSES, UNIT_TRANSITIONS, type IncidentStatus, type UnitStatus } from './statuses.ts';
import { incidentStream, stationStream, unitStream } from './streams.ts';

type Cmd<T extends Command['type']> = Extract<Command, { type: T }>;

/** What the core needs to know about configuration to decide unit commands. */
export interface UnitRules {
  /** The statuses each unit type may take (config/unit-types.json); a type not listed takes every status. */
  readonly unitStatuses?: ReadonlyMap<string, readonly UnitStatus[]>;
}

export function openStation(c: Cmd<'OpenStation'>, l: Loaded): Decision {
  if (stationIn(l, c.stationId) !== undefined) {
    return reject('StationAlreadyExists', `Station ${c.stationId} already exists`, { stationId: c.stationId });
  }
  if (!isValidLatLon(c.location)) return reject('InvalidLocation', 'location is not a WGS84 coordinate');
  const { type: _t, now, ...data } = c;
  return accept([on(stationStream(c.stationId as StationId), now, { type: 'StationOpened', data })]);
}

export function commissionUnit(c: Cmd<'CommissionUnit'>, l: Loaded): Decision {
  if (unitIn(l, c.unitId) !== undefined) {
    return reject('UnitAlreadyExists', `Unit ${c.unitId} already exists`, { unitId: c.unitId });
  }
  const { type: _t, now, ...data } = c;
  return accept([on(unitStream(c.unitId as UnitId), now, { type: 'UnitCommissioned', data })]);
}

/** The incident status that a unit reaching `to` moves its incident into, if it moves it forward. */
function incidentAdvance(current: IncidentStatus, to: UnitStatus): IncidentStatus | undefined {
  if (to === 'en_route' && current === 'dispatched') return 'en_route';
  if (to === 'on_scene' && (current === 'dispatched' || current === 'en_route')) return 'on_scene';
  return undefined;
}

/**
 * Moves a unit along its status machine. Dispatch is not a status change a unit can ask for:
 * it needs an incident, so it goes through DispatchUnits.
 */
export function changeUnitStatus(c: Cmd<'ChangeUnitStatus'>, l: Loaded, rules: UnitRules = {}): Decision {
  const u = unitIn(l, c.unitId);
  if (u === undefined) return reject('UnknownUnit', `No unit has id ${c.unitId}`, { unitId: c.unitId });
  if (c.status === 'dispatched') {
    return reject('IllegalTransition', 'Units are dispatched to an incident through its dispatch endpoint', {
      from: u.status,
      to: c.status,
    });
  }
  const typeTakes = rules.unitStatuses?.get(u.unitType);
  if (typeTakes !== undefined && !typeTakes.includes(c.status)) {
    return reject('StatusNotAllowedForUnitType', `A unit of type ${u.unitType} cannot be ${c.status}`, {
      unitId: u.id,
      unitType: u.unitType,
      status: c.status,
      allowed: typeTakes,
    });
  }
  if (!UNIT_TRANSITIONS[u.status].includes(c.status)) {
    return reject('IllegalTransition', `Unit ${u.id} cannot go from ${u.status} to ${c.status}`, {
      from: u.status,
      to: c.status,
      allowed: UNIT_TRANSITIONS[u.status].filter((s) => typeTakes === undefined || typeTakes.includes(s)),
    });
  }
  const events: PendingEvent[] = [
    on(unitStream(u.id as UnitId), c.now, {
      type: 'UnitStatusChanged',
      data: {
        unitId: u.id,
        from: u.status,
        to: c.status,
        ...(u.incidentId === undefined ? {} : { incidentId: u.incidentId }),
        ...(c.reason === undefined ? {} : { reason: c.reason }),
      },
    }),
  ];
  const incident = u.incidentId === undefined ? undefined : incidentIn(l, u.incidentId);
  if (incident !== undefined && COMMITTED_UNIT_STATUSES.includes(c.status)) {
    const next = incidentAdvance(incident.status, c.status);
    if (next !== undefined) {
      events.push(
        on(incidentStream(incident.id as IncidentId), c.now, {
          type: 'IncidentStatusChanged',
          data: { incidentId: incident.id, from: incident.status, to: next, reason: `${u.id} ${c.status.replace('_', ' ')}` },
        }),
      );
    }
  }
  return accept(events);
}

export function recordUnitPosition(c: Cmd<'RecordUnitPosition'>, l: Loaded): Decision {
  const u = unitIn(l, c.unitId);
  if (u === undefined) return reject('UnknownUnit', `No unit has id ${c.unitId}`, { unitId: c.unitId });
  if (!isValidLatLon(c.location)) return reject('InvalidLocation', 'location is not a WGS84 coordinate');
  return accept([
    on(unitStream(u.id as UnitId), c.now, { type: 'UnitPositionRecorded', data: { unitId: u.id, location: c.location } }),
  ]);
}
