import type { Command } from './commands.ts';
import { withdrawOpenAlerts } from './decide-answer.ts';
import { accept, on, type Decision } from './decision.ts';
import type { DomainEvent } from './events.ts';
import { isoAt, type EpochMs } from './ids.ts';
import { isValidWindow, type DailyWindow } from './local-time.ts';
import { volunteerIn, type Loaded } from './loaded.ts';
import { reject, type Rejection } from './rejection.ts';
import { volunteerStream } from './streams.ts';
import { isDeleted, type VolunteerState } from './volunteer.ts';
import { isQualificationKind, QUALIFICATION_KINDS } from './volunteer-policy.ts';

type Cmd<T extends Command['type']> = Extract<Command, { type: T }>;

/** The volunteer registry: sign-up, qualifications, availability, consent and deletion. */

const event = (volunteerId: string, now: EpochMs, e: DomainEvent) => on(volunteerStream(volunteerId), now, e);

/** The volunteer a command is about, if they exist and have not deleted their account. */
function existing(l: Loaded, volunteerId: string): VolunteerState | Rejection {
  const v = volunteerIn(l, volunteerId);
  if (v === undefined) return reject('UnknownVolunteer', `No volunteer has id ${volunteerId}`, { volunteerId });
  if (isDeleted(v)) return reject('VolunteerGone', `Volunteer ${volunteerId} deleted their account`, { volunteerId });
  return v;
}
const failed = (x: VolunteerState | Rejection): x is Rejection => 'ok' in x;

export function registerVolunteer(c: Cmd<'RegisterVolunteer'>, l: Loaded): Decision {
  if (c.volunteerId === '') return reject('UnknownVolunteer', 'A volunteer needs an id');
  if (volunteerIn(l, c.volunteerId) !== undefined) {
    return reject('VolunteerAlreadyExists', `Volunteer ${c.volunteerId} already exists`, { volunteerId: c.volunteerId });
  }
  const languages = [...new Set(c.languages.map((x) => x.trim()).filter((x) => x !== ''))];
  return accept([
    event(c.volunteerId, c.now, {
      type: 'VolunteerRegistered',
      data: { volunteerId: c.volunteerId, languages, locationConsent: c.locationConsent },
    }),
  ]);
}

/** A volunteer declares a qualification; it stays unverified until a supervisor verifies it. */
export function declareQualification(c: Cmd<'DeclareQualification'>, l: Loaded): Decision {
  const v = existing(l, c.volunteerId);
  if (failed(v)) return v;
  if (!isQualificationKind(c.kind)) {
    return reject('InvalidQualification', `Unknown qualification ${String(c.kind)}`, {
      kind: c.kind,
      known: QUALIFICATION_KINDS,
    });
  }
  if (!Number.isFinite(c.expiresAt) || c.expiresAt <= c.now) {
    return reject('InvalidQualification', `A qualification must expire after now`, { kind: c.kind, expiresAt: c.expiresAt });
  }
  return accept([
    event(v.id, c.now, {
      type: 'QualificationDeclared',
      data: { volunteerId: v.id, kind: c.kind, expiresAt: isoAt(c.expiresAt) },
    }),
  ]);
}

/** A supervisor verifies a declared, unexpired qualification. */
export function verifyQualification(c: Cmd<'VerifyQualification'>, l: Loaded): Decision {
  const v = existing(l, c.volunteerId);
  if (failed(v)) return v;
  const q = v.qualifications[c.kind];
  if (q === undefined) {
    return reject('UnknownQualification', `Volunteer ${v.id} has not declared ${c.kind}`, { volunteerId: v.id, kind: c.kind });
  }
  if (c.now >= Date.parse(q.expiresAt)) {
    return reject('QualificationExpired', `${c.kind} of volunteer ${v.id} expired at ${q.expiresAt}`, {
      kind: c.kind,
      expiresAt: q.expiresAt,
    });
  }
  if (q.verified) return reject('NothingToChange', `${c.kind} of volunteer ${v.id} is already verified`, { kind: c.kind });
  return accept([event(v.id, c.now, { type: 'QualificationVerified', data: { volunteerId: v.id, kind: c.kind, by: c.by } })]);
}

const sameWindow = (a: DailyWindow | undefined, b: DailyWindow | undefined) => a?.from === b?.from && a?.to === b?.to;

/** On or off duty, and quiet hours. Going off duty withdraws the volunteer's open alerts at once. */
export function setAvailability(c: Cmd<'SetAvailability'>, l: Loaded): Decision {
  const v = existing(l, c.volunteerId);
  if (failed(v)) return v;
  if (c.quietHours !== undefined && c.quietHours !== null && !isValidWindow(c.quietHours)) {
    return reject('InvalidQuietHours', 'Quiet hours are two different local times HH:MM', { quietHours: c.quietHours });
  }
  const quietHours = c.quietHours === undefined ? (v.quietHours ?? null) : c.quietHours;
  if (c.available === v.available && sameWindow(quietHours ?? undefined, v.quietHours)) {
    return reject('NothingToChange', 'Availability and quiet hours are unchanged');
  }
  const set = event(v.id, c.now, {
    type: 'AvailabilitySet',
    data: {
      volunteerId: v.id,
      available: c.available,
      quietHours: quietHours === null ? null : { from: quietHours.from, to: quietHours.to },
    },
  });
  const withdrawn = c.available ? [] : withdrawOpenAlerts(v, l, c.now, 'the volunteer went off duty');
  return accept([set, ...withdrawn]);
}

/** Consent to location use; withdrawing it withdraws the volunteer's open alerts. */
export function setLocationConsent(c: Cmd<'SetLocationConsent'>, l: Loaded): Decision {
  const v = existing(l, c.volunteerId);
  if (failed(v)) return v;
  if (c.consent === v.locationConsent)
    return reject('NothingToChange', `Location consent is already ${c.consent ? 'given' : 'withdrawn'}`);
  const set = event(v.id, c.now, { type: 'LocationConsentSet', data: { volunteerId: v.id, consent: c.consent } });
  const withdrawn = c.consent ? [] : withdrawOpenAlerts(v, l, c.now, 'the volunteer withdrew consent to location use');
  return accept([set, ...withdrawn]);
}

/**
 * Deletes an account: open alerts are withdrawn, then only the pseudonymous id remains in the
 * volunteer's state. The app erases the personal data (name, phone, devices) in the same step.
 */
export function deleteVolunteer(c: Cmd<'DeleteVolunteer'>, l: Loaded): Decision {
  const v = existing(l, c.volunteerId);
  if (failed(v)) return v;
  const withdrawn = withdrawOpenAlerts(v, l, c.now, 'the volunteer deleted their account');
  return accept([...withdrawn, event(v.id, c.now, { type: 'VolunteerDeleted', data: { volunteerId: v.id } })]);
}
