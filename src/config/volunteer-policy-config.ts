import { readFileSync } from 'node:fs';
import type { VolunteerRole } from '../core/response-plan.ts';
import {
  INCIDENT_PLACES,
  QUALIFICATION_KINDS,
  VOLUNTEER_CHECKS,
  type NatureRule,
  type PlaceRule,
  type PolicyRule,
  type VolunteerPolicy,
} from '../core/volunteer-policy.ts';
import { PROJECT_ROOT } from './configuration.ts';

/**
 * Reads and checks config/volunteer-policy.json. The core only reads the policy; this is where a
 * bad file is caught, at start-up, naming the field: a policy that decides who is sent into a
 * stranger's home must not be half-read.
 */
export const VOLUNTEER_POLICY_FILE = 'config/volunteer-policy.json';

const ROLES: readonly VolunteerRole[] = ['cpr', 'fetch_aed', 'meet_crew'];
const WAVE_FIELDS = [
  'maxWalkingS',
  'waveIntervalS',
  'targetArrivals',
  'maxAlertsPerWave',
  'maxCandidates',
  'acceptancePrior',
  'priorWeight',
  'alertExpiryS',
] as const;

type Json = Record<string, unknown>;

class PolicyError extends Error {}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function check(cond: boolean, where: string, what: string): asserts cond {
  if (!cond) throw new PolicyError(`${where}: ${what}`);
}

function obj(v: unknown, where: string): Json {
  check(isObject(v), where, 'must be an object');
  return v;
}

function str(v: unknown, where: string): string {
  check(typeof v === 'string' && v.trim() !== '', where, 'must be a non-empty string');
  return v;
}

function bool(v: unknown, where: string): boolean {
  check(typeof v === 'boolean', where, 'must be true or false');
  return v;
}

function list<T extends string>(v: unknown, known: readonly T[], where: string): T[] {
  check(Array.isArray(v), where, 'must be an array');
  for (const [i, x] of v.entries()) {
    check(typeof x === 'string' && (known as readonly string[]).includes(x), `${where}[${i}]`, `must be one of ${known.join(', ')}`);
  }
  return v as T[];
}

function rule(v: unknown, where: string): PolicyRule {
  const o = obj(v, where);
  const id = str(o['id'], `${where}.id`);
  check(/^[a-z_]+\.[a-z_]+$/.test(id), `${where}.id`, `"${id}" must look like kind.name`);
  return { id, rationale: str(o['rationale'], `${where}.rationale`) };
}

function natureRule(v: unknown, where: string): NatureRule {
  const o = obj(v, where);
  const natures = o['natures'];
  check(Array.isArray(natures) && natures.length > 0, `${where}.natures`, 'must list at least one nature');
  for (const [i, n] of natures.entries()) check(typeof n === 'string' && /^[a-z_]{1,40}$/.test(n), `${where}.natures[${i}]`, 'must be a nature code');
  const r: NatureRule = {
    ...rule(v, where),
    natures: natures as string[],
    alert: bool(o['alert'], `${where}.alert`),
    qualifications: list(o['qualifications'], QUALIFICATION_KINDS, `${where}.qualifications`),
    verifiedRequired: bool(o['verifiedRequired'], `${where}.verifiedRequired`),
    roles: list(o['roles'], ROLES, `${where}.roles`),
  };
  check(!r.alert || (r.qualifications.length > 0 && r.roles.length > 0), where, 'a rule that alerts must name qualifications and roles');
  return r;
}

function placeRule(v: unknown, where: string): PlaceRule {
  const o = obj(v, where);
  return {
    ...rule(v, where),
    qualifications: list(o['qualifications'], QUALIFICATION_KINDS, `${where}.qualifications`),
    verifiedRequired: bool(o['verifiedRequired'], `${where}.verifiedRequired`),
  };
}

/** Validates a parsed policy document; throws an Error naming the first bad field. */
export function validateVolunteerPolicy(raw: unknown, where = VOLUNTEER_POLICY_FILE): VolunteerPolicy {
  try {
    const o = obj(raw, where);
    const version = str(o['version'], `${where}.version`);
    const effectiveFrom = str(o['effectiveFrom'], `${where}.effectiveFrom`);
    check(Number.isFinite(Date.parse(effectiveFrom)), `${where}.effectiveFrom`, 'must be an ISO date');
    const rawRules = o['natureRules'];
    check(Array.isArray(rawRules) && rawRules.length > 0, `${where}.natureRules`, 'must be a non-empty array');
    const natureRules = rawRules.map((r, i) => natureRule(r, `${where}.natureRules[${i}]`));
    const natures = natureRules.flatMap((r) => r.natures);
    const twice = natures.find((n, i) => natures.indexOf(n) !== i);
    check(twice === undefined, `${where}.natureRules`, `nature ${twice} is listed by two rules`);
    const places = obj(o['places'], `${where}.places`);
    const volunteerRules = obj(o['volunteerRules'], `${where}.volunteerRules`);
    const cpr = obj(o['cprQualified'], `${where}.cprQualified`);
    const waves = obj(o['waves'], `${where}.waves`);
    for (const k of WAVE_FIELDS) {
      const n = waves[k];
      check(typeof n === 'number' && Number.isFinite(n) && n > 0, `${where}.waves.${k}`, 'must be a number > 0');
    }
    check((waves['acceptancePrior'] as number) <= 1, `${where}.waves.acceptancePrior`, 'is a probability: at most 1');
    for (const k of ['maxAlertsPerWave', 'maxCandidates'] as const) {
      check(Number.isInteger(waves[k]), `${where}.waves.${k}`, 'must be a whole number');
    }
    const policy: VolunteerPolicy = {
      version,
      effectiveFrom,
      natureRules,
      otherNatures: rule(o['otherNatures'], `${where}.otherNatures`),
      places: Object.fromEntries(INCIDENT_PLACES.map((p) => [p, placeRule(places[p], `${where}.places.${p}`)])) as VolunteerPolicy['places'],
      volunteerRules: Object.fromEntries(
        VOLUNTEER_CHECKS.map((c) => [c, rule(volunteerRules[c], `${where}.volunteerRules.${c}`)]),
      ) as VolunteerPolicy['volunteerRules'],
      cprQualified: { ...rule(cpr, `${where}.cprQualified`), kinds: list(cpr['kinds'], QUALIFICATION_KINDS, `${where}.cprQualified.kinds`) },
      accessDetails: rule(o['accessDetails'], `${where}.accessDetails`),
      waves: waves as unknown as VolunteerPolicy['waves'],
    };
    const ids = [
      ...policy.natureRules.map((r) => r.id),
      policy.otherNatures.id,
      ...INCIDENT_PLACES.map((p) => policy.places[p].id),
      ...VOLUNTEER_CHECKS.map((c) => policy.volunteerRules[c].id),
      policy.cprQualified.id,
      policy.accessDetails.id,
    ];
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    check(dup === undefined, where, `rule id ${dup} is used twice`);
    return policy;
  } catch (e) {
    if (e instanceof PolicyError) throw new Error(e.message);
    throw e;
  }
}

/**
 * Reads the policy: `SAMARITAN_VOLUNTEER_POLICY_FILE` when set (a service's own policy, kept outside
 * the release), else config/volunteer-policy.json under `root`; a bad or missing file stops start-up.
 */
export function loadVolunteerPolicy(root: string = PROJECT_ROOT, env: NodeJS.ProcessEnv = process.env): VolunteerPolicy {
  const file = env['SAMARITAN_VOLUNTEER_POLICY_FILE'] || `${root}${VOLUNTEER_POLICY_FILE}`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  return validateVolunteerPolicy(raw, file);
}
