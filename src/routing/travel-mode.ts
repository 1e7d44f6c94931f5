import { DRIVEN_CLASSES, WALK_SPEED_MPS, type DriveProfile } from './drive-profile.ts';
import { DRIVE_BACKWARD, DRIVE_FORWARD, ROAD_CLASSES, WALK, roadClassCode } from './road-class.ts';

export type ProfileName = 'drive' | 'walk';
export const PROFILE_NAMES: readonly ProfileName[] = ['drive', 'walk'];

/** Which edges a mode may take, which way, and at what speed: what turns edges into arcs. */
export interface TravelMode {
  readonly name: ProfileName;
  /** m/s per road class code; 0 = closed to this mode. */
  readonly speedByClass: Float64Array;
  /** May edge with these flags be taken from → to? */
  forward(flags: number): boolean;
  /** May it be taken to → from? */
  backward(flags: number): boolean;
}

export function driveMode(p: DriveProfile): TravelMode {
  const speedByClass = new Float64Array(ROAD_CLASSES.length);
  for (const c of DRIVEN_CLASSES) speedByClass[roadClassCode(c)] = p.speedsMps[c];
  return {
    name: 'drive',
    speedByClass,
    forward: (f) => (f & DRIVE_FORWARD) !== 0,
    backward: (f) => (f & DRIVE_BACKWARD) !== 0,
  };
}

export const WALK_MODE: TravelMode = {
  name: 'walk',
  speedByClass: Float64Array.from(ROAD_CLASSES, () => WALK_SPEED_MPS),
  forward: (f) => (f & WALK) !== 0,
  backward: (f) => (f & WALK) !== 0,
};

/** May the mode use edge (class, flags) at all, in either direction? */
export const usable = (mode: TravelMode, cls: number, flags: number): boolean =>
  mode.speedByClass[cls]! > 0 && (mode.forward(flags) || mode.backward(flags));
