import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ResponsePlan, ResponsePlans, VolunteerRole } from '../core/response-plan.ts';
import { isUnitStatus, UNIT_STATUSES, type UnitStatus } from '../core/statuses.ts';

/** The repository's root, where config/ and data/ live, whatever the working directory. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface UnitTypeProfile {
  readonly capabilities: readonly string[];
  readonly turnoutS: number;
  readonly speedMps: number;
  /** The statuses a unit of this type may take; absent: every status. */
  readonly statuses?: readonly UnitStatus[];
  /** `water`: a boat, a straight line at `speedMps`, never routed by road; absent: `road`. */
  readonly travel?: 'road' | 'water';
}

/** Statuses the product itself moves every unit into (commissioning, dispatch, stand-down). */
const STATUSES_EVERY_TYPE_TAKES: readonly UnitStatus[] = ['available', 'dispatched'];

function checkUnitType(file: string, name: string, t: UnitTypeProfile): void {
  if (t.travel !== undefined && t.travel !== 'road' && t.travel !== 'water') fail(file, `${name}.travel must be road or water`);
  if (t.travel === 'water' && !(t.speedMps > 0)) fail(file, `${name}.speedMps must be above 0: a boat's straight line is timed at it`);
  if (t.statuses === undefined) return;
  if (!Array.isArray(t.statuses)) fail(file, `${name}.statuses must be a list of unit statuses`);
  for (const s of t.statuses as unknown[]) {
    if (typeof s !== 'string' || !isUnitStatus(s)) fail(file, `${name}.statuses: ${String(s)} is not one of ${UNIT_STATUSES.join(', ')}`);
  }
  for (const s of STATUSES_EVERY_TYPE_TAKES) if (!t.statuses.includes(s)) fail(file, `${name}.statuses must include ${s}`);
}

/** The statuses each unit type may take, for the core's rules (types without a list take every status). */
export function unitStatusesOf(config: Configuration): ReadonlyMap<string, readonly UnitStatus[]> {
  return new Map([...config.unitTypes].flatMap(([name, t]) => (t.statuses === undefined ? [] : [[name, t.statuses] as const])));
}

export interface Configuration {
  readonly plansVersion: number;
  readonly plans: ResponsePlans;
  readonly unitTypes: ReadonlyMap<string, UnitTypeProfile>;
  readonly detourFactor: number;
}

const ROLES: readonly VolunteerRole[] = ['cpr', 'fetch_aed', 'meet_crew'];

function fail(file: string, what: string): never {
  throw new Error(`${file}: ${what}`);
}

/** Reads and checks config/response-plans.json and config/unit-types.json; a bad file stops start-up. */
export function loadConfiguration(root: string = PROJECT_ROOT): Configuration {
  const plansFile = `${root}config/response-plans.json`;
  const typesFile = `${root}config/unit-types.json`;
  const rawPlans = JSON.parse(readFileSync(plansFile, 'utf8')) as {
    version: number;
    natures: Record<string, Omit<ResponsePlan, 'nature'>>;
  };
  const rawTypes = JSON.parse(readFileSync(typesFile, 'utf8')) as {
    types: Record<string, UnitTypeProfile>;
    detourFactor: number;
  };
  const unitTypes = new Map(Object.entries(rawTypes.types));
  for (const [name, t] of unitTypes) checkUnitType(typesFile, name, t);
  const known = new Set([...unitTypes.values()].flatMap((t) => t.capabilities));
  const plans = new Map<string, ResponsePlan>();
  for (const [nature, p] of Object.entries(rawPlans.natures)) {
    if (![1, 2, 3].includes(p.defaultPriority)) fail(plansFile, `${nature}.defaultPriority must be 1, 2 or 3`);
    for (const u of p.units) {
      if (!known.has(u.capability)) fail(plansFile, `${nature} needs capability ${u.capability}, which no unit type has`);
      if (!Number.isInteger(u.count) || u.count < 1) fail(plansFile, `${nature}.${u.capability} count must be a positive integer`);
    }
    for (const r of p.volunteerRoles) if (!ROLES.includes(r)) fail(plansFile, `${nature} asks for unknown role ${r}`);
    for (const [level, adds] of Object.entries(p.alarms ?? {})) {
      if (!/^[2-9]$/.test(level)) fail(plansFile, `${nature}.alarms: level ${level} must be 2 to 9`);
      for (const u of adds) {
        if (!known.has(u.capability)) fail(plansFile, `${nature}.alarms.${level} needs capability ${u.capability}, which no unit type has`);
        if (!Number.isInteger(u.count) || u.count < 1) fail(plansFile, `${nature}.alarms.${level}.${u.capability} count must be a positive integer`);
      }
    }
    const levels = Object.keys(p.alarms ?? {}).map(Number).sort((a, b) => a - b);
    if (levels.some((l, i) => l !== i + 2)) fail(plansFile, `${nature}.alarms must run 2, 3, … without a gap`);
    plans.set(nature, { nature, ...p });
  }
  if (!(rawTypes.detourFactor >= 1)) fail(typesFile, 'detourFactor must be at least 1');
  return { plansVersion: rawPlans.version, plans, unitTypes, detourFactor: rawTypes.detourFactor };
}
