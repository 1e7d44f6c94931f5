import { randomBytes } from 'node:crypto';
import type { Actor } from '../core/actor.ts';
import type { Command } from '../core/commands.ts';
import type { PendingEvent, StoredEvent } from '../core/events.ts';
import { epochMs } from '../core/ids.ts';
import type { StreamState } from '../core/loaded.ts';
import { isValidWindow, type DailyWindow } from '../core/local-time.ts';
import { reject, type Rejection } from '../core/rejection.ts';
import { parseStream, volunteerStream } from '../core/streams.ts';
import { isDeleted, type VolunteerState } from '../core/volunteer.ts';
import type { QualificationKind } from '../core/volunteer-policy.ts';
import type { EventStore } from '../store/event-store.ts';
import type { VolunteerDevice, VolunteerProfile, VolunteerProfileStore } from '../store/volunteer-profile-store.ts';
import type { Accounts } from '../accounts/accounts.ts';
import type { WriteContext, Writer } from '../log/writer.ts';
import { isDemoVolunteerId } from './demo-volunteers.ts';
import type { VolunteerLiveIndex } from './volunteer-live-index.ts';
import { registryView, selfView, staffView, type SelfView, type StaffView } from './volunteer-views.ts';

/** A registry refusal: the core's, or one of the registry's own (mapped to HTTP by the server). */
export type VolunteerFailure =
  | Rejection
  | { readonly ok: false; readonly code: 'LocationConsentRequired' | 'VersionConflict' | 'IdempotencyKeyMismatch' | 'RecordConflict'; readonly message: string };
export type Result<T> = { readonly ok: true; readonly value: T } | VolunteerFailure;

const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export interface SignUp {
  readonly name: string;
  readonly phone: string;
  readonly languages: readonly string[];
  readonly locationConsent: boolean;
}

/** A volunteer's own changes: availability and quiet hours, consent, and their personal data. */
export interface VolunteerPatch {
  readonly available?: boolean;
  /** `null` clears them. */
  readonly quietHours?: DailyWindow | null;
  readonly locationConsent?: boolean;
  readonly languages?: readonly string[];
  readonly name?: string;
  readonly phone?: string;
}

export interface VolunteersDeps {
  readonly store: EventStore<StreamState>;
  readonly profiles: VolunteerProfileStore;
  readonly writer: Writer;
  readonly accounts: Accounts;
  readonly live: VolunteerLiveIndex;
  readonly clock: () => number;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A pseudonymous id that says nothing about the person: V and 12 random base-32 characters. */
const newVolunteerId = () => `V${[...randomBytes(12)].map((b) => CROCKFORD[b % 32]).join('')}`;
const cleanLanguages = (ls: readonly string[]) => [...new Set(ls.map((l) => l.trim()).filter((l) => l !== ''))];
/** Stream of the staff-read audit events. */
export const DATA_READ_STREAM = 'audit-volunteer-data';

/**
 * The volunteer registry: sign-up, self-service, a supervisor's verification, staff reads of
 * personal data (each audited), erasure, and phone positions into the live index (never the log).
 */
export class Volunteers {
  constructor(private readonly d: VolunteersDeps) {}

  private iso(): string {
    return new Date(this.d.clock()).toISOString();
  }

  async state(volunteerId: string): Promise<VolunteerState | undefined> {
    const s = volunteerStream(volunteerId);
    return (await this.d.store.load([s])).get(s)?.state as VolunteerState | undefined;
  }

  /** The volunteer, if they exist and have not deleted their account. */
  private async active(volunteerId: string): Promise<Result<VolunteerState>> {
    const v = await this.state(volunteerId);
    if (v === undefined) return reject('UnknownVolunteer', `No volunteer has id ${volunteerId}`, { volunteerId });
    if (isDeleted(v)) return reject('VolunteerGone', `Volunteer ${volunteerId} deleted their account`, { volunteerId });
    return ok(v);
  }

  /** Personal data, for the delivery channels (phone, devices); not for display. */
  profile(volunteerId: string): VolunteerProfile | undefined {
    return this.d.profiles.get(volunteerId);
  }

  /** Signs a volunteer up: the registration event and the profile row commit together; then a device token. */
  async signUp(input: SignUp, ctx: { readonly requestId?: string } = {}): Promise<Result<{ volunteerId: string; token: string; view: SelfView }>> {
    const now = this.d.clock();
    const volunteerId = newVolunteerId();
    const at = new Date(now).toISOString();
    const profile: VolunteerProfile = {
      volunteerId,
      name: input.name.trim(),
      phone: input.phone.trim(),
      languages: cleanLanguages(input.languages),
      devices: [],
      synthetic: false,
      createdAt: at,
      updatedAt: at,
    };
    // Languages are personal data: the profile keeps them, the event does not.
    const outcome = await this.d.writer.execute(
      { type: 'RegisterVolunteer', now: epochMs(now), volunteerId, languages: [], locationConsent: input.locationConsent },
      { actor: { kind: 'system', id: 'sign-up' }, ...ctx, records: [{ type: 'profile.add', profiles: [profile] }] },
    );
    if (!outcome.ok) return outcome;
    const { token } = await this.d.accounts.createToken({ name: 'volunteer device', role: 'volunteer', kind: 'device', subject: volunteerId, by: 'sign-up' });
    const v = await this.state(volunteerId);
    return ok({ volunteerId, token, view: selfView(v!, profile, now) });
  }

  /** The volunteer's own view of their data. */
  async self(volunteerId: string): Promise<Result<SelfView>> {
    const v = await this.active(volunteerId);
    if (!v.ok) return v;
    const p = this.d.profiles.get(volunteerId);
    if (!p) return reject('VolunteerGone', `Volunteer ${volunteerId} has no personal data left`, { volunteerId });
    return ok(selfView(v.value, p, this.d.clock()));
  }

  private async run(command: Command, ctx: WriteContext): Promise<VolunteerFailure | undefined> {
    const outcome = await this.d.writer.execute(command, ctx);
    return outcome.ok ? undefined : outcome;
  }

  /** Applies a volunteer's own changes; unchanged values are no-ops, not errors. */
  async update(volunteerId: string, patch: VolunteerPatch, ctx: WriteContext): Promise<Result<SelfView>> {
    const found = await this.active(volunteerId);
    if (!found.ok) return found;
    const v = found.value;
    if (patch.quietHours && !isValidWindow(patch.quietHours)) {
      return reject('InvalidQuietHours', 'Quiet hours are two different local times HH:MM', { quietHours: patch.quietHours });
    }
    const personal = {
      ...(patch.name === undefined ? {} : { name: patch.name.trim() }),
      ...(patch.phone === undefined ? {} : { phone: patch.phone.trim() }),
      ...(patch.languages === undefined ? {} : { languages: cleanLanguages(patch.languages) }),
    };
    if (Object.keys(personal).length > 0) await this.d.profiles.update(volunteerId, personal, this.iso());
    const now = epochMs(this.d.clock());
    if (patch.locationConsent !== undefined && patch.locationConsent !== v.locationConsent) {
      const failed = await this.run({ type: 'SetLocationConsent', now, volunteerId, consent: patch.locationConsent }, ctx);
      if (failed) return failed;
    }
    if (patch.available !== undefined || patch.quietHours !== undefined) {
      const available = patch.available ?? v.available;
      const sameHours = patch.quietHours === undefined || (patch.quietHours?.from === v.quietHours?.from && patch.quietHours?.to === v.quietHours?.to);
      if (available !== v.available || !sameHours) {
        const failed = await this.run(
          { type: 'SetAvailability', now, volunteerId, available, ...(patch.quietHours === undefined ? {} : { quietHours: patch.quietHours }) },
          ctx,
        );
        if (failed) return failed;
      }
    }
    await this.refresh(volunteerId);
    return this.self(volunteerId);
  }

  /** A volunteer declares a qualification; it stays unverified until a supervisor verifies it. */
  async declare(volunteerId: string, kind: QualificationKind, expiresAt: number, ctx: WriteContext): Promise<Result<SelfView>> {
    const failed = await this.run({ type: 'DeclareQualification', now: epochMs(this.d.clock()), volunteerId, kind, expiresAt: epochMs(expiresAt) }, ctx);
    if (failed) return failed;
    await this.refresh(volunteerId);
    return this.self(volunteerId);
  }

  /** A supervisor verifies a declared qualification; the answer holds no personal data. */
  async verify(volunteerId: string, kind: QualificationKind, by: string, ctx: WriteContext) {
    const failed = await this.run({ type: 'VerifyQualification', now: epochMs(this.d.clock()), volunteerId, kind, by }, ctx);
    if (failed) return failed;
    await this.refresh(volunteerId);
    const v = await this.state(volunteerId);
    return ok(registryView(v!, this.d.clock()));
  }

  /**
   * Deletes an account in one transaction: the `VolunteerDeleted` event (and the withdrawal of open
   * alerts), the profile row, and every device token of theirs. The log keeps the id only.
   */
  async erase(volunteerId: string, by: string, ctx: WriteContext): Promise<Result<{ volunteerId: string }>> {
    const devices = [...(await this.d.accounts.activeDevices(volunteerId))];
    const [revoked, revocations] = this.d.accounts.revocation(devices, by);
    const outcome = await this.d.writer.execute(
      { type: 'DeleteVolunteer', now: epochMs(this.d.clock()), volunteerId },
      { ...ctx, observed: revoked, records: [{ type: 'profile.erase', volunteerId }, ...revocations] },
    );
    if (!outcome.ok) return outcome;
    this.d.live.forget(volunteerId);
    return ok({ volunteerId });
  }

  /** A fix from the volunteer's phone: the live index only, and only while on duty with consent. */
  async takePosition(volunteerId: string, fix: { lat: number; lon: number; atMs: number }): Promise<Result<{ kept: boolean; reason?: string }>> {
    const found = await this.active(volunteerId);
    if (!found.ok) return found;
    if (!found.value.locationConsent) {
      return { ok: false, code: 'LocationConsentRequired', message: 'Location consent is withdrawn: positions are not taken (PATCH /api/volunteers/me {"locationConsent": true})' };
    }
    const outcome = this.d.live.take(found.value, fix);
    if (outcome === 'not_matchable') return ok({ kept: false, reason: 'off duty: the position is not kept' });
    if (outcome === 'out_of_order') return ok({ kept: false, reason: 'older than the position already held' });
    return ok({ kept: true });
  }

  /** Staff read personal data: the audit event is written before the data is returned. */
  private async audit(volunteerIds: readonly string[], by: string, purpose: string, actor: Actor): Promise<void> {
    const e: PendingEvent = { type: 'VolunteerDataRead', stream: DATA_READ_STREAM, at: this.iso(), data: { volunteerIds: [...volunteerIds], by, purpose } };
    const outcome = await this.d.writer.record([e], { actor });
    if (!outcome.ok) throw new Error(`audit of a staff read: ${outcome.message}`);
  }

  /** A staff member reads one volunteer's personal data: audited before it is returned. */
  async staffRead(volunteerId: string, by: string, purpose: string, actor: Actor): Promise<Result<StaffView>> {
    const v = await this.state(volunteerId);
    if (v === undefined) return reject('UnknownVolunteer', `No volunteer has id ${volunteerId}`, { volunteerId });
    const p = this.d.profiles.get(volunteerId);
    if (isDeleted(v) || !p) return reject('VolunteerGone', `Volunteer ${volunteerId} deleted their account`, { volunteerId });
    await this.audit([volunteerId], by, purpose, actor);
    return ok(staffView(v, p, this.d.clock()));
  }

  /**
   * A page of the registry for staff, by id. The page's personal data is audited as one read; the
   * counts over the whole registry hold none.
   */
  async staffList(q: { after?: string; limit: number; pending?: boolean; available?: boolean }, by: string, purpose: string, actor: Actor) {
    const now = this.d.clock();
    const all = (await this.d.store.list('volunteer', ['active'], 10_000_000)) as VolunteerState[];
    const pending = (v: VolunteerState) => Object.values(v.qualifications).some((x) => x !== undefined && !x.verified && now < Date.parse(x.expiresAt));
    const matching = all
      .filter((v) => (q.pending !== true || pending(v)) && (q.available === undefined || v.available === q.available))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const from = q.after === undefined ? 0 : matching.findIndex((v) => v.id > q.after!);
    const page = from < 0 ? [] : matching.slice(from, from + q.limit);
    const profiles = this.d.profiles.getMany(page.map((v) => v.id));
    const shown = page.filter((v) => profiles.has(v.id));
    if (shown.length > 0) await this.audit(shown.map((v) => v.id), by, purpose, actor);
    const last = page.at(-1);
    return {
      volunteers: shown.map((v) => staffView(v, profiles.get(v.id)!, now)),
      matching: matching.length,
      ...(last !== undefined && from + q.limit < matching.length ? { next: last.id } : {}),
      counts: {
        active: all.length,
        available: all.filter((v) => v.available).length,
        synthetic: all.filter((v) => isDemoVolunteerId(v.id)).length,
        pendingVerification: all.filter(pending).length,
      },
    };
  }

  /** Devices for alert delivery (the delivery queue adds Web Push subscriptions here). */
  async addDevice(volunteerId: string, channel: string, subscription: Readonly<Record<string, unknown>>): Promise<VolunteerDevice | undefined> {
    const p = this.d.profiles.get(volunteerId);
    if (!p) return undefined;
    const device: VolunteerDevice = { id: randomBytes(9).toString('base64url'), channel, subscription, addedAt: this.iso() };
    return (await this.d.profiles.update(volunteerId, { devices: [...p.devices, device] }, this.iso())) === undefined ? undefined : device;
  }

  async removeDevice(volunteerId: string, deviceId: string): Promise<boolean> {
    const p = this.d.profiles.get(volunteerId);
    if (!p || !p.devices.some((d) => d.id === deviceId)) return false;
    return (await this.d.profiles.update(volunteerId, { devices: p.devices.filter((d) => d.id !== deviceId) }, this.iso())) !== undefined;
  }

  /** Re-reads a volunteer and brings the live index in line (their word, or out of it). */
  async refresh(volunteerId: string): Promise<void> {
    this.d.live.sync(await this.state(volunteerId), volunteerId);
  }

  /** Follows the log: any change on a volunteer's own stream, from any writer, reaches the index. */
  onEvents(events: readonly StoredEvent[]): void {
    const ids = new Set<string>();
    for (const e of events) {
      const s = parseStream(e.stream);
      if (s?.kind === 'volunteer') ids.add(s.id);
    }
    for (const id of ids) {
      this.refresh(id).catch((err: unknown) => process.stderr.write(`live index: volunteer ${id}: ${String(err)}\n`));
    }
  }
}
