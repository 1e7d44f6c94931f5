import type { IncidentState } from './incident.ts';
import type { StationState } from './station.ts';
import { incidentStream, responseStream, stationStream, unitStream, volunteerStream } from './streams.ts';
import type { IncidentId, StationId, UnitId } from './ids.ts';
import type { UnitState } from './unit.ts';
import type { VolunteerState } from './volunteer.ts';
import type { ResponseState } from './volunteer-response.ts';
import type { HandOverState } from './handover-terms.ts';

export type StreamState = IncidentState | UnitState | StationState | VolunteerState | ResponseState | HandOverState;

/**
 * The states a command was decided against, keyed by stream name. A key that is present with
 * `undefined` means "looked up, does not exist"; an absent key means "not looked up yet".
 */
export type Loaded = ReadonlyMap<string, StreamState | undefined>;

export const incidentIn = (l: Loaded, id: string): IncidentState | undefined =>
  l.get(incidentStream(id as IncidentId)) as IncidentState | undefined;
export const unitIn = (l: Loaded, id: string): UnitState | undefined => l.get(unitStream(id as UnitId)) as UnitState | undefined;
export const stationIn = (l: Loaded, id: string): StationState | undefined =>
  l.get(stationStream(id as StationId)) as StationState | undefined;
export const volunteerIn = (l: Loaded, id: string): VolunteerState | undefined =>
  l.get(volunteerStream(id)) as VolunteerState | undefined;
export const responseIn = (l: Loaded, incidentId: string): ResponseState | undefined =>
  l.get(responseStream(incidentId)) as ResponseState | undefined;
