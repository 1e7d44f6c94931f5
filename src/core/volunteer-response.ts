import type { AedWaypoint } from './aed.ts';
import type { PendingEvent } from './events.ts';
import type { VolunteerRole } from './response-plan.ts';
import type { IncidentPlace, QualificationKind, WaveParameters } from './volunteer-policy.ts';
import type { RankedCandidate, ResponseStatus, StandDownReason } from './volunteer-response-terms.ts';

// The shared terms are re-exported, so importers of the response state need not know where they live.
export { STAND_DOWN_REASONS } from './volunteer-response-terms.ts';
export type {
  RankedCandidate,
  ResponseStatus,
  StandDownCommandReason,
  StandDownReason,
  Suppression,
  WaveStop,
} from './volunteer-response-terms.ts';

/**
 * The volunteer response to one incident: its ranking of candidates, its waves, every alert and
 * what became of it, and the roles given. It lives on its own stream, `response-<incidentId>`,
 * rather than on the incident's stream: volunteers accept and decline at the same moments as
 * dispatchers act on the incident, and optimistic concurrency is per stream, so one stream each
 * keeps a burst of acceptances from conflicting with a dispatch. Every alert decision of one
 * incident still goes through this one stream, in order, which is what keeps a volunteer from
 * being alerted twice and the roles from being given out twice.
 */
export type AlertStatus = 'open' | 'accepted' | 'declined' | 'expired' | 'stood_down';

export interface VolunteerAlert {
  readonly alertId: string;
  readonly volunteerId: string;
  readonly wave: number;
  readonly etaS: number;
  readonly acceptanceProbability: number;
  readonly policyRule: string;
  readonly qualification: QualificationKind;
  readonly alertedAt: string;
  readonly expiresAt: string;
  readonly status: AlertStatus;
  readonly answeredAt?: string;
  readonly closedAt?: string;
  readonly role?: VolunteerRole;
  /** When the volunteer reported arriving (accepted alerts only). */
  readonly arrivedAt?: string;
  /** The wanted roles the volunteer could take when alerted; absent (older alerts): not known. */
  readonly canFill?: readonly VolunteerRole[];
}

export interface RoleAssignment {
  readonly alertId: string;
  readonly volunteerId: string;
  readonly role: VolunteerRole;
  /** The wanted role this assignment fills: a `fetch_aed` with no AED open is filled by `meet_crew`. */
  readonly fills: VolunteerRole;
  readonly reason: string;
  readonly aed?: AedWaypoint;
  readonly at: string;
}

export interface ResponseState {
  readonly incidentId: string;
  readonly status: ResponseStatus;
  readonly statusReason?: StandDownReason;
  readonly startedAt: string;
  readonly statusChangedAt: string;
  readonly nature: string;
  readonly place: IncidentPlace;
  readonly policyVersion: string;
  readonly roles: readonly VolunteerRole[];
  readonly waves: WaveParameters;
  readonly utcOffsetMin: number;
  /** When the first unit is expected on scene (ISO); absent when no unit was recommended. */
  readonly firstUnitDueAt?: string;
  readonly candidates: readonly RankedCandidate[];
  readonly alerts: Readonly<Record<string, VolunteerAlert>>;
  /** The last wave sent, and when. */
  readonly wave: number;
  readonly lastWaveAt: string;
  /** The persisted deadline of the next wave, while one is scheduled. */
  readonly nextWave?: { readonly wave: number; readonly dueAt: string };
  readonly assignments: readonly RoleAssignment[];
}

/** An incident's alert ids are derived: one volunteer is alerted at most once per incident. */
export const alertIdOf = (incidentId: string, volunteerId: string): string => `${incidentId}.${volunteerId}`;

export const alertsOf = (s: ResponseState): VolunteerAlert[] => Object.values(s.alerts);
export const openAlerts = (s: ResponseState): VolunteerAlert[] => alertsOf(s).filter((a) => a.status === 'open');

function closeAlert(s: ResponseState, alertId: string, status: AlertStatus, at: string): ResponseState {
  const a = s.alerts[alertId];
  if (a === undefined) return s;
  const answered = status === 'accepted' || status === 'declined' ? { answeredAt: at } : {};
  const closed = status === 'accepted' ? {} : { closedAt: at };
  return { ...s, alerts: { ...s.alerts, [alertId]: { ...a, status, ...answered, ...closed } } };
}

/** Folds one event of a response stream into its state. */
export function evolveResponse(state: ResponseState | undefined, event: PendingEvent): ResponseState | undefined {
  if (event.type === 'VolunteerResponseStarted') {
    const d = event.data;
    return {
      incidentId: d.incidentId,
      status: 'alerting',
      startedAt: event.at,
      statusChangedAt: event.at,
      nature: d.nature,
      place: d.place,
      policyVersion: d.policyVersion,
      roles: d.roles,
      waves: d.waves,
      utcOffsetMin: d.utcOffsetMin,
      ...(d.firstUnitDueAt === undefined ? {} : { firstUnitDueAt: d.firstUnitDueAt }),
      candidates: d.candidates,
      alerts: {},
      wave: 0,
      lastWaveAt: event.at,
      assignments: [],
    };
  }
  if (state === undefined) return undefined;
  switch (event.type) {
    case 'VolunteerWaveSent': {
      const { nextWave: _done, ...rest } = state;
      const due = event.data.firstUnitDueAt;
      return { ...rest, wave: event.data.wave, lastWaveAt: event.at, ...(due === undefined ? {} : { firstUnitDueAt: due }) };
    }
    case 'VolunteerAlerted': {
      const d = event.data;
      const alert: VolunteerAlert = {
        alertId: d.alertId,
        volunteerId: d.volunteerId,
        wave: d.wave,
        etaS: d.etaS,
        acceptanceProbability: d.acceptanceProbability,
        policyRule: d.policyRule,
        qualification: d.qualification,
        alertedAt: event.at,
        expiresAt: d.expiresAt,
        status: 'open',
        ...(d.canFill === undefined ? {} : { canFill: d.canFill }),
      };
      return { ...state, alerts: { ...state.alerts, [d.alertId]: alert } };
    }
    case 'VolunteerWaveScheduled':
      return { ...state, nextWave: { wave: event.data.wave, dueAt: event.data.dueAt } };
    case 'VolunteerWaveCancelled': {
      const { nextWave: _cancelled, ...rest } = state;
      return rest;
    }
    case 'VolunteerAccepted':
      return closeAlert(state, event.data.alertId, 'accepted', event.at);
    case 'VolunteerDeclined':
      return closeAlert(state, event.data.alertId, 'declined', event.at);
    case 'VolunteerAlertExpired':
      return closeAlert(state, event.data.alertId, 'expired', event.at);
    case 'VolunteerStoodDown':
      return closeAlert(state, event.data.alertId, 'stood_down', event.at);
    case 'VolunteerRoleAssigned': {
      const { alertId, volunteerId, role, fills, reason, aed } = event.data;
      const a = state.alerts[alertId];
      const assignment: RoleAssignment = {
        alertId,
        volunteerId,
        role,
        fills,
        reason,
        at: event.at,
        ...(aed === undefined ? {} : { aed }),
      };
      return {
        ...state,
        assignments: [...state.assignments, assignment],
        alerts: a === undefined ? state.alerts : { ...state.alerts, [alertId]: { ...a, role } },
      };
    }
    case 'VolunteerArrived': {
      const a = state.alerts[event.data.alertId];
      return a === undefined ? state : { ...state, alerts: { ...state.alerts, [a.alertId]: { ...a, arrivedAt: event.at } } };
    }
    case 'VolunteerResponseStatusChanged':
      return { ...state, status: event.data.to, statusReason: event.data.reason, statusChangedAt: event.at };
    default:
      return state;
  }
}
