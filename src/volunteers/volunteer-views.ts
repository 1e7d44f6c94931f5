import type { DailyWindow } from '../core/local-time.ts';
import type { ActiveAlert, VolunteerState } from '../core/volunteer.ts';
import type { QualificationKind } from '../core/volunteer-policy.ts';
import type { VolunteerDevice, VolunteerProfile } from '../store/volunteer-profile-store.ts';

/** What the API shows of a volunteer. Positions are never part of it. */
export interface QualificationView {
  readonly kind: QualificationKind;
  readonly expiresAt: string;
  readonly expired: boolean;
  readonly verified: boolean;
  readonly declaredAt: string;
  readonly verifiedAt?: string;
}

export interface VolunteerView {
  readonly id: string;
  readonly status: VolunteerState['status'];
  readonly registeredAt: string;
  readonly available: boolean;
  readonly quietHours: DailyWindow | null;
  readonly locationConsent: boolean;
  readonly qualifications: readonly QualificationView[];
  readonly alerted: number;
  readonly accepted: number;
  /** Personal data, from the erasable profile table. */
  readonly name: string;
  readonly phone: string;
  readonly languages: readonly string[];
  readonly synthetic: boolean;
}

/** The volunteer's own view: everything, with their devices and their alerts still in play. */
export interface SelfView extends VolunteerView {
  readonly devices: readonly Omit<VolunteerDevice, 'subscription'>[];
  readonly activeAlerts: readonly ActiveAlert[];
}

/** A supervisor's view: who verified what, no devices, no alerts. */
export interface StaffView extends VolunteerView {
  readonly qualifications: readonly (QualificationView & { readonly verifiedBy?: string })[];
}

function qualifications(v: VolunteerState, now: number, withVerifier: boolean): (QualificationView & { verifiedBy?: string })[] {
  return Object.values(v.qualifications).flatMap((q) =>
    q === undefined
      ? []
      : [
          {
            kind: q.kind,
            expiresAt: q.expiresAt,
            expired: now >= Date.parse(q.expiresAt),
            verified: q.verified,
            declaredAt: q.declaredAt,
            ...(q.verifiedAt === undefined ? {} : { verifiedAt: q.verifiedAt }),
            ...(withVerifier && q.verifiedBy !== undefined ? { verifiedBy: q.verifiedBy } : {}),
          },
        ],
  );
}

function base(v: VolunteerState, p: VolunteerProfile, now: number, withVerifier: boolean): VolunteerView {
  return {
    id: v.id,
    status: v.status,
    registeredAt: v.registeredAt,
    available: v.available,
    quietHours: v.quietHours ?? null,
    locationConsent: v.locationConsent,
    qualifications: qualifications(v, now, withVerifier),
    alerted: v.alerted,
    accepted: v.accepted,
    name: p.name,
    phone: p.phone,
    languages: p.languages,
    synthetic: p.synthetic,
  };
}

export const selfView = (v: VolunteerState, p: VolunteerProfile, now: number): SelfView => ({
  ...base(v, p, now, false),
  devices: p.devices.map((d) => ({ id: d.id, channel: d.channel, addedAt: d.addedAt })),
  activeAlerts: Object.values(v.activeAlerts),
});

export const staffView = (v: VolunteerState, p: VolunteerProfile, now: number): StaffView => base(v, p, now, true) as StaffView;

/** What anyone may see of a volunteer without reading personal data: the pseudonymous registry entry. */
export const registryView = (v: VolunteerState, now: number) => ({
  id: v.id,
  status: v.status,
  available: v.available,
  locationConsent: v.locationConsent,
  qualifications: qualifications(v, now, true),
});
