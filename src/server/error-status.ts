import type { RejectionCode } from '../core/rejection.ts';

/** Codes raised at the edge rather than by the domain. */
export type EdgeCode =
  | 'ValidationFailed'
  | 'MalformedJson'
  | 'InvalidDocument'
  | 'PartnerSignatureInvalid'
  | 'UnknownPartner'
  | 'XmlDoctypeRefused'
  | 'MalformedXml'
  | 'XmlTooDeep'
  | 'BodyTooLarge'
  | 'UnsupportedMediaType'
  | 'RouteNotFound'
  | 'MethodNotAllowed'
  | 'VersionConflict'
  | 'RecordConflict'
  | 'IdempotencyKeyMismatch'
  | 'Unauthenticated'
  | 'Forbidden'
  | 'CsrfTokenInvalid'
  | 'WrongCredentialKind'
  | 'SignInThrottled'
  | 'InvalidUnicode'
  | 'RateLimited'
  | 'JsonTooDeep'
  | 'UnknownToken'
  | 'UnknownUser'
  | 'UserAlreadyExists'
  | 'MalformedRequest'
  | 'HeadersTooLarge'
  | 'RequestTimeout'
  | 'UpgradeRequired'
  | 'LocationConsentRequired'
  | 'StorageUnavailable'
  | 'PushEndpointNotAllowed'
  | 'TooManyConnections'
  | 'EnrolmentCodeInvalid'
  | 'InvalidReportPeriod'
  | 'ReportPeriodTooLong'
  | 'AmlNotRecognised'
  | 'AmlFieldMissing'
  | 'AmlFieldInvalid'
  | 'AmlNoPosition'
  | 'Internal';

export type ErrorCode = RejectionCode | EdgeCode;

/** The one table from error code to HTTP status. A code missing here fails the type check. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  ValidationFailed: 400,
  MalformedJson: 400,
  // Documents from other systems (EMSI, EIDO ...): XML read by src/interop/xml/read-xml.ts, which refuses
  // any DTD or entity (XXE, billion laughs); a well-formed document the standard's schema refuses is
  // 422 InvalidDocument with details.errors listing every error and its path.
  XmlDoctypeRefused: 400,
  MalformedXml: 400,
  XmlTooDeep: 400,
  InvalidDocument: 422,
  PartnerSignatureInvalid: 401,
  UnknownPartner: 404,
  InvalidLocation: 400,
  UnknownNature: 400,
  NothingToChange: 400,
  CannotMergeIntoItself: 400,
  // GET /api/incidents/:id/recommendation?alarm=&more= (src/core/greater-alarm.ts).
  UnknownAlarmLevel: 400,
  UnknownCapability: 400,
  JsonTooDeep: 400,
  MalformedRequest: 400,
  Unauthenticated: 401,
  Forbidden: 403,
  CsrfTokenInvalid: 403,
  WrongCredentialKind: 403,
  SignInThrottled: 429,
  InvalidUnicode: 400,
  UnknownIncident: 404,
  UnknownToken: 404,
  UnknownUser: 404,
  UserAlreadyExists: 409,
  RateLimited: 429,
  TooManyConnections: 429,
  UnknownUnit: 404,
  RouteNotFound: 404,
  MethodNotAllowed: 405,
  IncidentAlreadyExists: 409,
  UnitAlreadyExists: 409,
  StationAlreadyExists: 409,
  IncidentClosed: 409,
  IllegalTransition: 409,
  UnitNotAvailable: 409,
  UnitNotAssigned: 409,
  IncidentHasActiveUnits: 409,
  VersionConflict: 409,
  RecordConflict: 409,
  RequestTimeout: 408,
  UpgradeRequired: 426,
  BodyTooLarge: 413,
  UnsupportedMediaType: 415,
  IdempotencyKeyMismatch: 422,
  OutsideServiceArea: 422,
  StatusNotAllowedForUnitType: 422,
  PushEndpointNotAllowed: 422,
  HeadersTooLarge: 431,
  // POST /api/volunteers/enrol: a code mistyped, expired, already used, or whose phone was since revoked.
  EnrolmentCodeInvalid: 400,
  // GET /api/reports/*: a period that cannot be read, or longer than 31 days (src/read-models/report-period.ts).
  InvalidReportPeriod: 400,
  ReportPeriodTooLong: 400,
  // POST /api/aml (src/interop/aml/aml.ts): not AML at all, a field missing or malformed (details.field),
  // or a message that says the phone found no position.
  AmlNotRecognised: 400,
  AmlFieldMissing: 400,
  AmlFieldInvalid: 400,
  AmlNoPosition: 422,
  // The volunteer registry and alert waves (src/core/decide-volunteer.ts, decide-response.ts, decide-answer.ts).
  InvalidQualification: 400,
  InvalidQuietHours: 400,
  // A public warning (POST /api/incidents/:id/public-warning): empty or too long text, radius out of range.
  InvalidPublicWarning: 400,
  NoPublicWarning: 409,
  InvalidHandOver: 422,
  HandOverPending: 409,
  InvalidVolunteerResponse: 400,
  UnknownVolunteer: 404,
  UnknownQualification: 404,
  UnknownVolunteerResponse: 404,
  UnknownAlert: 404,
  VolunteerAlreadyExists: 409,
  QualificationExpired: 409,
  VolunteersNotWanted: 409,
  VolunteerResponseAlreadyStarted: 409,
  VolunteerResponseEnded: 409,
  WaveNotScheduled: 409,
  WaveNotDue: 409,
  AlertNotOpen: 409,
  AlertNotAccepted: 409,
  AlertNotExpired: 409,
  VolunteerGone: 410,
  LocationConsentRequired: 409,
  VolunteerPolicyMissing: 500,
  // A full or read-only disk: nothing was written, the same request may succeed later (Retry-After).
  StorageUnavailable: 503,
  Internal: 500,
};

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details?: unknown };
}

/** An error an edge handler throws to answer with a code; the error handler renders it. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
