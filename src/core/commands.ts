import type { IncidentDetails } from './events.ts';
import type { EpochMs } from './ids.ts';
import type { LatLon } from './lat-lon.ts';
import type { UnitStatus } from './statuses.ts';

/** Commands are imperative and carry their own time (`now`), so the core never reads a clock. */
export type Command =
  | { type: 'OpenStation'; now: EpochMs; stationId: string; name: string; address: string; location: LatLon; source: string }
  | {
      type: 'CommissionUnit';
      now: EpochMs;
      unitId: string;
      name: string;
      unitType: string;
      capabilities: string[];
      stationId: string;
    }
  | { type: 'ReceiveIncident'; now: EpochMs; incidentId: string; details: IncidentDetails }
  | { type: 'UpdateIncident'; now: EpochMs; incidentId: string; changes: Partial<IncidentDetails> }
  | { type: 'DispatchUnits'; now: EpochMs; incidentId: string; unitIds: string[] }
  | { type: 'ChangeUnitStatus'; now: EpochMs; unitId: string; status: UnitStatus; reason?: string }
  | { type: 'RecordUnitPosition'; now: EpochMs; unitId: string; location: LatLon }
  | { type: 'CancelIncident'; now: EpochMs; incidentId: string; reason: string }
  | { type: 'ResolveIncident'; now: EpochMs; incidentId: string; reason: string }
  | { type: 'CloseIncident'; now: EpochMs; incidentId: string; reason: string }
  | { type: 'MergeIncident'; now: EpochMs; incidentId: string; into: string }
  | { type: 'ImportIncident'; now: EpochMs; incident: HistoricalIncident };

export type CommandType = Command['type'];

/** A past incident from another system, replayed into the log with its real times (epoch ms). */
export interface HistoricalIncident {
  readonly incidentId: string;
  readonly source: string;
  readonly externalId: string;
  readonly receivedAt: EpochMs;
  readonly closedAt: EpochMs;
  readonly details: IncidentDetails;
  readonly units: readonly {
    readonly unitId: string;
    readonly unitType: string;
    readonly dispatchedAt?: EpochMs;
    readonly enRouteAt?: EpochMs;
    readonly onSceneAt?: EpochMs;
    readonly transportingAt?: EpochMs;
    readonly atHospitalAt?: EpochMs;
    readonly availableAt?: EpochMs;
  }[];
}
