import type { Actor } from './actor.ts';
import type { AedWaypoint } from './aed.ts';
import type { LatLon } from './lat-lon.ts';
import type { HandOverFormat, HandOverRefusal } from './handover-terms.ts';
import type { PublicWarningText } from './public-warning-terms.ts';
import type { DailyWindow } from './local-time.ts';
import type { VolunteerRole } from './response-plan.ts';
import type { IncidentStatus, UnitStatus } from './statuses.ts';
import type { IncidentPlace, QualificationKind, WaveParameters } from './volunteer-policy.ts';
import type {
  RankedCandidate,
  ResponseStatus,
  StandDownReason,
  Suppression,
  WaveStop,
} from './volunteer-response-terms.ts';

/**
 * The event catalogue. Event names and their fields are a stored contract: never rename one.
 * A change of shape adds a new schema version (`v` on the stored envelope) and an upcaster.
 */
export interface IncidentDetails {
  readonly location: LatLon;
  readonly address?: string;
  readonly floor?: string;
  readonly access?: string;
  readonly nature: string;
  readonly priority: 1 | 2 | 3;
  /** Public place or private home, as the call-taker marks it; absent means unknown (treated as a home). */
  readonly place?: IncidentPlace;
  readonly callerName?: string;
  readonly callbackNumber?: string;
  readonly notes?: string;
}

export type DomainEvent =
  | { type: 'StationOpened'; data: { stationId: string; name: string; address: string; location: LatLon; source: string } }
  | {
      type: 'UnitCommissioned';
      data: { unitId: string; unitType: string; capabilities: string[]; stationId: string; name: string };
    }
  | { type: 'UnitStatusChanged'; data: { unitId: string; from: UnitStatus; to: UnitStatus; incidentId?: string; reason?: string } }
  | { type: 'UnitPositionRecorded'; data: { unitId: string; location: LatLon } }
  | {
      type: 'IncidentReceived';
      /** `outsideServiceArea`: the place lies outside the service area (a supervisor's decision, or an imported call). */
      data: IncidentDetails & { incidentId: string; source?: string; externalId?: string; outsideServiceArea?: true };
    }
  | {
      type: 'IncidentDetailsUpdated';
      /** `outsideServiceArea`: present when the location changed, whether the new one lies outside the service area. */
      data: { incidentId: string; changes: Partial<IncidentDetails>; outsideServiceArea?: boolean };
    }
  | { type: 'UnitsDispatched'; data: { incidentId: string; unitIds: string[] } }
  | {
      type: 'IncidentStatusChanged';
      data: { incidentId: string; from: IncidentStatus; to: IncidentStatus; reason: string };
    }
  | { type: 'IncidentMerged'; data: { incidentId: string; into: string } }
  | { type: 'DuplicateMerged'; data: { incidentId: string; duplicateId: string } }
  | {
      type: 'UnitResponseRecorded';
      data: {
        incidentId: string;
        unitId: string;
        unitType: string;
        dispatchedAt?: string;
        enRouteAt?: string;
        onSceneAt?: string;
        transportingAt?: string;
        atHospitalAt?: string;
        availableAt?: string;
      };
    }
  | PublicWarningEvent
  | CallerLocationEvent
  | HandOverEvent
  | VolunteerEvent
  | VolunteerResponseEvent;

/**
 * An incident handed over to a partner centre (core/handover.ts): the dispatcher's request, then
 * what the partner made of it, as the sender observed it (Sent: it took the document after
 * `attempts` tries; Acknowledged: it answered with its own incident; Refused: final, with why).
 */
export type HandOverEvent =
  | {
      type: 'IncidentHandOverRequested';
      data: { incidentId: string; handoverId: string; partnerId: string; format: HandOverFormat; reason: string };
    }
  | { type: 'IncidentHandOverSent'; data: { incidentId: string; handoverId: string; partnerId: string; attempts: number } }
  | {
      type: 'IncidentHandOverAcknowledged';
      data: { incidentId: string; handoverId: string; partnerId: string; partnerIncidentId?: string };
    }
  | {
      type: 'IncidentHandOverRefused';
      data: { incidentId: string; handoverId: string; partnerId: string; attempts: number } & HandOverRefusal;
    };

/** A caller's position from their phone (Advanced Mobile Location), as an incident keeps it. */
export interface CallerLocationData {
  location: LatLon;
  /** The accuracy radius, metres. */
  radiusM: number;
  /** When the phone took the fix. */
  locatedAt: string;
  /** How the phone found it: gnss, wifi, cell, fused or unknown. */
  method: string;
  /** Confidence (%) that the caller is inside the radius, when the phone says. */
  confidencePct?: number;
  altitudeM?: number;
  floor?: string;
  /** The AML transport it came by. */
  via: 'https' | 'sms';
}

/**
 * `CallerLocationReceived`: the caller's phone said where it is, matched to this incident by its
 * callback number. `CallerLocationOffered`: a position arrived that matches no open incident and is
 * offered for a new one; the log says only that it exists, the number and the position stay in
 * memory (docs/privacy.md).
 */
export type CallerLocationEvent =
  | { type: 'CallerLocationReceived'; data: CallerLocationData & { incidentId: string } }
  | { type: 'CallerLocationOffered'; data: { fixId: string; expiresAt: string } };

/**
 * A supervisor's warning to the public about an incident, on the incident's stream (see
 * core/public-warning.ts). `revision` numbers each issue, amendment and withdrawal, from 1.
 */
export type PublicWarningEvent =
  | { type: 'PublicWarningIssued'; data: { incidentId: string; revision: number } & PublicWarningText }
  | { type: 'PublicWarningAmended'; data: { incidentId: string; revision: number } & PublicWarningText }
  | { type: 'PublicWarningWithdrawn'; data: { incidentId: string; revision: number; reason: string } };

/**
 * A volunteer's own stream, `volunteer-<id>`. No name, phone or position is ever written here:
 * those live in an erasable table keyed by the same pseudonymous id. Times are ISO instants.
 */
export type VolunteerEvent =
  | { type: 'VolunteerRegistered'; data: { volunteerId: string; languages: string[]; locationConsent: boolean } }
  | { type: 'QualificationDeclared'; data: { volunteerId: string; kind: QualificationKind; expiresAt: string } }
  | { type: 'QualificationVerified'; data: { volunteerId: string; kind: QualificationKind; by: string } }
  /** `quietHours: null` means none. */
  | { type: 'AvailabilitySet'; data: { volunteerId: string; available: boolean; quietHours: DailyWindow | null } }
  | { type: 'LocationConsentSet'; data: { volunteerId: string; consent: boolean } }
  | { type: 'VolunteerDeleted'; data: { volunteerId: string } };

/** The fields every alert carries; `incidentId` … `policyVersion` are a fixed contract. */
export interface VolunteerAlertedData {
  incidentId: string;
  volunteerId: string;
  alertId: string;
  wave: number;
  /** Walking time to the scene on the road network, seconds. */
  etaS: number;
  policyRule: string;
  policyVersion: string;
  qualification: QualificationKind;
  acceptanceProbability: number;
  /** The persisted deadline of the alert: after it, ExpireAlert closes it. */
  expiresAt: string;
  nature: string;
  place: IncidentPlace;
  /** The roles still wanted that the volunteer could take when alerted (absent on older alerts: any). */
  canFill?: VolunteerRole[];
  /**
   * Written by older versions only: an alert no longer copies the floor or access notes, which a
   * volunteer is shown only once they accept (core/scene.ts).
   */
  floor?: string;
  access?: string;
}

/** One incident's volunteer response, stream `response-<incidentId>` (see volunteer-response.ts). */
export type VolunteerResponseEvent =
  | {
      type: 'VolunteerResponseStarted';
      data: {
        incidentId: string;
        nature: string;
        place: IncidentPlace;
        policyVersion: string;
        natureRule: string;
        roles: VolunteerRole[];
        waves: WaveParameters;
        /** UTC offset (minutes) of local time at the incident, for quiet hours. */
        utcOffsetMin: number;
        firstUnitEtaS?: number;
        firstUnitDueAt?: string;
        /** Ranked by walking time, cut at the policy's maximum walking time and candidate count. */
        candidates: RankedCandidate[];
        /** Candidates given but left out by the cut. */
        beyondReach: number;
      };
    }
  | {
      type: 'VolunteerWaveSent';
      data: {
        incidentId: string;
        wave: number;
        volunteerIds: string[];
        /** Volunteers expected to arrive before the first unit once this wave is out. */
        expectedArrivals: number;
        targetArrivals: number;
        stop: WaveStop;
        reason: string;
        suppressed: Suppression[];
        /** Set when the first unit's ETA was refreshed for this wave. */
        firstUnitDueAt?: string;
      };
    }
  | { type: 'VolunteerAlerted'; data: VolunteerAlertedData }
  | {
      type: 'VolunteerWaveScheduled';
      data: { incidentId: string; wave: number; dueAt: string; expectedArrivals: number; targetArrivals: number; reason: string };
    }
  | { type: 'VolunteerWaveCancelled'; data: { incidentId: string; wave: number; reason: string } }
  | { type: 'VolunteerAccepted'; data: { incidentId: string; volunteerId: string; alertId: string } }
  | { type: 'VolunteerDeclined'; data: { incidentId: string; volunteerId: string; alertId: string; reason?: string } }
  /** The volunteer says they are at the scene (or at the door, for meet_crew). */
  | { type: 'VolunteerArrived'; data: { incidentId: string; volunteerId: string; alertId: string } }
  | { type: 'VolunteerAlertExpired'; data: { incidentId: string; volunteerId: string; alertId: string } }
  | {
      type: 'VolunteerRoleAssigned';
      data: {
        incidentId: string;
        volunteerId: string;
        alertId: string;
        role: VolunteerRole;
        /** The wanted role this fills (a `fetch_aed` with no AED open is filled by `meet_crew`). */
        fills: VolunteerRole;
        reason: string;
        floor?: string;
        /** Only when the volunteer is shown access notes (policy rule `accessDetails`). */
        access?: string;
        aed?: AedWaypoint;
        /** AEDs that could not be used, each with why (closed, out of service…). */
        aedsPassedOver?: { aedId: string; reason: string }[];
      };
    }
  | {
      type: 'VolunteerStoodDown';
      data: { incidentId: string; volunteerId: string; alertId: string; reason: StandDownReason; detail: string; wasAccepted: boolean };
    }
  | {
      type: 'VolunteerResponseStatusChanged';
      data: { incidentId: string; from: ResponseStatus; to: ResponseStatus; reason: StandDownReason; detail: string };
    }
  | DeliveryReceiptEvent;

/**
 * Delivery receipts, on an incident's delivery stream `delivery-<incidentId>`, written by the alert
 * queue (src/alerting): one message (`alert`, `role`, `stand_down`, `expired`) of one alert was
 * handed to channels (sent), confirmed by the receiving end (delivered), opened by the volunteer
 * (seen), refused by the last check before sending (suppressed), or given up (undelivered).
 * Accepted, declined and expired are the response's own events.
 */
export type DeliveryMessageKind = 'alert' | 'role' | 'stand_down' | 'expired';
interface ReceiptIds {
  incidentId: string;
  volunteerId: string;
  alertId: string;
}
export type DeliveryReceiptEvent =
  | { type: 'VolunteerAlertSent'; data: ReceiptIds & { message: DeliveryMessageKind; messageId: number; channels: string[]; attempt: number } }
  | { type: 'VolunteerAlertDelivered'; data: ReceiptIds & { message: DeliveryMessageKind; messageId: number; channel: string } }
  | { type: 'VolunteerAlertSeen'; data: ReceiptIds & { via: 'api' | 'websocket' } }
  | {
      type: 'VolunteerAlertSuppressed';
      data: ReceiptIds & { message: DeliveryMessageKind; messageId: number; reason: string; rule?: string; attempt: number };
    }
  | {
      type: 'VolunteerAlertUndelivered';
      data: ReceiptIds & { message: DeliveryMessageKind; messageId: number; reason: string; attempts: number };
    };

/**
 * Audit events: who signed in, which credentials were issued or revoked, whose role changed.
 * They carry no secret (never a password, hash or token), only what an auditor needs.
 */
export type AuditEvent =
  | { type: 'UserAdded'; data: { userId: string; name: string; role: string; by: string } }
  | { type: 'UserRoleChanged'; data: { userId: string; from: string; to: string; by: string } }
  | { type: 'TokenIssued'; data: { tokenId: string; kind: string; name: string; role: string; scopes: string[]; by: string } }
  | { type: 'TokenRevoked'; data: { tokenId: string; by: string } }
  | { type: 'SignedIn'; data: { userId: string; sessionId: string; ip: string } }
  | { type: 'SignInFailed'; data: { name: string; ip: string } }
  | { type: 'SignedOut'; data: { userId: string; sessionId: string } }
  /** Staff read volunteers' personal data (name, phone, languages): whose, who read it, and why. */
  | { type: 'VolunteerDataRead'; data: { volunteerIds: string[]; by: string; purpose: string } }
  /** The AED registry was loaded from a file (CLI or POST /api/aeds/import). */
  | { type: 'AedsImported'; data: { source: string; format: 'csv' | 'geojson'; created: number; updated: number; by: string } }
  /** A volunteer's device asked for a one-time code to enrol another phone (the code itself is never logged). */
  | { type: 'EnrolmentCodeIssued'; data: { volunteerId: string; byTokenId: string; expiresAt: string } }
  /** Another phone enrolled with that code and got its own device token. */
  | { type: 'DeviceEnrolled'; data: { volunteerId: string; tokenId: string; byTokenId: string; ip: string } };

export type LoggedEvent = DomainEvent | AuditEvent;
export type EventType = LoggedEvent['type'];
export type EventOf<T extends EventType> = Extract<LoggedEvent, { type: T }>;

/** An event decided by the core but not yet stored: it names its stream and when it happened. */
export type PendingEvent = LoggedEvent & { readonly stream: string; readonly at: string };

/**
 * An event as the log holds it. `seq` is the global order; `version` the order within its stream;
 * `actor` who made the change, and `requestId` the HTTP request that carried it, if any.
 */
export type StoredEvent = PendingEvent & {
  readonly seq: number;
  readonly version: number;
  readonly v: number;
  readonly recordedAt: string;
  readonly actor: Actor;
  readonly requestId?: string;
};

/** Every event type, for validation of the log and the docs. */
export const EVENT_TYPES: readonly EventType[] = [
  'StationOpened',
  'UnitCommissioned',
  'UnitStatusChanged',
  'UnitPositionRecorded',
  'IncidentReceived',
  'IncidentDetailsUpdated',
  'UnitsDispatched',
  'IncidentStatusChanged',
  'IncidentMerged',
  'DuplicateMerged',
  'UnitResponseRecorded',
  'CallerLocationReceived',
  'CallerLocationOffered',
  'PublicWarningIssued',
  'PublicWarningAmended',
  'PublicWarningWithdrawn',
  'IncidentHandOverRequested',
  'IncidentHandOverSent',
  'IncidentHandOverAcknowledged',
  'IncidentHandOverRefused',
  'VolunteerRegistered',
  'QualificationDeclared',
  'QualificationVerified',
  'AvailabilitySet',
  'LocationConsentSet',
  'VolunteerDeleted',
  'VolunteerResponseStarted',
  'VolunteerWaveSent',
  'VolunteerAlerted',
  'VolunteerWaveScheduled',
  'VolunteerWaveCancelled',
  'VolunteerAccepted',
  'VolunteerDeclined',
  'VolunteerArrived',
  'VolunteerAlertExpired',
  'VolunteerRoleAssigned',
  'VolunteerStoodDown',
  'VolunteerResponseStatusChanged',
  'VolunteerAlertSent',
  'VolunteerAlertDelivered',
  'VolunteerAlertSeen',
  'VolunteerAlertSuppressed',
  'VolunteerAlertUndelivered',
  'UserAdded',
  'UserRoleChanged',
  'TokenIssued',
  'TokenRevoked',
  'SignedIn',
  'SignInFailed',
  'SignedOut',
  'VolunteerDataRead',
  'AedsImported',
  'EnrolmentCodeIssued',
  'DeviceEnrolled',
];
