import type { PendingEvent } from './events.ts';
import type { LatLon } from './lat-lon.ts';
import { COMMITTED_UNIT_STATUSES, type UnitStatus } from './statuses.ts';

export interface UnitState {
  readonly id: string;
  readonly name: string;
  readonly unitType: string;
  readonly capabilities: readonly string[];
  readonly stationId: string;
  readonly status: UnitStatus;
  readonly statusChangedAt: string;
  /** The incident the unit is committed to, while its status is a committed one. */
  readonly incidentId?: string;
  /** The last position written to the log (positions are sampled, so this may lag the live one). */
  readonly position?: { readonly location: LatLon; readonly at: string };
}

/** Folds one event of a unit's stream into its state. */
export function evolveUnit(state: UnitState | undefined, event: PendingEvent): UnitState | undefined {
  if (event.type === 'UnitCommissioned') {
    const { unitId, unitType, capabilities, stationId, name } = event.data;
    return { id: unitId, name, unitType, capabilities, stationId, status: 'available', statusChangedAt: event.at };
  }
  if (state === undefined) return undefined;
  switch (event.type) {
    case 'UnitStatusChanged': {
      const { to, incidentId } = event.data;
      const { incidentId: _previous, ...rest } = state;
      const committed = COMMITTED_UNIT_STATUSES.includes(to) && incidentId !== undefined;
      return { ...rest, status: to, statusChangedAt: event.at, ...(committed ? { incidentId } : {}) };
    }
    case 'UnitPositionRecorded':
      return { ...state, position: { location: event.data.location, at: event.at } };
    default:
      return state;
  }
}
