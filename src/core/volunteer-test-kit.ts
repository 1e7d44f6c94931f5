/**
 * Test-only helpers for volunteers and alert waves, on top of test-kit.ts: the shipped policy,
 * volunteers as facts, AEDs, and the commands of a volunteer response, with their time.
 * Nothing here is used outside `src/core/*.test.ts`.
 */
import policyFile from '../../config/volunteer-policy.json' with { type: 'json' };
import type { Aed, AedOption, OpeningHours } from './aed.ts';
import type { Command } from './commands.ts';
import type { DecideRules } from './decide.ts';
import { on } from './decision.ts';
import type { PendingEvent } from './events.ts';
import { epochMs, isoAt, type EpochMs } from './ids.ts';
import type { DailyWindow } from './local-time.ts';
import { responseIn, volunteerIn } from './loaded.ts';
import { volunteerStream } from './streams.ts';
import { RULES, T0, type World } from './test-kit.ts';
import type { VolunteerState } from './volunteer.ts';
import type { IncidentPlace, QualificationKind, VolunteerPolicy } from './volunteer-policy.ts';
import { alertIdOf, type ResponseState, type StandDownCommandReason } from './volunteer-response.ts';

/** The shipped policy (its shape is checked by volunteer-policy-file.test.ts). */
export const POLICY = policyFile as unknown as VolunteerPolicy;
export const VRULES: DecideRules = { ...RULES, volunteerPolicy: POLICY };

/** `n` seconds after T0 (Monday 2024-01-15 09:00 UTC). */
export const sec = (n: number): EpochMs => epochMs(T0 + n * 1000);
/** Qualifications in these stories expire long after them. */
export const NEXT_YEAR: EpochMs = epochMs(Date.UTC(2025, 0, 15));

export type QualSpec = QualificationKind | { kind: QualificationKind; verified?: boolean; expiresAt?: EpochMs };

export interface VolunteerSpec {
  /** A bare kind is declared and verified, valid until NEXT_YEAR. */
  readonly quals?: readonly QualSpec[];
  readonly available?: boolean;
  readonly consent?: boolean;
  readonly quietHours?: DailyWindow;
  readonly languages?: readonly string[];
}

const ev = (id: string, at: EpochMs, e: Parameters<typeof on>[2]) => on(volunteerStream(id), at, e);

/** A volunteer as facts: registered, qualifications declared (and verified), on duty unless told. */
export function volunteer(id: string, spec: VolunteerSpec = {}, at: EpochMs = epochMs(T0 - 86_400_000)): PendingEvent[] {
  const events: PendingEvent[] = [
    ev(id, at, {
      type: 'VolunteerRegistered',
      data: { volunteerId: id, languages: [...(spec.languages ?? ['en'])], locationConsent: spec.consent ?? true },
    }),
  ];
  for (const q of spec.quals ?? ['cpr']) {
    const { kind, verified = true, expiresAt = NEXT_YEAR } = typeof q === 'string' ? { kind: q } : q;
    events.push(ev(id, at, { type: 'QualificationDeclared', data: { volunteerId: id, kind, expiresAt: isoAt(expiresAt) } }));
    if (verified) events.push(ev(id, at, { type: 'QualificationVerified', data: { volunteerId: id, kind, by: 'supervisor-1' } }));
  }
  if (spec.available ?? true) {
    events.push(
      ev(id, at, { type: 'AvailabilitySet', data: { volunteerId: id, available: true, quietHours: spec.quietHours ?? null } }),
    );
  }
  return events;
}

/** Many volunteers with the same spec. */
export const volunteers = (ids: readonly string[], spec: VolunteerSpec = {}): PendingEvent[] =>
  ids.flatMap((id) => volunteer(id, spec));

/**
 * A volunteer's record on past incidents: `alerted` alerts of which `accepted` were accepted, all
 * closed since (the events of past responses, as they reach the volunteer's own state).
 */
export function history(id: string, alerted: number, accepted: number): PendingEvent[] {
  const at = epochMs(T0 - 3_600_000);
  return Array.from({ length: alerted }, (_, k) => {
    const incidentId = `PAST${k}`;
    const ids = { incidentId, volunteerId: id, alertId: alertIdOf(incidentId, id) };
    const s = `response-${incidentId}`;
    const alertedEvent = alertedElsewhere(id, incidentId, at);
    return k < accepted
      ? [
          alertedEvent,
          on(s, at, { type: 'VolunteerAccepted', data: ids }),
          on(s, at, {
            type: 'VolunteerStoodDown',
            data: { ...ids, reason: 'incident_resolved', detail: 'past', wasAccepted: true },
          }),
        ]
      : [alertedEvent, on(s, at, { type: 'VolunteerAlertExpired', data: ids })];
  }).flat();
}

/** An alert of the volunteer on another incident, still open (a bare fact: that response is not modelled). */
export function alertedElsewhere(id: string, incidentId: string, at: EpochMs = epochMs(T0 - 60_000)): PendingEvent {
  return on(`response-${incidentId}`, at, {
    type: 'VolunteerAlerted',
    data: {
      incidentId,
      volunteerId: id,
      alertId: alertIdOf(incidentId, id),
      wave: 1,
      etaS: 100,
      policyRule: 'test',
      policyVersion: 'test',
      qualification: 'cpr',
      acceptanceProbability: 0.2,
      expiresAt: isoAt(at),
      nature: 'cardiac_arrest',
      place: 'public',
    },
  });
}

export const volunteerDeleted = (id: string, at: EpochMs = epochMs(T0 - 60_000)): PendingEvent =>
  ev(id, at, { type: 'VolunteerDeleted', data: { volunteerId: id } });

// ---------------------------------------------------------------------------------------------
// AEDs

export const ALWAYS_OPEN: OpeningHours = { utcOffsetMin: 0, always: true, weekly: {} };
const nineToSix: DailyWindow[] = [{ from: '09:00', to: '18:00' }];
/** Monday to Friday 09:00-18:00, local time at UTC (T0 is Monday 09:00). */
export const OFFICE_HOURS: OpeningHours = {
  utcOffsetMin: 0,
  weekly: { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix },
};

export const aed = (id: string, more: Partial<Aed> = {}): Aed => ({
  id,
  location: { lat: 37.78, lon: -122.42 },
  placeName: `AED ${id}`,
  openingHours: ALWAYS_OPEN,
  status: 'in_service',
  ...more,
});
export const via = (a: Aed, toAedS: number, toSceneS: number): AedOption => ({ aed: a, toAedS, toSceneS });

// ---------------------------------------------------------------------------------------------
// Commands of a volunteer response

export interface StartOptions {
  readonly place?: IncidentPlace;
  /** Seconds from now; `null`: no unit recommended. */
  readonly firstUnitEtaS?: number | null;
  readonly utcOffsetMin?: number;
  readonly now?: EpochMs;
}

/** Starts the response to `incidentId` with candidates `[volunteerId, walking s]`. First unit in 10 min unless told. */
export function start(incidentId: string, candidates: readonly (readonly [string, number])[], o: StartOptions = {}): Command {
  return {
    type: 'StartVolunteerResponse',
    now: o.now ?? sec(5),
    incidentId,
    place: o.place ?? 'public',
    utcOffsetMin: o.utcOffsetMin ?? 0,
    ...(o.firstUnitEtaS === null ? {} : { firstUnitEtaS: o.firstUnitEtaS ?? 600 }),
    candidates: candidates.map(([volunteerId, etaS]) => ({ volunteerId, etaS })),
  };
}

export const nextWave = (incidentId: string, wave: number, now: EpochMs): Command => ({
  type: 'SendNextWave',
  now,
  incidentId,
  wave,
});
export const acceptBy = (volunteerId: string, incidentId: string, now: EpochMs, aeds: AedOption[] = []): Command => ({
  type: 'AcceptAlert',
  now,
  volunteerId,
  alertId: alertIdOf(incidentId, volunteerId),
  aeds,
});
export const declineBy = (volunteerId: string, incidentId: string, now: EpochMs): Command => ({
  type: 'DeclineAlert',
  now,
  volunteerId,
  alertId: alertIdOf(incidentId, volunteerId),
});
export const expire = (incidentId: string, volunteerId: string, now: EpochMs): Command => ({
  type: 'ExpireAlert',
  now,
  incidentId,
  alertId: alertIdOf(incidentId, volunteerId),
});
export const standDown = (incidentId: string, reason: StandDownCommandReason, now: EpochMs): Command => ({
  type: 'StandDownVolunteers',
  now,
  incidentId,
  reason,
});
export const offDuty = (volunteerId: string, now: EpochMs): Command => ({
  type: 'SetAvailability',
  now,
  volunteerId,
  available: false,
});

// ---------------------------------------------------------------------------------------------
// Reading the world

export const responseOf = (w: World, incidentId: string): ResponseState => {
  const s = responseIn(w, incidentId);
  if (s === undefined) throw new Error(`no volunteer response for ${incidentId}`);
  return s;
};
export const volunteerOf = (w: World, id: string): VolunteerState => {
  const v = volunteerIn(w, id);
  if (v === undefined) throw new Error(`no volunteer ${id}`);
  return v;
};

/** The volunteers alerted by these events, in order. */
export const alerted = (events: readonly PendingEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'VolunteerAlerted' ? [e.data.volunteerId] : []));
/** The events of one type, typed. */
export const ofType = <T extends PendingEvent['type']>(events: readonly PendingEvent[], type: T) =>
  events.filter((e): e is Extract<PendingEvent, { type: T }> => e.type === type);
