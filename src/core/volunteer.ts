import type { PendingEvent } from './events.ts';
import type { DailyWindow } from './local-time.ts';
import type { VolunteerRole } from './response-plan.ts';
import type { QualificationKind } from './volunteer-policy.ts';

/**
 * A registered citizen responder, as the core knows them: no name, phone or position. Those live in
 * a separate, erasable table keyed by the same pseudonymous id, so that deleting an account leaves
 * an event log that names nobody.
 */
export interface Qualification {
  readonly kind: QualificationKind;
  /** The instant (ISO) from which it no longer counts. */
  readonly expiresAt: string;
  readonly verified: boolean;
  readonly declaredAt: string;
  readonly verifiedAt?: string;
  readonly verifiedBy?: string;
}

/** An alert of this volunteer still in play, so their own app and commands can find it. */
export interface ActiveAlert {
  readonly alertId: string;
  readonly incidentId: string;
  readonly status: 'open' | 'accepted';
  readonly role?: VolunteerRole;
}

export type VolunteerStatus = 'active' | 'deleted';

export interface VolunteerState {
  readonly id: string;
  readonly status: VolunteerStatus;
  readonly registeredAt: string;
  /** At most one per kind: declaring a kind again replaces it (and it needs verifying again). */
  readonly qualifications: Readonly<Partial<Record<QualificationKind, Qualification>>>;
  readonly languages: readonly string[];
  /** Consent to the use of their location for matching. */
  readonly locationConsent: boolean;
  /** On or off duty. */
  readonly available: boolean;
  /** A daily window in the volunteer's local time during which they are not alerted. */
  readonly quietHours?: DailyWindow;
  /** Acceptance history across every incident: the basis of their acceptance probability. */
  readonly alerted: number;
  readonly accepted: number;
  readonly activeAlerts: Readonly<Record<string, ActiveAlert>>;
  readonly deletedAt?: string;
}

export const isDeleted = (v: VolunteerState): boolean => v.status === 'deleted';
export const openAlertsOf = (v: VolunteerState): ActiveAlert[] =>
  Object.values(v.activeAlerts).filter((a) => a.status === 'open');

const without = <T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> => {
  const { [key]: _gone, ...rest } = record;
  return rest;
};

/**
 * Folds an event into a volunteer's state: the events of their own stream, and the alert events of
 * incident responses that name them (see `alsoAffects`), which keep their history and active alerts.
 */
export function evolveVolunteer(state: VolunteerState | undefined, event: PendingEvent): VolunteerState | undefined {
  if (event.type === 'VolunteerRegistered') {
    const { volunteerId, languages, locationConsent } = event.data;
    return {
      id: volunteerId,
      status: 'active',
      registeredAt: event.at,
      qualifications: {},
      languages,
      locationConsent,
      available: false,
      alerted: 0,
      accepted: 0,
      activeAlerts: {},
    };
  }
  if (state === undefined) return undefined;
  switch (event.type) {
    case 'QualificationDeclared': {
      const { kind, expiresAt } = event.data;
      return {
        ...state,
        qualifications: { ...state.qualifications, [kind]: { kind, expiresAt, verified: false, declaredAt: event.at } },
      };
    }
    case 'QualificationVerified': {
      const q = state.qualifications[event.data.kind];
      if (q === undefined) return state;
      const verified: Qualification = { ...q, verified: true, verifiedAt: event.at, verifiedBy: event.data.by };
      return { ...state, qualifications: { ...state.qualifications, [q.kind]: verified } };
    }
    case 'AvailabilitySet': {
      const { quietHours: _old, ...rest } = state;
      const { available, quietHours } = event.data;
      return { ...rest, available, ...(quietHours === null ? {} : { quietHours }) };
    }
    case 'LocationConsentSet':
      return { ...state, locationConsent: event.data.consent };
    case 'VolunteerDeleted':
      // Only the pseudonymous id and the fact of deletion remain.
      return {
        id: state.id,
        status: 'deleted',
        registeredAt: state.registeredAt,
        qualifications: {},
        languages: [],
        locationConsent: false,
        available: false,
        alerted: 0,
        accepted: 0,
        activeAlerts: {},
        deletedAt: event.at,
      };
    default:
      return isDeleted(state) ? state : evolveAlerts(state, event);
  }
}

function evolveAlerts(state: VolunteerState, event: PendingEvent): VolunteerState {
  switch (event.type) {
    case 'VolunteerAlerted': {
      const { alertId, incidentId } = event.data;
      const active: ActiveAlert = { alertId, incidentId, status: 'open' };
      return { ...state, alerted: state.alerted + 1, activeAlerts: { ...state.activeAlerts, [alertId]: active } };
    }
    case 'VolunteerAccepted': {
      const a = state.activeAlerts[event.data.alertId];
      const activeAlerts =
        a === undefined ? state.activeAlerts : { ...state.activeAlerts, [a.alertId]: { ...a, status: 'accepted' as const } };
      return { ...state, accepted: state.accepted + 1, activeAlerts };
    }
    case 'VolunteerRoleAssigned': {
      const a = state.activeAlerts[event.data.alertId];
      if (a === undefined) return state;
      return { ...state, activeAlerts: { ...state.activeAlerts, [a.alertId]: { ...a, role: event.data.role } } };
    }
    case 'VolunteerDeclined':
    case 'VolunteerAlertExpired':
    case 'VolunteerStoodDown':
      return { ...state, activeAlerts: without(state.activeAlerts, event.data.alertId) };
    default:
      return state;
  }
}
