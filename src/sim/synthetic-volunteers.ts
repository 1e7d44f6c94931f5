import type { LatLon } from '../core/lat-lon.ts';
import { PROJECT_ROOT } from '../config/configuration.ts';
import { apportion, pointIn, readBlockGroups, totalResidents, type BlockGroup } from '../volunteers/population-density.ts';
import { POPULATION_FILE } from '../volunteers/demo-volunteers.ts';

export interface SyntheticVolunteer {
  readonly id: string;
  readonly home: LatLon;
}

/** A square of the city where a re-run recruits `count` more volunteers, uniform inside it. */
export interface ExtraVolunteers {
  readonly centre: LatLon;
  readonly sizeM: number;
  readonly count: number;
}

const M_PER_DEG_LAT = 111_320;
let groups: readonly BlockGroup[] | undefined;

/** The block groups are read once per process: every re-run of a replay places from the same file. */
function blockGroups(): readonly BlockGroup[] {
  groups ??= readBlockGroups(`${PROJECT_ROOT}${POPULATION_FILE}`);
  return groups;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The simulator's volunteers: `shareOfResidents` of San Francisco's residents (the census density
 * file), each block group getting its share by largest remainder and each volunteer a point drawn
 * uniformly inside it, then the `extra` recruits in their squares. Ids `SV-<n>` in that order, so
 * the base population keeps its ids and places when extras are added with the same random source.
 */
export function placeVolunteers(shareOfResidents: number, random: () => number, extra: readonly ExtraVolunteers[] = []): SyntheticVolunteer[] {
  const all = blockGroups();
  const count = Math.round(totalResidents(all) * shareOfResidents);
  const out: SyntheticVolunteer[] = [];
  const next = (home: LatLon) => out.push({ id: `SV-${out.length + 1}`, home });
  apportion(all, count).forEach((k, g) => {
    for (let j = 0; j < k; j++) next(pointIn(all[g]!, random));
  });
  for (const e of extra) {
    const dLat = e.sizeM / M_PER_DEG_LAT;
    const dLon = e.sizeM / (M_PER_DEG_LAT * Math.cos((e.centre.lat * Math.PI) / 180));
    for (let j = 0; j < e.count; j++) {
      next({ lat: round6(e.centre.lat + (random() - 0.5) * dLat), lon: round6(e.centre.lon + (random() - 0.5) * dLon) });
    }
  }
  return out;
}
