/**
 * Every way the domain can say no. The server maps each code to an HTTP status in one table
 * (src/server/error-status.ts), so adding a code here without a status fails the type check there.
 */
export type RejectionCode =
  | 'UnknownIncident'
  | 'UnknownUnit'
  | 'UnknownNature'
  | 'IncidentAlreadyExists'
  | 'UnitAlreadyExists'
  | 'StationAlreadyExists'
  | 'IncidentClosed'
  | 'IllegalTransition'
  | 'UnitNotAvailable'
  | 'UnitNotAssigned'
  | 'IncidentHasActiveUnits'
  | 'CannotMergeIntoItself'
  | 'InvalidLocation'
  | 'OutsideServiceArea'
  | 'StatusNotAllowedForUnitType'
  | 'NothingToChange'
  | 'UnknownVolunteer'
  | 'VolunteerAlreadyExists'
  | 'VolunteerGone'
  | 'UnknownQualification'
  | 'QualificationExpired'
  | 'InvalidQualification'
  | 'InvalidQuietHours'
  | 'VolunteerPolicyMissing'
  | 'VolunteersNotWanted'
  | 'InvalidVolunteerResponse'
  | 'VolunteerResponseAlreadyStarted'
  | 'UnknownVolunteerResponse'
  | 'VolunteerResponseEnded'
  | 'WaveNotScheduled'
  | 'WaveNotDue'
  | 'UnknownAlert'
  | 'AlertNotOpen'
  | 'AlertNotAccepted'
  | 'AlertNotExpired'
  | 'UnknownAlarmLevel'
  | 'UnknownCapability'
  | 'InvalidPublicWarning'
  | 'NoPublicWarning'
  | 'InvalidHandOver'
  | 'HandOverPending';

export interface Rejection {
  readonly ok: false;
  readonly code: RejectionCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export const reject = (code: RejectionCode, message: string, details?: Record<string, unknown>): Rejection =>
  details === undefined ? { ok: false, code, message } : { ok: false, code, message, details };
