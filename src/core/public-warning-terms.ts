/**
 * A public warning: what a supervisor tells the public about an incident (OASIS CAP, the Atom feed
 * of active warnings). It says only what the supervisor wrote and how far around the place it
 * reaches: never the caller, the exact address of a home or a door code.
 */
export interface PublicWarningText {
  /** One line for a phone's lock screen (CAP recommends under 160 characters). */
  readonly headline: string;
  /** What the public should do. */
  readonly instruction: string;
  /** The area in words ("Civic Center, around City Hall"). */
  readonly areaDesc: string;
  /** How far around the incident the warning reaches, metres. */
  readonly radiusM: number;
}

export const PUBLIC_WARNING_LIMITS = {
  headline: 160,
  instruction: 1000,
  areaDesc: 200,
  minRadiusM: 50,
  maxRadiusM: 50_000,
} as const;

/** The warning as the incident holds it: `revision` counts issues and amendments, from 1. */
export interface PublicWarningState extends PublicWarningText {
  readonly revision: number;
  /** The revision it was issued with (amendments follow it; a warning issued again starts anew). */
  readonly issuedRevision: number;
  readonly issuedAt: string;
  readonly updatedAt: string;
  readonly withdrawnAt?: string;
  readonly withdrawReason?: string;
}
