import { readFileSync } from 'node:fs';

/** The driving classes that have a speed; `path` is never driven. */
export const DRIVEN_CLASSES = ['freeway', 'arterial', 'street', 'service'] as const;
export type DrivenClass = (typeof DRIVEN_CLASSES)[number];

/**
 * How fast emergency vehicles cover each class of road (config/drive-profile.json), fitted to
 * San Francisco's own-station runs by `samaritan calibrate`. Travel time for a unit type is
 *   factor(unit type) × Σ length / speed(class)  +  fixedS.
 * The factor is uniform over a trip, so one hierarchy serves every unit type.
 */
export interface DriveProfile {
  /** m/s per road class. */
  readonly speedsMps: Readonly<Record<DrivenClass, number>>;
  /** Seconds added once per trip: pulling out, the last metres to the door. */
  readonly fixedS: number;
  /** Travel-time multiplier per unit type (engine 1 = the fitted base). */
  readonly unitTypeFactors: Readonly<Record<string, number>>;
  /** The multiplier for a unit type not listed. */
  readonly defaultUnitTypeFactor: number;
  /** What the calibration reported when it wrote this file; informative only. */
  readonly fit?: unknown;
}

/** Walking for volunteers: ~1.4 m/s on anything but a freeway, in either direction. */
export const WALK_SPEED_MPS = 1.4;

function positive(file: string, name: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) {
    throw new Error(`${file}: ${name} must be a number in (0, ${max}], not ${JSON.stringify(v)}`);
  }
  return v;
}

/** Checks a parsed drive profile; names the bad field and the expected range. */
export function parseDriveProfile(raw: unknown, file: string): DriveProfile {
  const r = raw as Partial<Record<keyof DriveProfile, unknown>>;
  const speeds = (r.speedsMps ?? {}) as Record<string, unknown>;
  const speedsMps = Object.fromEntries(DRIVEN_CLASSES.map((c) => [c, positive(file, `speedsMps.${c}`, speeds[c], 60)])) as Record<DrivenClass, number>;
  if (typeof r.fixedS !== 'number' || !Number.isFinite(r.fixedS) || r.fixedS < 0 || r.fixedS > 600) {
    throw new Error(`${file}: fixedS must be a number of seconds in [0, 600], not ${JSON.stringify(r.fixedS)}`);
  }
  const factors = (r.unitTypeFactors ?? {}) as Record<string, unknown>;
  const unitTypeFactors = Object.fromEntries(Object.entries(factors).map(([t, f]) => [t, positive(file, `unitTypeFactors.${t}`, f, 10)]));
  const profile: DriveProfile = {
    speedsMps,
    fixedS: r.fixedS,
    unitTypeFactors,
    defaultUnitTypeFactor: positive(file, 'defaultUnitTypeFactor', r.defaultUnitTypeFactor, 10),
  };
  return r.fit === undefined ? profile : { ...profile, fit: r.fit };
}

export function loadDriveProfile(file: string): DriveProfile {
  return parseDriveProfile(JSON.parse(readFileSync(file, 'utf8')), file);
}

/** The part of a profile that shapes the hierarchy: two profiles with equal keys share a graph file. */
export const speedsKey = (p: DriveProfile): string => JSON.stringify(DRIVEN_CLASSES.map((c) => p.speedsMps[c]));
