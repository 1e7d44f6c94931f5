import type { PendingEvent } from './events.ts';
import { evolveIncident } from './incident.ts';
import type { StreamState } from './loaded.ts';
import { evolveStation } from './station.ts';
import { incidentStream, parseStream } from './streams.ts';
import type { IncidentId } from './ids.ts';
import { evolveUnit, type UnitState } from './unit.ts';
import type { IncidentState } from './incident.ts';
import type { StationState } from './station.ts';

/**
 * Folds an event into the state of `stream`: the stream it was written to by default, or another
 * stream it also affects (see `alsoAffects`), which is folded by that stream's own kind.
 */
export function evolve(
  state: StreamState | undefined,
  event: PendingEvent,
  stream: string = event.stream,
): StreamState | undefined {
  switch (parseStream(stream)?.kind) {
    case 'incident':
      return evolveIncident(state as IncidentState | undefined, event);
    case 'unit':
      return evolveUnit(state as UnitState | undefined, event);
    case 'station':
      return evolveStation(state as StationState | undefined, event);
    case undefined:
      return state;
  }
}

/**
 * Other streams whose state an event also changes. A unit's status change while committed
 * updates that incident's assignments, so the incident's read model stays whole.
 */
export function alsoAffects(event: PendingEvent): string[] {
  if (event.type === 'UnitStatusChanged' && event.data.incidentId !== undefined) {
    return [incidentStream(event.data.incidentId as IncidentId)];
  }
  return [];
}
