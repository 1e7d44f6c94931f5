import type { AedOption } from './aed.ts';
import type { IncidentDetails } from './events.ts';
import type { EpochMs } from './ids.ts';
import type { HandOverFormat } from './handover-terms.ts';
import type { LatLon } from './lat-lon.ts';
import type { PublicWarningText } from './public-warning-terms.ts';
import type { DailyWindow } from './local-time.ts';
import type { UnitStatus } from './statuses.ts';
import type { IncidentPlace, QualificationKind } from './volunteer-policy.ts';
import type { RankedCandidate, StandDownCommandReason } from './volunteer-response.ts';

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
  /**
   * `outsideServiceArea: 'accept'`: log it even outside the service area (the edge lets only supervisors ask).
   * `origin`: the document it came from (another centre, call-handling equipment); such an import is never
   * refused for lying outside the service area, only marked.
   */
  | {
      type: 'ReceiveIncident';
      now: EpochMs;
      incidentId: string;
      details: IncidentDetails;
      outsideServiceArea?: 'accept';
      origin?: IncidentOrigin;
    }
  | { type: 'UpdateIncident'; now: EpochMs; incidentId: string; changes: Partial<IncidentDetails>; outsideServiceArea?: 'accept' }
  | { type: 'DispatchUnits'; now: EpochMs; incidentId: string; unitIds: string[] }
  | { type: 'ChangeUnitStatus'; now: EpochMs; unitId: string; status: UnitStatus; reason?: string }
  | { type: 'RecordUnitPosition'; now: EpochMs; unitId: string; location: LatLon }
  | { type: 'CancelIncident'; now: EpochMs; incidentId: string; reason: string }
  | { type: 'ResolveIncident'; now: EpochMs; incidentId: string; reason: string }
  | { type: 'CloseIncident'; now: EpochMs; incidentId: string; reason: string }
  | { type: 'MergeIncident'; now: EpochMs; incidentId: string; into: string }
  | { type: 'ImportIncident'; now: EpochMs; incident: HistoricalIncident }
  /** Issue a warning to the public about the incident, or amend the one in force (supervisors). */
  | { type: 'IssuePublicWarning'; now: EpochMs; incidentId: string; warning: PublicWarningText }
  | { type: 'WithdrawPublicWarning'; now: EpochMs; incidentId: string; reason: string }
  /** Hand the incident to a partner centre (the edge checks the partner exists and gives its format). */
  | { type: 'HandOverIncident'; now: EpochMs; incidentId: string; handoverId: string; partnerId: string; format: HandOverFormat; reason: string }
  | VolunteerCommand
  | VolunteerResponseCommand;

/** The volunteer registry: self-service, and a supervisor's verification. */
export type VolunteerCommand =
  | { type: 'RegisterVolunteer'; now: EpochMs; volunteerId: string; languages: string[]; locationConsent: boolean }
  | { type: 'DeclareQualification'; now: EpochMs; volunteerId: string; kind: QualificationKind; expiresAt: EpochMs }
  | { type: 'VerifyQualification'; now: EpochMs; volunteerId: string; kind: QualificationKind; by: string }
  /** `quietHours`: absent keeps them, `null` clears them. */
  | { type: 'SetAvailability'; now: EpochMs; volunteerId: string; available: boolean; quietHours?: DailyWindow | null }
  | { type: 'SetLocationConsent'; now: EpochMs; volunteerId: string; consent: boolean }
  | { type: 'DeleteVolunteer'; now: EpochMs; volunteerId: string };

/**
 * One incident's volunteer response. The app computes what needs I/O or geometry and passes it in:
 * candidates with walking times (s, road network), the first unit's ETA (s from `now`, from the
 * unit recommendation), the local UTC offset (minutes), and for an acceptance the nearby AEDs with
 * walking times. Timers (`SendNextWave`, `ExpireAlert`) fire the persisted deadlines.
 */
export type VolunteerResponseCommand =
  | {
      type: 'StartVolunteerResponse';
      now: EpochMs;
      incidentId: string;
      place: IncidentPlace;
      utcOffsetMin: number;
      firstUnitEtaS?: number;
      candidates: RankedCandidate[];
    }
  | { type: 'SendNextWave'; now: EpochMs; incidentId: string; wave: number; firstUnitEtaS?: number }
  | { type: 'AcceptAlert'; now: EpochMs; volunteerId: string; alertId: string; aeds: AedOption[] }
  | { type: 'DeclineAlert'; now: EpochMs; volunteerId: string; alertId: string; reason?: string }
  | { type: 'ReportArrival'; now: EpochMs; volunteerId: string; alertId: string }
  | { type: 'ExpireAlert'; now: EpochMs; incidentId: string; alertId: string }
  | { type: 'StandDownVolunteers'; now: EpochMs; incidentId: string; reason: StandDownCommandReason };

export type CommandType = Command['type'];

/** Who issued an imported document (`source`) and its id there (`externalId`): together they name it. */
export interface IncidentOrigin {
  readonly source: string;
  readonly externalId: string;
}

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
