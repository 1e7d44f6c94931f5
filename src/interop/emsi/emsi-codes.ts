import type { IncidentStatus, UnitStatus } from '../../core/statuses.ts';

/**
 * Our codes and the EMSI profile's (ISO/TR 22351 nomenclature as enumerated in the ANS EMSI schema).
 * Each nature has its own (CATEGORY, ACTOR) pair so that a document we wrote reads back as the same
 * nature; a foreign document matches on the pair, then on the category alone, then its parents.
 */
export interface EmsiEventType {
  readonly category: string;
  readonly actor: string;
  /** The mission TYPE of the operation: rescue and assistance, or fire fighting. */
  readonly mission: string;
}

export const NATURE_TO_ETYPE: Readonly<Record<string, EmsiEventType>> = {
  cardiac_arrest: { category: 'HLT', actor: 'PPL/VLN/UNC', mission: 'SAV/AR/FR_MED' },
  choking: { category: 'HLT', actor: 'PPL/VLN/OBS', mission: 'SAV/AR/FR_MED' },
  medical: { category: 'HLT', actor: 'PPL', mission: 'SAV/AR/FR_MED' },
  fall_from_height: { category: 'ASR/HGT', actor: 'PPL/VLN/INJ', mission: 'SAV/ASC' },
  structure_fire: { category: 'FIR', actor: 'BEV', mission: 'FFST/FR_FIRE' },
  outside_fire: { category: 'FIR/CLA', actor: 'PPL', mission: 'FFST/FR_FIRE' },
  vehicle_fire: { category: 'FIR', actor: 'VEH', mission: 'FFST/FR_FIRE' },
  alarm: { category: 'PSW/ALM', actor: 'BEV', mission: 'INT/RECCE' },
  traffic_collision: { category: 'TRP/COL', actor: 'VEH', mission: 'SAV/ASC' },
  water_rescue: { category: 'ASR/WAT', actor: 'PPL', mission: 'SAV/ASC' },
  elevator_rescue: { category: 'ASR/TRP', actor: 'PPL', mission: 'SAV/ASC/FR_PPL/LIFT' },
  confined_space_collapse: { category: 'ASR/UDG', actor: 'PPL', mission: 'SAV/ASC' },
  gas_leak: { category: 'EXP/GAS', actor: 'BEV', mission: 'INT/RECCE' },
  electrical_hazard: { category: 'PSW', actor: 'BEV', mission: 'INT/RECCE' },
  hazmat: { category: 'POL/CHM', actor: 'BEV', mission: 'CBRN/TSA' },
  smoke_investigation: { category: 'FIR/UKN', actor: 'BEV', mission: 'INT/RECCE' },
  odor: { category: 'POL', actor: 'BEV', mission: 'INT/RECCE' },
  violence: { category: 'PSW/RIOT', actor: 'PPL/VIO', mission: 'SAV/ASC' },
  citizen_assist: { category: 'PSW/ASY', actor: 'PPL', mission: 'SAV' },
  other: { category: 'PSW/MIS', actor: 'PPL/OTH', mission: 'SAV' },
};

const FALLBACK_NATURE = 'other';

/** The EMSI event type of a nature; an unknown nature is written as `other`. */
export const etypeOf = (nature: string): EmsiEventType => NATURE_TO_ETYPE[nature] ?? NATURE_TO_ETYPE[FALLBACK_NATURE]!;

/** The nature an EMSI event type stands for: the exact pair, else the category or its nearest parent. */
export function natureOf(categories: readonly string[], actors: readonly string[]): string {
  const entries = Object.entries(NATURE_TO_ETYPE);
  for (const category of categories) {
    const exact = entries.find(([, t]) => t.category === category && actors.includes(t.actor));
    if (exact) return exact[0];
  }
  for (const category of categories) {
    for (let code = category; code !== ''; code = code.includes('/') ? code.slice(0, code.lastIndexOf('/')) : '') {
      const byCategory = entries.find(([, t]) => t.category === code);
      if (byCategory) return byCategory[0];
    }
  }
  return FALLBACK_NATURE;
}

export type EmsiResourceStatus = 'AVAILB' | 'UNAV' | 'MAINTC' | 'RESRVD' | 'VIRTUAL' | 'IN_USE/MOBILE' | 'IN_USE/ON_SCENE';

/** A dispatched unit is reserved for the incident until it moves; at hospital it is still busy there. */
export const UNIT_STATUS_TO_EMSI: Readonly<Record<UnitStatus, EmsiResourceStatus>> = {
  available: 'AVAILB',
  dispatched: 'RESRVD',
  en_route: 'IN_USE/MOBILE',
  on_scene: 'IN_USE/ON_SCENE',
  transporting: 'IN_USE/MOBILE',
  at_hospital: 'IN_USE/ON_SCENE',
  returning: 'IN_USE/MOBILE',
  out_of_service: 'UNAV',
};

export const EMSI_TO_UNIT_STATUS: Readonly<Record<EmsiResourceStatus, UnitStatus>> = {
  AVAILB: 'available',
  RESRVD: 'dispatched',
  'IN_USE/MOBILE': 'en_route',
  'IN_USE/ON_SCENE': 'on_scene',
  UNAV: 'out_of_service',
  MAINTC: 'out_of_service',
  VIRTUAL: 'available',
};

/** The vehicle class of each unit type (RTYPE/RCLASS); a type not listed is a road vehicle. */
export const UNIT_TYPE_TO_RCLASS: Readonly<Record<string, string>> = {
  engine: 'MAT/VEH/ROADVE/FRFGTN/PUMP',
  truck: 'MAT/VEH/ROADVE/FRFGTN/AERIAL',
  rescue: 'MAT/VEH/ROADVE/FRFGTN/RSC',
  medic: 'MAT/VEH/ROADVE/AMBUL',
  ambulance: 'MAT/VEH/ROADVE/AMBUL',
  chief: 'MAT/VEH/ROADVE/FRFGTN/C3',
  ems_supervisor: 'MAT/VEH/ROADVE/FRFGTN/C3',
  fireboat: 'MAT/VEH/VESSEL/FIRBOT',
  rescue_boat: 'MAT/VEH/VESSEL/SMLLBO',
  investigator: 'MAT/VEH/ROADVE/FRFGTN/PERCAR',
  support: 'MAT/VEH/ROADVE/FRFGTN/OTHR',
};
export const rclassOf = (unitType: string): string => UNIT_TYPE_TO_RCLASS[unitType] ?? 'MAT/VEH/ROADVE';

export type EmsiMissionStatus = 'ABO' | 'NST' | 'CANCLD' | 'COM' | 'IPR' | 'PAU';
export type EmsiEventStatus = 'COM' | 'IPR' | 'NST' | 'STOP';

/** Incident status as the operation's mission status and the event's status. */
export const INCIDENT_STATUS_TO_EMSI: Readonly<Record<IncidentStatus, { mission: EmsiMissionStatus; event: EmsiEventStatus }>> = {
  received: { mission: 'NST', event: 'NST' },
  dispatched: { mission: 'IPR', event: 'IPR' },
  en_route: { mission: 'IPR', event: 'IPR' },
  on_scene: { mission: 'IPR', event: 'IPR' },
  resolved: { mission: 'COM', event: 'COM' },
  closed: { mission: 'COM', event: 'COM' },
  cancelled: { mission: 'CANCLD', event: 'STOP' },
};

/** Our priority (1 most urgent) as the mission PRIORITY, and back: EMSI's 0-5 folds onto 1-3. */
export const priorityToEmsi = (p: 1 | 2 | 3): string => String(p);
export function priorityFromEmsi(p: string | undefined): 1 | 2 | 3 | undefined {
  if (p === undefined) return undefined;
  const n = Number(p);
  if (!Number.isInteger(n)) return undefined;
  return n <= 1 ? 1 : n === 2 ? 2 : 3;
}
