import type { IncidentStatus, UnitStatus } from '../../core/statuses.ts';
import { inRegistry, type RegistryName } from './registries.ts';

/**
 * How our words translate into NENA registry values, in one place. Every value named here is
 * checked against the registries file when first used (`checkRegistryMap`), so a typo cannot
 * reach a document.
 */

/** Our natures (config/response-plans.json) → Incident Type-Common. */
export const NATURE_TO_INCIDENT_TYPE: Readonly<Record<string, string>> = {
  cardiac_arrest: 'CARDIAC',
  choking: 'CHOKE',
  medical: 'SICK',
  fall_from_height: 'FALL',
  structure_fire: 'FSTRU',
  outside_fire: 'FBRUSH',
  vehicle_fire: 'FVEH',
  alarm: 'ALRF',
  traffic_collision: 'MVAUNK',
  water_rescue: 'WATER',
  elevator_rescue: 'NCRELEV',
  confined_space_collapse: 'XTRICATE',
  gas_leak: 'GASLEAK',
  electrical_hazard: 'ELECHZD',
  hazmat: 'HAZMAT',
  smoke_investigation: 'FSMOKE',
  odor: 'ODOR',
  violence: 'ASSAULT',
  citizen_assist: 'CITASST',
  other: 'TROUBLE',
};

/** Incident types another centre may send that have a nature of ours besides the ones above. */
const MORE_INCIDENT_TYPES: Readonly<Record<string, string>> = {
  NCRCPRF: 'cardiac_arrest',
  RESPARR: 'cardiac_arrest',
  ALS: 'medical',
  BLS: 'medical',
  CHESPAIN: 'medical',
  RESP: 'medical',
  STROKE: 'medical',
  SEIZURE: 'medical',
  DIABETIC: 'medical',
  PERUNCON: 'medical',
  OD: 'medical',
  TRAUMA: 'medical',
  FAPT: 'structure_fire',
  FUNK: 'structure_fire',
  FTRASH: 'outside_fire',
  FTRUCK: 'vehicle_fire',
  ALRPULL: 'alarm',
  ALRWTR: 'alarm',
  ALRHEAT: 'alarm',
  MVAINJY: 'traffic_collision',
  MVA: 'traffic_collision',
  DROWN: 'water_rescue',
  ENTRAP: 'confined_space_collapse',
  BLDCLPSE: 'confined_space_collapse',
  GASLEAKI: 'gas_leak',
  GASLEAKO: 'gas_leak',
  WIRES: 'electrical_hazard',
  CHEMICAL: 'hazmat',
  SHOOT: 'violence',
  STABBING: 'violence',
  FIGHT: 'violence',
};

/** The nature for an incident type sent to us; `other` when we have none for it. */
export function natureOfIncidentType(code: string): string {
  for (const [nature, type] of Object.entries(NATURE_TO_INCIDENT_TYPE)) if (type === code) return nature;
  return MORE_INCIDENT_TYPES[code] ?? 'other';
}

/** Our unit types (config/unit-types.json) → Emergency Resource Type-Common. */
export const UNIT_TYPE_TO_RESOURCE_TYPE: Readonly<Record<string, string>> = {
  engine: 'StructureFireEngineType1',
  truck: 'FireTruckLadder',
  rescue: 'HeavyRescue',
  medic: 'GroundALSAmbulance',
  ambulance: 'GroundBLSAmbulance',
  chief: 'CommandLevel3',
  ems_supervisor: 'CommandLevel3',
  fireboat: 'FireBoat',
  rescue_boat: 'WaterRescueTeam',
  investigator: 'Investigator',
  support: 'MobileSupportVehicle',
};

/** A unit type we do not know (a new one in the config): the registry has no "other", so a generic crew transport. */
export const FALLBACK_RESOURCE_TYPE = 'ResponderCrewTransport';

export const resourceTypeOf = (unitType: string): string => UNIT_TYPE_TO_RESOURCE_TYPE[unitType] ?? FALLBACK_RESOURCE_TYPE;

/** Our capabilities → Resource Attribute, where the registry has a match (most of ours are vehicle kinds, which it does not list). */
export const CAPABILITY_TO_RESOURCE_ATTRIBUTE: Readonly<Record<string, string>> = {
  als: 'Paramedic',
  bls: 'EMT',
  water_rescue: 'SwiftwaterRescueEquipment',
  rescue_tools: 'ConfinedSpaceRescueEquipBasic',
};

export interface UnitStatusValues {
  readonly primary: string;
  readonly secondary: readonly string[];
}

/** Our unit statuses → Primary Unit Status-Common and Secondary Unit Status-Common. */
export const UNIT_STATUS_TO_REGISTRY: Readonly<Record<UnitStatus, UnitStatusValues>> = {
  available: { primary: 'Available', secondary: ['InService'] },
  dispatched: { primary: 'NotAvailable', secondary: ['Dispatched'] },
  en_route: { primary: 'NotAvailable', secondary: ['EnRoute'] },
  on_scene: { primary: 'NotAvailable', secondary: ['OnScene'] },
  transporting: { primary: 'NotAvailable', secondary: ['Transporting'] },
  at_hospital: { primary: 'NotAvailable', secondary: ['Hospital'] },
  returning: { primary: 'ConditionallyAvailable', secondary: ['Cleared'] },
  out_of_service: { primary: 'NotAvailable', secondary: ['OutofService'] },
};

/** A unit that has left the incident (cleared) while its own status moved on. */
export const CLEARED_UNIT: UnitStatusValues = { primary: 'Available', secondary: ['Cleared'] };

/** Back from the registry: the first secondary status we have a word for, else by the primary one. */
export function unitStatusOf(primary: string, secondary: readonly string[]): UnitStatus | 'cleared' | undefined {
  for (const s of secondary) {
    if (s === 'Cleared' || s === 'AssignmentCancelled') return 'cleared';
    if (s === 'Arrived') return 'on_scene';
    if (s === 'AcknowledgedTransmission' || s === 'Assigned') return 'dispatched';
    for (const [ours, v] of Object.entries(UNIT_STATUS_TO_REGISTRY) as [UnitStatus, UnitStatusValues][]) {
      if (v.secondary.includes(s) && ours !== 'available') return ours;
    }
  }
  if (primary === 'Available') return 'available';
  if (primary === 'NotAvailable') return undefined;
  return undefined;
}

/** Our incident statuses → Incident Status-Common. A resolved incident is still active until it is closed. */
export const INCIDENT_STATUS_TO_REGISTRY: Readonly<Record<IncidentStatus, string>> = {
  received: 'Active',
  dispatched: 'ResourcesAssigned',
  en_route: 'ResourcesEnroute',
  on_scene: 'ResourcesOnscene',
  resolved: 'Active',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

/** Location Type of the place of the incident, and the Person Role of the caller. */
export const INCIDENT_LOCATION_TYPE = 'CurrentIncident';
export const CALLER_ROLE = 'Caller';
/** Our centre dispatches the incident it exports. */
export const OUR_AGENCY_ROLE = 'Dispatching';

/** Every registry value this file names, with its registry: what `checkRegistryMap` checks. */
export function registryValuesNamed(): readonly (readonly [RegistryName, string])[] {
  const statuses = [...Object.values(UNIT_STATUS_TO_REGISTRY), CLEARED_UNIT];
  return [
    ...Object.values(NATURE_TO_INCIDENT_TYPE).map((v) => ['incidentType', v] as const),
    ...Object.keys(MORE_INCIDENT_TYPES).map((v) => ['incidentType', v] as const),
    ...[...Object.values(UNIT_TYPE_TO_RESOURCE_TYPE), FALLBACK_RESOURCE_TYPE].map((v) => ['emergencyResourceType', v] as const),
    ...Object.values(CAPABILITY_TO_RESOURCE_ATTRIBUTE).map((v) => ['resourceAttribute', v] as const),
    ...statuses.map((s) => ['primaryUnitStatus', s.primary] as const),
    ...statuses.flatMap((s) => s.secondary.map((v) => ['secondaryUnitStatus', v] as const)),
    ...Object.values(INCIDENT_STATUS_TO_REGISTRY).map((v) => ['incidentStatus', v] as const),
    ['locationType', INCIDENT_LOCATION_TYPE],
    ['personRole', CALLER_ROLE],
    ['agencyRole', OUR_AGENCY_ROLE],
  ];
}

let checked = false;

/** Throws on the first value above that its registry does not list (at first use, so a bad table never exports). */
export function checkRegistryMap(): void {
  if (checked) return;
  const wrong = registryValuesNamed().filter(([registry, value]) => !inRegistry(registry, value));
  if (wrong.length > 0) throw new Error(`Not in the NENA registries: ${wrong.map(([r, v]) => `${r} ${v}`).join(', ')}`);
  checked = true;
}
