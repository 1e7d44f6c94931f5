import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ResponsePlan, ResponsePlans, VolunteerRole } from '../core/response-plan.ts';

/** The repository's root, where config/ and data/ live, whatever the working directory. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface UnitTypeProfile {
  readonly capabilities: readonly string[];
  readonly turnoutS: number;
  readonly speedMps: number;
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
  const known = new Set([...unitTypes.values()].flatMap((t) => t.capabilities));
  const plans = new Map<string, ResponsePlan>();
  for (const [nature, p] of Object.entries(rawPlans.natures)) {
    if (![1, 2, 3].includes(p.defaultPriority)) fail(plansFile, `${nature}.defaultPriority must be 1, 2 or 3`);
    for (const u of p.units) {
      if (!known.has(u.capability)) fail(plansFile, `${nature} needs capability ${u.capability}, which no unit type has`);
      if (!Number.isInteger(u.count) || u.count < 1) fail(plansFile, `${nature}.${u.capability} count must be a positive integer`);
    }
    for (const r of p.volunteerRoles) if (!ROLES.includes(r)) fail(plansFile, `${nature} asks for unknown role ${r}`);
    plans.set(nature, { nature, ...p });
  }
  if (!(rawTypes.detourFactor >= 1)) fail(typesFile, 'detourFactor must be at least 1');
  return { plansVersion: rawPlans.version, plans, unitTypes, detourFactor: rawTypes.detourFactor };
}
