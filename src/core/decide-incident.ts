import type { Command } from './commands.ts';
import { accept, on, type Decision } from './decision.ts';
import type { PendingEvent } from './events.ts';
import { isoAt, type EpochMs, type IncidentId, type UnitId } from './ids.ts';
import { activeUnitIds, isOpen, type IncidentState } from './incident.ts';
import { isValidLatLon, type LatLon } from './lat-lon.ts';
import { incidentIn, unitIn, type Loaded } from './loaded.ts';
import { reject } from './rejection.ts';
import { distanceOutside, type ServiceArea } from './service-area.ts';
import { DISPATCHABLE_UNIT_STATUSES, type IncidentStatus } from './statuses.ts';
import { incidentStream, unitStream } from './streams.ts';

type Cmd<T extends Command['type']> = Extract<Command, { type: T }>;

/** What the core needs to know about configuration to decide incident commands. */
export interface IncidentRules {
  readonly natures: ReadonlySet<string>;
  /** Where incidents may be logged; absent: anywhere on Earth. */
  readonly serviceArea?: ServiceArea;
}

/** Metres from the place to the service area: 0 inside it, or when there is no area. */
const outsideBy = (rules: IncidentRules, p: LatLon): number =>
  rules.serviceArea === undefined ? 0 : Math.round(distanceOutside(rules.serviceArea, p));

const outsideArea = (rules: IncidentRules, distanceM: number) =>
  reject(
    'OutsideServiceArea',
    `The location is ${distanceM} m outside the service area; a supervisor may log it with "outsideServiceArea": "accept"`,
    { distanceM, bufferM: rules.serviceArea?.bufferM },
  );

const unknownIncident = (id: string) => reject('UnknownIncident', `No incident has id ${id}`, { incidentId: id });
const closed = (s: IncidentState) =>
  reject('IncidentClosed', `Incident ${s.id} is ${s.status}`, { incidentId: s.id, status: s.status });

const statusChange = (s: IncidentState, to: IncidentStatus, reason: string, now: EpochMs): PendingEvent =>
  on(incidentStream(s.id as IncidentId), now, {
    type: 'IncidentStatusChanged',
    data: { incidentId: s.id, from: s.status, to, reason },
  });

export function receiveIncident(c: Cmd<'ReceiveIncident'>, l: Loaded, rules: IncidentRules): Decision {
  if (incidentIn(l, c.incidentId) !== undefined) {
    return reject('IncidentAlreadyExists', `Incident ${c.incidentId} already exists`, { incidentId: c.incidentId });
  }
  if (!isValidLatLon(c.details.location)) return reject('InvalidLocation', 'location is not a WGS84 coordinate');
  if (!rules.natures.has(c.details.nature)) {
    return reject('UnknownNature', `Unknown nature ${c.details.nature}`, { nature: c.details.nature });
  }
  const outside = outsideBy(rules, c.details.location);
  if (outside > 0 && c.outsideServiceArea !== 'accept' && c.origin === undefined) return outsideArea(rules, outside);
  const origin = c.origin === undefined ? {} : { source: c.origin.source, externalId: c.origin.externalId };
  return accept([
    on(incidentStream(c.incidentId as IncidentId), c.now, {
      type: 'IncidentReceived',
      data: {
        incidentId: c.incidentId,
        ...c.details,
        ...origin,
        ...(outside > 0 ? { outsideServiceArea: true as const } : {}),
      },
    }),
  ]);
}

export function updateIncident(c: Cmd<'UpdateIncident'>, l: Loaded, rules: IncidentRules): Decision {
  const s = incidentIn(l, c.incidentId);
  if (s === undefined) return unknownIncident(c.incidentId);
  if (!isOpen(s) && s.status !== 'resolved') return closed(s);
  if (c.changes.location !== undefined && !isValidLatLon(c.changes.location)) {
    return reject('InvalidLocation', 'location is not a WGS84 coordinate');
  }
  if (c.changes.nature !== undefined && !rules.natures.has(c.changes.nature)) {
    return reject('UnknownNature', `Unknown nature ${c.changes.nature}`, { nature: c.changes.nature });
  }
  if (Object.keys(c.changes).length === 0) return reject('NothingToChange', 'The update changes no field');
  const moved = c.changes.location !== undefined && rules.serviceArea !== undefined;
  const outside = c.changes.location === undefined ? 0 : outsideBy(rules, c.changes.location);
  if (outside > 0 && c.outsideServiceArea !== 'accept') return outsideArea(rules, outside);
  return accept([
    on(incidentStream(s.id as IncidentId), c.now, {
      type: 'IncidentDetailsUpdated',
      data: { incidentId: s.id, changes: c.changes, ...(moved ? { outsideServiceArea: outside > 0 } : {}) },
    }),
  ]);
}

/** Commits units to an incident. All units go, or none: one unavailable unit rejects the command. */
export function dispatchUnits(c: Cmd<'DispatchUnits'>, l: Loaded): Decision {
  const s = incidentIn(l, c.incidentId);
  if (s === undefined) return unknownIncident(c.incidentId);
  if (!isOpen(s)) return closed(s);
  const unitIds = [...new Set(c.unitIds)];
  if (unitIds.length === 0) return reject('NothingToChange', 'The dispatch names no unit');
  const events: PendingEvent[] = [];
  for (const id of unitIds) {
    const u = unitIn(l, id);
    if (u === undefined) return reject('UnknownUnit', `No unit has id ${id}`, { unitId: id });
    if (!DISPATCHABLE_UNIT_STATUSES.includes(u.status)) {
      return reject('UnitNotAvailable', `Unit ${id} is ${u.status}`, {
        unitId: id,
        status: u.status,
        ...(u.incidentId === undefined ? {} : { incidentId: u.incidentId }),
      });
    }
    events.push(
      on(unitStream(id as UnitId), c.now, {
        type: 'UnitStatusChanged',
        data: { unitId: id, from: u.status, to: 'dispatched', incidentId: s.id },
      }),
    );
  }
  const head = on(incidentStream(s.id as IncidentId), c.now, { type: 'UnitsDispatched', data: { incidentId: s.id, unitIds } });
  const advance = s.status === 'received' ? [statusChange(s, 'dispatched', 'units dispatched', c.now)] : [];
  return accept([head, ...advance, ...events]);
}

/** Cancels an incident and stands down every unit still committed to it. */
export function cancelIncident(c: Cmd<'CancelIncident'>, l: Loaded): Decision {
  const s = incidentIn(l, c.incidentId);
  if (s === undefined) return unknownIncident(c.incidentId);
  if (!isOpen(s)) return closed(s);
  const standDowns = activeUnitIds(s).flatMap((id) => {
    const u = unitIn(l, id);
    if (u === undefined || u.incidentId !== s.id) return [];
    const to = u.status === 'transporting' || u.status === 'at_hospital' ? u.status : 'available';
    if (to === u.status) return [];
    return [
      on(unitStream(id as UnitId), c.now, {
        type: 'UnitStatusChanged',
        data: { unitId: id, from: u.status, to, incidentId: s.id, reason: 'incident cancelled' },
      }),
    ];
  });
  return accept([statusChange(s, 'cancelled', c.reason, c.now), ...standDowns]);
}

export function resolveIncident(c: Cmd<'ResolveIncident'>, l: Loaded): Decision {
  const s = incidentIn(l, c.incidentId);
  if (s === undefined) return unknownIncident(c.incidentId);
  if (!isOpen(s)) return closed(s);
  return accept([statusChange(s, 'resolved', c.reason, c.now)]);
}

/** Closing is the paperwork step: only a resolved incident with no unit still committed closes. */
export function closeIncident(c: Cmd<'CloseIncident'>, l: Loaded): Decision {
  const s = incidentIn(l, c.incidentId);
  if (s === undefined) return unknownIncident(c.incidentId);
  if (s.status !== 'resolved') {
    return reject('IllegalTransition', `Incident ${s.id} is ${s.status}; resolve it before closing`, {
      from: s.status,
      to: 'closed',
    });
  }
  const active = activeUnitIds(s);
  if (active.length > 0) {
    return reject('IncidentHasActiveUnits', `Units still committed: ${active.join(', ')}`, { unitIds: active });
  }
  return accept([statusChange(s, 'closed', c.reason, c.now)]);
}

/** Merges a duplicate report (a second caller about the same emergency) into the incident it repeats. */
export function mergeIncident(c: Cmd<'MergeIncident'>, l: Loaded): Decision {
  if (c.incidentId === c.into) return reject('CannotMergeIntoItself', 'An incident cannot be merged into itself');
  const dup = incidentIn(l, c.incidentId);
  if (dup === undefined) return unknownIncident(c.incidentId);
  const target = incidentIn(l, c.into);
  if (target === undefined) return unknownIncident(c.into);
  if (!isOpen(dup)) return closed(dup);
  if (!isOpen(target)) return closed(target);
  const active = activeUnitIds(dup);
  if (active.length > 0) {
    return reject('IncidentHasActiveUnits', `Stand down or reassign ${active.join(', ')} before merging`, {
      unitIds: active,
    });
  }
  return accept([
    on(incidentStream(dup.id as IncidentId), c.now, { type: 'IncidentMerged', data: { incidentId: dup.id, into: target.id } }),
    statusChange(dup, 'cancelled', `duplicate of ${target.id}`, c.now),
    on(incidentStream(target.id as IncidentId), c.now, {
      type: 'DuplicateMerged',
      data: { incidentId: target.id, duplicateId: dup.id },
    }),
  ]);
}

/**
 * Replays a past incident as received, each unit's recorded response, then closed, at their real
 * times. A real call outside the service area (the airport, a mutual-aid run) is kept, marked as outside.
 */
export function importIncident(c: Cmd<'ImportIncident'>, l: Loaded, rules: IncidentRules): Decision {
  const h = c.incident;
  if (incidentIn(l, h.incidentId) !== undefined) {
    return reject('IncidentAlreadyExists', `Incident ${h.incidentId} already exists`, { incidentId: h.incidentId });
  }
  if (!isValidLatLon(h.details.location)) return reject('InvalidLocation', 'location is not a WGS84 coordinate');
  const stream = incidentStream(h.incidentId as IncidentId);
  const opt = <K extends string>(k: K, t: EpochMs | undefined) => (t === undefined ? {} : ({ [k]: isoAt(t) } as Record<K, string>));
  const events: PendingEvent[] = [
    on(stream, h.receivedAt, {
      type: 'IncidentReceived',
      data: {
        incidentId: h.incidentId,
        ...h.details,
        source: h.source,
        externalId: h.externalId,
        ...(outsideBy(rules, h.details.location) > 0 ? { outsideServiceArea: true as const } : {}),
      },
    }),
  ];
  for (const u of h.units) {
    events.push(
      on(stream, u.dispatchedAt ?? h.receivedAt, {
        type: 'UnitResponseRecorded',
        data: {
          incidentId: h.incidentId,
          unitId: u.unitId,
          unitType: u.unitType,
          ...opt('dispatchedAt', u.dispatchedAt),
          ...opt('enRouteAt', u.enRouteAt),
          ...opt('onSceneAt', u.onSceneAt),
          ...opt('transportingAt', u.transportingAt),
          ...opt('atHospitalAt', u.atHospitalAt),
          ...opt('availableAt', u.availableAt),
        },
      }),
    );
  }
  events.push(
    on(stream, h.closedAt, {
      type: 'IncidentStatusChanged',
      data: { incidentId: h.incidentId, from: 'received', to: 'closed', reason: `imported from ${h.source}` },
    }),
  );
  return accept(events);
}
