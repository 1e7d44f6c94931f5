import type { CallerLocationData, IncidentDetails, PendingEvent } from './events.ts';
import type { PublicWarningState } from './public-warning-terms.ts';
import type { HandOverState } from './handover-terms.ts';
import { foldHandOver, handOverIdOf } from './handover-fold.ts';
import { COMMITTED_UNIT_STATUSES, OPEN_INCIDENT_STATUSES, type IncidentStatus, type UnitStatus } from './statuses.ts';

/** One unit's part in an incident, with the times of each step (ISO text). */
export interface Assignment {
  readonly unitId: string;
  readonly status: UnitStatus;
  readonly active: boolean;
  readonly dispatchedAt?: string;
  readonly enRouteAt?: string;
  readonly onSceneAt?: string;
  readonly clearedAt?: string;
}

export interface IncidentState {
  readonly id: string;
  readonly status: IncidentStatus;
  readonly details: IncidentDetails;
  readonly receivedAt: string;
  readonly statusChangedAt: string;
  readonly source?: string;
  readonly externalId?: string;
  /** The place lies outside the service area: logged by a supervisor's decision, or imported. */
  readonly outsideServiceArea?: true;
  readonly mergedInto?: string;
  readonly duplicates: readonly string[];
  /** The latest position the caller's phone sent (AML), when one matched the callback number. */
  readonly callerLocation?: CallerLocationData;
  readonly assignments: Readonly<Record<string, Assignment>>;
  /** The warning to the public, in force or withdrawn (core/public-warning.ts). */
  readonly publicWarning?: PublicWarningState;
  /** Hand-overs to partner centres, oldest first, each with where it stands (core/handover.ts). */
  readonly handovers?: readonly HandOverState[];
}

export const isOpen = (s: IncidentState): boolean => OPEN_INCIDENT_STATUSES.includes(s.status);
export const activeUnitIds = (s: IncidentState): string[] =>
  Object.values(s.assignments)
    .filter((a) => a.active)
    .map((a) => a.unitId);

const stepTime = (to: UnitStatus): keyof Assignment | undefined =>
  to === 'en_route' ? 'enRouteAt' : to === 'on_scene' ? 'onSceneAt' : undefined;

/**
 * Folds one event into an incident's state. Besides its own stream, an incident sees the
 * UnitStatusChanged events of units assigned to it, so its assignments stay current.
 */
export function evolveIncident(state: IncidentState | undefined, event: PendingEvent): IncidentState | undefined {
  if (event.type === 'IncidentReceived') {
    const { incidentId, source, externalId, outsideServiceArea, ...details } = event.data;
    return {
      id: incidentId,
      status: 'received',
      details,
      receivedAt: event.at,
      statusChangedAt: event.at,
      ...(source === undefined ? {} : { source }),
      ...(externalId === undefined ? {} : { externalId }),
      ...(outsideServiceArea === true ? { outsideServiceArea } : {}),
      duplicates: [],
      assignments: {},
    };
  }
  if (state === undefined) return undefined;
  switch (event.type) {
    case 'IncidentDetailsUpdated': {
      const details = { ...state.details, ...event.data.changes };
      const outside = event.data.outsideServiceArea;
      if (outside === undefined) return { ...state, details };
      const { outsideServiceArea: _was, ...rest } = state;
      return outside ? { ...rest, details, outsideServiceArea: true } : { ...rest, details };
    }
    case 'UnitsDispatched': {
      const assignments = { ...state.assignments };
      for (const unitId of event.data.unitIds) {
        assignments[unitId] = { unitId, status: 'dispatched', active: true, dispatchedAt: event.at };
      }
      return { ...state, assignments };
    }
    case 'IncidentStatusChanged':
      return { ...state, status: event.data.to, statusChangedAt: event.at };
    case 'IncidentMerged':
      return { ...state, mergedInto: event.data.into };
    case 'DuplicateMerged':
      return { ...state, duplicates: [...state.duplicates, event.data.duplicateId] };
    case 'CallerLocationReceived': {
      const { incidentId: _id, ...fix } = event.data;
      return { ...state, callerLocation: fix };
    }
    case 'PublicWarningIssued':
    case 'PublicWarningAmended': {
      const { incidentId: _id, ...w } = event.data;
      const amends = event.type === 'PublicWarningAmended' ? state.publicWarning : undefined;
      const issuedAt = amends?.issuedAt ?? event.at;
      const issuedRevision = amends?.issuedRevision ?? w.revision;
      return { ...state, publicWarning: { ...w, issuedAt, issuedRevision, updatedAt: event.at } };
    }
    case 'PublicWarningWithdrawn': {
      const w = state.publicWarning;
      if (w === undefined) return state;
      return {
        ...state,
        publicWarning: { ...w, revision: event.data.revision, updatedAt: event.at, withdrawnAt: event.at, withdrawReason: event.data.reason },
      };
    }
    case 'IncidentHandOverRequested':
    case 'IncidentHandOverSent':
    case 'IncidentHandOverAcknowledged':
    case 'IncidentHandOverRefused': {
      const id = handOverIdOf(event);
      const list = state.handovers ?? [];
      const at = list.findIndex((h) => h.handoverId === id);
      const next = foldHandOver(at < 0 ? undefined : list[at], event);
      if (next === undefined) return state;
      return { ...state, handovers: at < 0 ? [...list, next] : list.map((h, i) => (i === at ? next : h)) };
    }
    case 'UnitStatusChanged': {
      const { unitId, to } = event.data;
      const prior = state.assignments[unitId];
      if (prior === undefined || event.data.to === 'dispatched') return state;
      const active = COMMITTED_UNIT_STATUSES.includes(to);
      const step = stepTime(to);
      const next: Assignment = {
        ...prior,
        status: to,
        active,
        ...(step && prior[step] === undefined ? { [step]: event.at } : {}),
        ...(!active && prior.active ? { clearedAt: event.at } : {}),
      };
      return { ...state, assignments: { ...state.assignments, [unitId]: next } };
    }
    case 'UnitResponseRecorded': {
      const { unitId, dispatchedAt, enRouteAt, onSceneAt, availableAt } = event.data;
      const a: Assignment = {
        unitId,
        status: 'available',
        active: false,
        ...(dispatchedAt === undefined ? {} : { dispatchedAt }),
        ...(enRouteAt === undefined ? {} : { enRouteAt }),
        ...(onSceneAt === undefined ? {} : { onSceneAt }),
        ...(availableAt === undefined ? {} : { clearedAt: availableAt }),
      };
      return { ...state, assignments: { ...state.assignments, [unitId]: a } };
    }
    default:
      return state;
  }
}
