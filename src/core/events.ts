import type { LatLon } from './lat-lon.ts';
import type { IncidentStatus, UnitStatus } from './statuses.ts';

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
      data: IncidentDetails & { incidentId: string; source?: string; externalId?: string };
    }
  | { type: 'IncidentDetailsUpdated'; data: { incidentId: string; changes: Partial<IncidentDetails> } }
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
  | { type: 'SignedOut'; data: { userId: string; sessionId: string } };

export type LoggedEvent = DomainEvent | AuditEvent;
export type EventType = LoggedEvent['type'];
export type EventOf<T extends EventType> = Extract<LoggedEvent, { type: T }>;

/** An event decided by the core but not yet stored: it names its stream and when it happened. */
export type PendingEvent = LoggedEvent & { readonly stream: string; readonly at: string };

/** An event as the log holds it. `seq` is the global order; `version` the order within its stream. */
export type StoredEvent = PendingEvent & {
  readonly seq: number;
  readonly version: number;
  readonly v: number;
  readonly recordedAt: string;
  readonly meta?: Readonly<Record<string, unknown>>;
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
  'UserAdded',
  'UserRoleChanged',
  'TokenIssued',
  'TokenRevoked',
  'SignedIn',
  'SignInFailed',
  'SignedOut',
];
